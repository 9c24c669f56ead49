"""``import-officials``, ``export-officials`` and ``import-template``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from klaten_desktop.cli.base import EXIT_OK, Subparsers, add_command, desa_arg, emit, xlsx_path
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import exports, import_template
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import (
    ImportPlan,
    Outcome,
    apply_import,
    mapping_for,
    plan_import,
    read_workbook,
    write_error_workbook,
)


def register(sub: Subparsers) -> None:
    p = add_command(sub, "import-officials", _import, "impor daftar pengurus RT/RW dari berkas .xlsx atau .csv desa")
    p.add_argument("file", metavar="BERKAS", type=Path)
    p.add_argument("--desa", type=desa_arg, help="kode desa untuk seluruh berkas, bila berkas tidak berkolom desa")
    p.add_argument(
        "--sheet", metavar="LEMBAR", help="nama lembar yang dibaca (tanpa ini: lembar yang daftarnya terpanjang)"
    )
    p.add_argument("--dry-run", action="store_true", help="hanya pratinjau; tidak ada yang disimpan")
    p.add_argument(
        "--errors",
        metavar="KELUAR.xlsx",
        type=xlsx_path,
        help="tulis baris yang ditolak beserta alasannya ke berkas Excel (.xlsx; nama berakhiran lain ditolak)",
    )
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "export-officials", _export, "ekspor daftar pengurus yang menjabat ke .xlsx atau .csv")
    p.add_argument("out", metavar="KELUAR", type=Path)
    p.add_argument("--desa", type=desa_arg, help="hanya pengurus desa ini (kode seperti 33.10.01.2001)")
    p.add_argument("--bpjs", action="store_true", help="daftar untuk pendaftaran kolektif BPJS (yang belum terdaftar)")
    p.add_argument(
        "--columns",
        metavar="KOLOM,KOLOM",
        type=_columns_arg,
        help="kolom yang diekspor, dipisah koma, misalnya nik,nama,rt_rw (tanpa ini: kolom bawaan). "
        "Kolom yang ada: " + ", ".join(exports.EXPORT_COLUMNS),
    )
    p.add_argument(
        "--include-registered",
        action="store_true",
        help="bersama --bpjs: sertakan juga pengurus yang sudah terdaftar",
    )
    p.add_argument(
        "--csv-excel",
        action="store_true",
        help="berkas .csv untuk dibuka di Excel/LibreOffice (NIK dan nomor HP tetap teks); tanpa ini: untuk program",
    )
    p.add_argument(
        "--mulai",
        metavar="YYYY-MM",
        type=_month_arg,
        help="bulan mulai kepesertaan pada daftar BPJS (tanpa ini: bulan depan); tarif yang berlaku bulan itu",
    )
    p.add_argument("--json", action="store_true")
    p = add_command(sub, "import-template", _template, "buat templat lembar kerja untuk diisi desa")
    p.add_argument("out", metavar="KELUAR.xlsx", type=Path)
    p.add_argument("--json", action="store_true")


def _month_arg(text: str) -> YearMonth:
    try:
        return YearMonth.parse(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"bulan {text!r} tidak dikenal; tulis seperti 2027-01") from exc


def _columns_arg(text: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in text.split(",") if k.strip())
    if not keys:
        raise argparse.ArgumentTypeError("sebutkan paling sedikit satu kolom, misalnya nik,nama")
    unknown = [k for k in keys if k not in exports.EXPORT_COLUMNS]
    if unknown:
        raise argparse.ArgumentTypeError(
            "kolom tidak dikenal: " + ", ".join(unknown) + ". Kolom yang ada: " + ", ".join(exports.EXPORT_COLUMNS)
        )
    return keys


def _issues(plan: ImportPlan, attr: str) -> list[dict[str, Any]]:
    result = []
    for row in plan.rows:
        messages = list(getattr(row, attr))
        if not messages or (attr == "warnings" and row.outcome is Outcome.rejected):
            continue
        result.append({"row": row.sheet_row, "messages": messages})
    return result


def _import(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    table = read_workbook(args.file, sheet=args.sheet)
    if table.other_sheets:
        names = ", ".join(f"\u201c{name}\u201d" for name in table.other_sheets)
        note = (
            f"Catatan: dibaca lembar \u201c{table.sheet}\u201d. Lembar {names} juga berisi daftar dan tidak dibaca; "
            "impor dengan --sheet LEMBAR.\n"
        )
        (sys.stderr if args.json else out).write(note)
    plan = plan_import(ctx, table, mapping_for(ctx, table), desa_kode=args.desa)
    if args.errors is not None and plan.rejected:
        write_error_workbook(plan, table, args.errors)
    # said, so that an older file of that name is not taken for this import's
    no_errors_note = f"Tidak ada baris yang ditolak; berkas {args.errors} tidak dibuat.\n"
    if args.errors is not None and not plan.rejected and args.json:
        sys.stderr.write(no_errors_note)
    if args.dry_run:
        created, updated = plan.created, plan.updated
        text = f"Pratinjau (belum disimpan): {plan.summary()}"
    else:
        result = apply_import(ctx, SYSTEM, plan)
        created, updated = result.created, result.updated
        text = result.message()
    if args.json:
        emit(
            out,
            {
                "rows_read": plan.rows_read,
                "created": created,
                "updated": updated,
                "unchanged": plan.unchanged,
                "skipped": plan.skipped,
                "rejected": _issues(plan, "errors"),
                "warnings": _issues(plan, "warnings"),
                "dry_run": bool(args.dry_run),
            },
        )
        return EXIT_OK
    out.write(text + "\n")
    for row in plan.rows:
        if row.outcome is Outcome.rejected:
            out.write(f"  Baris {row.sheet_row} ditolak: {' '.join(row.errors)}\n")
        elif row.warnings:
            out.write(f"  Baris {row.sheet_row} peringatan: {' '.join(row.warnings)}\n")
    if args.errors is not None and plan.rejected:
        out.write(f"Baris yang ditolak ditulis ke {args.errors}.\n")
    elif args.errors is not None:
        out.write(no_errors_note)
    return EXIT_OK


def _export(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    if args.include_registered and not args.bpjs:
        raise UserError("--include-registered hanya berlaku bersama --bpjs; ekspor biasa sudah memuat semua pengurus.")
    if args.bpjs:
        count = exports.export_bpjs_list(
            ctx,
            args.out,
            columns=args.columns or exports.BPJS_COLUMNS,
            desa_kode=args.desa,
            include_registered=args.include_registered,
            start=args.mulai,
            csv_for_excel=args.csv_excel,
        )
    else:
        count = exports.export_officials(
            ctx,
            args.out,
            columns=args.columns or exports.REGISTRY_COLUMNS,
            desa_kode=args.desa,
            start=args.mulai,
            csv_for_excel=args.csv_excel,
        )
    if args.json:
        emit(out, {"officials": count, "file": str(args.out)})
    else:
        out.write(f"{count} pengurus diekspor ke {args.out}.\n")
    return EXIT_OK


def _template(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    import_template.write_template(ctx, args.out)
    if args.json:
        emit(out, {"file": str(args.out)})
    else:
        out.write(f"Templat impor ditulis ke {args.out}.\n")
    return EXIT_OK
