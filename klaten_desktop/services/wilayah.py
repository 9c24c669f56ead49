"""Kemendagri regions of Kabupaten Klaten (read-only reference data)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Wilayah
from klaten_desktop.domain.nik import KnownKecamatan
from klaten_desktop.services.context import ServiceContext


@dataclass(frozen=True)
class WilayahRow:
    kode: str
    nama: str
    tingkat: str
    kode_induk: str

    @property
    def label(self) -> str:
        if self.tingkat == "kelurahan":
            return f"Kelurahan {self.nama}"
        if self.tingkat == "desa":
            return f"Desa {self.nama}"
        if self.tingkat == "kecamatan":
            return f"Kecamatan {self.nama}"
        return self.nama


def _rows(ctx: ServiceContext, *conditions: object) -> list[WilayahRow]:
    stmt = select(Wilayah.kode, Wilayah.nama, Wilayah.tingkat, Wilayah.kode_induk).order_by(Wilayah.kode)
    for cond in conditions:
        stmt = stmt.where(cond)  # type: ignore[arg-type]
    with ctx.read() as session:
        return [WilayahRow(*r) for r in session.execute(stmt)]


def kecamatan(ctx: ServiceContext) -> list[WilayahRow]:
    return _rows(ctx, Wilayah.tingkat == "kecamatan")


def desa(ctx: ServiceContext, kecamatan_kode: str | None = None) -> list[WilayahRow]:
    """Desa and kelurahan, of one kecamatan or (None) of the whole regency, ordered by code."""
    conds: list[object] = [Wilayah.tingkat.in_(("desa", "kelurahan"))]
    if kecamatan_kode is not None:
        conds.append(Wilayah.kode_induk == kecamatan_kode)
    return _rows(ctx, *conds)


def get(ctx: ServiceContext, kode: str) -> WilayahRow | None:
    rows = _rows(ctx, Wilayah.kode == kode)
    return rows[0] if rows else None


def names(ctx: ServiceContext) -> dict[str, str]:
    """kode -> nama for every region (small: 428 rows)."""
    with ctx.read() as session:
        return dict(session.execute(select(Wilayah.kode, Wilayah.nama)).tuples().all())


def known_kecamatan(session: Session) -> KnownKecamatan:
    """The kecamatan of the region table, for the NIK's kecamatan digits (``domain.nik.check_nik``)."""
    return KnownKecamatan.of(session.scalars(select(Wilayah.kode).where(Wilayah.tingkat == "kecamatan")))
