"""Tab "Sinkronisasi": after how many days without an export the office is reminded (``ekspor.pengingat_hari``),
and the kode pos of the desa that go out in the BPJS list (gui/settings/kode_pos_box.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.settings.common import SettingsTab, hint_label
from klaten_desktop.gui.settings.kode_pos_box import KodePosBox
from klaten_desktop.services import settings
from klaten_desktop.services.context import Actor, ServiceContext

KEY = "ekspor.pengingat_hari"


class SyncTab(SettingsTab):
    def __init__(self, ctx: ServiceContext, actor: Actor, used: set[str], parent: QWidget | None = None) -> None:
        super().__init__(ctx, actor, parent)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setSuffix(" hari")
        self.days.setAccessibleName("Pengingat ekspor (hari)")
        self.days.setMaximumWidth(140)
        label = QLabel("Ingatkan &ekspor setelah")
        label.setBuddy(self.days)
        form = QFormLayout()
        form.addRow(label, self.days)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(
            hint_label(
                "Kantor kecamatan mengirim data ke kabupaten dengan paket sinkronisasi. Bila ekspor terakhir lebih "
                "lama dari batas ini, Beranda dan layar Sinkronisasi menampilkan pengingat. Di kantor kabupaten, batas "
                "ini menandai kecamatan yang belum mengirim paket selama itu."
            )
        )
        layout.addLayout(form)
        self.kode_pos = KodePosBox(ctx, actor, used | {"e"})
        layout.addWidget(self.kode_pos, 1)

    def refresh(self) -> None:
        self.days.setValue(int(settings.get(self._ctx, KEY)))
        self.kode_pos.refresh()

    def save(self) -> bool:
        self.days.interpretText()
        value = self.days.value()
        with shown(self) as failed:
            if int(settings.get(self._ctx, KEY)) != value:
                settings.put(self._ctx, self._actor, KEY, value)
        if failed:
            return False
        messages.info(self, f"Pengingat ekspor disimpan: setiap {value} hari.")
        return True
