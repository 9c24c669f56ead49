"""Dates as people write them: typed into a date field of the app or into a desa's spreadsheet cell.

Day first, always (17-08-1968 is 17 August). Read: ``17081968`` and ``170868`` (digits only), ``17-8-1968``,
``17/08/1968``, ``17.08.68``, ``17 Agustus 1968``, ``17 Agu 1968``, ``17-Agt-68`` (any month name or abbreviation of
``months.MONTH_ALIASES``), and ``1968-08-17`` (ISO, as a computer writes it, with or without a time of day).
A two-digit year is the latest such year that is not after today (``05`` is 2005 in 2026, ``70`` is 1970).
The result is shown back as ``17 Agustus 1968`` (``formatting.format_date``), which this reads too.
"""

from __future__ import annotations

import re
from datetime import date

from klaten_desktop.domain.months import month_number

FIRST_YEAR = 1900
EXAMPLES = "17081968, 17-8-1968 atau 17 Agu 1968"

_TIME_SUFFIX = r"(?:[ T]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME_SUFFIX + r"$", re.ASCII)
_DMY = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME_SUFFIX + r"$", re.ASCII)
_DMY_TEXT = re.compile(r"^(\d{1,2})[\s\-/.]*([a-z]+)\.?[\s\-/.,]*(\d{4}|\d{2})$", re.ASCII | re.IGNORECASE)
_DIGITS = re.compile(r"^(\d{2})(\d{2})(\d{4}|\d{2})$", re.ASCII)
_YEAR_ONLY = re.compile(r"^\d{4}$", re.ASCII)


class DateTextError(ValueError):
    """A text that is no date. ``why`` is the reason without the quoted text ("" when it is just no date), for a
    field that shows its message beside the text itself."""

    def __init__(self, shown: str, why: str = "") -> None:
        super().__init__(f"Tanggal {shown} tidak dapat dibaca. " + (why or f"Contoh: {EXAMPLES}."))
        self.why = why


def unreadable(shown: str, why: str = "") -> DateTextError:
    """The refusal of a date, quoting it as ``shown`` (a typed text in quotes, an Excel time as 10:30)."""
    return DateTextError(shown, why)


def only_year(shown: str) -> DateTextError:
    return unreadable(shown, "Isinya hanya tahun; isi tanggal lengkap, misalnya 17-08-1968.")


def _make(text: str, y: int, m: int, d: int, two_digit: bool, today: date) -> date:
    if not two_digit and y < FIRST_YEAR:
        raise unreadable(repr(text), f"Tahun {y} tidak mungkin; periksa penulisan tahunnya.")
    for year in (2000 + y, 1900 + y) if two_digit else (y,):
        try:
            candidate = date(year, m, d)
        except ValueError:
            continue
        if not two_digit or year < 2000 or candidate <= today:
            return candidate
    raise unreadable(repr(text), "Tanggal itu tidak ada di kalender.")


def parse_date_text(text: str, *, today: date) -> date | None:
    """The date in ``text``; None when it is blank; ValueError (Indonesian, quoting the text) otherwise."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    m = _ISO.match(cleaned)
    if m:
        return _make(text, int(m[1]), int(m[2]), int(m[3]), False, today)
    m = _DMY.match(cleaned)
    if m:
        return _make(text, int(m[4]), int(m[3]), int(m[1]), len(m[4]) == 2, today)
    m = _DIGITS.match(cleaned)
    if m:
        return _make(text, int(m[3]), int(m[2]), int(m[1]), len(m[3]) == 2, today)
    m = _DMY_TEXT.match(cleaned)
    if m:
        month = month_number(m[2])
        if month is None:
            raise unreadable(repr(text), f"Nama bulan {m[2]!r} tidak dikenal.")
        return _make(text, int(m[3]), month, int(m[1]), len(m[3]) == 2, today)
    if _YEAR_ONLY.match(cleaned):
        raise only_year(repr(text))
    raise unreadable(repr(text))
