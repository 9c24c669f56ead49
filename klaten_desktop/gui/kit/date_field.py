"""Date entry that may be left empty: a QDateEdit whose minimum date stands for "kosong"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit

EMPTY = QDate(1900, 1, 1)
INDONESIAN = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)


def setup_date_edit(edit: QDateEdit, *, optional: bool = True, value: dt.date | None = None) -> None:
    """Numeric day-month-year entry with a calendar in Indonesian, whatever the Windows locale is."""
    edit.setLocale(INDONESIAN)
    edit.setDisplayFormat("dd-MM-yyyy")
    edit.setCalendarPopup(True)
    edit.setMaximumDate(QDate(2100, 12, 31))
    edit.setMinimumDate(EMPTY)
    edit.setSpecialValueText("—" if optional else "")
    set_date(edit, value)


def set_date(edit: QDateEdit, value: dt.date | None) -> None:
    edit.setDate(EMPTY if value is None else QDate(value.year, value.month, value.day))


def get_date(edit: QDateEdit) -> dt.date | None:
    q = edit.date()
    if q == EMPTY:
        return None
    return dt.date(q.year(), q.month(), q.day())
