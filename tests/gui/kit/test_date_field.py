"""The one date field, driven by the keyboard: typed forms, the full date after Tab, refusals at the field."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit.date_field import DateField

TODAY = dt.date(2026, 11, 24)


def _form(qtbot: QtBot, *, optional: bool = True) -> tuple[QWidget, DateField, QLineEdit]:
    page = QWidget()
    form = QFormLayout(page)
    field = DateField(optional=optional, today=TODAY)
    after = QLineEdit()
    form.addRow("Tanggal", field)
    form.addRow("Berikutnya", after)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    field.setFocus(Qt.FocusReason.TabFocusReason)
    return page, field, after


@pytest.mark.parametrize("typed", ["01012024", "1-1-2024", "01/01/2024", "1 Jan 2024", "1 januari 2024", "010124"])
def test_typed_dates_read_and_shown_in_full(qtbot: QtBot, typed: str) -> None:
    page, field, after = _form(qtbot)
    qtbot.keyClicks(page.focusWidget(), typed)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert page.focusWidget() is after  # Tab leaves the field
    assert field.value() == dt.date(2024, 1, 1)
    assert field.text() == "1 Januari 2024"
    assert field.shown_problem() == ""


@pytest.mark.parametrize(
    ("typed", "expected"), [("17 Agt 1968", dt.date(1968, 8, 17)), ("3 Peb 65", dt.date(1965, 2, 3))]
)
def test_indonesian_abbreviations(qtbot: QtBot, typed: str, expected: dt.date) -> None:
    page, field, _after = _form(qtbot)
    qtbot.keyClicks(page.focusWidget(), typed)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert field.value() == expected


def test_no_date_is_refused_at_the_field_and_nothing_moves(qtbot: QtBot) -> None:
    page, field, after = _form(qtbot)
    where = after.mapTo(page, after.rect().topLeft())
    qtbot.keyClicks(page.focusWidget(), "31 Februari 2024")
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert field.value() is None
    assert "tidak ada di kalender" in field.shown_problem()
    assert field.text() == "31 Februari 2024"  # kept for correcting
    assert after.mapTo(page, after.rect().topLeft()) == where
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Backtab)  # back into the field: its text selected, replaced
    qtbot.keyClicks(page.focusWidget(), "29-2-2024")
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert field.value() == dt.date(2024, 2, 29) and field.shown_problem() == ""


def test_letters_are_no_date(qtbot: QtBot) -> None:
    page, field, _after = _form(qtbot)
    qtbot.keyClicks(page.focusWidget(), "kemarin")
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert field.problem() == "Bukan tanggal. Contoh: 17081968, 17-8-1968 atau 17 Agu 1968."
    assert field.shown_problem() == "✖ " + field.problem()


def test_an_optional_field_is_emptied_with_one_key(qtbot: QtBot) -> None:
    page, field, _after = _form(qtbot)
    field.set_value(dt.date(2024, 1, 1))
    field.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert field.value() is None and field.text() == "" and field.problem() == ""
    field.set_value(dt.date(2024, 1, 1))
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Backtab)  # coming back by Tab selects the whole date
    assert page.focusWidget() is field.edit
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Delete)  # one key empties it
    assert field.text() == "" and field.value() is None
    assert "Ctrl+Delete" in field.edit.toolTip()


def test_a_required_field_is_not_emptied(qtbot: QtBot) -> None:
    page, field, _after = _form(qtbot, optional=False)
    field.set_value(dt.date(2024, 1, 1))
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert field.value() == dt.date(2024, 1, 1)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Backtab)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Delete)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_Tab)
    assert field.shown_problem() == "✖ Tanggal wajib diisi."
    assert "Ctrl+Delete" not in field.edit.toolTip()


@pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing|propagateSizeHints)"
)  # offscreen: no window manager
def test_the_calendar_opens_near_today_or_the_typed_year(qtbot: QtBot) -> None:
    page, field, _after = _form(qtbot)
    qtbot.keyClick(page.focusWidget(), Qt.Key.Key_F4)
    calendar = field.calendar_popup()
    assert calendar is not None
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)  # an empty field: today, never 1900
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: field.calendar_popup() is None)
    field.setFocus()
    qtbot.keyClicks(field.edit, "1 1975")
    calendar = field.open_calendar()
    assert calendar.yearShown() == 1975
    view = calendar.findChild(QTableView)
    assert view is not None and view.hasFocus()  # the keyboard is in the calendar
    qtbot.keyClick(view, Qt.Key.Key_Return)  # picks the selected day
    assert field.value() is not None and field.value().year == 1975  # type: ignore[union-attr]
    assert field.calendar_popup() is None and field.text().endswith("1975")
