"""The one date field of the app: typed as staff type dates, shown as "1 Januari 2024", with a calendar.

Reads what ``domain.dates.parse_date_text`` reads (``01012024``, ``1-1-2024``, ``01/01/2024``, ``1 Jan 2024`` ...).
Leaving the field (Tab, Enter, a click elsewhere) shows the date in full, or a message under the field when the text
is no date (the line for it is always reserved, so nothing moves). An optional field is emptied with Ctrl+Delete
(or Delete on the whole text, which Tab selects). F4 or Alt+↓ opens the calendar at the date, at the typed year,
or at today.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QLocale, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.dates import EXAMPLES, FIRST_YEAR, DateTextError, parse_date_text
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.gui.kit.status_style import ERROR_COLOR

INDONESIAN = QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
LAST_YEAR = 2100
_A_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


class _DateLine(QLineEdit):
    """The typing part: F4/Alt+↓ ask for the calendar, Ctrl+Delete/Ctrl+Backspace for emptying."""

    calendar_asked = Signal()
    empty_asked = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
            self.calendar_asked.emit()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and mods & Qt.KeyboardModifier.ControlModifier:
            self.empty_asked.emit()
            return
        super().keyPressEvent(event)


class MonthField(QDateEdit):
    """A month of contributions ("November 2026"): ↑/↓ step it, typing a name picks it; Tab leaves it at once
    (a plain QDateEdit would first step from the month to the year)."""

    def __init__(self, value: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLocale(INDONESIAN)
        self.setDisplayFormat("MMMM yyyy")
        self.setCalendarPopup(False)
        self.setDate(QDate(value.year, value.month, 1))

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class DateField(QWidget):
    """``value()`` is the date (None when empty or not a date), ``problem()`` what is wrong with the text."""

    dateChanged = Signal(object)  # dt.date | None, each time the field's date changes

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        optional: bool = True,
        value: dt.date | None = None,
        today: dt.date | None = None,
        show_problem: bool = True,
    ) -> None:
        super().__init__(parent)
        self._optional = optional
        self._today = today
        self._value: dt.date | None = None
        self.edit = _DateLine()
        self.edit.setMaxLength(40)
        self.edit.setPlaceholderText("hh-bb-tttt")
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("30 September 2024") + 24)
        self.calendar_button = QToolButton()
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes on to the next field
        self.calendar_button.setToolTip("Pilih dari kalender (F4)")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setFixedHeight(self.message.fontMetrics().lineSpacing() * 2)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setVisible(show_problem)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addLayout(row)
        column.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._popup: QFrame | None = None
        self.edit.editingFinished.connect(self.commit)
        self.edit.calendar_asked.connect(self.open_calendar)
        self.edit.empty_asked.connect(self._on_empty_asked)
        self.calendar_button.clicked.connect(self.open_calendar)
        self._update_tooltip()
        self.set_value(value)

    # ------------------------------------------------------------------------------ set-up

    def set_optional(self, optional: bool) -> None:
        self._optional = optional
        self._update_tooltip()

    def is_optional(self) -> bool:
        return self._optional

    def set_problem_shown(self, shown: bool) -> None:
        """False where the form shows the field's messages itself (``problem()``) in a label of its own."""
        self.message.setVisible(shown)

    def set_today(self, today: dt.date) -> None:
        """The date the calendar opens at when the field holds none (the office's clock, ``ctx.today()``)."""
        self._today = today

    def _update_tooltip(self) -> None:
        tip = f"Ketik tanggal, mis. {EXAMPLES}. F4 atau Alt+↓: kalender."
        if self._optional:
            tip += " Ctrl+Delete: kosongkan."
        self.edit.setToolTip(tip)

    # ------------------------------------------------------------------------------ value

    def value(self) -> dt.date | None:
        """The date of the text as it stands (None when empty or no date: see ``problem``)."""
        try:
            return self._parse()
        except ValueError:
            return None

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText(format_date(value))
        self._show_problem("")
        self._set_current(value)

    def clear(self) -> None:
        self.set_value(None)

    def text(self) -> str:
        return self.edit.text()

    def problem(self) -> str:
        """Why the text is not an acceptable date ("" when it is): no date, or empty where a date is required."""
        try:
            value = self._parse()
        except DateTextError as exc:  # the text is in the field: the message need not quote it
            return exc.why or f"Bukan tanggal. Contoh: {EXAMPLES}."
        if value is None and not self._optional:
            return "Tanggal wajib diisi."
        return ""

    def shown_problem(self) -> str:
        """The message under the field, as the person sees it."""
        return self.message.text()

    def commit(self) -> bool:
        """Read the text: show the date in full, or the problem under the field. True when it is acceptable."""
        problem = self.problem()
        self._show_problem(problem)
        if problem:
            return False
        value = self._parse()
        self.edit.setText(format_date(value))
        self._set_current(value)
        return True

    def _parse(self) -> dt.date | None:
        return parse_date_text(self.edit.text(), today=self._reference_day())

    def _reference_day(self) -> dt.date:
        if self._today is not None:
            return self._today
        today = QDate.currentDate()
        return dt.date(today.year(), today.month(), today.day())

    def _set_current(self, value: dt.date | None) -> None:
        if value != self._value:
            self._value = value
            self.dateChanged.emit(value)

    def _show_problem(self, problem: str) -> None:
        self.message.setText("✖ " + problem if problem else "")
        self.edit.setAccessibleDescription(problem)
        self.edit.setStyleSheet(f"QLineEdit {{ border: 1px solid {ERROR_COLOR}; }}" if problem else "")

    def _on_empty_asked(self) -> None:
        if self._optional:
            self.clear()

    # ------------------------------------------------------------------------------ calendar

    def calendar_start(self) -> dt.date:
        """Where the calendar opens: the date, else the month of today in a typed year, else today."""
        value = self.value()
        if value is not None:
            return value
        today = self._reference_day()
        m = _A_YEAR.search(self.edit.text())
        if m and FIRST_YEAR <= int(m[1]) <= LAST_YEAR:
            return today.replace(year=int(m[1]), day=min(today.day, 28))
        return today

    def open_calendar(self) -> QCalendarWidget:
        popup = QFrame(self, Qt.WindowType.Popup)
        popup.setFrameShape(QFrame.Shape.Box)
        calendar = QCalendarWidget(popup)
        calendar.setLocale(INDONESIAN)
        calendar.setGridVisible(True)
        calendar.setMinimumDate(QDate(FIRST_YEAR, 1, 1))
        calendar.setMaximumDate(QDate(LAST_YEAR, 12, 31))
        calendar.setSelectedDate(_qdate(self.calendar_start()))
        calendar.activated.connect(lambda d: self._picked(d, popup))
        calendar.clicked.connect(lambda d: self._picked(d, popup))
        layout = QVBoxLayout(popup)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(calendar)
        popup.adjustSize()
        popup.move(self._popup_position(popup.sizeHint().height()))
        self._popup = popup
        popup.show()
        calendar.setFocus()
        return calendar

    def _popup_position(self, height: int) -> QPoint:
        below = self.edit.mapToGlobal(QPoint(0, self.edit.height()))
        screen = self.screen().availableGeometry()
        if below.y() + height > screen.bottom():
            return self.edit.mapToGlobal(QPoint(0, -height))
        return below

    def calendar_popup(self) -> QCalendarWidget | None:
        popup = self._popup
        if popup is None or not popup.isVisible():
            return None
        return popup.findChild(QCalendarWidget)

    def _picked(self, date: QDate, popup: QFrame) -> None:
        popup.close()
        self.set_value(dt.date(date.year(), date.month(), date.day()))
        self.edit.setFocus()
        self.edit.selectAll()


def first_problem(parent: QWidget) -> DateField | None:
    """Commit every date field of ``parent`` (visible and enabled); the first that is refused, if any."""
    refused: DateField | None = None
    for field in parent.findChildren(DateField):
        if field.isVisibleTo(parent) and field.isEnabled() and not field.commit() and refused is None:
            refused = field
    return refused
