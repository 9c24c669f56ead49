"""Group box "Kepesertaan dan surat keterangan" on the Kantor tab: who is insured from the ADD (a dated setting,
services/coverage_settings.py) and whether a surat keterangan may be issued for an official who is not aktif
(services/letters/options.py). Self-contained: it reads and saves its own settings."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.formatting import format_date
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.services import coverage_settings
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.letters import options

OTHER_POSTS = "Sekretaris, Bendahara dan &jabatan lain ikut ditanggung ADD (diajukan, ditagih, dihitung)"
INACTIVE = "I&zinkan surat keterangan bagi pengurus yang tidak aktif (surat menyebut status sebenarnya)"


class CoverageRulesBox(QGroupBox):
    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__("Kepesertaan dan surat keterangan", parent)
        self._ctx = ctx
        self._actor = actor
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.other_posts = QCheckBox(OTHER_POSTS)
        self.valid_from = DateField(optional=False, today=ctx.today())
        self.source = QLineEdit()
        self.source.setPlaceholderText("mis. Keputusan Kepala Desa / surat Bupati nomor ...")
        self.inactive = QCheckBox(INACTIVE)
        self.save_button = QPushButton("&Validasi dan simpan aturan")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("&Waktu mulai berlaku", self.valid_from)
        form.addRow("Dasar &yuridis (mis. nomor SK)", self.source)
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addWidget(self.other_posts)
        layout.addLayout(form)
        layout.addWidget(self.inactive)
        layout.addWidget(self.save_button)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        today = self._ctx.today()
        rule = coverage_settings.rule_on(self._ctx, today)
        since = "" if rule.set_by == "bawaan" else f" sejak {format_date(rule.valid_from)}, diatur oleh {rule.set_by}"
        self.current.setText(f"Ditanggung ADD hari ini: {rule.label}{since}. Dasar: {rule.source}.")
        self.other_posts.setChecked(rule.other_posts)
        self.valid_from.set_value(today)
        self.source.clear()
        self.inactive.setChecked(options.allowed(self._ctx))

    def save(self) -> bool:
        if not self.valid_from.commit():
            self.valid_from.setFocus()
            return False
        on = self.valid_from.value() or self._ctx.today()
        changed_rule = coverage_settings.rule_on(self._ctx, on).other_posts != self.other_posts.isChecked()
        with shown(self) as failed:
            if changed_rule:
                coverage_settings.set_other_posts(
                    self._ctx, self._actor, other_posts=self.other_posts.isChecked(), valid_from=on,
                    source=self.source.text(),
                )  # fmt: skip
            if options.allowed(self._ctx) != self.inactive.isChecked():
                options.set_allowed(self._ctx, self._actor, self.inactive.isChecked())
        if failed:
            return False
        self.refresh()
        messages.info(self, "Aturan kepesertaan disimpan.")
        return True
