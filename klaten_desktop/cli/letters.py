"""``letters pengantar|keterangan|iuran|jenis|reprint|reserve|void|gaps|templates-export|templates-import`` and
``verify CODE``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from klaten_desktop.cli.base import (
    EXIT_OK,
    IndonesianArgumentParser,
    Subparsers,
    add_command,
    date_arg,
    desa_arg,
    emit,
)
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.documents import archive, verify
from klaten_desktop.services.documents import register as numbering
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue, templates


def period_arg(text: str) -> tuple[YearMonth, YearMonth]:
    """ "2027-01..2027-12" or one month "2027-01"."""
    start_text, _, end_text = text.partition("..")
    try:
        start = YearMonth.parse(start_text.strip())
        end = YearMonth.parse(end_text.strip()) if end_text else start
    except ValueError:
        raise argparse.ArgumentTypeError(f"periode {text!r} harus berformat YYYY-MM..YYYY-MM") from None
    return start, end


def register(sub: Subparsers) -> None:
    p = sub.add_parser("letters", help="surat: pengantar, keterangan, pemberitahuan iuran, register nomor")
    lsub = p.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    for kind, help_text in (
        ("pengantar", "surat pengantar pendaftaran ke BPJS Ketenagakerjaan (menandai pengurus diajukan)"),
        ("keterangan", "surat keterangan kepesertaan, satu per pengurus terdaftar"),
        ("iuran", "surat pemberitahuan iuran kepada kepala desa"),
        ("jenis", "surat jenis buatan kantor (kode jenis dari templat)"),
    ):
        e = lsub.add_parser(kind, help=help_text)
        e.set_defaults(handler=_issue, kind=kind)
        if kind == "jenis":
            e.add_argument("kode_jenis", metavar="JENIS", help="kode jenis surat, mis. undangan_sosialisasi")
        e.add_argument("--desa", type=desa_arg, help="kode desa; tanpa ini: semua desa kecamatan dalam satu PDF")
        e.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
        e.add_argument("--period", type=period_arg, metavar="YYYY-MM..YYYY-MM", help="periode iuran")
        e.add_argument("--date", type=date_arg, help="tanggal surat (bawaan: hari ini)")
        e.add_argument("--json", action="store_true")

    e = lsub.add_parser("reprint", help="cetak ulang surat dari arsip (ditandai Cetakan ke-N)")
    e.set_defaults(handler=_reprint)
    e.add_argument("nomor", nargs="+", metavar="NOMOR")
    e.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    e.add_argument("--json", action="store_true")

    e = lsub.add_parser("reserve", help="cadangkan nomor untuk surat yang dibuat di luar aplikasi")
    e.set_defaults(handler=_reserve)
    e.add_argument("--kind", required=True, help="jenis surat, mis. pengantar")
    e.add_argument("--note", required=True, help="untuk surat apa")
    e.add_argument("--count", type=int, default=1)
    e.add_argument("--date", type=date_arg)
    e.add_argument("--json", action="store_true")

    e = lsub.add_parser("void", help="batalkan nomor surat (tidak akan dipakai lagi)")
    e.set_defaults(handler=_void)
    e.add_argument("nomor", metavar="NOMOR")
    e.add_argument("--reason", required=True)
    e.add_argument("--json", action="store_true")

    e = lsub.add_parser("gaps", help="laporan nomor yang hilang dan cadangan yang belum dipakai")
    e.set_defaults(handler=_gaps)
    e.add_argument("--year", type=int)
    e.add_argument("--json", action="store_true")

    e = lsub.add_parser("templates-export", help="simpan templat surat ke berkas")
    e.set_defaults(handler=_export)
    e.add_argument("file", type=Path, metavar="FILE.json")
    e.add_argument("--json", action="store_true")

    e = lsub.add_parser("templates-import", help="muat templat surat dari berkas (versi baru bila berubah)")
    e.set_defaults(handler=_import)
    e.add_argument("file", type=Path, metavar="FILE.json")
    e.add_argument("--json", action="store_true")

    v = add_command(sub, "verify", _verify, "periksa keaslian surat dari kode verifikasi atau isi kode QR")
    v.add_argument("code", metavar="KODE")
    v.add_argument("--json", action="store_true")


def _issue(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    kind = args.kode_jenis if args.kind == "jenis" else args.kind
    result = issue.issue(ctx, args.actor, kind, out=args.out, desa_kode=args.desa, period=args.period, on=args.date)
    if args.json:
        emit(
            out,
            {
                "documents": [
                    {"nomor": d.nomor, "jenis": d.jenis, "sha256": d.sha256, "kode_verifikasi": d.kode_verifikasi}
                    for d in result.documents
                ],
                "pages": result.pages,
            },
        )
    else:
        for d in result.documents:
            out.write(f"{d.nomor}  kode {d.kode_verifikasi}  ({d.subjects} pengurus)\n")
        extra = f"; {result.submitted} pengurus ditandai diajukan" if result.submitted else ""
        out.write(f"{len(result.documents)} surat, {result.pages} halaman: {result.path}{extra}\n")
    return EXIT_OK


def _ids_for(ctx: ServiceContext, numbers: list[str]) -> list[str]:
    ids = []
    for nomor in numbers:
        found = [d for d in archive.documents(ctx) if d.nomor == nomor.strip()]
        if not found:
            raise UserError(f"Surat nomor {nomor} tidak ada dalam arsip.")
        ids.append(found[0].id)
    return ids


def _reprint(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = archive.reprint(ctx, args.actor, _ids_for(ctx, args.nomor), out=args.out)
    if args.json:
        emit(
            out,
            {"documents": [{"nomor": n, "cetakan": c} for _, n, c in result.documents], "pages": result.pages},
        )
    else:
        for _, nomor, count in result.documents:
            out.write(f"{nomor}: cetakan ke-{count}\n")
        out.write(f"{result.pages} halaman: {result.path}\n")
    return EXIT_OK


def _row_json(row: numbering.RegisterRow) -> dict[str, Any]:
    return {"nomor": row.nomor, "jenis": row.kind, "status": row.state, "tanggal": row.issued_on, "catatan": row.note}


def _reserve(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = numbering.reserve(ctx, args.actor, args.kind, count=args.count, note=args.note, on=args.date)
    if args.json:
        emit(out, {"reserved": [_row_json(r) for r in rows]})
    else:
        for r in rows:
            out.write(f"Dicadangkan: {r.nomor}\n")
    return EXIT_OK


def _void(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    row = numbering.void(ctx, args.actor, args.nomor, reason=args.reason)
    if args.json:
        emit(out, _row_json(row))
    else:
        out.write(f"Nomor {row.nomor} dibatalkan.\n")
    return EXIT_OK


def _gaps(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    report = numbering.gap_report(ctx, args.year)
    if args.json:
        emit(
            out,
            {
                "year": report.year,
                "missing": [{"urutan": s, "nomor_urut": n} for s, n in report.missing],
                "reserved_open": [_row_json(r) for r in report.reserved_open],
                "last_numbers": report.last_numbers,
            },
        )
    else:
        out.write(f"Register nomor surat tahun {report.year}\n")
        for seq, last in sorted(report.last_numbers.items()):
            out.write(f"- urutan {seq}: nomor terakhir {last}\n")
        if report.missing:
            out.write("Nomor yang hilang: " + ", ".join(f"{n} ({s})" for s, n in report.missing) + "\n")
        for r in report.reserved_open:
            out.write(f"Cadangan belum dipakai: {r.nomor} ({format_date(r.issued_on)}): {r.note or '-'}\n")
        if report.clean:
            out.write("Tidak ada nomor yang hilang.\n")
    return EXIT_OK


def _export(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    n = templates.export_file(ctx, args.file)
    if args.json:
        emit(out, {"templates": n, "file": str(args.file)})
    else:
        out.write(f"{n} templat surat disimpan ke {args.file}\n")
    return EXIT_OK


def _import(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = templates.import_file(ctx, args.actor, args.file)
    if args.json:
        emit(out, {"saved": list(result.saved), "unchanged": list(result.unchanged)})
    else:
        out.write(f"Templat baru/berubah: {', '.join(result.saved) or '-'}; tidak berubah: {len(result.unchanged)}\n")
    return EXIT_OK


def _verify(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = verify.check(ctx, args.code)
    if args.json:
        emit(
            out,
            {
                "ok": result.ok,
                "reason": result.reason,
                "source": result.source,
                "content": result.content.as_json() if result.content else None,
            },
        )
    else:
        out.write(("SAH: " if result.ok else "TIDAK SAH: ") + result.reason + "\n")
        if result.content is not None:
            c = result.content
            out.write(f"Nomor    : {c.nomor}\nJenis    : {c.jenis_label}\nTanggal  : {format_date(c.tanggal)}\n")
            out.write(f"Penerbit : {c.kantor} ({c.office_code})\nStatus   : {c.status}\n")
            if c.hal:
                out.write(f"Hal      : {c.hal}\n")
            for s in c.subjek:
                out.write(f"Pengurus : {' / '.join(s)}\n")
            out.write(f"Jumlah pengurus: {c.jumlah_subjek}\n")
            if c.payload:
                for line in c.as_json()["isi"] or []:
                    out.write(f"  {line}\n")
    if not result.ok:
        raise UserError(result.reason)
    return EXIT_OK
