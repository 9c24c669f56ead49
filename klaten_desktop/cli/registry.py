"""Commands for the registry: demo, check, list-officials, replace-official (``init`` is in cli/office.py)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from klaten_desktop.cli import users
from klaten_desktop.cli.base import (
    EXIT_FAILED,
    EXIT_OK,
    Subparsers,
    add_command,
    date_arg,
    desa_arg,
    emit,
)
from klaten_desktop.domain.enums import EndReason, Jabatan
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, bootstrap, demo, integrity, officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.imports.parsing import parse_sex
from klaten_desktop.services.records import OfficialRow


def register(sub: Subparsers) -> None:
    p = add_command(sub, "demo", _demo, "isi data contoh (sintetis, bukan orang sungguhan)")
    p.add_argument("--officials", type=int, default=500, help="jumlah pengurus contoh")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="periksa keutuhan basis data dan konsistensi data")
    p.add_argument(
        "--repair",
        action="store_true",
        help="setelah membuat cadangan: bangun ulang indeks yang rusak dan hitung ulang ringkasan kepesertaan",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(folder_handler=_check)  # opens the database itself: a file that cannot be opened is reported

    p = add_command(sub, "list-officials", _list, "daftar pengurus")
    p.add_argument("--desa", type=desa_arg)
    p.add_argument("--as-of", type=date_arg, help="status kepesertaan pada tanggal (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true")

    p = add_command(sub, "replace-official", _replace, "ganti pengurus: yang baru menempati jabatan yang lama")
    p.add_argument("--nik", required=True, help="NIK pengurus lama")
    p.add_argument("--date", type=date_arg, required=True, help="tanggal penggantian")
    p.add_argument("--new-nik", required=True)
    p.add_argument("--new-nama", required=True)
    p.add_argument("--new-jenis-kelamin", required=True, help="L atau P")
    p.add_argument("--new-tempat-lahir")
    p.add_argument("--new-tanggal-lahir", type=date_arg)
    p.add_argument("--new-alamat")
    p.add_argument("--new-telepon")
    p.add_argument("--new-sk-nomor")
    p.add_argument("--new-sk-tanggal", type=date_arg)
    p.add_argument("--new-term-end", type=date_arg)
    p.add_argument("--reason", choices=[r.value for r in EndReason], default=EndReason.diganti.value)
    p.add_argument("--json", action="store_true")


def _demo(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = demo.populate(ctx, args.actor, args.officials, seed=args.seed)
    if args.json:
        emit(out, {"officials": result.officials, "enrollments": result.enrollments, "payments": result.payments})
    else:
        out.write(
            f"Data contoh dibuat: {result.officials} pengurus, {result.enrollments} kepesertaan, "
            f"{result.payments} catatan iuran.\n"
        )
    return EXIT_OK


def _check(args: argparse.Namespace, paths: AppPaths, out: TextIO) -> int:
    """``check``: never a traceback. A file that cannot be opened is reported like any other finding."""
    try:
        ctx = bootstrap.open_context(paths)
    except (UserError, EnvironmentProblem) as exc:
        failed = integrity.Finding("unreadable", "error", exc.message)
        return _print_report(args, integrity.CheckReport(False, False, 0, 0, (failed,)), out)
    try:
        if args.repair:  # the report itself reads no personal data and must work on a damaged file
            args.actor = users.login(args, ctx)
            _repair(args, ctx, out)
        return _print_report(args, integrity.run(ctx), out)
    finally:
        ctx.dispose()


def _repair(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> None:
    """What can be done safely, after a copy of the file as it is: REINDEX (index damage), coverage summaries.
    On a PostgreSQL server only the summaries (one audited transaction): pages and indexes are the server's."""
    if ctx.on_server:
        _repair_summaries(args, ctx, out)
        return
    copy = backup.before_repair(ctx)
    if not args.json:
        out.write(f"Cadangan sebelum perbaikan: {copy.path}\n")
    if integrity.reindex(ctx, args.actor) and not args.json:
        out.write("Indeks basis data dibangun ulang (REINDEX).\n")
    if integrity.storage_damage(ctx):
        return  # anything beyond indexes is for a restore, which the report explains
    _repair_summaries(args, ctx, out)


def _repair_summaries(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> None:
    repaired = integrity.repair_summaries(ctx, args.actor)
    if repaired and not args.json:
        out.write(f"Ringkasan kepesertaan diperbaiki: {repaired} pengurus\n")


def _print_report(args: argparse.Namespace, report: integrity.CheckReport, out: TextIO) -> int:
    if args.json:
        emit(out, report.as_json())
    else:
        out.write(f"Pemeriksaan keutuhan: {'baik' if report.integrity_ok else 'GAGAL'}\n")
        out.write(f"Rujukan antartabel: {'baik' if report.foreign_keys_ok else 'GAGAL'}\n")
        out.write(f"Pengurus: {report.officials} ({report.serving} menjabat)\n")
        for f in report.findings:
            count = "" if f.code in integrity.FILE_CODES else f": {f.count}"
            out.write(f"- [{'galat' if f.severity == 'error' else 'peringatan'}] {f.message}{count}\n")
    return EXIT_OK if report.ok else EXIT_FAILED


def official_json(row: OfficialRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "nik": row.nik,
        "nama": row.nama,
        "tempat_lahir": row.tempat_lahir,
        "tanggal_lahir": row.tanggal_lahir.isoformat() if row.tanggal_lahir else None,
        "jenis_kelamin": row.jenis_kelamin,
        "jabatan": row.jabatan,
        "rt": row.rt,
        "rw": row.rw,
        "desa_kode": row.desa_kode,
        "desa_nama": row.desa_nama,
        "telepon": row.telepon,
        "status_jabatan": row.term_status,
        "status_kepesertaan": row.status,
        "nomor_kpj": row.nomor_kpj,
        "dibayar_sampai": row.dibayar_sampai,
    }


def _list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = officials.list_rows(ctx, on=args.as_of, desa_kode=args.desa)
    if args.json:
        emit(out, {"officials": [official_json(r) for r in rows]})
    else:
        for r in rows:
            out.write(f"{r.nama:<32} {r.jabatan_label:<11} {r.rt_rw:<8} {r.desa_nama:<20} {r.status_label}\n")
        out.write(f"{len(rows)} pengurus\n")
    return EXIT_OK


def _replace(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    old = officials.serving_by_nik(ctx, args.nik)
    try:
        sex = parse_sex(args.new_jenis_kelamin)
    except ValueError as exc:
        raise UserError(str(exc), field="jenis_kelamin") from exc
    fields = OfficialFields(
        nik=args.new_nik,
        nama=args.new_nama,
        tempat_lahir=args.new_tempat_lahir,
        tanggal_lahir=args.new_tanggal_lahir,
        jenis_kelamin=sex,
        alamat=args.new_alamat,
        desa_kode=old.desa_kode,
        rw=old.rw,
        rt=old.rt,
        jabatan=Jabatan(old.jabatan),
        term_start=args.date,
        term_end=args.new_term_end,
        sk_nomor=args.new_sk_nomor,
        sk_tanggal=args.new_sk_tanggal,
        telepon=args.new_telepon,
    )
    new = officials.replace(ctx, args.actor, old.id, on=args.date, new=fields, reason=EndReason(args.reason))
    if args.json:
        emit(
            out,
            {
                "old": {"id": old.id, "nama": old.nama, "status_kepesertaan": "berakhir"},
                "new": {"id": new.id, "nama": new.nama, "status_kepesertaan": new.status.value},
            },
        )
    else:
        out.write(f"{old.nama} diganti oleh {new.nama} mulai {args.date}.\n")
    return EXIT_OK
