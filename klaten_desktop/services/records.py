"""Frozen records the services hand to the GUI and CLI.

``OfficialRow`` is a NamedTuple rather than a dataclass on purpose: lists of 100,000 of them are built on every
table refresh, and a tuple is several times cheaper to create than a frozen dataclass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import Any, NamedTuple, TypeVar

from klaten_desktop.domain.enums import CoverageStatus, FundingSource, Jabatan, Sex
from klaten_desktop.domain.formatting import format_rt_rw

_Record = TypeVar("_Record")


def from_attributes(record: type[_Record], source: object, **given: Any) -> _Record:
    """A ``record`` dataclass filled from ``source``'s attributes of the same names, except those ``given``."""
    names = [f.name for f in fields(record) if f.name not in given]  # type: ignore[arg-type]
    return record(**{name: getattr(source, name) for name in names}, **given)


class OfficialRow(NamedTuple):
    id: str
    nik: str
    nama: str
    jenis_kelamin: str
    tempat_lahir: str | None
    tanggal_lahir: dt.date | None
    desa_kode: str
    desa_nama: str
    rw: int | None
    rt: int | None
    jabatan: str
    telepon: str | None
    term_start: dt.date | None
    term_end: dt.date | None
    term_status: str
    status: str
    nomor_kpj: str | None
    dibayar_sampai: str | None
    row_version: int

    @property
    def rt_rw(self) -> str:
        return format_rt_rw(self.rt, self.rw)

    @property
    def jabatan_label(self) -> str:
        return Jabatan(self.jabatan).label

    @property
    def status_label(self) -> str:
        return CoverageStatus(self.status).label


@dataclass(frozen=True)
class PaymentData:
    periode: str
    amount: int
    paid_on: dt.date
    batch_id: str | None
    reference: str | None


@dataclass(frozen=True)
class EnrollmentData:
    id: str
    official_id: str
    nomor_kpj: str | None
    programs: str
    declared_income: int | None
    tariff_code: str
    monthly_amount: int
    funding_source: FundingSource
    submitted_on: dt.date | None
    registered_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str | None
    paid_through: str | None
    row_version: int

    @classmethod
    def of(cls, row: Any) -> EnrollmentData:
        """The record of an ``enrollment`` row."""
        return from_attributes(cls, row, funding_source=FundingSource(row.funding_source))

    @property
    def dibayar_sampai(self) -> str | None:
        """The last month actually paid (None when nothing has been paid since registration)."""
        return paid_since_registration(self.paid_through, self.registered_on)


@dataclass(frozen=True)
class OfficialDetail:
    id: str
    nik: str
    nama: str
    tempat_lahir: str | None
    tanggal_lahir: dt.date | None
    jenis_kelamin: Sex
    alamat: str | None
    desa_kode: str
    desa_nama: str
    rw: int | None
    rt: int | None
    jabatan: Jabatan
    jabatan_lain: str | None
    term_start: dt.date | None
    term_end: dt.date | None
    sk_nomor: str | None
    sk_tanggal: dt.date | None
    telepon: str | None
    email: str | None
    nama_ibu_kandung: str | None
    term_status: str
    ended_on: dt.date | None
    end_reason: str | None
    replaced_by_id: str | None
    catatan: str | None
    office_code: str
    row_version: int
    status: CoverageStatus
    enrollment: EnrollmentData | None


def paid_since_registration(paid_through: str | None, registered_on: dt.date | None) -> str | None:
    """The last month paid ("YYYY-MM") when it is on or after the registration month, else None: a month recorded
    before registration is no cover (the one reading of "dibayar sampai" for lists, exports and the detail)."""
    if paid_through is None or registered_on is None:
        return None
    return paid_through if paid_through >= f"{registered_on.year:04d}-{registered_on.month:02d}" else None
