"""The base of every form dialog of the app: its OK runs a service call, and the keyboard works the same everywhere.

- The focus starts on the first field; Tab goes through the fields in reading order, then OK, then Batal.
- Enter submits from any field (Shift+Enter makes a new line in a field of several lines); on a button it presses it.
- Esc (or Batal, or closing the window) cancels, and asks first when something was typed ("Buang perubahan?").
- A refusal (a ``UserError`` of ``run_action``, a date field that holds no date) is shown in lines kept free for it,
  so no field moves under the pointer.

A subclass adds its fields with ``add_row`` (or lays out its own body and overrides ``tab_chain``) and implements
``run_action``; one that decides itself when to close overrides ``submit``.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.date_field import DateField, first_problem
from klaten_desktop.gui.kit.failures import shown, user_text
from klaten_desktop.gui.kit.status_style import ERROR_COLOR
from klaten_desktop.services.errors import UserError

DISCARD_QUESTION = "Buang perubahan? Isian yang sudah diketik di jendela ini tidak disimpan."
INPUT_TYPES = (QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit, DateField)


def is_input(widget: QWidget) -> bool:
    """A field a person types into or chooses in (not a label, a button, or a read-only text)."""
    if isinstance(widget, QPlainTextEdit | QTextEdit | QLineEdit) and widget.isReadOnly():
        return False
    if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QAbstractSpinBox | QComboBox | DateField):
        return False  # the typing part of a spin box, a combo box or a date field
    return isinstance(widget, INPUT_TYPES)


def reserve_lines(label: QLabel, lines: int) -> QLabel:
    """Keep room for ``lines`` lines of a message that comes and goes (``set_message``), so nothing below it moves."""
    label.setWordWrap(True)
    label.setProperty("reserved_lines", lines)
    label.setFixedHeight(label.fontMetrics().lineSpacing() * lines)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def set_message(label: QLabel, text: str) -> None:
    """Show ``text`` in a label of ``reserve_lines``: in the lines kept for it, taller only when it needs more."""
    label.setText(text)
    reserved = label.fontMetrics().lineSpacing() * int(label.property("reserved_lines") or 1)
    needed = label.heightForWidth(label.width()) if text and label.width() > 50 else 0
    label.setFixedHeight(max(reserved, needed))


def _state(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit | DateField):
        return widget.text()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


class FormDialog(QDialog):
    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: Any = None
        self._fields: list[QWidget] = []
        self._snapshot: list[object] | None = None
        self._filtered: set[int] = set()
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.body = QVBoxLayout()
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        layout.addLayout(self.body)
        self.error_label = reserve_lines(QLabel(), 2)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    # ------------------------------------------------------------------------------ building

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        self._fields.append(widget)
        return widget

    def tab_chain(self) -> list[QWidget]:
        """The fields in reading order (override when the body is not built with ``add_row``)."""
        return list(self._fields)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ok_button.setDefault(True)  # Enter saves (the button box forgets the default when it is laid out)
        if self._snapshot is None:
            self._first_show()

    def _first_show(self) -> None:
        # The whole chain, hidden rows included: Tab skips what is hidden or disabled at the time it is pressed,
        # so a row shown later (another tariff kind, say) still takes its place in the reading order.
        fields = self.tab_chain()
        chain = [*fields, self.ok_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        usable = [w for w in fields if w.isVisibleTo(self) and w.isEnabled()]
        if usable:
            usable[0].setFocus(Qt.FocusReason.TabFocusReason)
        for widget in self.findChildren(QWidget):
            if is_input(widget) and id(widget) not in self._filtered:
                target = widget.edit if isinstance(widget, DateField) else widget
                target.installEventFilter(self)
                self._filtered.add(id(widget))
        self._snapshot = self._states()

    # ------------------------------------------------------------------------------ keys

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._is_enter(event):
            if QApplication.activePopupWidget() is not None:
                return False  # a drop-down list or a calendar takes its own Enter
            if (
                isinstance(watched, QPlainTextEdit | QTextEdit)
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):
                watched.textCursor().insertText("\n")
                return True
            if not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
                self._enter()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_enter(event) and not isinstance(self.focusWidget(), QAbstractButton):
            self._enter()
            return
        super().keyPressEvent(event)

    @staticmethod
    def _is_enter(event: QKeyEvent) -> bool:
        return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def _enter(self) -> None:
        if self.ok_button.isVisible() and self.ok_button.isEnabled():
            self.ok_button.click()

    # ------------------------------------------------------------------------------ submitting

    def run_action(self) -> Any:
        """Override: call the service; raise UserError for the user to fix."""
        raise NotImplementedError

    def submit(self) -> bool:
        """OK: every date field must hold a date (or be empty where it may), then ``run_action``; close on success.
        True when the dialog was accepted."""
        refused = first_problem(self)
        if refused is not None:
            self.show_error("Periksa tanggal yang ditandai.")
            refused.setFocus(Qt.FocusReason.OtherFocusReason)
            refused.edit.selectAll()
            return False
        with shown(self, inline=self._show_inline) as failed:
            self.result_value = self.run_action()
        if failed:
            return False
        self.accept()
        return True

    def show_error(self, text: str) -> None:
        set_message(self.error_label, "✖ " + text)

    def clear_error(self) -> None:
        set_message(self.error_label, "")

    def error_text(self) -> str:
        return self.error_label.text()

    def _show_inline(self, exc: UserError) -> bool:
        self.show_error(user_text(exc))
        return True

    # ------------------------------------------------------------------------------ cancelling

    def _states(self) -> list[object]:
        return [_state(w) for w in self.findChildren(QWidget) if is_input(w) or isinstance(w, QAbstractButton)]

    def is_changed(self) -> bool:
        """Something was typed or chosen since the dialog opened."""
        return self._snapshot is not None and self._states() != self._snapshot

    def reject(self) -> None:
        if self.is_changed() and not messages.confirm(self, DISCARD_QUESTION, yes="Buang", no="Kembali mengisi"):
            return
        super().reject()
