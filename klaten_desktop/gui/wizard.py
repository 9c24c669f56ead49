"""First run: who is this office (a kecamatan or the regency), its details and kop logo, the basis of the
contributions (gui/wizard_tariff.py), or a try-out with demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from klaten_desktop import APP_NAME
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui import wizard_admin
from klaten_desktop.gui.kit import messages, qt_indonesian
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.tasks import Task, run_task
from klaten_desktop.gui.settings.office_form import OfficeForm
from klaten_desktop.gui.wizard_tariff import TariffPage, apply_choice
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import demo, office, wilayah
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.documents import letterhead
from klaten_desktop.services.errors import EnvironmentProblem, UserError

DEMO_OFFICIALS = {OfficeRole.kecamatan: 600, OfficeRole.kabupaten: 13_000}


def populate_demo(progress: Progress, cancelled: CancelCheck, ctx: ServiceContext, n: int) -> demo.DemoResult:
    return demo.populate(ctx, SYSTEM, n, progress=progress, cancelled=cancelled)


class RolePage(QWizardPage):
    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self.setTitle("Selamat datang di Klaten Desktop")
        self.setSubTitle("Pilih kantor yang memakai komputer ini. Pilihan ini tidak dapat diubah kemudian.")
        self.kecamatan_radio = QRadioButton("Kantor &kecamatan")
        self.kabupaten_radio = QRadioButton("Kantor ka&bupaten (menghimpun data 26 kecamatan)")
        group = QButtonGroup(self)
        group.addButton(self.kecamatan_radio)
        group.addButton(self.kabupaten_radio)
        self.kecamatan_radio.setChecked(True)
        self.kecamatan = QComboBox()
        self.kecamatan.addItem("— pilih kecamatan —", None)
        for row in wilayah.kecamatan(ctx):
            self.kecamatan.addItem(f"{row.nama} ({row.kode})", row.kode)
        self.kecamatan.setMaxVisibleItems(26)
        label = QLabel("&Kecamatan:")
        label.setBuddy(self.kecamatan)
        self.demo = QCheckBox("Coba dengan &data contoh (pengurus fiktif, bukan orang sungguhan)")
        hint = QLabel(
            "Dengan data contoh, aplikasi langsung berisi pengurus RT/RW rekaan untuk berlatih. "
            "Untuk pemakaian sungguhan, pasang ulang dengan folder data baru."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kecamatan_radio)
        layout.addWidget(label)
        layout.addWidget(self.kecamatan)
        layout.addSpacing(8)
        layout.addWidget(self.kabupaten_radio)
        layout.addSpacing(16)
        layout.addWidget(self.demo)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.kecamatan_radio.toggled.connect(self.kecamatan.setEnabled)
        self.kecamatan_radio.toggled.connect(self.completeChanged)
        self.kecamatan.currentIndexChanged.connect(self.completeChanged)

    def role(self) -> OfficeRole:
        return OfficeRole.kecamatan if self.kecamatan_radio.isChecked() else OfficeRole.kabupaten

    def isComplete(self) -> bool:
        return self.role() is OfficeRole.kabupaten or self.kecamatan.currentData() is not None


class LogoRow(QWidget):
    """The kop's logo (the regency's emblem): a preview and the buttons to choose or drop the image.
    Nothing is stored here: the wizard saves the chosen file once the office exists."""

    def __init__(self) -> None:
        super().__init__()
        self.path: Path | None = None
        self.preview = QLabel("Tanpa logo")
        self.preview.setFixedSize(72, 72)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid #c5cad1; background: #ffffff;")
        self.choose = QPushButton("Pilih &logo kop (PNG/JPEG)…")
        self.choose.clicked.connect(self._on_choose_clicked)
        self.remove = QPushButton("Tanpa logo")
        self.remove.setEnabled(False)
        self.remove.clicked.connect(lambda: self.use(None))
        self.issue = QLabel()
        self.issue.setStyleSheet("color: #b00020;")
        self.issue.setWordWrap(True)
        buttons = QVBoxLayout()
        buttons.addWidget(self.choose)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.issue)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addLayout(buttons, 1)

    def _on_choose_clicked(self) -> None:
        path = messages.ask_open_path(self, "Pilih logo kop surat", "Gambar (*.png *.jpg *.jpeg)")
        if path is not None:
            self.use(path)

    def use(self, path: Path | None) -> None:
        """Show ``path`` (checked as a logo: PNG or JPEG, at most 2 MB) or no logo."""
        self.issue.clear()
        pixmap = QPixmap()
        if path is not None:
            try:
                pixmap.loadFromData(letterhead.read_logo(path))
            except (UserError, EnvironmentProblem) as exc:
                self.issue.setText(exc.message)
                return
        self.path = path if not pixmap.isNull() else None
        self.remove.setEnabled(self.path is not None)
        if self.path is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText("Tanpa logo")
        else:
            self.preview.setText("")
            self.preview.setPixmap(
                pixmap.scaled(64, 64, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )


class DetailsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Data kantor")
        self.setSubTitle(
            "Dipakai pada surat dan sertifikat. Hanya nama kantor yang wajib; yang lain (juga logo kop) dapat "
            "dilengkapi kemudian di Pengaturan."
        )
        self.form = OfficeForm()
        self.logo = LogoRow()
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.logo)
        self.form.line("name").textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.form.line("name").text().strip())


class SetupWizard(QWizard):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(f"{APP_NAME} — pengaturan awal")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        qt_indonesian.wizard_buttons(self)
        self.role_page = RolePage(ctx)
        self.details_page = DetailsPage()
        self.tariff_page = TariffPage(ctx)
        self.addPage(self.role_page)
        self.addPage(self.details_page)
        self.admin_page = wizard_admin.add_page(self, ctx)  # "Akun admin pertama" while no admin exists
        self.addPage(self.tariff_page)
        self.resize(940, 560)
        self.demo_result: demo.DemoResult | None = None
        self.admin: Actor | None = None  # the first admin, made at Finish (application.sign_in logs them in)
        self._task: Task | None = None
        self.currentIdChanged.connect(self._on_page_changed)

    def _on_page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.details_page and not self.details_page.form.line("name").text():
            role = self.role_page.role()
            if role is OfficeRole.kabupaten:
                name = "Pemerintah Kabupaten Klaten"
            else:
                text = self.role_page.kecamatan.currentText()
                name = f"Kecamatan {text.split(' (')[0]}"
            if self.role_page.demo.isChecked():
                name += " (data contoh)"
            self.details_page.form.line("name").setText(name)

    def accept(self) -> None:
        if not self.tariff_page.validatePage():  # Finish calls accept() before the page is validated
            return
        role = self.role_page.role()
        values: dict[str, Any] = self.details_page.form.values()
        name = values.pop("name")
        choice = self.tariff_page.choice()  # checked by the page before Finish
        with shown(self, inline=self._show_inline) as failed:
            self.admin = wizard_admin.make_admin(self.admin_page, self._ctx, self.admin)
            actor = self.admin or SYSTEM  # the person setting up the office names the audit entries
            office.init(
                self._ctx,
                actor,
                role=role,
                name=name,
                kecamatan_kode=self.role_page.kecamatan.currentData() if role is OfficeRole.kecamatan else None,
                **{k: v or None for k, v in values.items()},
            )
            if self.details_page.logo.path is not None:
                letterhead.set_logo(self._ctx, actor, self.details_page.logo.path)
            apply_choice(self._ctx, actor, choice)
        if failed:
            return
        if self.role_page.demo.isChecked():
            self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
            self._task = run_task(
                self,
                f"Membuat {format_number(DEMO_OFFICIALS[role])} pengurus contoh…",
                populate_demo,
                self._ctx,
                DEMO_OFFICIALS[role],
                on_done=self._on_demo_done,
                on_end=self._on_demo_end,
            )
            return
        super().accept()

    def _show_inline(self, exc: UserError) -> bool:
        """A refused office detail next to its field (on the details page), anything else on this page."""
        if self.details_page.form.show_error(exc.field, exc.message):
            if self.currentPage() is self.tariff_page:
                while self.currentPage() is not self.details_page:  # (past the admin page, when there is one)
                    self.back()
                self.details_page.form.line(str(exc.field)).setFocus()
            return True
        self.tariff_page.issue.setText(exc.message)
        return True

    def _on_demo_done(self, result: object) -> None:
        assert isinstance(result, demo.DemoResult)
        self.demo_result = result

    def _on_demo_end(self) -> None:
        self._task = None
        super().accept()  # the office exists; without demo data if it was cancelled or failed

    def task(self) -> Task | None:
        return self._task
