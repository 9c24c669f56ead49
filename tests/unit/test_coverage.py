from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.coverage import (
    EnrollmentFacts,
    coverage_status,
    effective_paid_through,
    menunggak_from,
    nonaktif_from,
    paid_through_from_months,
    unpaid_months,
)
from klaten_desktop.domain.enums import CoverageStatus as S
from klaten_desktop.domain.months import YearMonth as YM


def registered(paid_through: YM | None, *, registered_on: date = date(2025, 1, 10)) -> EnrollmentFacts:
    return EnrollmentFacts(
        submitted_on=registered_on - timedelta(days=7),
        registered_on=registered_on,
        nomor_kpj="21012345678",
        ended_on=None,
        paid_through=paid_through,
    )


def status(facts: EnrollmentFacts | None, on: date, term_ended_on: date | None = None) -> S:
    return coverage_status(on=on, enrollment=facts, term_ended_on=term_ended_on)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 31), S.aktif),
        (date(2026, 4, 10), S.aktif),
        (date(2026, 4, 15), S.aktif),
        (date(2026, 4, 16), S.menunggak),
        (date(2026, 5, 20), S.menunggak),
        (date(2026, 6, 15), S.menunggak),
        (date(2026, 6, 16), S.nonaktif),
        (date(2026, 6, 20), S.nonaktif),
        (date(2027, 1, 1), S.nonaktif),
        (date(2026, 1, 1), S.aktif),  # paid ahead
    ],
)
def test_issue_example_paid_through_march(on: date, expected: S) -> None:
    assert status(registered(YM(2026, 3)), on) is expected


@pytest.mark.parametrize(
    ("paid", "on", "expected"),
    [
        (YM(2026, 11), date(2026, 12, 15), S.aktif),
        (YM(2026, 11), date(2026, 12, 16), S.menunggak),
        (YM(2026, 11), date(2027, 1, 15), S.menunggak),
        (YM(2026, 11), date(2027, 1, 16), S.menunggak),
        (YM(2026, 11), date(2027, 2, 15), S.menunggak),
        (YM(2026, 11), date(2027, 2, 16), S.nonaktif),
        (YM(2026, 12), date(2027, 1, 16), S.menunggak),
        (YM(2026, 12), date(2027, 3, 16), S.nonaktif),
        (YM(2026, 10), date(2027, 1, 16), S.nonaktif),
    ],
)
def test_year_boundaries(paid: YM, on: date, expected: S) -> None:
    assert status(registered(paid), on) is expected


def test_unpaid_months() -> None:
    p = YM(2026, 3)
    assert unpaid_months(p, date(2026, 4, 15)) == 0
    assert unpaid_months(p, date(2026, 4, 16)) == 1
    assert unpaid_months(p, date(2026, 5, 1)) == 1
    assert unpaid_months(p, date(2026, 5, 16)) == 2
    assert unpaid_months(p, date(2026, 6, 16)) == 3
    assert unpaid_months(p, date(2027, 3, 16)) == 12
    assert unpaid_months(p, date(2025, 1, 1)) == 0
    assert unpaid_months(p, date(2026, 3, 20)) == 0


def test_threshold_dates() -> None:
    assert menunggak_from(YM(2026, 3)) == date(2026, 4, 16)
    assert nonaktif_from(YM(2026, 3)) == date(2026, 6, 16)
    assert menunggak_from(YM(2026, 12)) == date(2027, 1, 16)
    assert nonaktif_from(YM(2026, 11)) == date(2027, 2, 16)
    facts = registered(YM(2026, 3))
    assert status(facts, menunggak_from(YM(2026, 3)) - timedelta(days=1)) is S.aktif
    assert status(facts, menunggak_from(YM(2026, 3))) is S.menunggak
    assert status(facts, nonaktif_from(YM(2026, 3)) - timedelta(days=1)) is S.menunggak
    assert status(facts, nonaktif_from(YM(2026, 3))) is S.nonaktif


def test_effective_paid_through_defaults_to_month_before_registration() -> None:
    facts = registered(None, registered_on=date(2026, 3, 5))
    assert effective_paid_through(facts) == YM(2026, 2)
    assert status(facts, date(2026, 3, 15)) is S.aktif
    assert status(facts, date(2026, 3, 16)) is S.menunggak
    assert status(facts, date(2026, 5, 16)) is S.nonaktif
    assert effective_paid_through(registered(YM(2026, 7))) == YM(2026, 7)
    unregistered = EnrollmentFacts(date(2026, 1, 1), None, None, None, None)
    assert effective_paid_through(unregistered) is None


def test_not_registered_states() -> None:
    assert status(None, date(2026, 4, 1)) is S.belum_terdaftar
    submitted = EnrollmentFacts(date(2026, 3, 1), None, None, None, None)
    assert status(submitted, date(2026, 3, 1)) is S.diajukan
    assert status(submitted, date(2026, 2, 28)) is S.belum_terdaftar
    future_registration = EnrollmentFacts(date(2026, 3, 1), date(2026, 4, 1), "21012345678", None, YM(2026, 4))
    assert status(future_registration, date(2026, 3, 31)) is S.diajukan
    assert status(future_registration, date(2026, 4, 1)) is S.aktif
    nothing = EnrollmentFacts(None, None, None, None, None)
    assert status(nothing, date(2026, 3, 1)) is S.belum_terdaftar


def test_ended() -> None:
    facts = registered(YM(2030, 1))
    assert status(facts, date(2026, 4, 1), term_ended_on=date(2026, 4, 1)) is S.berakhir
    assert status(facts, date(2026, 4, 1), term_ended_on=date(2026, 4, 2)) is S.aktif
    assert status(None, date(2026, 4, 1), term_ended_on=date(2026, 3, 1)) is S.berakhir
    ended = EnrollmentFacts(date(2025, 1, 1), date(2025, 1, 10), "21012345678", date(2026, 2, 1), YM(2030, 1))
    assert status(ended, date(2026, 1, 31)) is S.aktif
    assert status(ended, date(2026, 2, 1)) is S.berakhir


def test_paid_through_from_months() -> None:
    start = YM(2026, 1)
    assert paid_through_from_months(start, []) is None
    assert paid_through_from_months(start, [YM(2026, 2)]) is None
    assert paid_through_from_months(start, [YM(2026, 1)]) == YM(2026, 1)
    assert paid_through_from_months(start, [YM(2026, 3), YM(2026, 1), YM(2026, 2), YM(2026, 5)]) == YM(2026, 3)
    assert paid_through_from_months(start, [YM(2025, 12), YM(2026, 1), YM(2026, 2)]) == YM(2026, 2)
    assert paid_through_from_months(YM(2026, 12), [YM(2026, 12), YM(2027, 1)]) == YM(2027, 1)
    assert paid_through_from_months(start, [YM(2025, 11), YM(2025, 12)]) is None


_RANK = {S.aktif: 0, S.menunggak: 1, S.nonaktif: 2}


@given(
    paid=st.builds(YM, st.integers(2020, 2030), st.integers(1, 12)),
    start=st.dates(date(2019, 1, 1), date(2032, 12, 31)),
    steps=st.lists(st.integers(0, 60), min_size=1, max_size=20),
)
def test_status_monotonic_as_time_passes(paid: YM, start: date, steps: list[int]) -> None:
    facts = registered(paid, registered_on=date(2019, 1, 1))
    on = start
    previous = _RANK[status(facts, on)]
    for step in steps:
        on += timedelta(days=step)
        current = _RANK[status(facts, on)]
        assert current >= previous
        previous = current
