"""The bulk classifier (two month thresholds) agrees with the domain's coverage rule on every case."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.coverage import EnrollmentFacts, coverage_status
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services.coverage import StatusClassifier

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
months = st.builds(YearMonth, st.integers(2019, 2031), st.integers(1, 12))


@given(
    on=dates,
    registered=st.one_of(st.none(), dates),
    submitted=st.one_of(st.none(), dates),
    paid=st.one_of(st.none(), months),
    ended=st.one_of(st.none(), dates),
    term_ended=st.one_of(st.none(), dates),
    has_enrollment=st.booleans(),
)
def test_classifier_matches_domain_rule(
    on: dt.date,
    registered: dt.date | None,
    submitted: dt.date | None,
    paid: YearMonth | None,
    ended: dt.date | None,
    term_ended: dt.date | None,
    has_enrollment: bool,
) -> None:
    facts = (
        EnrollmentFacts(
            submitted_on=submitted,
            registered_on=registered,
            nomor_kpj="12345678901" if registered else None,
            ended_on=ended,
            paid_through=paid,
        )
        if has_enrollment
        else None
    )
    expected = coverage_status(on=on, enrollment=facts, term_ended_on=term_ended)
    got = StatusClassifier(on).status(
        term_status="berakhir" if term_ended is not None else "menjabat",
        term_ended_on=term_ended,
        has_enrollment=has_enrollment,
        enrollment_ended_on=ended if has_enrollment else None,
        submitted_on=submitted if has_enrollment else None,
        registered_on=registered if has_enrollment else None,
        paid_through=str(paid) if has_enrollment and paid is not None else None,
    )
    assert got == expected.value


def test_issue_example_thresholds() -> None:
    paid = "2026-03"
    assert StatusClassifier(dt.date(2026, 4, 10)).paid_status(paid) == "aktif"
    assert StatusClassifier(dt.date(2026, 4, 16)).paid_status(paid) == "menunggak"
    assert StatusClassifier(dt.date(2026, 6, 15)).paid_status(paid) == "menunggak"
    assert StatusClassifier(dt.date(2026, 6, 20)).paid_status(paid) == "nonaktif"
