from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.months import YearMonth, month_range


@pytest.mark.parametrize("text", ["2026-03", "2026-3", "03/2026", "3-2026", " 2026/03 ", "3.2026"])
def test_parse_forms(text: str) -> None:
    assert YearMonth.parse(text) == YearMonth(2026, 3)


@pytest.mark.parametrize("text", ["", "2026", "2026-13", "13/2026", "2026-00", "Maret 2026", "26-03", "1800-01"])
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="Bulan"):
        YearMonth.parse(text)


@given(st.text(max_size=20))
def test_parse_only_value_error(text: str) -> None:
    try:
        YearMonth.parse(text)
    except ValueError:
        pass


def test_validation() -> None:
    with pytest.raises(ValueError, match="Bulan harus 1 sampai 12"):
        YearMonth(2026, 13)
    with pytest.raises(ValueError, match="Tahun"):
        YearMonth(1899, 12)


def test_arithmetic_and_order() -> None:
    ym = YearMonth(2026, 11)
    assert ym + 2 == YearMonth(2027, 1)
    assert ym - 11 == YearMonth(2025, 12)
    assert YearMonth(2027, 2) - YearMonth(2026, 11) == 3
    assert YearMonth(2026, 11) - YearMonth(2027, 2) == -3
    assert ym.next() == YearMonth(2026, 12)
    assert YearMonth(2026, 1).prev() == YearMonth(2025, 12)
    assert YearMonth(2025, 12) < YearMonth(2026, 1) < YearMonth(2026, 2)
    assert str(YearMonth(2026, 3)) == "2026-03"
    assert YearMonth.of(date(2026, 3, 31)) == YearMonth(2026, 3)


def test_days_and_label() -> None:
    assert YearMonth(2024, 2).last_day() == date(2024, 2, 29)
    assert YearMonth(2026, 2).last_day() == date(2026, 2, 28)
    assert YearMonth(2026, 12).first_day() == date(2026, 12, 1)
    assert YearMonth(2026, 4).due_date() == date(2026, 4, 15)
    assert YearMonth(2026, 3).label() == "Maret 2026"
    assert YearMonth(2026, 8).label() == "Agustus 2026"


def test_month_range() -> None:
    assert month_range(YearMonth(2026, 11), YearMonth(2027, 2)) == [
        YearMonth(2026, 11), YearMonth(2026, 12), YearMonth(2027, 1), YearMonth(2027, 2),
    ]  # fmt: skip
    assert month_range(YearMonth(2026, 3), YearMonth(2026, 3)) == [YearMonth(2026, 3)]
    assert month_range(YearMonth(2026, 4), YearMonth(2026, 3)) == []


@given(st.integers(1950, 2900), st.integers(1, 12), st.integers(-500, 500))
def test_add_sub_roundtrip(year: int, month: int, n: int) -> None:
    ym = YearMonth(year, month)
    assert (ym + n) - n == ym
    assert (ym + n) - ym == n
