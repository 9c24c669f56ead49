"""Driving a dialog as staff do: keys sent to whatever has the focus, starting from the dialog's initial focus."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def owner(widget: QWidget, candidates: list[QWidget]) -> QWidget | None:
    """The candidate that ``widget`` is, or is inside (the typing part of a date field, a spin box ...)."""
    current: QWidget | None = widget
    while current is not None:
        if any(current is c for c in candidates):
            return current
        current = current.parentWidget()
    return None


def type_text(qtbot: QtBot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def tab(qtbot: QtBot, times: int = 1) -> None:
    for _ in range(times):
        press(qtbot, Qt.Key.Key_Tab)
