"""Pieces shared by the sections: actions with shortcuts, the key-value detail panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget


def add_action(
    widget: QWidget, text: str, slot: Callable[[], None], shortcut: str | QKeySequence.StandardKey | None = None
) -> QAction:
    """An action of the section: in its buttons, in the window's "Tindakan" menu and toolbar, on a shortcut."""
    action = QAction(text, widget)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(
            f"{text.replace('&', '')} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
    action.triggered.connect(lambda _checked=False: slot())
    widget.addAction(action)
    return action


class DetailPanel(QWidget):
    """Label: value rows that can be filled and cleared."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.values: dict[str, QLabel] = {}
        for key, title in rows:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addRow(title + ":", value)
            self.values[key] = value

    def set(self, key: str, text: str) -> None:
        self.values[key].setText(text or "—")

    def clear(self) -> None:
        for value in self.values.values():
            value.setText("")
