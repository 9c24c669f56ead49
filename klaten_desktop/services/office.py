"""This installation's office: who we are (a kecamatan or the regency) and the details printed on letters."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office, Wilayah
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.nip import nip_problem, normalize_nip
from klaten_desktop.domain.wilayah import is_valid_kecamatan_kode
from klaten_desktop.services import access, audit, identity, keywrap
from klaten_desktop.services.access import Permission
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError

KABUPATEN_CODE = "33.10"


@dataclass(frozen=True)
class OfficeData:
    role: OfficeRole
    office_code: str
    install_id: str
    name: str
    kecamatan_nama: str | None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    camat_nama: str | None = None
    camat_nip: str | None = None
    camat_pangkat: str | None = None
    bpjs_branch_name: str | None = None
    bpjs_branch_address: str | None = None
    bpjs_branch_head: str | None = None

    @property
    def is_kabupaten(self) -> bool:
        return self.role is OfficeRole.kabupaten

    @property
    def kecamatan_kode(self) -> str | None:
        """The kecamatan this office looks after, or None for the regency (which holds all 26)."""
        return None if self.is_kabupaten else self.office_code


EDITABLE = (
    "name",
    "address",
    "phone",
    "email",
    "camat_nama",
    "camat_nip",
    "camat_pangkat",
    "bpjs_branch_name",
    "bpjs_branch_address",
    "bpjs_branch_head",
)


#: name@domain.tld, without spaces: enough to catch a typing slip, not a full RFC 5322 parser
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def cleaned_details(details: dict[str, Any]) -> dict[str, Any]:
    """The office fields as stored: trimmed, empty as None, the NIP without spaces; UserError (with the field)
    for a NIP that is not 18 digits or an e-mail address that is not one. The wizard, Pengaturan and the
    command line all pass through here."""
    unknown = set(details) - set(EDITABLE)
    if unknown:
        raise ValueError(f"unknown office fields: {sorted(unknown)}")
    cleaned = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in details.items()}
    if "name" in cleaned and not cleaned["name"]:
        raise UserError("Nama kantor wajib diisi.", field="name")
    nip = cleaned.get("camat_nip")
    if isinstance(nip, str):
        cleaned["camat_nip"] = nip = normalize_nip(nip)
        problem = nip_problem(nip)
        if problem:
            raise UserError(problem, field="camat_nip")
    email = cleaned.get("email")
    if email is not None and not _EMAIL_RE.fullmatch(email):
        raise UserError(f"Alamat surel {email!r} tidak sah; tulis seperti kecamatan@klatenkab.go.id.", field="email")
    return cleaned


def _to_data(row: Office, kecamatan_nama: str | None) -> OfficeData:
    return OfficeData(
        role=OfficeRole(row.role),
        office_code=row.office_code,
        install_id=row.install_id,
        kecamatan_nama=kecamatan_nama,
        **{name: getattr(row, name) for name in EDITABLE},
    )


def get(ctx: ServiceContext) -> OfficeData | None:
    """The office, or None before ``init``."""
    with ctx.read() as session:
        row = session.get(Office, 1)
        if row is None:
            return None
        nama = session.scalar(select(Wilayah.nama).where(Wilayah.kode == row.office_code))
        return _to_data(row, None if row.role == OfficeRole.kabupaten else nama)


def require(ctx: ServiceContext) -> OfficeData:
    data = get(ctx)
    if data is None:
        raise UserError(
            "Kantor belum diatur. Jalankan wizard pengaturan awal atau perintah "
            "'klaten-desktop init --kecamatan 33.10.NN --office-name NAMA'."
        )
    return data


def require_desa_in_scope(session: Session, desa_kode: str) -> None:
    """Refuse a desa code that is not a desa of Klaten, or (at a kecamatan office) not of the office's kecamatan:
    the check of a desa chosen for a whole file or list."""
    desa = session.get(Wilayah, desa_kode)
    if desa is None or desa.tingkat not in ("desa", "kelurahan"):
        raise UserError(f"Kode desa {desa_kode} tidak ada dalam daftar wilayah Kabupaten Klaten.", field="desa")
    row = session.get(Office, 1)
    if row is None or row.role == OfficeRole.kabupaten.value or desa.kode_induk == row.office_code:
        return
    kecamatan = session.get(Wilayah, row.office_code)
    name = kecamatan.nama if kecamatan is not None else row.office_code
    raise UserError(
        f"Desa {desa.nama} ({desa_kode}) tidak termasuk Kecamatan {name}, kecamatan kantor ini.", field="desa"
    )


def init(
    ctx: ServiceContext,
    actor: Actor,
    *,
    role: OfficeRole,
    name: str,
    kecamatan_kode: str | None = None,
    key_passphrase: str | None = None,
    **details: Any,
) -> OfficeData:
    """Set up this installation once. The office code is the kecamatan's Kemendagri code, or 33.10.

    With ``key_passphrase`` the new private keys are stored wrapped with it from the start; without, they are
    wrapped at the first start (docs/keys.md).
    """
    access.require(actor, Permission.office_settings)
    if key_passphrase is not None:
        keywrap.check_passphrase(key_passphrase)
    if "name" in details:
        raise ValueError("the office name is the name argument")
    details = cleaned_details({"name": name or "", **details})
    name = details.pop("name")
    if role is OfficeRole.kecamatan:
        if not kecamatan_kode or not is_valid_kecamatan_kode(kecamatan_kode):
            raise UserError(
                "Kode kecamatan tidak sah. Gunakan kode Kemendagri, misalnya 33.10.01 untuk Prambanan.",
                field="kecamatan_kode",
            )
        office_code = kecamatan_kode
    else:
        if kecamatan_kode:
            raise UserError("Kantor kabupaten tidak memilih kecamatan.", field="kecamatan_kode")
        office_code = KABUPATEN_CODE
    with ctx.write() as session:
        if session.get(Office, 1) is not None:
            raise UserError("Kantor sudah diatur untuk basis data ini; ubah melalui Pengaturan.")
        kec = session.get(Wilayah, office_code)
        if kec is None or kec.tingkat != ("kecamatan" if role is OfficeRole.kecamatan else "kabupaten"):
            raise UserError(f"Kode wilayah {office_code} tidak ada dalam daftar wilayah Kabupaten Klaten.")
        row = Office(id=1, role=role.value, office_code=office_code, name=name, **details)
        session.add(row)
        ctx.unlocked_keys.update(identity.create_keys(session, key_passphrase, wrapped=key_passphrase is not None))
        session.flush()
        data = _to_data(row, kec.nama if role is OfficeRole.kecamatan else None)
        audit.record(
            session,
            actor,
            "init",
            "office",
            str(row.id),
            new={f.name: getattr(data, f.name) for f in fields(data) if f.name != "install_id"},
            summary=f"Kantor diatur: {name} ({office_code})",
        )
    return data


def update(ctx: ServiceContext, actor: Actor, **changes: Any) -> OfficeData:
    access.require(actor, Permission.office_settings)
    cleaned = cleaned_details(changes)
    with ctx.write() as session:
        row = session.get(Office, 1)
        if row is None:
            raise UserError("Kantor belum diatur.")
        old = {k: getattr(row, k) for k in cleaned}
        for key, value in cleaned.items():
            setattr(row, key, value)
        old_c, new_c = audit.changed(old, cleaned)
        if new_c:
            audit.record(session, actor, "update", "office", "1", old=old_c, new=new_c)
        nama = session.scalar(select(Wilayah.nama).where(Wilayah.kode == row.office_code))
        data = _to_data(row, None if row.role == OfficeRole.kabupaten else nama)
    return replace(data)
