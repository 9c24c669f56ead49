"""``report coverage`` (recap PDF or Excel) and ``worklist NAME`` (who needs what done today)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from klaten_desktop.cli.base import EXIT_OK, Subparsers, add_command, date_arg, emit, month_arg
from klaten_desktop.domain.formatting import format_date, format_number, format_percent, format_rupiah
from klaten_desktop.services import recap, recap_files, worklists
from klaten_desktop.services.context import ServiceContext


def register(sub: Subparsers) -> None:
    p = sub.add_parser("report", help="laporan rekap")
    rsub = p.add_subparsers(dest="report", metavar="LAPORAN", required=True, parser_class=type(p))
    r = add_command(rsub, "coverage", _coverage, "rekap cakupan kepesertaan per desa (PDF atau Excel)")
    r.add_argument("--out", required=True, metavar="BERKAS", help="berkas .pdf atau .xlsx")
    r.add_argument("--as-of", dest="as_of", type=date_arg, metavar="YYYY-MM-DD", help="keadaan per tanggal")
    r.add_argument("--from", dest="start", type=month_arg, metavar="YYYY-MM", help="awal periode iuran ADD")
    r.add_argument("--to", dest="end", type=month_arg, metavar="YYYY-MM", help="akhir periode iuran ADD")
    r.add_argument("--json", action="store_true")
    w = add_command(sub, "worklist", _worklist, "daftar kerja: pengurus yang perlu ditindaklanjuti")
    w.add_argument("name", choices=[x.key for x in worklists.WORKLISTS], metavar="NAMA")
    w.add_argument("--json", action="store_true")


def _coverage(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    target = Path(args.out)
    recap_files.check_target(target)
    data = recap.recap(ctx, on=args.as_of, start=args.start, end=args.end)
    recap_files.write_recap(ctx, args.actor, data, target)
    if args.json:
        emit(out, data.as_json())
    else:
        t = data.total
        out.write(
            f"Rekap per {format_date(data.as_of)} ditulis ke {target}: {format_number(t.counts.pengurus)} pengurus, "
            f"{format_number(t.counts.aktif)} aktif, cakupan {format_percent(t.counts.cakupan_persen)}; "
            f"iuran ADD {data.period_label} {format_rupiah(t.add_iuran)}.\n"
        )
    return EXIT_OK


def _worklist(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    wl = worklists.BY_KEY[args.name]
    rows = worklists.rows(ctx, args.name)
    if args.json:
        emit(
            out,
            {
                "worklist": wl.key,
                "judul": wl.title,
                "tindakan": wl.action,
                "jumlah": len(rows),
                "pengurus": [
                    {
                        "id": r.official_id,
                        "nama": r.nama,
                        "desa_kode": r.desa_kode,
                        "desa": r.desa_nama,
                        "rt_rw": r.rt_rw,
                        "jabatan": r.jabatan,
                        "keterangan": r.keterangan,
                    }
                    for r in rows
                ],
            },
        )
        return EXIT_OK
    out.write(f"{wl.title}: {format_number(len(rows))} pengurus. Tindakan: {wl.action_label}.\n")
    for r in rows:
        out.write(f"  {r.nama} | {r.jabatan} {r.rt_rw} | {r.desa_nama} | {r.keterangan}\n")
    return EXIT_OK
