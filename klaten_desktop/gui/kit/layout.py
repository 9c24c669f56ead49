"""Pieces shared by the sections: actions with shortcuts and their buttons, the key-value detail panel, and the
table-left / details-right layout of the officials and enrollment sections."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.kit.ui_settings import UiSettings


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


def button_for(action: QAction) -> QPushButton:
    """A push button that triggers ``action`` and follows its enabled state (same text, same mnemonic); hidden
    with a hidden action."""
    button = QPushButton(action.text())
    button.setToolTip(action.toolTip())
    button.clicked.connect(action.trigger)
    action.enabledChanged.connect(button.setEnabled)
    button.setEnabled(action.isEnabled())

    def follow_visible() -> None:  # hidden with an action the person's role may not take (kit/permits.py)
        if not action.isVisible():
            button.hide()
        elif button.parentWidget() is not None:  # (a button without a parent would become a window)
            button.show()

    action.visibleChanged.connect(follow_visible)
    follow_visible()
    return button


def table_column(actions: Sequence[QAction], loading: QWidget, browser: QWidget) -> QWidget:
    """The left-hand column: a row of buttons for ``actions``, the loading notice, then the officials table."""
    buttons = QHBoxLayout()
    for action in actions:
        buttons.addWidget(button_for(action))
    buttons.addStretch(1)
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(buttons)
    layout.addWidget(loading)
    layout.addWidget(browser, 1)
    return column


def name_label() -> QLabel:
    """The selected official's name, large, above the details."""
    label = QLabel()
    label.setStyleSheet("font-size: 16px; font-weight: 600;")
    label.setWordWrap(True)
    return label


def detail_column(
    name: QLabel, chip: QWidget, parts: list[tuple[QWidget | QLayout, int]], empty_text: str, min_width: int
) -> tuple[QWidget, QLabel]:
    """The right-hand column: the name with its status chip, then ``parts`` (widget or layout, stretch) and a
    hint shown while nothing is selected. Returns the column and the hint."""
    column = QWidget()
    column.setMinimumWidth(min_width)
    layout = QVBoxLayout(column)
    layout.setContentsMargins(8, 0, 0, 0)
    head = QHBoxLayout()
    head.addWidget(name, 1)
    head.addWidget(chip, 0, Qt.AlignmentFlag.AlignTop)
    layout.addLayout(head)
    for part, stretch in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part, stretch)
        else:
            layout.addWidget(part, stretch)
    empty = QLabel(empty_text)
    empty.setWordWrap(True)
    layout.addWidget(empty)
    return column, empty


def master_detail(
    owner: QWidget,
    left: QWidget,
    right: QWidget,
    *,
    settings: UiSettings | None,
    key: str,
    stretch: tuple[int, int],
    sizes: tuple[int, int],
) -> QSplitter:
    """``left`` and ``right`` side by side in a splitter filling ``owner``; the split is restored from ``settings``
    (the session's view settings, None in tests that build a widget alone) as ``key``."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, stretch[0])
    splitter.setStretchFactor(1, stretch[1])
    splitter.setSizes(list(sizes))
    if settings is not None:
        settings.restore_splitter(splitter, key)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(8, 8, 8, 8)
    layout.addWidget(splitter)
    return splitter
