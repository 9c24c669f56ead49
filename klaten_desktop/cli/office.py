"""``init``, ``office show`` and ``office set``: the office, its signatories and the kop's logo, headless;
``office jabatan-ditanggung list|set``: who is insured from the ADD (the dated setting).

The same services as the setup wizard and Pengaturan (``services.office`` for the details, checked there;
``services.documents.letterhead`` for the logo and the certificates' kode klasifikasi;
``services.coverage_settings`` for the insured posts), so a fresh install can issue letters and certificates from
a script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from klaten_desktop.cli import office_tables
from klaten_desktop.cli.base import (
    EXIT_OK,
    EXIT_USAGE,
    IndonesianArgumentParser,
    Subparsers,
    add_command,
    date_arg,
    emit,
    kecamatan_arg,
)
from klaten_desktop.domain.coverage import InsuredPostsRule
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.services import coverage_settings, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import letterhead
from klaten_desktop.services.documents.schemas import CERTIFICATE_KIND
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import options as letter_options

#: option -> (field of services.office, help); the JSON of ``office show`` uses the field names
DETAILS: tuple[tuple[str, str, str], ...] = (
    ("--address", "address", "alamat kantor"),
    ("--phone", "phone", "telepon kantor"),
    ("--email", "email", "alamat surel kantor"),
    ("--camat-nama", "camat_nama", "nama camat, penanda tangan surat dan sertifikat"),
    ("--camat-nip", "camat_nip", "NIP camat (18 digit; spasi boleh)"),
    ("--camat-pangkat", "camat_pangkat", "pangkat/golongan camat, mis. 'Pembina Tk. I (IV/b)'"),
    ("--bpjs-cabang", "bpjs_branch_name", "nama Kantor Cabang BPJS Ketenagakerjaan"),
    ("--bpjs-alamat", "bpjs_branch_address", "alamat kantor cabang BPJS Ketenagakerjaan"),
    ("--bpjs-kepala", "bpjs_branch_head", "nama kepala kantor cabang (penanda tangan kedua sertifikat)"),
)
_LABELS = {
    "name": "Nama kantor",
    "address": "Alamat",
    "phone": "Telepon",
    "email": "Surel",
    "camat_nama": "Nama camat",
    "camat_nip": "NIP camat",
    "camat_pangkat": "Pangkat/golongan",
    "bpjs_branch_name": "Kantor cabang BPJS",
    "bpjs_branch_address": "Alamat cabang",
    "bpjs_branch_head": "Kepala cabang",
}


def register(sub: Subparsers) -> None:
    p = add_command(sub, "init", _init, "atur kantor untuk basis data baru (sekali, sebelum perintah lain)")
    p.add_argument("--role", choices=[r.value for r in OfficeRole], default=OfficeRole.kecamatan.value)
    p.add_argument("--kecamatan", type=kecamatan_arg, help="kode kecamatan, mis. 33.10.01 (peran kecamatan)")
    p.add_argument(
        "--office-name", "--name", dest="name", required=True, help="nama kantor, mis. 'Kecamatan Prambanan'"
    )
    _add_details(p)
    p.add_argument("--json", action="store_true", help="keluaran JSON satu baris")

    p = sub.add_parser("office", help="data kantor pada kop surat: penanda tangan, cabang BPJS, logo")
    osub = p.add_subparsers(dest="action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = osub.add_parser("show", help="tampilkan data kantor dan logo kop")
    e.set_defaults(handler=_show)
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = osub.add_parser("set", help='ubah data kantor (hanya opsi yang diberikan; nilai kosong "" mengosongkan isian)')
    e.set_defaults(handler=_set)
    e.add_argument("--name", metavar="TEKS", help="nama kantor")
    _add_details(e)
    e.add_argument(
        "--keterangan-tidak-aktif",
        dest="inactive_keterangan",
        choices=("ya", "tidak"),
        help="boleh membuat surat keterangan bagi pengurus yang tidak aktif (surat menyebut status sebenarnya)",
    )
    e.add_argument(
        "--klasifikasi-sertifikat",
        dest="certificate_code",
        metavar="KODE",
        help=f'kode klasifikasi nomor sertifikat, mis. 400.10.3 ("" kembali ke {letterhead.DEFAULT_KLASIFIKASI})',
    )
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    _register_insured(osub)


def _register_insured(osub: Subparsers) -> None:
    p = osub.add_parser(
        "jabatan-ditanggung", help="jabatan yang ditanggung ADD (diajukan, ditagih, dihitung), berlaku mulai tanggal"
    )
    jsub = p.add_subparsers(dest="insured_action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = jsub.add_parser("list", help="aturan bawaan (Perbup Klaten 9/2022) dan versi yang diatur kantor")
    e.set_defaults(handler=_insured_list)
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = jsub.add_parser(
        "set", help="mulai tanggal tertentu, ikut tanggung (atau tidak lagi) Sekretaris, Bendahara dll."
    )
    e.set_defaults(handler=_insured_set)
    e.add_argument(
        "--jabatan-lain",
        dest="other_posts",
        choices=("ya", "tidak"),
        required=True,
        help="ya: Sekretaris, Bendahara dan jabatan lain ikut ditanggung ADD; tidak: hanya Ketua RT dan Ketua RW",
    )
    e.add_argument("--berlaku-mulai", dest="valid_from", type=date_arg, required=True, metavar="YYYY-MM-DD")
    e.add_argument("--dasar", dest="source", required=True, metavar="TEKS", help="dasar pengaturan, mis. nomor SK")
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    office_tables.register(osub)


def _add_details(parser: argparse.ArgumentParser) -> None:
    for option, field, help_text in DETAILS:
        parser.add_argument(option, dest=field, metavar="TEKS", help=help_text)
    parser.add_argument(
        "--logo", type=Path, metavar="FILE", help="gambar logo kop surat, PNG atau JPEG (paling besar 2 MB)"
    )


def _details(args: argparse.Namespace) -> dict[str, Any]:
    return {field: getattr(args, field) for _, field, _ in DETAILS if getattr(args, field) is not None}


def _init(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    role = OfficeRole(args.role)
    if role is OfficeRole.kecamatan and not args.kecamatan:
        raise UserError("Peran kecamatan memerlukan --kecamatan 33.10.NN.")
    details = office.cleaned_details(_details(args))  # refused before anything is written
    if args.logo is not None:
        letterhead.read_logo(args.logo)
    data = office.init(
        ctx,
        SYSTEM,
        role=role,
        name=args.name,
        kecamatan_kode=args.kecamatan if role is OfficeRole.kecamatan else None,
        **details,
    )
    if args.logo is not None:
        letterhead.set_logo(ctx, SYSTEM, args.logo)
    if args.json:
        emit(
            out, {"office": data.office_code, "role": data.role.value, "name": data.name, "install_id": data.install_id}
        )
    else:
        where = f"Kecamatan {data.kecamatan_nama}" if data.kecamatan_nama else "Kabupaten Klaten"
        out.write(f"Kantor diatur: {data.name} ({data.office_code}, {where}).\n")
    return EXIT_OK


def _show(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    data = office.require(ctx)
    logo = letterhead.get(ctx).logo
    inactive = letter_options.allowed(ctx)
    if args.json:
        emit(out, _json(data, logo, inactive, letterhead.get(ctx)))
        return EXIT_OK
    where = f"kecamatan {data.kecamatan_nama}" if data.kecamatan_nama else "kabupaten"
    out.write(f"Kantor {where} ({data.office_code})\n")
    for field in office.EDITABLE:
        out.write(f"{_LABELS[field] + ':':<20}{getattr(data, field) or '-'}\n")
    out.write(f"{'Logo kop:':<20}{'ada (SHA-256 ' + logo[:12] + '…)' if logo else 'tidak ada'}\n")
    allowed = "boleh (surat menyebut status sebenarnya)" if inactive else "tidak (hanya peserta aktif)"
    out.write(f"Surat keterangan bagi pengurus tidak aktif: {allowed}\n")
    out.write(f"Kode klasifikasi sertifikat: {letterhead.get(ctx).klasifikasi_for(CERTIFICATE_KIND)}\n")
    out.write(f"Ditanggung ADD hari ini: {coverage_settings.rule_on(ctx, ctx.today()).label}\n")
    return EXIT_OK


def _set(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    changes = _details(args)
    if args.name is not None:
        changes["name"] = args.name
    nothing = args.logo is None and args.inactive_keterangan is None and args.certificate_code is None
    if not changes and nothing:
        sys.stderr.write(
            "Gagal: tidak ada yang diubah. Beri paling sedikit satu opsi, mis. --camat-nama; "
            "lihat 'klaten-desktop office set --help'.\n"
        )
        return EXIT_USAGE
    office.require(ctx)
    changes = office.cleaned_details(changes)  # refused before anything is written
    if args.logo is not None:
        letterhead.read_logo(args.logo)
    data = office.update(ctx, SYSTEM, **changes) if changes else office.require(ctx)
    logo = letterhead.set_logo(ctx, SYSTEM, args.logo).logo if args.logo is not None else letterhead.get(ctx).logo
    if args.inactive_keterangan is not None:
        letter_options.set_allowed(ctx, SYSTEM, args.inactive_keterangan == "ya")
    if args.certificate_code is not None:
        _set_certificate_code(ctx, args.certificate_code.strip())
    if args.json:
        emit(out, _json(data, logo, letter_options.allowed(ctx), letterhead.get(ctx)))
    else:
        said = [_LABELS[f] for f in changes] + (["Logo kop"] if args.logo is not None else [])
        said += ["Surat keterangan bagi pengurus tidak aktif"] if args.inactive_keterangan is not None else []
        said += ["Kode klasifikasi sertifikat"] if args.certificate_code is not None else []
        out.write(f"Data kantor disimpan: {', '.join(said)}.\n")
    return EXIT_OK


def _set_certificate_code(ctx: ServiceContext, code: str) -> None:
    """The kode klasifikasi of certificate numbers; empty: the default (the letters' rule, services/events)."""
    codes = {k: v for k, v in letterhead.get(ctx).klasifikasi.items() if k != CERTIFICATE_KIND}
    letterhead.update(ctx, SYSTEM, klasifikasi={**codes, **({CERTIFICATE_KIND: code} if code else {})})


def _json(
    data: office.OfficeData, logo: str | None, inactive_keterangan: bool, letters: letterhead.LetterSettings
) -> dict[str, Any]:
    return {
        "office": data.office_code,
        "role": data.role.value,
        "kecamatan": data.kecamatan_nama,
        **{field: getattr(data, field) for field in office.EDITABLE},
        "logo_sha256": logo,
        "keterangan_tidak_aktif": inactive_keterangan,
        "klasifikasi_sertifikat": letters.klasifikasi_for(CERTIFICATE_KIND),
    }


# ------------------------------------------------------------------------------ jabatan-ditanggung


def _rule_json(rule: InsuredPostsRule) -> dict[str, Any]:
    return {**coverage_settings.rule_to_setting(rule), "jabatan": sorted(rule.posts), "label": rule.label}


def _insured_list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    office.require(ctx)
    rules = coverage_settings.rules(ctx)
    today = coverage_settings.rule_on(ctx, ctx.today())
    if args.json:
        emit(out, {"berlaku_hari_ini": _rule_json(today), "versi": [_rule_json(r) for r in rules]})
        return EXIT_OK
    out.write(f"Ditanggung ADD hari ini ({format_date(ctx.today())}): {today.label}.\n")
    for rule in rules:
        since = "bawaan" if rule.set_by == "bawaan" else f"mulai {format_date(rule.valid_from)}"
        who = "" if rule.set_by == "bawaan" else f"; diatur oleh {rule.set_by} pada {rule.set_at}"
        out.write(f"- {since}: {rule.label} (dasar: {rule.source}{who})\n")
    return EXIT_OK


def _insured_set(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    office.require(ctx)
    rule = coverage_settings.set_other_posts(
        ctx, SYSTEM, other_posts=args.other_posts == "ya", valid_from=args.valid_from, source=args.source
    )
    if args.json:
        emit(out, _rule_json(rule))
    else:
        out.write(f"Disimpan: mulai {format_date(rule.valid_from)} yang ditanggung ADD: {rule.label}.\n")
    return EXIT_OK
