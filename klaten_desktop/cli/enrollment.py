"""``enrollment submit|register|import-kpj|pay|void-payment|end``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from klaten_desktop.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    IndonesianArgumentParser,
    Subparsers,
    ask_yes,
    date_arg,
    desa_arg,
    emit,
    month_arg,
    xlsx_path,
)
from klaten_desktop.domain.enums import FundingSource
from klaten_desktop.domain.formatting import format_date, format_rupiah
from klaten_desktop.services import enrollment, enrollment_checks, kpj_import, officials, payments
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.payments import PaymentPlan

YES_HELP = "jangan meminta konfirmasi untuk hal yang tidak biasa"


def register(sub: Subparsers) -> None:
    p = sub.add_parser("enrollment", help="kepesertaan dan iuran")
    esub = p.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = esub.add_parser("submit", help="tandai pengurus desa yang belum terdaftar sebagai diajukan")
    e.set_defaults(handler=_submit)
    e.add_argument("--desa", type=desa_arg, required=True)
    e.add_argument("--date", type=date_arg)
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("register", help="catat nomor KPJ dari BPJS Ketenagakerjaan")
    e.set_defaults(handler=_register)
    e.add_argument("--nik", required=True)
    e.add_argument("--kpj", required=True)
    e.add_argument("--start", type=date_arg, required=True)
    e.add_argument("--funding", choices=[f.value for f in FundingSource])
    e.add_argument("--yes", action="store_true", help="tanggal mulai yang tidak biasa sudah diperiksa")
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("pay", help="catat iuran bulanan (satu pengurus atau satu desa)")
    e.set_defaults(handler=_pay)
    target = e.add_mutually_exclusive_group(required=True)
    target.add_argument("--nik")
    target.add_argument("--desa", type=desa_arg)
    e.add_argument("--from", dest="start", type=month_arg, required=True)
    e.add_argument("--to", dest="end", type=month_arg, required=True)
    e.add_argument("--paid-on", type=date_arg)
    e.add_argument("--reference")
    e.add_argument("--dry-run", action="store_true", help="hanya ringkasan; tidak ada yang dicatat")
    e.add_argument("--yes", action="store_true", help=YES_HELP)
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("void-payment", help="batalkan iuran yang salah dicatat (satu pengurus atau satu batch)")
    e.set_defaults(handler=_void)
    target = e.add_mutually_exclusive_group(required=True)
    target.add_argument("--nik")
    target.add_argument("--batch")
    e.add_argument("--from", dest="start", type=month_arg)
    e.add_argument("--to", dest="end", type=month_arg)
    e.add_argument("--reason", required=True)
    e.add_argument("--dry-run", action="store_true", help="hanya ringkasan; tidak ada yang dibatalkan")
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("import-kpj", help="catat nomor KPJ dari daftar kiriman BPJS (.xlsx atau .csv)")
    e.set_defaults(handler=_import_kpj)
    e.add_argument("file", metavar="BERKAS", type=Path)
    e.add_argument("--sheet", metavar="LEMBAR", help="nama lembar yang dibaca (tanpa ini: lembar terpanjang)")
    e.add_argument("--dry-run", action="store_true", help="hanya pratinjau; tidak ada yang disimpan")
    e.add_argument(
        "--errors", metavar="KELUAR.xlsx", type=xlsx_path, help="tulis baris yang ditolak beserta alasannya (Excel)"
    )
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("end", help="akhiri kepesertaan")
    e.set_defaults(handler=_end)
    e.add_argument("--nik", required=True)
    e.add_argument("--date", type=date_arg, required=True)
    e.add_argument("--reason", required=True)
    e.add_argument("--json", action="store_true")


def _done(args: argparse.Namespace, out: TextIO, payload: dict[str, Any], text: str) -> int:
    if args.json:
        emit(out, payload)
    else:
        out.write(text + "\n")
    return EXIT_OK


def _submit(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = enrollment.submit_desa(ctx, args.actor, args.desa, on=args.date)
    return _done(
        args,
        out,
        {"submitted": result.submitted, "already": result.already},
        f"{result.submitted} pengurus ditandai diajukan; {result.already} sudah memiliki kepesertaan.",
    )


def _register(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    row = officials.serving_by_nik(ctx, args.nik)
    funding = FundingSource(args.funding) if args.funding else None
    check = enrollment_checks.start_date_check(ctx, row.id, args.start)
    if check.needs_confirmation and not args.yes:
        text = " ".join(check.warnings)
        if not ask_yes(out, text, refusal=f"{text} Bila memang benar, ulangi dengan --yes."):
            out.write("Dibatalkan; KPJ tidak dicatat.\n")
            return EXIT_FAILED
    data = enrollment.register(
        ctx, args.actor, row.id, kpj=args.kpj, start=args.start, funding=funding, confirmed=check.needs_confirmation
    )
    return _done(
        args,
        out,
        {
            "nama": row.nama,
            "nomor_kpj": data.nomor_kpj,
            "registered_on": data.registered_on,
            "monthly_amount": data.monthly_amount,
        },
        f"KPJ {data.nomor_kpj} dicatat untuk {row.nama}, berlaku mulai {format_date(data.registered_on)}.",
    )


def _plan_json(plan: PaymentPlan) -> dict[str, Any]:
    return {
        "officials": plan.officials,
        "months": plan.months,
        "months_recorded": plan.months_recorded,
        "total_amount": plan.total_amount,
        "months_already_paid": plan.months_already_paid,
        "months_before_start": plan.months_before_start,
        "future_months": [str(m) for m in plan.future_months],
        "not_registered": plan.not_registered,
        "unusual": plan.unusual,
        "warnings": list(plan.warnings()),
    }


def _pay(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    ids = [officials.serving_by_nik(ctx, args.nik).id] if args.nik else []
    if ids:
        plan = payments.plan(ctx, ids, start=args.start, end=args.end)
    else:
        plan = payments.plan_desa(ctx, args.desa, start=args.start, end=args.end)
    warnings = plan.warnings()
    if args.dry_run:
        text = "\n".join(["Uji coba (tidak ada yang dicatat): " + plan.summary(), *("⚠ " + w for w in warnings)])
        return _done(args, out, {"dry_run": True, **_plan_json(plan)}, text)
    if plan.unusual and not args.yes:
        text = " ".join([plan.summary(), *warnings])
        if not ask_yes(
            out, text + " Tetap catat?", refusal=f"{text} Periksa dengan --dry-run; bila benar, ulangi dengan --yes."
        ):
            out.write("Dibatalkan; tidak ada iuran yang dicatat.\n")
            return EXIT_FAILED
    if ids:
        result = payments.record_payments(
            ctx, args.actor, ids, start=args.start, end=args.end, paid_on=args.paid_on, reference=args.reference
        )
    else:
        result = payments.pay_desa(
            ctx, args.actor, args.desa, start=args.start, end=args.end, paid_on=args.paid_on, reference=args.reference
        )
    return _done(
        args,
        out,
        {
            "enrollments": result.enrollments,
            "months_recorded": result.months_recorded,
            "months_already_paid": result.months_already_paid,
            "not_registered": result.not_registered,
            "total_amount": result.total_amount,
            "batch_id": result.batch_id,
            "dry_run": False,
        },
        f"{result.months_recorded} bulan iuran dicatat untuk {result.enrollments} peserta "
        f"(jumlah {format_rupiah(result.total_amount)}); {result.months_already_paid} bulan sudah tercatat "
        f"sebelumnya; {result.not_registered} pengurus belum terdaftar. Batch {result.batch_id} "
        "(untuk membatalkan: enrollment void-payment --batch).",
    )


def _void(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    target = {
        "official_id": officials.serving_by_nik(ctx, args.nik).id if args.nik else None,
        "batch_id": args.batch,
        "start": args.start,
        "end": args.end,
    }
    if args.dry_run:
        result = payments.void_preview(ctx, **target)
    else:
        result = payments.void_payments(ctx, args.actor, reason=args.reason, **target)
    done = "akan dibatalkan (uji coba, tidak ada yang diubah)" if args.dry_run else "dibatalkan"
    return _done(
        args,
        out,
        {
            "payments": result.payments,
            "officials": result.officials,
            "total_amount": result.total_amount,
            "from": str(result.first_month),
            "to": str(result.last_month),
            "dry_run": bool(args.dry_run),
        },
        f"{result.summary()} {done}.",
    )


def _import_kpj(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    plan, table = kpj_import.plan_kpj_file(ctx, args.file, sheet=args.sheet)
    if args.errors is not None and plan.rejected:
        kpj_import.write_kpj_error_workbook(plan, table, args.errors)
    if args.dry_run:
        text = f"Pratinjau (belum disimpan): {plan.summary()}"
        report = plan.report(dry_run=True)
    else:
        result = kpj_import.apply_kpj_plan(ctx, args.actor, plan)
        text = result.message()
        report = {**plan.report(dry_run=False), "registered": result.registered}
    if args.json:
        emit(out, report)
        return EXIT_OK
    out.write(text + "\n")
    for row in plan.rejected:
        out.write(f"  Baris {row.sheet_row} ditolak: {' '.join(row.errors)}\n")
    if args.errors is not None:
        written = f"Baris yang ditolak ditulis ke {args.errors}." if plan.rejected else "Tidak ada baris yang ditolak."
        out.write(written + "\n")
    return EXIT_OK


def _end(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    row = officials.serving_by_nik(ctx, args.nik)
    data = enrollment.end(ctx, args.actor, row.id, on=args.date, reason=args.reason)
    return _done(
        args,
        out,
        {"nama": row.nama, "ended_on": data.ended_on, "end_reason": data.end_reason},
        f"Kepesertaan {row.nama} berakhir pada {format_date(data.ended_on)}.",
    )
