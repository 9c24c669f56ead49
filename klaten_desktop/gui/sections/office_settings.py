"""Pengaturan: the office's details printed on letters (services.office.update)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from klaten_desktop.gui import messages
from klaten_desktop.gui.failures import show_failure
from klaten_desktop.gui.sections.common import add_action
from klaten_desktop.gui.session import desktop_actor
from klaten_desktop.gui.widgets.office_form import OfficeForm
from klaten_desktop.services import office
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError


class OfficeSettingsSection(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = desktop_actor()
        title = QLabel("Pengaturan kantor")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.form = OfficeForm()
        self.save_action = add_action(self, "&Simpan pengaturan", self.save, "Ctrl+S")
        self.reset_action = add_action(self, "&Kembalikan", self.refresh)
        self.save_button = QPushButton(self.save_action.text())
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_action.trigger)
        reset = QPushButton(self.reset_action.text())
        reset.clicked.connect(self.reset_action.trigger)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(reset)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(title)
        layout.addWidget(self.identity)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)
        for field in ("name", "address", "phone", "email", "camat_nama", "camat_nip", "camat_pangkat"):
            self.form.line(field).returnPressed.connect(self.save)
        for field in ("bpjs_branch_name", "bpjs_branch_address", "bpjs_branch_head"):
            self.form.line(field).returnPressed.connect(self.save)

    def refresh(self) -> None:
        data = office.get(self._ctx)
        self.form.clear_errors()
        self.form.set_data(data)
        if data is None:
            self.identity.setText("Kantor belum diatur.")
        elif data.is_kabupaten:
            self.identity.setText(f"Peran: kantor kabupaten (kode {data.office_code}), memegang data 26 kecamatan.")
        else:
            self.identity.setText(
                f"Peran: kantor kecamatan {data.kecamatan_nama} (kode {data.office_code}). "
                "Kecamatan tidak dapat diubah setelah pengaturan awal."
            )

    def save(self) -> None:
        nip_error = self.form.check_nip()
        if nip_error:
            self.form.show_error("camat_nip", nip_error)
            return
        values = self.form.values()
        values["camat_nip"] = "".join(values["camat_nip"].split())
        try:
            office.update(self._ctx, self._actor, **values)
        except UserError as exc:
            if not self.form.show_error(exc.field, exc.message):
                show_failure(self, exc)
            return
        except EnvironmentProblem as exc:
            show_failure(self, exc)
            return
        self.form.clear_errors()
        messages.info(self, "Pengaturan kantor disimpan.")
