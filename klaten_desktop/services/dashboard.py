"""The figures of the Beranda dashboard: coverage status counts per desa, per kecamatan and for the office, and a
12-month trend, computed in SQL (GROUP BY with CASE over bound thresholds) in one pass over the officials' covering
index, with no join: the deciding enrollment's columns are kept on the official row by triggers (``cov_*``, see
db/models.py); bench/bench_dashboard.py measures them on 100,000 officials against bare sqlite3.

Which officials count: every live official row (``deleted_at IS NULL``) of this office's kecamatan (all 26 at the
regency), serving or past, classified with the rule of :mod:`klaten_desktop.domain.coverage` through the month
thresholds of :class:`klaten_desktop.services.coverage.StatusClassifier`. An official with several enrollments is
classified on the open one, else the one that ended last (as :func:`services.officials.list_rows` does); the
triggers choose it.

The trend: for each of the last 12 months, the status **as of the last day of that month** (for the current month:
as of today). It is reconstructed from what the database holds today: the term dates (an official whose term
started after that day is left out; a term that ended later still counted as serving), the enrollment's
submission, registration and end dates, and the paid-through month as recorded today. Contributions that were
paid late therefore count as if paid on time in the months before the payment was recorded.

The SQL stays portable to PostgreSQL: date columns are compared with bound date parameters and the ``YYYY-MM``
paid-through column with bound month strings; no SQLite date functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from klaten_desktop.db.models import Office, Official, Wilayah
from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import StatusClassifier

STATUSES: tuple[str, ...] = tuple(s.value for s in CoverageStatus)
TREND_MONTHS = 12


@dataclass(frozen=True)
class StatusCounts:
    """Officials per coverage status; ``pengurus`` counts every row, ``berakhir`` included."""

    belum_terdaftar: int = 0
    diajukan: int = 0
    aktif: int = 0
    menunggak: int = 0
    nonaktif: int = 0
    berakhir: int = 0

    @property
    def pengurus(self) -> int:
        return self.belum_terdaftar + self.diajukan + self.aktif + self.menunggak + self.nonaktif + self.berakhir

    @property
    def serving(self) -> int:
        """The denominator of coverage: every official whose term or enrollment has not ended."""
        return self.pengurus - self.berakhir

    @property
    def cakupan_persen(self) -> float:
        """aktif / (pengurus − berakhir) × 100, rounded to one decimal; 0 when nobody is serving."""
        return coverage_percent(self.aktif, self.serving)

    def get(self, status: str) -> int:
        value: int = getattr(self, status)
        return value

    @classmethod
    def from_mapping(cls, counts: Mapping[str, int]) -> StatusCounts:
        return cls(**{s: int(counts.get(s, 0)) for s in STATUSES})

    @classmethod
    def total(cls, parts: Iterable[StatusCounts]) -> StatusCounts:
        sums = dict.fromkeys(STATUSES, 0)
        for part in parts:
            for s in STATUSES:
                sums[s] += part.get(s)
        return cls(**sums)


def coverage_percent(aktif: int, serving: int) -> float:
    return 0.0 if serving <= 0 else round(aktif * 100.0 / serving, 1)


@dataclass(frozen=True)
class AreaFigures:
    """One desa/kelurahan or one kecamatan."""

    kode: str
    nama: str
    counts: StatusCounts


@dataclass(frozen=True)
class TrendPoint:
    month: YearMonth
    as_of: dt.date
    counts: StatusCounts


@dataclass(frozen=True)
class DashboardData:
    as_of: dt.date
    office_name: str
    is_kabupaten: bool
    total: StatusCounts
    desa: tuple[AreaFigures, ...]
    kecamatan: tuple[AreaFigures, ...]  # the regency: one per kecamatan; a kecamatan office: just itself


# --- the SQL ------------------------------------------------------------------------------------------------
# Every figure reads the official row alone: its ``cov_*`` columns hold the deciding enrollment's dates and
# paid-through month, kept by the database's triggers (db/migrations/versions/0002_coverage_summary.py). An
# official without an enrollment has them all NULL, which the rule below reads as *belum terdaftar*, exactly as
# an enrollment that was neither submitted nor registered.


def status_expression(on: dt.date) -> ColumnElement[str]:
    """The coverage status on ``on`` as a SQL CASE (same rule as ``StatusClassifier.status``)."""
    thresholds = StatusClassifier(on)
    return case(
        (
            and_(
                Official.term_status == "berakhir",
                or_(Official.ended_on.is_(None), Official.ended_on <= on),
            ),
            literal(CoverageStatus.berakhir.value),
        ),
        (
            and_(Official.cov_ended_on.is_not(None), Official.cov_ended_on <= on),
            literal(CoverageStatus.berakhir.value),
        ),
        (
            or_(Official.cov_registered_on.is_(None), Official.cov_registered_on > on),
            case(
                (
                    and_(Official.cov_submitted_on.is_not(None), Official.cov_submitted_on <= on),
                    literal(CoverageStatus.diajukan.value),
                ),
                else_=literal(CoverageStatus.belum_terdaftar.value),
            ),
        ),
        (Official.cov_paid_through >= thresholds.aktif_min, literal(CoverageStatus.aktif.value)),
        (Official.cov_paid_through > thresholds.nonaktif_max, literal(CoverageStatus.menunggak.value)),
        else_=literal(CoverageStatus.nonaktif.value),
    )


def desa_count_statement(on: dt.date, kecamatan_kode: str | None) -> Select[Any]:
    """GROUP BY desa and status over the live officials (the benchmark runs it bare too)."""
    status = status_expression(on).label("status")
    stmt = (
        select(Official.desa_kode, status, func.count())
        .select_from(Official)
        .where(Official.deleted_at.is_(None))
        .group_by(Official.desa_kode, status)
    )
    if kecamatan_kode is not None:
        stmt = stmt.where(Official.office_code == kecamatan_kode)
    return stmt


def counts_by_desa(ctx: ServiceContext, on: dt.date, *, kecamatan_kode: str | None) -> dict[str, StatusCounts]:
    """Status counts per desa code on ``on`` (desa without officials are absent): one scan of
    ix_official_coverage, no table row and no join."""
    raw: dict[str, dict[str, int]] = {}
    with ctx.read() as session:
        for desa_kode, st, n in session.execute(desa_count_statement(on, kecamatan_kode)):
            raw.setdefault(desa_kode, {})[st] = int(n)
    return {kode: StatusCounts.from_mapping(c) for kode, c in raw.items()}


def _office_scope(ctx: ServiceContext) -> tuple[str | None, str, bool]:
    """(kecamatan code or None for the regency, office name, is regency)."""
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None:
            return None, "", False
        if office.role == "kabupaten":
            return None, office.name, True
        return office.office_code, office.name, False


def _areas(ctx: ServiceContext, kecamatan_kode: str | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(desa codes and names, kecamatan codes and names) in the office's scope, ordered by code."""
    with ctx.read() as session:
        desa_stmt = select(Wilayah.kode, Wilayah.nama).where(Wilayah.tingkat.in_(("desa", "kelurahan")))
        kec_stmt = select(Wilayah.kode, Wilayah.nama).where(Wilayah.tingkat == "kecamatan")
        if kecamatan_kode is not None:
            desa_stmt = desa_stmt.where(Wilayah.kode_induk == kecamatan_kode)
            kec_stmt = kec_stmt.where(Wilayah.kode == kecamatan_kode)
        desa = [(k, n) for k, n in session.execute(desa_stmt.order_by(Wilayah.kode))]
        kec = [(k, n) for k, n in session.execute(kec_stmt.order_by(Wilayah.kode))]
    return desa, kec


def figures(ctx: ServiceContext, *, on: dt.date | None = None) -> DashboardData:
    """Counts per status on ``on`` (default today) for the office, each desa and each kecamatan."""
    on = on or ctx.today()
    kecamatan_kode, office_name, is_kabupaten = _office_scope(ctx)
    per_desa = counts_by_desa(ctx, on, kecamatan_kode=kecamatan_kode)
    desa_names, kec_names = _areas(ctx, kecamatan_kode)
    empty = StatusCounts()
    known = {k for k, _ in desa_names}
    desa = [AreaFigures(k, n, per_desa.get(k, empty)) for k, n in desa_names]
    # officials of a desa code missing from the wilayah table would otherwise vanish from the totals
    desa += [AreaFigures(k, k, c) for k, c in sorted(per_desa.items()) if k not in known]
    kecamatan = [
        AreaFigures(k, n, StatusCounts.total(d.counts for d in desa if d.kode.startswith(k + ".")))
        for k, n in kec_names
    ]
    return DashboardData(
        as_of=on,
        office_name=office_name,
        is_kabupaten=is_kabupaten,
        total=StatusCounts.total(d.counts for d in desa),
        desa=tuple(desa),
        kecamatan=tuple(kecamatan),
    )


def trend_dates(today: dt.date, months: int = TREND_MONTHS) -> list[tuple[YearMonth, dt.date]]:
    """The last ``months`` months, oldest first, each with its as-of date (month end; today for this month)."""
    current = YearMonth.of(today)
    points = []
    for back in range(months - 1, -1, -1):
        month = current - back
        points.append((month, today if back == 0 else month.last_day()))
    return points


def _bucket(column: Any, oldest: dt.date, first_of_month: dt.date) -> Any:
    """A date column as ``0000-00`` before ``oldest`` (earlier than every point), ``YYYY-MM`` before
    ``first_of_month`` and ``YYYY-MM-DD`` from then on: few distinct values, in portable SQL."""
    text_value = cast(column, String(10))
    return case(
        (column < oldest, literal("0000-00")),
        (column < first_of_month, func.substr(text_value, 1, 7)),
        else_=text_value,
    )


def _on_or_before(bucket: str | None, month: str, day: str) -> bool:
    """Whether a bucketed date falls on or before the day ``day`` (ISO) of the month ``month``."""
    if bucket is None:
        return False
    return bucket <= month if len(bucket) == 7 else bucket <= day


def _status_at(key: tuple[Any, ...], on: dt.date, thresholds: StatusClassifier) -> str | None:
    """The status on ``on`` of a group of officials with the same bucketed dates (None: term not yet started)."""
    term_status, term_ended, term_start, e_ended, registered, submitted, paid_through = key
    month, day = str(YearMonth.of(on)), on.isoformat()
    if term_start is not None and not _on_or_before(term_start, month, day):
        return None
    if term_status == "berakhir" and (term_ended is None or _on_or_before(term_ended, month, day)):
        return CoverageStatus.berakhir.value
    if _on_or_before(e_ended, month, day):
        return CoverageStatus.berakhir.value
    if not _on_or_before(registered, month, day):
        if _on_or_before(submitted, month, day):
            return CoverageStatus.diajukan.value
        return CoverageStatus.belum_terdaftar.value
    if paid_through is None:  # never stored once registered; the SQL CASE would say nonaktif too
        return CoverageStatus.nonaktif.value
    return thresholds.paid_status(paid_through)


def trend(ctx: ServiceContext, *, today: dt.date | None = None, months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Status counts as of the end of each of the last ``months`` months (see the module docstring).

    One GROUP BY over the dates that decide the status, reduced to their month (exact from this month on, so
    today's point keeps the day-level rules): a few thousand groups instead of 100,000 rows, classified here for
    each month with the same rule as :func:`status_expression`.
    """
    today = today or ctx.today()
    kecamatan_kode, _, _ = _office_scope(ctx)
    dates = trend_dates(today, months)
    first = YearMonth.of(today).first_day()
    oldest = dates[0][0].first_day()
    # paid-through months beyond the thresholds of every point classify alike: clamp them
    low, high = str(dates[0][0] - 4), str(YearMonth.of(today) + 1)
    paid = case(
        (Official.cov_paid_through < low, literal(low)),
        (Official.cov_paid_through > high, literal(high)),
        else_=Official.cov_paid_through,
    )
    key_columns = [
        Official.term_status,
        _bucket(Official.ended_on, oldest, first),
        _bucket(Official.term_start, oldest, first),
        _bucket(Official.cov_ended_on, oldest, first),
        _bucket(Official.cov_registered_on, oldest, first),
        _bucket(Official.cov_submitted_on, oldest, first),
        paid,
    ]
    stmt = select(*key_columns, func.count()).where(Official.deleted_at.is_(None)).group_by(*key_columns)
    if kecamatan_kode is not None:
        stmt = stmt.where(Official.office_code == kecamatan_kode)
    with ctx.read() as session:
        groups = [(tuple(row[:-1]), int(row[-1])) for row in session.execute(stmt)]
    points = []
    for month, on in dates:
        thresholds = StatusClassifier(on)
        sums = dict.fromkeys(STATUSES, 0)
        for key, n in groups:
            status = _status_at(key, on, thresholds)
            if status is not None:
                sums[status] += n
        points.append(TrendPoint(month, on, StatusCounts.from_mapping(sums)))
    return points
