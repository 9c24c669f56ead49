"""``office umk`` and ``office kode-pos``: the two tables an office keeps in its settings, headless.

The UMK table a "persentase UMK" tariff is computed from (``services.tariff_settings``) and the kode pos of each
desa (``services.kode_pos``), the same services as Pengaturan › Tarif and Pengaturan › Kode pos.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from klaten_desktop.cli.base import EXIT_OK, IndonesianArgumentParser, desa_arg, emit
from klaten_desktop.domain.umk import format_rupiah_sen, parse_rupiah_sen
from klaten_desktop.services import kode_pos, tariff_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError


def register(osub: Any) -> None:
    """Add ``umk`` and ``kode-pos`` under ``office`` (``osub``: its subparsers)."""
    p = osub.add_parser("umk", help="tabel UMK Kabupaten Klaten per tahun (dasar tarif persentase UMK)")
    usub = p.add_subparsers(dest="umk_action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = usub.add_parser("list", help="tampilkan UMK per tahun beserta sumbernya")
    e.set_defaults(handler=_umk_list)
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = usub.add_parser("set", help="isi atau koreksi UMK satu tahun (menggantikan nilai bawaan tahun itu)")
    e.set_defaults(handler=_umk_set)
    e.add_argument("year", type=int, metavar="TAHUN", help="tahun UMK, mis. 2027")
    e.add_argument("amount", metavar="JUMLAH", help="UMK dalam rupiah, mis. 2.152.322,94 (koma sebelum sen)")
    e.add_argument("--sumber", required=True, metavar="TEKS", help="sumber angka: keputusan gubernur, tanggal ...")
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = usub.add_parser("hapus", help="hapus UMK yang diisi kantor untuk satu tahun (mis. salah tahun)")
    e.set_defaults(handler=_umk_remove)
    e.add_argument("year", type=int, metavar="TAHUN")

    p = osub.add_parser("kode-pos", help="kode pos tiap desa/kelurahan (kolom Kode Pos daftar untuk BPJS)")
    ksub = p.add_subparsers(
        dest="kode_pos_action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser
    )
    e = ksub.add_parser("list", help="tampilkan desa/kelurahan wilayah kantor dengan kode posnya")
    e.set_defaults(handler=_kode_pos_list)
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = ksub.add_parser("set", help='isi kode pos satu desa (nilai kosong "" mengosongkan)')
    e.set_defaults(handler=_kode_pos_set)
    e.add_argument("desa", type=desa_arg, metavar="KODE_DESA", help="kode desa Kemendagri, mis. 33.10.01.2001")
    e.add_argument("kode_pos", metavar="KODE_POS", help="5 angka berawalan 57, mis. 57454")


def _umk_json(row: tariff_settings.UmkRow) -> dict[str, Any]:
    e = row.entry
    return {"tahun": e.year, "umk_sen": e.amount_sen, "umk": format_rupiah_sen(e.amount_sen), "sumber": e.source,
            "bawaan": row.builtin}  # fmt: skip


def _umk_list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = tariff_settings.umk_rows(ctx)
    if args.json:
        emit(out, {"umk": [_umk_json(r) for r in rows]})
        return EXIT_OK
    for r in rows:
        origin = "bawaan" if r.builtin else "kantor"
        out.write(f"{r.entry.year}  {format_rupiah_sen(r.entry.amount_sen):>18}  ({origin}) {r.entry.source}\n")
    if not rows:
        out.write("Tabel UMK kosong.\n")
    return EXIT_OK


def _umk_set(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    try:
        amount = parse_rupiah_sen(args.amount)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    entry = tariff_settings.set_umk(ctx, SYSTEM, args.year, amount, args.sumber)
    if args.json:
        emit(out, {"tahun": entry.year, "umk_sen": entry.amount_sen, "sumber": entry.source})
    else:
        out.write(f"UMK disimpan: {entry.label} ({entry.source}).\n")
    return EXIT_OK


def _umk_remove(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    tariff_settings.remove_umk(ctx, SYSTEM, args.year)
    out.write(f"UMK {args.year} yang diisi kantor dihapus.\n")
    return EXIT_OK


def _kode_pos_list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = kode_pos.rows(ctx)
    if args.json:
        emit(
            out,
            {"desa": [{"kode": r.desa_kode, "nama": r.desa, "kecamatan": r.kecamatan, "kode_pos": r.kode_pos}
                      for r in rows]},
        )  # fmt: skip
        return EXIT_OK
    for r in rows:
        out.write(f"{r.desa_kode}  {r.kode_pos or '-':<5}  {r.desa} ({r.kecamatan})\n")
    return EXIT_OK


def _kode_pos_set(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    code = kode_pos.set_code(ctx, SYSTEM, args.desa, args.kode_pos)
    out.write(f"Kode pos {args.desa}: {code}.\n" if code else f"Kode pos {args.desa} dikosongkan.\n")
    return EXIT_OK
