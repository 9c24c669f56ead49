"""Tolerant parsers for values typed by hand into spreadsheets: RT/RW numbers, dates (Excel serials, day first,
Indonesian month names), "tempat, tanggal lahir" cells, L/P.

Used by the importer, and by whoever reads a value as a desa types it into a cell (a table export, the CLI's
L/P). Every parser raises only ``ValueError`` with an Indonesian message naming the value. How a name and a
telephone number are stored is a rule of the record: ``domain/normalize.py``.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

from klaten_desktop.domain.dates import only_year, parse_date_text, unreadable
from klaten_desktop.domain.enums import Sex
from klaten_desktop.domain.normalize import normalize_name
from klaten_desktop.domain.official_rules import RT_RW_MAX

EXCEL_SERIAL_MAX = 2_958_465  # 9999-12-31
_EXCEL_EPOCH = date(1899, 12, 30)  # valid for serials >= 61 (Excel's 1900 leap-year bug)


#: What desa type into a cell that has no value: a dash (or two), an en or em dash, a dot.
PLACEHOLDERS = frozenset({"-", "--", "---", "\u2013", "\u2014", "."})


def is_placeholder(text: str) -> bool:
    """True for a cell text that means "nothing here": blank or a placeholder such as "-"."""
    stripped = text.strip()
    return not stripped or stripped in PLACEHOLDERS


# --------------------------------------------------------------------------- RT / RW


def _check_range(n: int, what: str, raw: object) -> int:
    if not 1 <= n <= RT_RW_MAX:
        raise ValueError(f"Nomor {what} {raw!r} harus antara 1 dan {RT_RW_MAX}.")
    return n


def _slot_number(n: int, what: str, raw: object) -> int | None:
    """An RT or RW number; 0 ("000") is how a list says "no RT" (a Ketua RW's row): None."""
    return None if n == 0 else _check_range(n, what, raw)


_RT_NUMBER = re.compile(r"^(?:(?:rt|rw)\s*[.:]?\s*)?(\d{1,6})(?:\.0+)?$", re.IGNORECASE | re.ASCII)


def parse_rt_number(value: object, what: str = "RT") -> int | None:
    """Read 1, 1.0, "001", "RT 04", "Rt.4"; None for blank, "-" or 0; ValueError on anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"Nomor {what} {value!r} tidak valid.")
    if isinstance(value, int):
        return _slot_number(value, what, value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(f"Nomor {what} {value!r} harus bilangan bulat.")
        return _slot_number(int(value), what, value)
    if not isinstance(value, str):
        raise ValueError(f"Nomor {what} {value!r} tidak valid.")
    if is_placeholder(value):
        return None
    m = _RT_NUMBER.match(value.strip())
    if not m:
        raise ValueError(f"Nomor {what} {value!r} tidak dapat dibaca. Isi angka saja, misalnya 3 atau 003.")
    return _slot_number(int(m.group(1)), what, value)


_PAIR_PREFIX = re.compile(r"^rt\s*/\s*rw\s*[.:]?\s*", re.IGNORECASE)
_PAIR_PLAIN = re.compile(r"^(\d{1,6})\s*[/\\\-.]\s*(\d{1,6})$", re.ASCII)
_PAIR_NO_RT = re.compile(r"^[-\u2013\u2014]+\s*/\s*(\d{1,6})$", re.ASCII)  # "-/002": a Ketua RW's row
_LABELLED = re.compile(r"\b(rt|rw)\s*[.:]?\s*(\d{1,6})\b", re.IGNORECASE | re.ASCII)


def parse_rt_rw_pair(text: str | None) -> tuple[int | None, int | None]:
    """Read "003/002", "3/2", "RT 03 / RW 02", "RT.003 RW.002", "03-02" as (rt, rw); "000/002" and "-/002"
    as (None, 2), a Ketua RW's slot."""
    if text is None:
        return None, None
    if not isinstance(text, str):
        raise ValueError(f"RT/RW {text!r} tidak dapat dibaca.")
    cleaned = _PAIR_PREFIX.sub("", text.strip())
    if is_placeholder(cleaned):
        return None, None
    m = _PAIR_PLAIN.match(cleaned)
    if m:
        return _slot_number(int(m.group(1)), "RT", text), _slot_number(int(m.group(2)), "RW", text)
    m = _PAIR_NO_RT.match(cleaned)
    if m:
        return None, _slot_number(int(m.group(1)), "RW", text)
    rt: int | None = None
    rw: int | None = None
    for label, number in _LABELLED.findall(cleaned):
        if label.lower() == "rt":
            if rt is not None:
                raise ValueError(f"RT/RW {text!r} menyebut RT lebih dari sekali.")
            rt = _check_range(int(number), "RT", text)
        else:
            if rw is not None:
                raise ValueError(f"RT/RW {text!r} menyebut RW lebih dari sekali.")
            rw = _check_range(int(number), "RW", text)
    leftover = _LABELLED.sub("", cleaned)
    if (rt is None and rw is None) or re.sub(r"[\s/\\\-.,;:]", "", leftover):
        raise ValueError(f"RT/RW {text!r} tidak dapat dibaca. Contoh yang benar: 003/002 atau RT 03 RW 02.")
    return rt, rw


# --------------------------------------------------------------------------- dates


def _shown(value: object) -> str:
    """A cell value as a message quotes it: text in quotes, a time of day as Excel shows it (10:30)."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


#: Whole numbers Excel shows as a year when typed alone: as a date serial they would fall in 1905.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


def excel_serial_to_date(serial: float) -> date:
    """Excel 1900 date system: 1 = 1900-01-01, 25569 = 1970-01-01 (serial 60, 29 Feb 1900, does not exist)."""
    if not math.isfinite(serial) or not 1 <= serial <= EXCEL_SERIAL_MAX:
        raise ValueError(f"Nomor tanggal Excel {serial!r} di luar rentang 1 sampai {EXCEL_SERIAL_MAX}.")
    whole = int(serial)
    if whole == 60:
        raise ValueError("Nomor tanggal Excel 60 (29 Februari 1900) tidak ada di kalender.")
    if whole < 60:
        return date(1899, 12, 31) + timedelta(days=whole)
    return _EXCEL_EPOCH + timedelta(days=whole)


def parse_date_flexible(value: object, *, today: date | None = None) -> date | None:
    """Read a date from a spreadsheet cell: a date, an Excel serial, or a text as ``domain.dates`` reads it (day
    first always); blank or a placeholder -> None; ValueError when unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise unreadable(_shown(value))
    if isinstance(value, int | float):
        if _FIRST_YEAR <= value <= _LAST_YEAR and float(value).is_integer():
            raise only_year(_shown(value))
        return excel_serial_to_date(value)
    if not isinstance(value, str):
        raise unreadable(_shown(value))
    if value.strip() in PLACEHOLDERS:
        return None
    return parse_date_text(value, today=today if today is not None else date.today())


_DATE_START = re.compile(r"\d", re.ASCII)


def split_place_and_date(text: str | None, *, today: date | None = None) -> tuple[str | None, date | None]:
    """Split a "tempat, tanggal lahir" cell: "Klaten, 12-05-1970" -> ("Klaten", date(1970, 5, 12))."""
    if text is None or not text.strip():
        return None, None
    cleaned = " ".join(text.split())
    m = _DATE_START.search(cleaned)
    if m is None:
        place_part, date_part = cleaned, ""
    else:
        place_part, date_part = cleaned[: m.start()], cleaned[m.start() :]
    place_part = place_part.strip().rstrip(",;/").strip()
    place = normalize_name(place_part) or None
    born = parse_date_flexible(date_part, today=today) if date_part else None
    return place, born


# --------------------------------------------------------------------------- sex

_SEX_ALIASES: dict[str, Sex] = {
    "l": Sex.L, "lk": Sex.L, "laki": Sex.L, "lakilaki": Sex.L, "lelaki": Sex.L, "pria": Sex.L,
    "p": Sex.P, "pr": Sex.P, "perempuan": Sex.P, "wanita": Sex.P, "pere": Sex.P, "prp": Sex.P,
}  # fmt: skip


def parse_sex(value: object) -> Sex | None:
    if value is None:
        return None
    if isinstance(value, Sex):
        return value
    if not isinstance(value, str):
        raise ValueError(f"Jenis kelamin {value!r} tidak dapat dibaca. Isi L atau P.")
    key = re.sub(r"[^a-z]", "", value.lower())
    if not key and not value.strip():
        return None
    sex = _SEX_ALIASES.get(key)
    if sex is None:
        raise ValueError(f"Jenis kelamin {value!r} tidak dapat dibaca. Isi L (laki-laki) atau P (perempuan).")
    return sex
