"""First run: the wizard creates the office; with demo data it fills synthetic officials in a worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.gui.kit import messages, tasks
from klaten_desktop.gui.wizard import DEMO_OFFICIALS, SetupWizard
from klaten_desktop.services import office, officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.documents import letterhead


def _wizard(qtbot: QtBot, ctx: ServiceContext) -> SetupWizard:
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_wizard_creates_the_kecamatan_office(qtbot: QtBot, make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    page = wizard.role_page
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no kecamatan chosen yet
    page.kecamatan.setCurrentIndex(page.kecamatan.findData("33.10.01"))
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    form = wizard.details_page.form
    assert form.line("name").text() == "Kecamatan Prambanan"
    form.line("name").setText("Kantor Kecamatan Prambanan")
    qtbot.keyClicks(form.line("camat_nama"), "Drs. Contoh Camat")
    qtbot.keyClicks(form.line("camat_nip"), "1970 0101 1990 03 1001")
    qtbot.keyClicks(form.line("bpjs_branch_name"), "BPJS Ketenagakerjaan Cabang Klaten")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    data = office.get(ctx)
    assert data is not None
    assert (data.role, data.office_code, data.name) == (OfficeRole.kecamatan, "33.10.01", "Kantor Kecamatan Prambanan")
    assert data.camat_nip == "197001011990031001"
    assert data.bpjs_branch_name == "BPJS Ketenagakerjaan Cabang Klaten"
    assert officials.count_serving(ctx) == 0


def test_wizard_rejects_a_bad_nip_next_to_the_field(qtbot: QtBot, make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    qtbot.keyClicks(wizard.details_page.form.line("camat_nip"), "12345")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    label = wizard.details_page.form.issue_label("camat_nip")
    assert not label.isHidden()
    assert "18 digit" in label.text()
    assert office.get(ctx) is None


def test_wizard_with_demo_data(qtbot: QtBot, make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kecamatan.setCurrentIndex(wizard.role_page.kecamatan.findData("33.10.05"))
    wizard.role_page.demo.setChecked(True)
    wizard.next()
    assert "(data contoh)" in wizard.details_page.form.line("name").text()
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    tasks.wait_all()
    assert wizard.demo_result is not None
    assert wizard.demo_result.officials == DEMO_OFFICIALS[OfficeRole.kecamatan]
    assert officials.count_serving(ctx) == DEMO_OFFICIALS[OfficeRole.kecamatan]
    data = office.get(ctx)
    assert data is not None and data.office_code == "33.10.05"


def test_wizard_takes_the_kop_logo_shows_it_and_refuses_a_non_image(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    row = wizard.details_page.logo
    text = tmp_path / "bukan-gambar.png"
    text.write_text("bukan gambar", encoding="utf-8")
    logo = tmp_path / "lambang.png"
    image = QImage(40, 48, QImage.Format.Format_RGB32)
    image.fill(0x1E6432)
    assert image.save(str(logo))
    chosen = iter([text, logo])
    monkeypatch.setattr(messages, "ask_open_path", lambda *a, **k: next(chosen))
    qtbot.mouseClick(row.choose, Qt.MouseButton.LeftButton)
    assert row.issue.text() == "Logo harus berupa gambar PNG atau JPEG." and row.path is None
    qtbot.mouseClick(row.choose, Qt.MouseButton.LeftButton)
    assert row.issue.text() == "" and row.path == logo and not row.preview.pixmap().isNull()
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert letterhead.logo_image(ctx) == logo.read_bytes()
