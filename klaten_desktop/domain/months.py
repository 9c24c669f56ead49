"""Calendar months (contribution periods)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import overload

MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip

#: Every way a month name is written in Klaten's lists and typed by staff: Indonesian names and abbreviations (old
#: spellings Pebruari/Nopember, Agu/Agt/Ags), English ones. Keys are lower case; ``month_number`` reads them.
MONTH_ALIASES: dict[str, int] = {
    alias: number
    for number, aliases in enumerate(
        (
            ("januari", "jan", "january", "janu"),
            ("februari", "feb", "pebruari", "peb", "february", "febr"),
            ("maret", "mar", "march", "mrt"),
            ("april", "apr", "aprl"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "ags", "agus", "agust", "aug", "august", "agst"),
            ("september", "sep", "sept", "spt"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nop", "nopember", "novemb"),
            ("desember", "des", "dec", "december", "desemb"),
        ),
        start=1,
    )
    for alias in aliases
}


def month_number(name: str) -> int | None:
    """1-12 for a month name or abbreviation in any case ("Agt", "PEB", "mei."); None when it is none."""
    return MONTH_ALIASES.get(name.strip().rstrip(".").lower())


_YM_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})\s*[-/.]\s*(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})$"),
)


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or not isinstance(self.month, int):
            raise ValueError("Tahun dan bulan harus bilangan bulat.")
        if not 1 <= self.month <= 12:
            raise ValueError(f"Bulan harus 1 sampai 12 (terisi {self.month}).")
        if not 1900 <= self.year <= 2999:
            raise ValueError(f"Tahun harus antara 1900 dan 2999 (terisi {self.year}).")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Read "2026-03", "2026-3", "03/2026" or "3-2026"."""
        cleaned = text.strip() if isinstance(text, str) else ""
        for pattern in _YM_PATTERNS:
            m = pattern.match(cleaned)
            if m:
                try:
                    return cls(int(m["y"]), int(m["m"]))
                except ValueError as exc:
                    raise ValueError(f"Bulan {text!r} tidak valid: {exc}") from None
        raise ValueError(f"Bulan {text!r} tidak dapat dibaca. Gunakan format TTTT-BB, misalnya 2026-03.")

    @classmethod
    def of(cls, d: date) -> YearMonth:
        return cls(d.year, d.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def _index(self) -> int:
        return self.year * 12 + (self.month - 1)

    @classmethod
    def _from_index(cls, index: int) -> YearMonth:
        return cls(index // 12, index % 12 + 1)

    def __add__(self, n: int) -> YearMonth:
        if not isinstance(n, int):
            return NotImplemented
        return YearMonth._from_index(self._index() + n)

    @overload
    def __sub__(self, other: int) -> YearMonth: ...
    @overload
    def __sub__(self, other: YearMonth) -> int: ...
    def __sub__(self, other: int | YearMonth) -> YearMonth | int:
        if isinstance(other, YearMonth):
            return self._index() - other._index()
        if isinstance(other, int):
            return YearMonth._from_index(self._index() - other)
        return NotImplemented

    def next(self) -> YearMonth:
        return self + 1

    def prev(self) -> YearMonth:
        return self - 1

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def due_date(self) -> date:
        """Last day to pay this month's BPU contribution (the 15th; holidays are not shifted)."""
        return date(self.year, self.month, 15)

    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"


def month_range(start: YearMonth, end: YearMonth) -> list[YearMonth]:
    """All months from start to end inclusive; empty when start > end."""
    return [start + i for i in range(end - start + 1)] if start <= end else []
