"""Tab "Server basis data" of Pengaturan: where this PC's database lives (the same choice as the first-run step,
gui/wizard_server.py), stored in the data folder and used from the next start (docs/server-mode.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.settings.common import SettingsTab, assign_mnemonics, hint_label
from klaten_desktop.gui.wizard_server import ServerForm
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import server
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError

TAB_TEXT = "Ser&ver basis data"


class DatabaseTab(SettingsTab):
    def __init__(
        self, ctx: ServiceContext, actor: Actor, paths: AppPaths, used: set[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, actor, parent)
        self._paths = paths
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setStyleSheet("font-weight: 600;")
        self.form = ServerForm()
        labels = [w for w in self.form.findChildren(QLabel) if w.buddy() is not None]
        assign_mnemonics([self.form.local_radio, self.form.server_radio, *labels, self.form.test_button], used)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.current)
        layout.addWidget(
            hint_label(
                "Pengaturan komputer ini saja (bukan data kantor). Perubahan dipakai saat aplikasi dibuka lagi; data "
                "di letak lama tidak dipindahkan (pindahkan dengan perintah migrate-to, docs/server-mode.md)."
            )
        )
        layout.addWidget(self.form)
        layout.addStretch(1)

    def refresh(self) -> None:
        try:
            setting = server.stored(self._paths)
        except UserError as exc:
            self.current.setText(exc.message)
            return
        if self._paths.database_url is not None and setting is None:
            where = "server dari --db-url (baris perintah)"
        elif setting is None:
            where = f"berkas {self._paths.database}"
        else:
            where = f"server {setting.label}, pengguna {setting.user}"
        self.current.setText(f"Basis data yang dipakai sekarang: {where}.")
        self.form.show_setting(setting)

    def save(self) -> bool:
        if self.form.busy():
            return False
        if self.form.use_server() and not self.form.is_tested():
            self.form.test(then=self.save)  # saved once the fields connected
            return False
        kept = self.form.remember(self._paths)
        extra = ""
        if self.form.use_server() and not kept:
            extra = " Kata sandi tidak disimpan di komputer ini; ditanyakan setiap kali aplikasi dibuka."
        messages.info(
            self,
            "Letak basis data disimpan. Tutup lalu buka kembali aplikasi untuk memakainya; data di letak lama tidak "
            f"dipindahkan.{extra}",
        )
        self.refresh()
        return True
