"""The headless command line: the same services the GUI uses, for scripts, CI and the regency.

Exit codes: 0 done, 1 the job failed (an Indonesian message on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from klaten_desktop import __version__
from klaten_desktop.domain.enums import EndReason, FundingSource, Jabatan, OfficeRole
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.domain.parsing import parse_sex
from klaten_desktop.services import demo, enrollment, integrity, office, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, ValidationFailed

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

_TRANSLATIONS = (
    (r"the following arguments are required: (.*)", r"argumen wajib belum diisi: \1"),
    (r"unrecognized arguments: (.*)", r"argumen tidak dikenal: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"argumen \1: pilihan \2 tidak sah (pilih: \3)"),
    (r"argument (\S+): expected one argument", r"argumen \1 memerlukan satu nilai"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argumen \1: nilai \3 tidak sah"),
    (r"one of the arguments (.*) is required", r"salah satu argumen \1 wajib diisi"),
    (r"argument (\S+): not allowed with argument (.*)", r"argumen \1 tidak boleh bersama \2"),
)


class IndonesianArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _TRANSLATIONS:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, replacement, message)
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: kesalahan: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tanggal {text!r} harus berformat YYYY-MM-DD") from None


def _month(text: str) -> YearMonth:
    try:
        return YearMonth.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bulan {text!r} harus berformat YYYY-MM") from None


def _kecamatan(text: str) -> str:
    if not re.fullmatch(r"33\.10\.\d{2}", text):
        raise argparse.ArgumentTypeError(f"kode kecamatan {text!r} harus seperti 33.10.01")
    return text


def _desa(text: str) -> str:
    if not re.fullmatch(r"33\.10\.\d{2}\.\d{4}", text):
        raise argparse.ArgumentTypeError(f"kode desa {text!r} harus seperti 33.10.01.2001")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = IndonesianArgumentParser(
        prog="klaten-desktop",
        description="Klaten Desktop: registri kepesertaan BPJS Ketenagakerjaan Ketua RT/RW. "
        "Tanpa perintah, aplikasi desktop dibuka.",
    )
    parser.add_argument("--version", action="version", version=f"Klaten Desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="folder data (bawaan: folder data pengguna)")
    parser.add_argument("--verbose", action="store_true", help="catat log lebih rinci")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=IndonesianArgumentParser)

    p = sub.add_parser("init", help="atur kantor untuk basis data baru")
    p.add_argument("--role", choices=[r.value for r in OfficeRole], default=OfficeRole.kecamatan.value)
    p.add_argument("--kecamatan", type=_kecamatan, help="kode kecamatan, mis. 33.10.01 (peran kecamatan)")
    p.add_argument("--office-name", required=True, help="nama kantor, mis. 'Kecamatan Prambanan'")
    p.add_argument("--address", help="alamat kantor")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("demo", help="isi data contoh (sintetis, bukan orang sungguhan)")
    p.add_argument("--officials", type=int, default=500, help="jumlah pengurus contoh")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("check", help="periksa keutuhan basis data dan konsistensi data")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("list-officials", help="daftar pengurus")
    p.add_argument("--desa", type=_desa)
    p.add_argument("--as-of", type=_date, help="status kepesertaan pada tanggal (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("enrollment", help="kepesertaan dan iuran")
    esub = p.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = esub.add_parser("submit", help="tandai pengurus desa yang belum terdaftar sebagai diajukan")
    e.add_argument("--desa", type=_desa, required=True)
    e.add_argument("--date", type=_date)
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("register", help="catat nomor KPJ dari BPJS")
    e.add_argument("--nik", required=True)
    e.add_argument("--kpj", required=True)
    e.add_argument("--start", type=_date, required=True)
    e.add_argument("--funding", choices=[f.value for f in FundingSource])
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("pay", help="catat iuran bulanan")
    target = e.add_mutually_exclusive_group(required=True)
    target.add_argument("--nik")
    target.add_argument("--desa", type=_desa)
    e.add_argument("--from", dest="start", type=_month, required=True)
    e.add_argument("--to", dest="end", type=_month, required=True)
    e.add_argument("--paid-on", type=_date)
    e.add_argument("--reference")
    e.add_argument("--json", action="store_true")
    e = esub.add_parser("end", help="akhiri kepesertaan")
    e.add_argument("--nik", required=True)
    e.add_argument("--date", type=_date, required=True)
    e.add_argument("--reason", required=True)
    e.add_argument("--json", action="store_true")

    p = sub.add_parser("replace-official", help="ganti pengurus: yang baru menempati jabatan yang lama")
    p.add_argument("--nik", required=True, help="NIK pengurus lama")
    p.add_argument("--date", type=_date, required=True, help="tanggal penggantian")
    p.add_argument("--new-nik", required=True)
    p.add_argument("--new-nama", required=True)
    p.add_argument("--new-jenis-kelamin", required=True, help="L atau P")
    p.add_argument("--new-tempat-lahir")
    p.add_argument("--new-tanggal-lahir", type=_date)
    p.add_argument("--new-alamat")
    p.add_argument("--new-telepon")
    p.add_argument("--new-sk-nomor")
    p.add_argument("--new-sk-tanggal", type=_date)
    p.add_argument("--new-term-end", type=_date)
    p.add_argument("--reason", choices=[r.value for r in EndReason], default=EndReason.diganti.value)
    p.add_argument("--json", action="store_true")
    return parser


# ------------------------------------------------------------------------------------------ commands

Handler = Callable[[argparse.Namespace, ServiceContext, TextIO], int]


def _emit(out: TextIO, payload: Any) -> None:
    out.write(json.dumps(payload, ensure_ascii=False, indent=None, default=str) + "\n")


def _cmd_init(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    role = OfficeRole(args.role)
    if role is OfficeRole.kecamatan and not args.kecamatan:
        raise UserError("Peran kecamatan memerlukan --kecamatan 33.10.NN.")
    data = office.init(
        ctx, SYSTEM, role=role, name=args.office_name,
        kecamatan_kode=args.kecamatan if role is OfficeRole.kecamatan else None,
        **({"address": args.address} if args.address else {}),
    )
    if args.json:
        _emit(out, {"office": data.office_code, "role": data.role.value, "name": data.name,
                    "install_id": data.install_id})
    else:
        where = f"Kecamatan {data.kecamatan_nama}" if data.kecamatan_nama else "Kabupaten Klaten"
        out.write(f"Kantor diatur: {data.name} ({data.office_code}, {where}).\n")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    result = demo.populate(ctx, SYSTEM, args.officials, seed=args.seed)
    if args.json:
        _emit(out, {"officials": result.officials, "enrollments": result.enrollments, "payments": result.payments})
    else:
        out.write(
            f"Data contoh dibuat: {result.officials} pengurus, {result.enrollments} kepesertaan, "
            f"{result.payments} catatan iuran.\n"
        )
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    report = integrity.run(ctx)
    if args.json:
        _emit(out, report.as_json())
    else:
        out.write(f"Pemeriksaan keutuhan: {'baik' if report.integrity_ok else 'GAGAL'}\n")
        out.write(f"Rujukan antartabel: {'baik' if report.foreign_keys_ok else 'GAGAL'}\n")
        out.write(f"Pengurus: {report.officials} ({report.serving} menjabat)\n")
        for f in report.findings:
            out.write(f"- [{'galat' if f.severity == 'error' else 'peringatan'}] {f.message}: {f.count}\n")
    return EXIT_OK if report.ok else EXIT_FAILED


def official_json(row: officials.OfficialRow) -> dict[str, Any]:
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


def _cmd_list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = officials.list_rows(ctx, on=args.as_of, desa_kode=args.desa)
    if args.json:
        _emit(out, {"officials": [official_json(r) for r in rows]})
    else:
        for r in rows:
            out.write(f"{r.nama:<32} {r.jabatan_label:<11} {r.rt_rw:<8} {r.desa_nama:<20} {r.status_label}\n")
        out.write(f"{len(rows)} pengurus\n")
    return EXIT_OK


def _cmd_enrollment(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    payload: dict[str, Any]
    if args.action == "submit":
        result = enrollment.submit_desa(ctx, SYSTEM, args.desa, on=args.date)
        payload = {"submitted": result.submitted, "already": result.already}
        text = f"{result.submitted} pengurus ditandai diajukan; {result.already} sudah punya kepesertaan."
    elif args.action == "register":
        row = officials.serving_by_nik(ctx, args.nik)
        data = enrollment.register(
            ctx, SYSTEM, row.id, kpj=args.kpj, start=args.start,
            funding=FundingSource(args.funding) if args.funding else None,
        )
        payload = {"nama": row.nama, "nomor_kpj": data.nomor_kpj, "registered_on": data.registered_on,
                   "monthly_amount": data.monthly_amount}
        text = f"KPJ {data.nomor_kpj} dicatat untuk {row.nama}, berlaku mulai {data.registered_on}."
    elif args.action == "pay":
        if args.nik:
            ids = [officials.serving_by_nik(ctx, args.nik).id]
            result_p = enrollment.record_payments(
                ctx, SYSTEM, ids, start=args.start, end=args.end, paid_on=args.paid_on, reference=args.reference
            )
        else:
            result_p = enrollment.pay_desa(
                ctx, SYSTEM, args.desa, start=args.start, end=args.end, paid_on=args.paid_on,
                reference=args.reference,
            )
        payload = {
            "enrollments": result_p.enrollments,
            "months_recorded": result_p.months_recorded,
            "months_already_paid": result_p.months_already_paid,
            "not_registered": result_p.not_registered,
            "total_amount": result_p.total_amount,
        }
        text = (
            f"{result_p.months_recorded} bulan iuran dicatat untuk {result_p.enrollments} peserta "
            f"(jumlah Rp {result_p.total_amount:,}".replace(",", ".") + "); "
            f"{result_p.months_already_paid} bulan sudah tercatat sebelumnya, "
            f"{result_p.not_registered} pengurus belum terdaftar."
        )
    else:  # end
        row = officials.serving_by_nik(ctx, args.nik)
        data = enrollment.end(ctx, SYSTEM, row.id, on=args.date, reason=args.reason)
        payload = {"nama": row.nama, "ended_on": data.ended_on, "end_reason": data.end_reason}
        text = f"Kepesertaan {row.nama} berakhir pada {data.ended_on}."
    if args.json:
        _emit(out, payload)
    else:
        out.write(text + "\n")
    return EXIT_OK


def _cmd_replace(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
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
    new = officials.replace(ctx, SYSTEM, old.id, on=args.date, new=fields, reason=EndReason(args.reason))
    if args.json:
        _emit(out, {"old": {"id": old.id, "nama": old.nama, "status_kepesertaan": "berakhir"},
                    "new": {"id": new.id, "nama": new.nama, "status_kepesertaan": new.status.value}})
    else:
        out.write(f"{old.nama} diganti oleh {new.nama} mulai {args.date}.\n")
    return EXIT_OK


HANDLERS: dict[str, Handler] = {
    "init": _cmd_init,
    "demo": _cmd_demo,
    "check": _cmd_check,
    "list-officials": _cmd_list,
    "enrollment": _cmd_enrollment,
    "replace-official": _cmd_replace,
}


def run(args: argparse.Namespace, ctx: ServiceContext, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one subcommand; translate failures into an Indonesian message and an exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    handler = HANDLERS[args.command]
    try:
        return handler(args, ctx, out)
    except ValidationFailed as exc:
        err.write(f"Gagal: {exc.message}\n")
        for detail in exc.details[1:]:
            err.write(f"  - {detail}\n")
        return EXIT_FAILED
    except UserError as exc:
        err.write(f"Gagal: {exc.message}\n")
        return EXIT_FAILED
    except EnvironmentProblem as exc:
        err.write(f"Gagal: {exc.message}\n")
        return EXIT_FAILED


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)
