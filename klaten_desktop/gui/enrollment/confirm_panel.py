"""The "look before it is written" step of the money dialogs: a summary (and what is unusual about it) shown
inside the dialog after the first OK, and a check box a person must tick before anything unusual is written.
Any change to the fields that decide it hides it again, so what is confirmed is what is written."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit.status_style import WARNING_COLOR


class ConfirmPanel(QWidget):
    def __init__(self, check_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.check = QCheckBox(check_text)
        layout.addWidget(self.text)
        layout.addWidget(self.check)
        self.shown_for: object = None  # what the summary describes (compared before writing)
        self.clear()

    def show_summary(self, key: object, summary: str, warnings: Sequence[str], *, ready: str) -> None:
        """Show ``summary`` and ``warnings`` for ``key``; the check box appears only when there are warnings."""
        self.shown_for = key
        parts = [escape(summary)]
        parts += [f'<span style="color: {WARNING_COLOR};">⚠ {escape(w)}</span>' for w in warnings]
        parts.append(f"<i>{escape(ready)}</i>")
        self.text.setText("<br>".join(parts))
        self.check.setChecked(False)
        self.check.setVisible(bool(warnings))
        self.show()
        self.window().adjustSize()  # room for every line, below the fields (nothing above moves)
        if warnings:
            self.check.setFocus()

    def clear(self) -> None:
        self.shown_for = None
        self.check.setChecked(False)
        self.hide()

    def confirmed(self, key: object, needs_check: bool) -> bool:
        """True when the summary of ``key`` is on screen and, if it warns, the box is ticked."""
        return self.shown_for == key and (self.check.isChecked() or not needs_check)
