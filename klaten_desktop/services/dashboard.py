"""The figures of the Beranda dashboard: coverage status counts per desa, per kecamatan and for the office, and a
12-month trend, computed in SQL (GROUP BY with CASE over bound thresholds) in one pass over the officials' covering
index, with no join: the deciding enrollment's columns are kept on the official row by triggers (``cov_*``, see
db/models.py); bench/bench_dashboard.py measures them on 100,000 officials against bare sqlite3.

Which officials count: every live official row (``deleted_at IS NULL``) of this office's kecamatan (all 26 at the
regency), serving or past, in a post insured on the day (Ketua RT and Ketua RW unless the office's dated setting
adds the others: :func:`klaten_desktop.services.coverage.insured_posts`), classified with the bulk form of the
rule in :mod:`klaten_desktop.services.coverage` (the SQL CASE, the deciding enrollment, the coverage percentage
and the trend's bucketing all live there).

The trend: for each of the last 12 months, the status **as of the last day of that month** (for the current month:
as of today). It is reconstructed from what the database holds today: the term dates (an official whose term
started after that day is left out; a term that ended later still counted as serving), the enrollment's
submission, registration and end dates, and the paid-through month as recorded today. Contributions that were
paid late therefore count as if paid on time in the months before the payment was recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office, Official, Wilayah
from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import coverage
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import STATUSES, TREND_MONTHS, StatusCounts


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


def desa_count_statement(on: dt.date, kecamatan_kode: str | None, posts: frozenset[str] = HEAD_POSTS) -> Select[Any]:
    """GROUP BY desa and status over the live officials in insured ``posts`` (the benchmark runs it bare too)."""
    return coverage.count_statement(on, Official.desa_kode, kecamatan_kode, posts=posts)


def counts_by_desa(ctx: ServiceContext, on: dt.date, *, kecamatan_kode: str | None) -> dict[str, StatusCounts]:
    """Status counts per desa code on ``on`` (desa without officials are absent) of the posts insured on ``on``:
    one scan of ix_official_coverage, no table row and no join."""
    with ctx.read() as session:
        return _counts_by_desa(session, on, kecamatan_kode)


def _counts_by_desa(session: Session, on: dt.date, kecamatan_kode: str | None) -> dict[str, StatusCounts]:
    stmt = desa_count_statement(on, kecamatan_kode, coverage.insured_posts(session, on))
    return coverage.counts_from_rows(session.execute(stmt))


def _office_scope(session: Session) -> tuple[str | None, str, bool]:
    """(kecamatan code or None for the regency, office name, is regency)."""
    office = session.get(Office, 1)
    if office is None:
        return None, "", False
    if office.role == "kabupaten":
        return None, office.name, True
    return office.office_code, office.name, False


def _areas(session: Session, kecamatan_kode: str | None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(desa codes and names, kecamatan codes and names) in the office's scope, ordered by code."""
    desa_stmt = select(Wilayah.kode, Wilayah.nama).where(Wilayah.tingkat.in_(("desa", "kelurahan")))
    kec_stmt = select(Wilayah.kode, Wilayah.nama).where(Wilayah.tingkat == "kecamatan")
    if kecamatan_kode is not None:
        desa_stmt = desa_stmt.where(Wilayah.kode_induk == kecamatan_kode)
        kec_stmt = kec_stmt.where(Wilayah.kode == kecamatan_kode)
    desa = [(k, n) for k, n in session.execute(desa_stmt.order_by(Wilayah.kode))]
    kec = [(k, n) for k, n in session.execute(kec_stmt.order_by(Wilayah.kode))]
    return desa, kec


def figures(ctx: ServiceContext, *, on: dt.date | None = None) -> DashboardData:
    """Counts per status on ``on`` (default today) for the office, each desa and each kecamatan: one read
    session (on a server every session costs round trips), one GROUP BY."""
    on = on or ctx.today()
    with ctx.read() as session:
        kecamatan_kode, office_name, is_kabupaten = _office_scope(session)
        per_desa = _counts_by_desa(session, on, kecamatan_kode)
        desa_names, kec_names = _areas(session, kecamatan_kode)
    empty = StatusCounts()
    known = {k for k, _ in desa_names}
    desa = [AreaFigures(k, n, per_desa.get(k, empty)) for k, n in desa_names]
    # officials of a desa code missing from the wilayah table would otherwise vanish from the totals
    desa += [AreaFigures(k, k, c) for k, c in sorted(per_desa.items()) if k not in known]
    by_kecamatan: dict[str, list[StatusCounts]] = {}
    for d in desa:  # a desa code is its kecamatan's code and one more part
        by_kecamatan.setdefault(d.kode.rpartition(".")[0], []).append(d.counts)
    kecamatan = [AreaFigures(k, n, StatusCounts.total(by_kecamatan.get(k, ()))) for k, n in kec_names]
    return DashboardData(
        as_of=on,
        office_name=office_name,
        is_kabupaten=is_kabupaten,
        total=StatusCounts.total(d.counts for d in desa),
        desa=tuple(desa),
        kecamatan=tuple(kecamatan),
    )


def trend(ctx: ServiceContext, *, today: dt.date | None = None, months: int = TREND_MONTHS) -> list[TrendPoint]:
    """Status counts as of the end of each of the last ``months`` months (see the module docstring).

    One GROUP BY over one integer per official that packs the dates deciding the status, reduced to the trend
    points they come after (:class:`klaten_desktop.services.coverage.TrendBuckets`): a few hundred groups instead
    of 100,000 rows, each classified here for every point.
    """
    today = today or ctx.today()
    buckets = coverage.trend_buckets(today, months)
    key = buckets.key.label("k")
    stmt = select(key, func.count()).where(Official.deleted_at.is_(None)).group_by(key)
    with ctx.read() as session:
        kecamatan_kode, _, _ = _office_scope(session)
        if kecamatan_kode is not None:
            stmt = stmt.where(Official.office_code == kecamatan_kode)
        groups = [(int(k), int(n)) for k, n in session.execute(stmt)]
        rules = coverage.insured_rules(session)
    posts = [coverage.posts_on(rules, on) for _, on in buckets.points]
    sums = [dict.fromkeys(STATUSES, 0) for _ in buckets.points]
    for k, n in groups:
        for point, status in enumerate(buckets.timeline(k, posts)):
            if status is not None:
                sums[point][status] += n
    return [
        TrendPoint(month, on, StatusCounts.from_mapping(counts))
        for (month, on), counts in zip(buckets.points, sums, strict=True)
    ]
