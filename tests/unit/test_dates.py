"""Dates as staff type them (domain/dates.py): digits only, separators, Indonesian month names; day first."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.dates import parse_date_text
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import MONTH_NAMES, month_number

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01012024", date(2024, 1, 1)),
        ("1-1-2024", date(2024, 1, 1)),
        ("01/01/2024", date(2024, 1, 1)),
        ("1.1.2024", date(2024, 1, 1)),
        ("1 Jan 2024", date(2024, 1, 1)),
        ("1 Januari 2024", date(2024, 1, 1)),
        (" 1  januari   2024 ", date(2024, 1, 1)),
        ("17 Agustus 1968", date(1968, 8, 17)),
        ("17 Agu 1968", date(1968, 8, 17)),
        ("17 Agt 1968", date(1968, 8, 17)),
        ("17-agt-68", date(1968, 8, 17)),
        ("3 Peb 1965", date(1965, 2, 3)),
        ("3 Feb. 1965", date(1965, 2, 3)),
        ("3 Pebruari 1965", date(1965, 2, 3)),
        ("12 Mei 1970", date(1970, 5, 12)),
        ("5 Okt 2001", date(2001, 10, 5)),
        ("25 Des 2025", date(2025, 12, 25)),
        ("1 Nop 1980", date(1980, 11, 1)),
        ("05/12/1970", date(1970, 12, 5)),  # day first, always
        ("170868", date(1968, 8, 17)),
        ("010105", date(2005, 1, 1)),
        ("20-03-26", date(2026, 3, 20)),  # today: this century
        ("21-03-26", date(1926, 3, 21)),  # after today: the last century
        ("29-02-28", date(1928, 2, 29)),  # 2028-02-29 lies ahead
        ("2024-01-01", date(2024, 1, 1)),
        ("2024-01-01 00:00:00", date(2024, 1, 1)),
        ("", None),
        ("   ", None),
    ],
)
def test_reads_what_staff_type(text: str, expected: date | None) -> None:
    assert parse_date_text(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("31022024", "tidak ada di kalender"),
        ("31-02-2024", "tidak ada di kalender"),
        ("30 Peb 2024", "tidak ada di kalender"),
        ("1 Foo 2024", "bulan 'Foo' tidak dikenal"),
        ("kemarin", "Contoh: 17081968"),
        ("2024", "hanya tahun"),
        ("1-1", "Contoh"),
        ("1012024", "Contoh"),  # seven digits: which is the day, which the month?
        ("12/05-1970", "Contoh"),
        ("01-01-0202", "tidak mungkin"),
        ("—01012024", "Contoh"),
    ],
)
def test_refuses_what_is_no_date(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why) as caught:
        parse_date_text(text, today=TODAY)
    assert str(caught.value).startswith(f"Tanggal {text!r} tidak dapat dibaca.")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_reads_back_what_the_app_shows(d: date) -> None:
    assert parse_date_text(format_date(d), today=TODAY) == d
    assert parse_date_text(f"{d.day:02d}{d.month:02d}{d.year}", today=TODAY) == d


@given(st.text(max_size=30))
def test_only_value_error(text: str) -> None:
    try:
        parse_date_text(text, today=TODAY)
    except ValueError:
        pass


def test_every_month_name_and_its_short_form() -> None:
    for number, name in enumerate(MONTH_NAMES, start=1):
        assert month_number(name) == number
        assert month_number(name[:3].upper() + ".") == number
    assert month_number("Agt") == 8 and month_number("peb") == 2 and month_number("Mei") == 5
    assert month_number("Senin") is None
