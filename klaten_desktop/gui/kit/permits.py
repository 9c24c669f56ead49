"""What the person at the PC may do, shown on screen: the controls of an action their role may not take are
hidden (``permit``), a form they may only read is made read-only (``read_only``).

The services decide (``services/access.require``); hiding only spares a person a button that would answer
"Akses ditolak". A hidden QAction is out of every menu and toolbar and its shortcut no longer fires.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from klaten_desktop.services.access import Permission, allowed
from klaten_desktop.services.context import Actor


def hide(*controls: QWidget | QAction) -> None:
    for control in controls:
        control.setVisible(False)
        control.setEnabled(False)


def permit(actor: Actor, permission: Permission, *controls: QWidget | QAction) -> bool:
    """Hide ``controls`` unless ``actor``'s role grants ``permission``; whether it does."""
    if allowed(actor, permission):
        return True
    hide(*controls)
    return False


def read_only(root: QWidget, *, keep: Iterable[QWidget] = ()) -> None:
    """Everything under ``root`` readable but not changeable: text read-only, choices disabled, buttons hidden
    (but those in ``keep`` and their children); tables keep scrolling and selecting."""
    kept = tuple(keep)

    def is_kept(widget: QWidget) -> bool:
        return any(widget is k or k.isAncestorOf(widget) for k in kept)

    for widget in root.findChildren(QWidget):
        if is_kept(widget):
            continue
        if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit | QAbstractSpinBox):
            widget.setReadOnly(True)
        elif isinstance(widget, QCheckBox | QRadioButton | QComboBox):
            widget.setEnabled(False)
        elif isinstance(widget, QAbstractButton):
            hide(widget)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
