"""Dashboard figures against hand-computed statuses (see conftest.py), across the 15th and over 12 months."""

from __future__ import annotations

import datetime as dt

from klaten_desktop.domain.coverage import HEAD_POSTS as HEADS
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import coverage, dashboard, officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import StatusCounts
from tests.dashboard.conftest import CUCUKAN, SENGON


def by_code(data: dashboard.DashboardData) -> dict[str, StatusCounts]:
    return {a.kode: a.counts for a in data.desa}


def test_counts_on_24_november(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    data = dashboard.figures(ctx)
    assert data.as_of == dt.date(2026, 11, 24)
    desa = by_code(data)
    assert desa[SENGON] == StatusCounts(belum_terdaftar=1, diajukan=1, aktif=1, menunggak=1, nonaktif=1, berakhir=1)
    assert desa[CUCUKAN] == StatusCounts(belum_terdaftar=1, diajukan=1, aktif=0, menunggak=1, nonaktif=0, berakhir=1)
    assert desa[SENGON].pengurus == 6
    assert desa[SENGON].cakupan_persen == 20.0  # 1 / (6 - 1)
    assert desa[CUCUKAN].cakupan_persen == 0.0
    assert data.total.pengurus == 10
    assert data.total.cakupan_persen == 12.5  # 1 / (10 - 2)
    # every desa of Prambanan is listed, the empty ones with zeros
    assert len(data.desa) == 16
    assert desa["33.10.01.2003"] == StatusCounts()
    assert [k.kode for k in data.kecamatan] == ["33.10.01"]
    assert data.kecamatan[0].counts == data.total


def test_the_15th_is_still_in_time(make_ctx, seeded_on) -> None:  # type: ignore[no-untyped-def]
    on_15 = dashboard.figures(seeded_on(dt.date(2026, 11, 15)))
    assert on_15.total == StatusCounts(belum_terdaftar=2, diajukan=2, aktif=2, menunggak=2, nonaktif=0, berakhir=2)
    on_16 = dashboard.figures(seeded_on(dt.date(2026, 11, 16)))
    assert on_16.total == StatusCounts(belum_terdaftar=2, diajukan=2, aktif=1, menunggak=2, nonaktif=1, berakhir=2)
    assert on_15.total.cakupan_persen == 25.0


def test_matches_the_per_row_classifier(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    """The SQL CASE and services.officials.list_rows (Python classifier) agree row for row, in total."""
    for on in (dt.date(2026, 11, 24), dt.date(2026, 11, 15), dt.date(2026, 10, 31), dt.date(2026, 2, 1)):
        rows = officials.list_rows(ctx, on=on)
        expected: dict[str, int] = {}
        for r in rows:
            expected[r.status] = expected.get(r.status, 0) + 1
        assert dashboard.figures(ctx, on=on).total == StatusCounts.from_mapping(expected), on


def test_trend_twelve_month_ends(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    points = dashboard.trend(ctx)
    months = [str(p.month) for p in points]
    assert len(months) == 12
    assert (months[0], months[-1]) == ("2025-12", "2026-11")
    assert points[-1].as_of == dt.date(2026, 11, 24)
    assert points[-2].as_of == dt.date(2026, 10, 31)
    by_month = {str(p.month): p.counts for p in points}
    # 31 Oct: J's term has not started; H's enrollment ends that day; I is not yet submitted
    assert by_month["2026-10"] == StatusCounts(
        belum_terdaftar=2, diajukan=1, aktif=2, menunggak=2, nonaktif=0, berakhir=2
    )
    # 31 May: F still serving (ended 30 June); C, D, E, G, H paid ahead
    assert by_month["2026-05"] == StatusCounts(
        belum_terdaftar=4, diajukan=0, aktif=5, menunggak=0, nonaktif=0, berakhir=0
    )
    assert by_month["2026-11"] == dashboard.figures(ctx).total


def test_trend_dates_are_month_ends() -> None:
    dates = coverage.trend_dates(dt.date(2026, 3, 10), months=3)
    assert dates == [
        (YearMonth(2026, 1), dt.date(2026, 1, 31)),
        (YearMonth(2026, 2), dt.date(2026, 2, 28)),
        (YearMonth(2026, 3), dt.date(2026, 3, 10)),
    ]


def test_regency_counts_per_kecamatan(make_ctx) -> None:  # type: ignore[no-untyped-def]
    from tests.dashboard.conftest import seed

    regency = make_ctx("kabupaten", name="kab")
    seed(regency)
    data = dashboard.figures(regency)
    assert data.is_kabupaten
    assert len(data.kecamatan) == 26
    prambanan = data.kecamatan[0]
    assert prambanan.kode == "33.10.01" and prambanan.nama == "Prambanan"
    assert prambanan.counts.pengurus == 10 and prambanan.counts.aktif == 1
    assert all(k.counts == StatusCounts() for k in data.kecamatan[1:])
    assert len(data.desa) == 401


def test_deleted_rows_do_not_count(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    from klaten_desktop.services.context import SYSTEM

    officials.delete(ctx, SYSTEM, seeded["A"])
    assert by_code(dashboard.figures(ctx))[SENGON].belum_terdaftar == 0


def test_trend_matches_the_row_classifier_on_demo_data(ctx: ServiceContext) -> None:
    """Each month of the trend equals list_rows (the Python classifier) on that day, officials started by then."""
    from klaten_desktop.services import demo
    from klaten_desktop.services.context import SYSTEM

    demo.populate(ctx, SYSTEM, 600, seed=7)
    points = dashboard.trend(ctx)
    assert sum(p.counts.aktif for p in points) > 0 and sum(p.counts.nonaktif for p in points) > 0
    for point in points:
        expected: dict[str, int] = {}
        for r in officials.list_rows(ctx, on=point.as_of):
            # only the insured posts count (Perbup 9/2022: Ketua RT and Ketua RW)
            if (r.term_start is None or r.term_start <= point.as_of) and r.jabatan in HEADS:
                expected[r.status] = expected.get(r.status, 0) + 1
        assert point.counts == StatusCounts.from_mapping(expected), point.month


def test_figures_match_the_row_classifier_on_demo_data(ctx: ServiceContext) -> None:
    """Per desa, on dates either side of the 15th, with demo enrollments that ended or are open."""
    from klaten_desktop.services import demo
    from klaten_desktop.services.context import SYSTEM

    demo.populate(ctx, SYSTEM, 600, seed=11)
    for on in (dt.date(2026, 11, 24), dt.date(2026, 11, 15), dt.date(2026, 8, 16), dt.date(2025, 12, 31)):
        expected: dict[str, dict[str, int]] = {}
        for r in officials.list_rows(ctx, on=on):
            if r.jabatan not in HEADS:  # only the insured posts count
                continue
            per = expected.setdefault(r.desa_kode, {})
            per[r.status] = per.get(r.status, 0) + 1
        got = {a.kode: a.counts for a in dashboard.figures(ctx, on=on).desa if a.counts.pengurus}
        assert got == {k: StatusCounts.from_mapping(v) for k, v in expected.items()}, on
