"""Tab "Kantor": the office's details printed on letters (services.office.update)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.settings.common import SettingsTab, room_for_underline
from klaten_desktop.gui.settings.coverage_rules import CoverageRulesBox
from klaten_desktop.gui.settings.office_form import OfficeForm
from klaten_desktop.services import office
from klaten_desktop.services.context import Actor, ServiceContext

# mnemonics that do not clash with the menus (Alt+B/T/D), the tabs or the section's buttons
LABELS = {
    "nameLabel": "&Nama kantor",
    "addressLabel": "&Alamat kantor",
    "phoneLabel": "T&elepon",
    "emailLabel": "Su&rel",
    "camatNamaLabel": "Na&ma camat",
    "camatNipLabel": "NI&P camat",
    "camatPangkatLabel": "Pangkat/go&longan",
    "bpjsBranchNameLabel": "Nama kant&or cabang",
    "bpjsBranchAddressLabel": "Alamat &cabang",
    "bpjsBranchHeadLabel": "Kepala caban&g",
}


class OfficeTab(SettingsTab):
    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent)
        self.identity = QLabel()
        self.identity.setWordWrap(True)
        self.form = OfficeForm()
        for name, text in LABELS.items():
            label = getattr(self.form.ui, name)
            assert isinstance(label, QLabel)
            label.setText(text)
            room_for_underline(label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.identity)
        layout.addWidget(self.form)
        layout.addWidget(CoverageRulesBox(ctx, actor))
        layout.addStretch(1)

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

    def save(self) -> bool:
        values = self.form.values()
        with shown(self, inline=lambda exc: self.form.show_error(exc.field, exc.message)) as failed:
            office.update(self._ctx, self._actor, **values)
        if failed:
            return False
        self.form.clear_errors()
        messages.info(self, "Pengaturan kantor disimpan.")
        return True
