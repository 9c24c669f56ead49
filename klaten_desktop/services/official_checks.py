"""What stands between typed fields and a saved official: normalising the input, the registry's own checks
(a NIK already serving, a position already held, an unknown desa) and the words for a refused constraint."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace as dc_replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office, Official, Wilayah
from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_rt_rw
from klaten_desktop.domain.nik import normalize_nik
from klaten_desktop.domain.normalize import PhoneError, normalize_name, normalize_phone
from klaten_desktop.domain.official_rules import FIELD_NAMES, OfficialFields, check_official
from klaten_desktop.domain.validation import CheckResult, Issue, Severity
from klaten_desktop.services.errors import UserError, ValidationFailed
from klaten_desktop.services.wilayah import known_kecamatan


def normalized(fields: OfficialFields) -> OfficialFields:
    """Trim and normalise what the user typed (NIK separators, name spacing, phone to 08...)."""

    def clean(value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        return value or None

    telepon = clean(fields.telepon)
    if telepon is not None:
        try:
            telepon = normalize_phone(telepon)
        except PhoneError:
            pass  # check_official reports it next to the field
    return dc_replace(
        fields,
        nik=normalize_nik(fields.nik or ""),
        nama=normalize_name(fields.nama or ""),
        tempat_lahir=clean(fields.tempat_lahir),
        alamat=clean(fields.alamat),
        sk_nomor=clean(fields.sk_nomor),
        telepon=telepon,
        email=clean(fields.email),
        nama_ibu_kandung=normalize_name(fields.nama_ibu_kandung or "") or None,
    )


def column_values(fields: OfficialFields) -> dict[str, Any]:
    """The ``official`` columns ``fields`` fill, enums stored as their values."""
    values: dict[str, Any] = {name: getattr(fields, name) for name in FIELD_NAMES}
    values["jenis_kelamin"] = fields.jenis_kelamin.value if fields.jenis_kelamin else None
    values["jabatan"] = fields.jabatan.value if fields.jabatan else None
    return values


def same_slot(desa_kode: str, rw: int | None, rt: int | None, jabatan: str) -> tuple[Any, ...]:
    """The conditions naming one position: a desa, its RW and RT (either may be none) and the jabatan."""
    return (
        Official.desa_kode == desa_kode,
        Official.jabatan == jabatan,
        Official.rw.is_(None) if rw is None else Official.rw == rw,
        Official.rt.is_(None) if rt is None else Official.rt == rt,
    )


def _holder_text(session: Session, row: Official) -> str:
    """Who holds a record, as a message names them: "Sumarno, Ketua RT 003/002 Desa Kalikotes"."""
    desa = session.get(Wilayah, row.desa_kode)
    where = f"Desa {desa.nama}" if desa is not None else row.desa_kode
    return f"{row.nama}, {Jabatan(row.jabatan).label} {format_rt_rw(row.rt, row.rw)} {where}".replace("  ", " ")


def _kecamatan_scope(session: Session) -> str | None:
    """The kecamatan a kecamatan office keeps (None for the regency, which keeps them all)."""
    office = session.get(Office, 1)
    if office is None or office.role == "kabupaten":
        return None
    return office.office_code


def _other_serving(session: Session, official_id: str | None, *conditions: Any) -> Official | None:
    """A live serving official other than ``official_id`` matching ``conditions``, if there is one."""
    stmt = select(Official).where(*conditions, Official.deleted_at.is_(None), Official.term_status == "menjabat")
    if official_id is not None:
        stmt = stmt.where(Official.id != official_id)
    return session.scalars(stmt.limit(1)).first()


def _registry_issues(
    session: Session, fields: OfficialFields, result: CheckResult, official_id: str | None
) -> list[Issue]:
    """The checks that need the database: an unknown desa, a NIK already serving, a position already held."""
    issues: list[Issue] = []
    if fields.desa_kode and session.get(Wilayah, fields.desa_kode) is None and not result.for_field("desa_kode"):
        issues.append(
            Issue("desa_kode", "desa_unknown", "Desa/kelurahan tidak ada dalam daftar wilayah.", Severity.ERROR)
        )
    if len(fields.nik) == 16:
        other = _other_serving(session, official_id, Official.nik == fields.nik)
        if other is not None:
            issues.append(
                Issue(
                    "nik",
                    "nik_duplicate",
                    f"NIK ini sudah terdaftar atas nama {_holder_text(session, other)}.",
                    Severity.ERROR,
                )
            )
    if fields.jabatan is not None and fields.jabatan.is_single_holder and fields.desa_kode:
        slot = same_slot(fields.desa_kode, fields.rw, fields.rt, fields.jabatan.value)
        holder = _other_serving(session, official_id, *slot)
        if holder is not None:
            issues.append(
                Issue(
                    "jabatan",
                    "slot_taken",
                    f"Jabatan ini masih dipegang {_holder_text(session, holder)}. "
                    "Gunakan 'Ganti pengurus' untuk menggantinya.",
                    Severity.ERROR,
                )
            )
    return issues


def check(session: Session, fields: OfficialFields, *, today: dt.date, official_id: str | None) -> CheckResult:
    """Every error and warning for normalised ``fields``: the domain's rules, then the registry's."""
    result = check_official(
        fields, today=today, kecamatan_kode=_kecamatan_scope(session), known_kecamatan=known_kecamatan(session)
    )
    return result.merged(CheckResult(tuple(_registry_issues(session, fields, result, official_id))))


def raise_if_errors(result: CheckResult) -> None:
    """Refuse to save when ``result`` holds an error: the first one's message, with how many more there are."""
    if result.errors:
        first = result.errors[0].message
        more = len(result.errors) - 1
        message = first if more == 0 else f"{first} (dan {more} kesalahan lain)"
        raise ValidationFailed(message, result.errors)


def integrity_message(exc: IntegrityError) -> UserError:
    """The user's words for a unique constraint the database refused (a race the checks above did not see)."""
    text = str(exc.orig)
    if "uq_official_nik_serving" in text or "official.nik" in text:
        return UserError("NIK ini sudah terdaftar pada pengurus lain yang masih menjabat.", field="nik")
    if "uq_official_slot_serving" in text or "coalesce" in text:
        return UserError("Jabatan ini sudah dipegang pengurus lain yang masih menjabat.", field="jabatan")
    return UserError("Data tidak dapat disimpan karena bertentangan dengan data lain.")
