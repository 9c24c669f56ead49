from __future__ import annotations

from datetime import date, datetime

import pytest

from klaten_desktop.domain.formatting import (
    MONTH_NAMES,
    format_date,
    format_date_numeric,
    format_datetime,
    format_month,
    format_number,
    format_percent,
    format_period,
    format_rt,
    format_rt_rw,
    format_rupiah,
    terbilang,
    terbilang_rupiah,
)
from klaten_desktop.domain.months import YearMonth


def test_dates() -> None:
    assert len(MONTH_NAMES) == 12 and MONTH_NAMES[4] == "Mei" and MONTH_NAMES[7] == "Agustus"
    assert format_date(date(2026, 12, 9)) == "9 Desember 2026"
    assert format_date(date(2022, 12, 8)) == "8 Desember 2022"
    assert format_date(None) == ""
    assert format_date_numeric(date(2026, 12, 9)) == "09-12-2026"
    assert format_date_numeric(None) == ""
    assert format_datetime(datetime(2026, 12, 9, 14, 5)) == "9 Desember 2026 14.05"
    assert format_datetime(datetime(2026, 1, 1, 7, 0)) == "1 Januari 2026 07.00"
    assert format_month(YearMonth(2026, 3)) == "Maret 2026"


def test_period() -> None:
    assert format_period(YearMonth(2026, 1), YearMonth(2026, 3)) == "Januari–Maret 2026"
    assert format_period(YearMonth(2026, 11), YearMonth(2027, 2)) == "November 2026–Februari 2027"
    assert format_period(YearMonth(2026, 3), YearMonth(2026, 3)) == "Maret 2026"


def test_numbers() -> None:
    assert format_number(13_000) == "13.000"
    assert format_number(0) == "0"
    assert format_number(999) == "999"
    assert format_number(1_234_567) == "1.234.567"
    assert format_number(-1_000) == "-1.000"
    assert format_rupiah(16_800) == "Rp 16.800"
    assert format_rupiah(-1_000) == "-Rp 1.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_percent(36.6) == "36,6%"
    assert format_percent(36.61, 2) == "36,61%"
    assert format_percent(1234.5) == "1.234,5%"
    assert format_percent(50, 0) == "50%"


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (11_623, "sebelas ribu enam ratus dua puluh tiga"),
        (16_800, "enam belas ribu delapan ratus"),
        (36_800, "tiga puluh enam ribu delapan ratus"),
        (100_000, "seratus ribu"),
        (207_000, "dua ratus tujuh ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (42_000_000, "empat puluh dua juta"),
        (
            1_234_567_890,
            "satu miliar dua ratus tiga puluh empat juta lima ratus enam puluh tujuh ribu delapan ratus sembilan puluh",
        ),
        (2_000_000_000_000, "dua triliun"),
    ],
)
def test_terbilang(n: int, words: str) -> None:
    assert terbilang(n) == words


def test_terbilang_rupiah_and_limits() -> None:
    assert terbilang_rupiah(16_800) == "enam belas ribu delapan ratus rupiah"
    assert terbilang(-5) == "minus lima"
    with pytest.raises(ValueError, match="terlalu besar"):
        terbilang(10**15)


def test_rt_rw() -> None:
    assert format_rt(3) == "003"
    assert format_rt(None) == ""
    assert format_rt_rw(3, 2) == "003/002"
    assert format_rt_rw(None, 2) == "-/002"
    assert format_rt_rw(None, None) == ""
    assert format_rt_rw(12, None) == "012/-"
