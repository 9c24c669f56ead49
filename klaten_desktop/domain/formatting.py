"""Indonesian formatting of dates, money and numbers, independent of the OS locale."""

from __future__ import annotations

from datetime import date, datetime

from klaten_desktop.domain.months import MONTH_NAMES, YearMonth

__all__ = [
    "MONTH_NAMES",
    "format_date",
    "format_date_numeric",
    "format_datetime",
    "format_month",
    "format_number",
    "format_percent",
    "format_period",
    "format_rt",
    "format_rt_rw",
    "format_rupiah",
    "terbilang",
    "terbilang_rupiah",
]


def format_date(d: date | None) -> str:
    if d is None:
        return ""
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def format_date_numeric(d: date | None) -> str:
    if d is None:
        return ""
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def format_datetime(dt: datetime | None) -> str:
    if dt is None:
        return ""
    return f"{format_date(dt)} {dt.hour:02d}.{dt.minute:02d}"


def format_month(ym: YearMonth) -> str:
    return ym.label()


def format_period(start: YearMonth, end: YearMonth) -> str:
    """ "Januari–Maret 2026", "November 2026–Februari 2027" or "Maret 2026"."""
    if start == end:
        return start.label()
    if start.year == end.year:
        return f"{MONTH_NAMES[start.month - 1]}–{end.label()}"
    return f"{start.label()}–{end.label()}"


def format_number(n: int) -> str:
    sign = "-" if n < 0 else ""
    return sign + f"{abs(n):,}".replace(",", ".")


def format_rupiah(n: int) -> str:
    sign = "-" if n < 0 else ""
    return f"{sign}Rp {format_number(abs(n))}"


def format_percent(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return f"{text}%"


_ONES = (
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas",
)  # fmt: skip
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_ONES[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 12:
        words.append(_ONES[rest])
    elif rest < 20:
        words += [_ONES[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    return words


def _words(n: int) -> list[str]:
    words: list[str] = []
    for scale, name in _SCALES:
        if n >= scale:
            count, n = divmod(n, scale)
            words += [*_words(count), name]
    if n >= 1000:
        thousands, n = divmod(n, 1000)
        words += ["seribu"] if thousands == 1 else [*_below_thousand(thousands), "ribu"]
    if n:
        words += _below_thousand(n)
    return words


def terbilang(n: int) -> str:
    """Indonesian number words in lower case: 16800 -> "enam belas ribu delapan ratus"."""
    if n == 0:
        return "nol"
    if n < 0:
        return "minus " + terbilang(-n)
    if n >= 10**15:
        raise ValueError("Angka terlalu besar untuk ditulis dengan huruf (maksimal ratusan triliun).")
    return " ".join(_words(n))


def terbilang_rupiah(n: int) -> str:
    return f"{terbilang(n)} rupiah"


def format_rt(n: int | None) -> str:
    return "" if n is None else f"{n:03d}"


def format_rt_rw(rt: int | None, rw: int | None) -> str:
    if rt is None and rw is None:
        return ""
    return f"{format_rt(rt) or '-'}/{format_rt(rw) or '-'}"
