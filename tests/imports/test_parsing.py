"""The tolerant parsers of spreadsheet cells: RT/RW numbers and pairs, dates, "tempat, tanggal lahir", L/P."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.enums import Sex
from klaten_desktop.services.imports.parsing import (
    excel_serial_to_date,
    parse_date_flexible,
    parse_rt_number,
    parse_rt_rw_pair,
    parse_sex,
    split_place_and_date,
)

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("003/002", (3, 2)),
        ("3/2", (3, 2)),
        ("RT 03 / RW 02", (3, 2)),
        ("RT.003 RW.002", (3, 2)),
        ("rt 3 rw 12", (3, 12)),
        ("03-02", (3, 2)),
        ("RT/RW 003/002", (3, 2)),
        ("RT/RW: 3/2", (3, 2)),
        ("RW 05", (None, 5)),
        ("RT 4", (4, None)),
        ("000/002", (None, 2)),
        ("-/002", (None, 2)),
        (" - ", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_rt_rw_pair(text: str | None, expected: tuple[int | None, int | None]) -> None:
    assert parse_rt_rw_pair(text) == expected


@pytest.mark.parametrize("text", ["abc", "3/2/1", "RT 3 RT 4", "1000/002", "RT 1000 RW 1", "RT x", "3 2", "-/-3"])
def test_parse_rt_rw_pair_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"RT|RW"):
        parse_rt_rw_pair(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 1), (1.0, 1), ("001", 1), ("RT 04", 4), ("Rt.4", 4), ("rt:12", 12), ("7.0", 7), ("", None), (None, None),
     (" 999 ", 999), ("-", None), ("\u2013", None), (0, None), ("000", None)],
)  # fmt: skip
def test_parse_rt_number(value: object, expected: int | None) -> None:
    assert parse_rt_number(value) == expected


@pytest.mark.parametrize("value", [-1, 1000, 1.5, "abc", "RT", "-3", True, float("nan"), [1]])
def test_parse_rt_number_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="RT"):
        parse_rt_number(value)


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.none(), st.booleans()))
def test_rt_parsers_only_value_error(value: object) -> None:
    try:
        parse_rt_number(value)
    except ValueError:
        pass
    if isinstance(value, str):
        try:
            parse_rt_rw_pair(value)
        except ValueError:
            pass


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(1970, 5, 12), date(1970, 5, 12)),
        (datetime(1970, 5, 12, 13, 0), date(1970, 5, 12)),
        (25569, date(1970, 1, 1)),
        (25569.75, date(1970, 1, 1)),
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (45000, date(2023, 3, 15)),
        (2958465, date(9999, 12, 31)),
        ("12-05-1970", date(1970, 5, 12)),
        ("12/05/1970", date(1970, 5, 12)),
        ("12.05.1970", date(1970, 5, 12)),
        ("1-5-1970", date(1970, 5, 1)),
        ("05/12/1970", date(1970, 12, 5)),  # day first, always
        ("12 Mei 1970", date(1970, 5, 12)),
        ("17 Agustus 1968", date(1968, 8, 17)),
        ("17 Agt 1968", date(1968, 8, 17)),
        ("17 Agu 1968", date(1968, 8, 17)),
        ("17-Agu-1968", date(1968, 8, 17)),
        ("17 AGUSTUS 1968", date(1968, 8, 17)),
        ("12 May 1970", date(1970, 5, 12)),
        ("3 Pebruari 1965", date(1965, 2, 3)),
        ("1 Nop 1980", date(1980, 11, 1)),
        ("1970-05-12", date(1970, 5, 12)),
        ("1970-05-12 00:00:00", date(1970, 5, 12)),
        ("12-05-70", date(1970, 5, 12)),
        ("12-05-05", date(2005, 5, 12)),
        ("20-03-26", date(2026, 3, 20)),
        ("21-03-26", date(1926, 3, 21)),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_parse_date_flexible(value: object, expected: date | None) -> None:
    assert parse_date_flexible(value, today=TODAY) == expected


@pytest.mark.parametrize(
    "value", ["31-02-1970", "12 Foo 1970", "kemarin", "1970", "12-05", 0, 60, 3_000_000, -5, True, "12/05-1970"]
)
def test_parse_date_flexible_rejects(value: object) -> None:
    with pytest.raises(ValueError, match=r"(?i)tanggal") as exc:
        parse_date_flexible(value, today=TODAY)
    if isinstance(value, str):
        assert repr(value) in str(exc.value)


@pytest.mark.parametrize("value", [1970, 1970.0, "1970", 2026])
def test_a_year_alone_is_not_a_date(value: object) -> None:
    """A year typed alone is never read as the Excel serial it also is (1970 -> 23 May 1905)."""
    with pytest.raises(ValueError, match="hanya tahun"):
        parse_date_flexible(value, today=TODAY)


@pytest.mark.parametrize("value", ["01-01-0202", "1899-12-31", "5 Mei 0020"])
def test_a_year_before_1900_is_a_typing_mistake(value: str) -> None:
    with pytest.raises(ValueError, match="tidak mungkin"):
        parse_date_flexible(value, today=TODAY)


def test_a_time_of_day_is_quoted_as_excel_shows_it() -> None:
    with pytest.raises(ValueError, match=r"^Tanggal 10:30 tidak dapat dibaca"):
        parse_date_flexible(time(10, 30), today=TODAY)


def test_excel_serial_roundtrip() -> None:
    assert excel_serial_to_date(25569) == date(1970, 1, 1)
    assert excel_serial_to_date(44927) == date(2023, 1, 1)


@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(), st.none(), st.dates()))
def test_parse_date_only_value_error(value: object) -> None:
    try:
        parse_date_flexible(value, today=TODAY)
    except ValueError:
        pass


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Klaten, 12-05-1970", ("Klaten", date(1970, 5, 12))),
        ("Klaten 12 Mei 1970", ("Klaten", date(1970, 5, 12))),
        ("KLATEN,12/05/1970", ("Klaten", date(1970, 5, 12))),
        ("klaten , 12/05/1970", ("Klaten", date(1970, 5, 12))),
        ("Kulon Progo, 1 Januari 1980", ("Kulon Progo", date(1980, 1, 1))),
        ("12-05-1970", (None, date(1970, 5, 12))),
        ("Boyolali", ("Boyolali", None)),
        ("", (None, None)),
    ],
)
def test_split_place_and_date(text: str, expected: tuple[str | None, date | None]) -> None:
    assert split_place_and_date(text, today=TODAY) == expected


def test_split_place_and_date_bad_date() -> None:
    with pytest.raises(ValueError, match="tidak dapat dibaca"):
        split_place_and_date("Klaten, 45-13-1970", today=TODAY)


@given(st.text(max_size=30))
def test_split_place_only_value_error(text: str) -> None:
    try:
        split_place_and_date(text, today=TODAY)
    except ValueError:
        pass


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("L", Sex.L), ("l", Sex.L), ("LK", Sex.L), ("Laki-laki", Sex.L), ("Laki - Laki", Sex.L),
        ("LAKI LAKI", Sex.L), ("Pria", Sex.L), ("P", Sex.P), ("PR", Sex.P), ("Perempuan", Sex.P),
        ("wanita", Sex.P), (" p ", Sex.P), (Sex.P, Sex.P), ("", None), (None, None),
    ],
)  # fmt: skip
def test_parse_sex(value: object, expected: Sex | None) -> None:
    assert parse_sex(value) is expected


@pytest.mark.parametrize("value", ["M", "F", "X", "-", 1, "Laki-laki/Perempuan"])
def test_parse_sex_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="Jenis kelamin"):
        parse_sex(value)


@given(st.one_of(st.text(max_size=15), st.integers(), st.none()))
def test_parse_sex_only_value_error(value: object) -> None:
    try:
        parse_sex(value)
    except ValueError:
        pass
