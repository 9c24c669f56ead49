"""Recap of coverage for the camat's report to the Bupati and Sekda: per desa counts, coverage % and the
contributions payable from ADD for a period.

Contributions payable from ADD for a period = for every open (not ended) registered enrollment funded by ADD of a
serving official, the sum over the months of the period from its registration month on of that month's
contribution, priced by ``services.tariffs.Defaults.figure`` (a UMK tariff on the UMK of the month's year, any
other tariff the monthly amount recorded on the enrollment). SQL counts the enrollments billed in each month, one
CASE per month of the period (so a period is at most 24 months), grouped by desa and by what prices them; the
prices and the basis each month was computed on ("0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623") come from the
same figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select

from klaten_desktop.db.models import Enrollment, Official
from klaten_desktop.domain.enums import FundingSource
from klaten_desktop.domain.formatting import format_date, format_period
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.domain.tariffs import ROUNDING_RULE, BasisRun, MonthFigure, basis_runs
from klaten_desktop.services import coverage, dashboard, office, tariffs
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import STATUSES, StatusCounts
from klaten_desktop.services.errors import UserError

MAX_PERIOD_MONTHS = 24


@dataclass(frozen=True)
class RecapRow:
    kode: str
    nama: str
    counts: StatusCounts
    add_peserta: int  # ADD-funded open registered enrollments at the end of the period
    add_iuran: int  # Rupiah payable from ADD for the period

    def as_json(self) -> dict[str, Any]:
        c = self.counts
        return {
            "kode": self.kode,
            "nama": self.nama,
            "pengurus": c.pengurus,
            **{s: c.get(s) for s in STATUSES},
            "cakupan_persen": c.cakupan_persen,
        }


@dataclass(frozen=True)
class AddContributions:
    per_desa: dict[str, tuple[int, int]]  # desa code -> (ADD participants at the period's end, Rupiah)
    bases: tuple[BasisRun, ...]  # the bases the period was billed on, in month order


@dataclass(frozen=True)
class RecapData:
    as_of: dt.date
    period_start: YearMonth
    period_end: YearMonth
    office: office.OfficeData
    rows: tuple[RecapRow, ...]  # what is printed: per desa (a kecamatan office) or per kecamatan (the regency)
    desa: tuple[RecapRow, ...]  # always per desa/kelurahan
    total: RecapRow
    made_at: dt.datetime | None = None  # when the recap was drawn up (naive UTC): the PDF's creation date
    bases: tuple[BasisRun, ...] = ()  # the basis of each month's contributions (AddContributions.bases)

    @property
    def period_label(self) -> str:
        return format_period(self.period_start, self.period_end)

    def as_json(self) -> dict[str, Any]:
        """``{"desa": [...], "total": {...}}`` as printed by ``report coverage --json``."""
        return {"desa": [r.as_json() for r in self.desa], "total": self.total.as_json()}

    def payload(self) -> dict[str, Any]:
        """Plain data for :func:`klaten_desktop.reports.recap_pdf.render` (which may not import services)."""
        o = self.office
        signer = f"KEPALA {o.name.upper()}" if o.is_kabupaten else f"CAMAT {(o.kecamatan_nama or '').upper()}"
        area = "Kabupaten Klaten" if o.is_kabupaten else f"Kecamatan {o.kecamatan_nama or ''}".strip()

        def row(r: RecapRow) -> dict[str, Any]:
            return {**r.as_json(), "add_peserta": r.add_peserta, "add_iuran": r.add_iuran}

        return {
            "kop": {
                "instansi": "PEMERINTAH KABUPATEN KLATEN",
                "unit": (o.name or area).upper(),
                "lines": [x for x in (o.address, _contact(o)) if x],
            },
            "judul": "REKAPITULASI KEPESERTAAN BPJS KETENAGAKERJAAN KETUA RT/RW",
            "wilayah": area.upper(),
            "per_tanggal": format_date(self.as_of),
            "periode": self.period_label,
            "kolom_wilayah": "Kecamatan" if o.is_kabupaten else "Desa/Kelurahan",
            "rows": [row(r) for r in self.rows],
            "total": row(self.total),
            "dasar_iuran": [basis_json(b) for b in self.bases],
            "pembulatan": ROUNDING_RULE if any(b.on_umk for b in self.bases) else "",
            "kepada": ["Bupati Klaten", "Sekretaris Daerah Kabupaten Klaten"],
            "kantor": o.name,
            "dibuat": self.made_at.isoformat(timespec="seconds") if self.made_at else None,
            "tempat_tanggal": f"Klaten, {format_date(self.as_of)}",
            "penandatangan": {
                "jabatan": signer,
                "nama": o.camat_nama or "",
                "pangkat": o.camat_pangkat or "",
                "nip": o.camat_nip or "",
            },
        }


def basis_json(run: BasisRun) -> dict[str, Any]:
    return {"periode": run.period, "dasar": run.basis, "orang_bulan": run.person_months, "jumlah": run.amount}


def _contact(o: office.OfficeData) -> str | None:
    parts = [f"Telp. {o.phone}" if o.phone else "", f"Email: {o.email}" if o.email else ""]
    text = "  ".join(p for p in parts if p)
    return text or None


def default_period(on: dt.date) -> tuple[YearMonth, YearMonth]:
    """January to December of the as-of date's year."""
    return YearMonth(on.year, 1), YearMonth(on.year, 12)


def add_contributions(
    ctx: ServiceContext, start: YearMonth, end: YearMonth, *, kecamatan_kode: str | None
) -> AddContributions:
    """Per desa: (ADD-funded participants at the period's end, Rupiah payable from ADD over the period), for the
    posts insured in each month (services/coverage.py); and the bases the months were billed on.
    :class:`UserError` when a month needs a UMK the table lacks (never counted as zero)."""
    months = month_range(start, end)
    with ctx.read() as session:
        rules = coverage.insured_rules(session)
    billed_in = []
    for m in months:
        billed = and_(
            Enrollment.registered_on <= m.last_day(), coverage.insured(coverage.posts_on(rules, m.last_day()))
        )
        billed_in.append(func.sum(case((billed, 1), else_=0)))
    posts_at_end = coverage.posts_on(rules, end.last_day())
    at_end = and_(Enrollment.registered_on <= end.last_day(), coverage.insured(posts_at_end))
    priced_by = (Enrollment.tariff_code, Enrollment.programs, Enrollment.monthly_amount)
    stmt = (
        select(Official.desa_kode, *priced_by, func.sum(case((at_end, 1), else_=0)), *billed_in)
        .join(
            Enrollment,
            and_(
                Enrollment.official_id == Official.id,
                Enrollment.deleted_at.is_(None),
                Enrollment.ended_on.is_(None),
            ),
        )
        .where(
            Official.deleted_at.is_(None),
            Official.term_status == "menjabat",
            Enrollment.funding_source == FundingSource.ADD.value,
            Enrollment.registered_on.is_not(None),
        )
        .group_by(Official.desa_kode, *priced_by)
    )
    if kecamatan_kode is not None:
        stmt = stmt.where(Official.office_code == kecamatan_kode)
    defaults = tariffs.Defaults(ctx)
    per_desa: dict[str, tuple[int, int]] = {}
    priced: list[tuple[MonthFigure, int]] = []
    with ctx.read() as session:
        result = session.execute(stmt).all()
    for kode, code, programs, recorded, n_end, *counts in result:
        amount = 0
        for m, n in zip(months, counts, strict=True):
            if not n:
                continue
            figure = defaults.figure(tariff_code=code, programs=programs, recorded_amount=recorded, month=m)
            amount += figure.amount * int(n)
            priced.append((figure, int(n)))
        n_before, amount_before = per_desa.get(kode, (0, 0))
        per_desa[kode] = (n_before + int(n_end or 0), amount_before + amount)
    return AddContributions(per_desa, basis_runs(priced))


def recap(
    ctx: ServiceContext,
    *,
    on: dt.date | None = None,
    start: YearMonth | None = None,
    end: YearMonth | None = None,
) -> RecapData:
    """The recap on ``on`` (default today) with ADD contributions for ``start``..``end`` (default that year).

    A kecamatan office gets one row per desa; the regency one row per kecamatan.
    """
    on = on or ctx.today()
    default_start, default_end = default_period(on)
    start, end = start or default_start, end or default_end
    if end < start:
        raise UserError("Bulan akhir periode tidak boleh sebelum bulan awal.")
    if end - start + 1 > MAX_PERIOD_MONTHS:
        raise UserError(f"Periode rekap paling panjang {MAX_PERIOD_MONTHS} bulan.")
    the_office = office.require(ctx)
    figures = dashboard.figures(ctx, on=on)
    add = add_contributions(ctx, start, end, kecamatan_kode=the_office.kecamatan_kode)
    desa = tuple(RecapRow(a.kode, a.nama, a.counts, *add.per_desa.get(a.kode, (0, 0))) for a in figures.desa)
    if the_office.is_kabupaten:
        rows = []
        for area in figures.kecamatan:
            members = [r for r in desa if r.kode.startswith(area.kode + ".")]
            rows.append(
                RecapRow(
                    area.kode,
                    area.nama,
                    area.counts,
                    sum(r.add_peserta for r in members),
                    sum(r.add_iuran for r in members),
                )
            )
    else:
        rows = list(desa)
    total = RecapRow(
        the_office.office_code,
        "Jumlah",
        StatusCounts.total(r.counts for r in rows),
        sum(r.add_peserta for r in rows),
        sum(r.add_iuran for r in rows),
    )
    made_at = ctx.now().replace(microsecond=0)
    return RecapData(on, start, end, the_office, tuple(rows), desa, total, made_at, add.bases)


__all__ = ["AddContributions", "RecapData", "RecapRow", "add_contributions", "default_period", "recap"]
