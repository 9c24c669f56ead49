"""The office details form (ui/office_form.ui), used by the setup wizard and by Pengaturan."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from klaten_desktop.gui.forms.ui_office_form import Ui_OfficeForm
from klaten_desktop.gui.kit.status_style import ERROR_COLOR
from klaten_desktop.services.office import OfficeData

# service field -> widget name in the form
FIELDS = {
    "name": "name",
    "address": "address",
    "phone": "phone",
    "email": "email",
    "camat_nama": "camatNama",
    "camat_nip": "camatNip",
    "camat_pangkat": "camatPangkat",
    "bpjs_branch_name": "bpjsBranchName",
    "bpjs_branch_address": "bpjsBranchAddress",
    "bpjs_branch_head": "bpjsBranchHead",
}


class OfficeForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_OfficeForm()
        self.ui.setupUi(self)
        self.ui.camatNip.setMaxLength(24)

    def line(self, field: str) -> QLineEdit:
        widget = getattr(self.ui, FIELDS[field])
        assert isinstance(widget, QLineEdit)
        return widget

    def issue_label(self, field: str) -> QLabel:
        widget = getattr(self.ui, FIELDS[field] + "Issue")
        assert isinstance(widget, QLabel)
        return widget

    def set_data(self, data: OfficeData | None) -> None:
        for field in FIELDS:
            value = getattr(data, field) if data is not None else None
            self.line(field).setText(value or "")

    def values(self) -> dict[str, Any]:
        return {field: self.line(field).text().strip() for field in FIELDS}

    def show_error(self, field: str | None, message: str) -> bool:
        """Put a service error next to its field; False when the field is not on this form."""
        self.clear_errors()
        if field not in FIELDS:
            return False
        label = self.issue_label(field)
        label.setStyleSheet(f"color: {ERROR_COLOR};")
        label.setText("✖ " + message)
        label.show()
        self.line(field).setFocus()
        return True

    def clear_errors(self) -> None:
        for field in FIELDS:
            self.issue_label(field).hide()
