"""A small form dialog whose OK runs a service call; a UserError stays in the dialog, next to the fields."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit.failures import shown, user_text
from klaten_desktop.gui.kit.status_style import ERROR_COLOR
from klaten_desktop.services.errors import UserError


class FormDialog(QDialog):
    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.ok_button.setDefault(True)  # Enter saves (the button box forgets the default when it is laid out)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        return widget

    def run_action(self) -> Any:
        """Override: call the service; raise UserError for the user to fix."""
        raise NotImplementedError

    def show_error(self, text: str) -> None:
        self.error_label.setText("✖ " + text)
        self.error_label.show()

    def error_text(self) -> str:
        return "" if self.error_label.isHidden() else self.error_label.text()

    def _on_ok_clicked(self) -> None:
        with shown(self, inline=self._show_inline) as failed:
            self.result_value = self.run_action()
        if failed:
            return
        self.accept()

    def _show_inline(self, exc: UserError) -> bool:
        self.show_error(user_text(exc))
        return True
