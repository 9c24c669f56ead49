"""First run: the wizard creates the office; with demo data it fills synthetic officials in a worker."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QWizard
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.gui import application
from klaten_desktop.gui.kit import messages, tasks
from klaten_desktop.gui.wizard import DEMO_OFFICIALS, SetupWizard
from klaten_desktop.gui.wizard_tariff import TariffPage
from klaten_desktop.services import accounts, audit, office, officials, settings, tariff_settings
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import letterhead

ADMIN_PASSWORD = "rahasia-kantor-1"


def _wizard(qtbot: QtBot, ctx: ServiceContext) -> SetupWizard:
    wizard = SetupWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _type_admin(qtbot: QtBot, wizard: SetupWizard, *texts: str) -> None:
    """On the page "Akun admin pertama": type ``texts`` from the page's initial focus, Tab between the fields,
    Enter at the end (the wizard's Lanjut)."""
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    page = wizard.admin_page
    assert page is not None and wizard.currentPage() is page
    qtbot.waitUntil(lambda: page.fields.username.hasFocus())
    for i, text in enumerate(texts):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClicks(focus, text)
        if i < len(texts) - 1:
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Return)


def _choose(qtbot: QtBot, wizard: SetupWizard, basis: str) -> TariffPage:
    """Go on (past the first admin, "ana") to the page "Dasar iuran" (nothing is chosen there yet) and choose
    ``basis`` by its mnemonic."""
    wizard.next()
    if wizard.currentPage() is wizard.admin_page:
        _type_admin(qtbot, wizard, "ana", "Ana Lestari", ADMIN_PASSWORD, ADMIN_PASSWORD)
    page = wizard.tariff_page
    assert wizard.currentPage() is page
    assert page.group.checkedButton() is None and not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    radio = {"umk": page.umk_radio, "bpu": page.bpu_radio, "tetap": page.fixed_radio}[basis]
    radio.setFocus()
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    assert radio.isChecked() and wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    return page


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
    _choose(qtbot, wizard, "bpu")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert settings.get(ctx, "tarif.kode_default") == "BPU-PP82-2019"
    data = office.get(ctx)
    assert data is not None
    assert (data.role, data.office_code, data.name) == (OfficeRole.kecamatan, "33.10.01", "Kantor Kecamatan Prambanan")
    assert data.camat_nip == "197001011990031001"
    assert data.bpjs_branch_name == "BPJS Ketenagakerjaan Cabang Klaten"
    assert officials.count_serving(ctx) == 0
    assert wizard.admin == Actor("ana", "Ana Lestari", "admin") and accounts.has_admin(ctx)


def test_the_first_admin_is_made_in_the_wizard_and_not_asked_for_again(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext]
) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    wizard.next()
    page = wizard.admin_page
    assert page is not None and page.title() == "Akun admin pertama"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # nothing typed yet
    _type_admin(qtbot, wizard, "ana", "Ana Lestari", "pendek", "pendek")
    assert wizard.currentPage() is page and page.issue.text() == "Kata sandi minimal 8 karakter."
    assert page.fields.password.hasFocus()  # on the field to correct
    for field in (page.fields.password, page.fields.again):
        field.clear()
    page.fields.password.setFocus()
    qtbot.keyClicks(page.fields.password, ADMIN_PASSWORD)
    qtbot.keyClick(page.fields.password, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "lain-sandinya")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert wizard.currentPage() is page and page.issue.text() == "Kedua kata sandi tidak sama."
    assert not accounts.has_admin(ctx)  # nothing is written before Finish
    page.fields.again.clear()
    page.fields.again.setFocus()
    qtbot.keyClicks(page.fields.again, ADMIN_PASSWORD)
    qtbot.keyClick(page.fields.again, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.tariff_page
    radio = wizard.tariff_page.bpu_radio
    radio.setFocus()
    qtbot.keyClick(radio, Qt.Key.Key_Space)
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    admin = Actor("ana", "Ana Lestari", "admin")
    assert wizard.admin == admin
    assert {r.actor for r in audit.recent(ctx) if r.action == "init"} == {"ana"}  # the office set up by her
    assert accounts.authenticate(ctx, "ana", ADMIN_PASSWORD) == admin
    assert application.sign_in(ctx, wizard.admin) == admin  # logged in: no second question, no login
    assert QApplication.activeModalWidget() is None


def test_no_admin_page_when_an_admin_exists(qtbot: QtBot, make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx("empty")
    accounts.create_first_admin(ctx, "ana", "Ana Lestari", ADMIN_PASSWORD)
    wizard = _wizard(qtbot, ctx)
    assert wizard.admin_page is None
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    _choose(qtbot, wizard, "bpu")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.admin is None and office.get(ctx) is not None


def test_wizard_rejects_a_bad_nip_next_to_the_field(qtbot: QtBot, make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    qtbot.keyClicks(wizard.details_page.form.line("camat_nip"), "12345")
    _choose(qtbot, wizard, "bpu")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.currentPage() is wizard.details_page  # back to the field to correct
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
    _choose(qtbot, wizard, "bpu")
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
    _choose(qtbot, wizard, "bpu")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert letterhead.logo_image(ctx) == logo.read_bytes()


def test_wizard_umk_basis_shows_its_sources_and_takes_this_years_umk(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext]
) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    page = _choose(qtbot, wizard, "umk")
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    page.umk_radio.setFocus()
    shown_text = " ".join(label.text() for label in page.findChildren(QLabel))
    assert "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623" in shown_text and "suaraklaten.id" in shown_text
    assert "berlaku mulai 1 Januari 2023" in shown_text and "Rp 11.622,54 → Rp 11.623" in shown_text
    assert "berlaku mulai 2 Desember 2019: Rp 16.800" in shown_text  # the BPU package and its date
    assert page.umk_amount.isEnabled() and not page.fixed_amount.isEnabled()
    qtbot.keyClick(page.umk_radio, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.umk_amount
    qtbot.keyClicks(page.umk_amount, "2.400.000,50")
    qtbot.keyClick(page.umk_amount, Qt.Key.Key_Tab)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "Sumber UMK 2026 wajib diisi" in page.issue.text() and office.get(ctx) is None
    qtbot.keyClicks(page.umk_source, "Keputusan Gubernur (contoh uji)")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        qtbot.keyClick(page.umk_source, Qt.Key.Key_Return)
    assert office.get(ctx) is not None
    assert settings.get(ctx, "tarif.kode_default") == "KLATEN-UMK"
    assert settings.get(ctx, "tarif.umk") == [
        {"tahun": 2026, "umk_sen": 240_000_050, "sumber": "Keputusan Gubernur (contoh uji)"}
    ]


def test_wizard_fixed_amount_needs_its_source(qtbot: QtBot, make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx("empty")
    wizard = _wizard(qtbot, ctx)
    wizard.role_page.kabupaten_radio.setChecked(True)
    wizard.next()
    page = _choose(qtbot, wizard, "tetap")
    qtbot.keyClick(page.fixed_amount, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.fixed_amount, "11623")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert "Tulis sumber iuran tetap" in page.issue.text() and office.get(ctx) is None
    page.fixed_source.setFocus()
    qtbot.keyClicks(page.fixed_source, "Surat cabang BPJS Klaten, Desember 2022")
    with qtbot.waitSignal(wizard.finished, timeout=5000):
        qtbot.keyClick(page.fixed_source, Qt.Key.Key_Return)
    (row,) = [r for r in tariff_settings.rows(ctx) if not r.builtin]
    assert (row.tariff.code, row.tariff.fixed_amount, row.tariff.valid_from.isoformat()) == (
        "KANTOR-TETAP-2026", 11_623, "2026-01-01"
    )  # fmt: skip
    assert row.tariff.note == "Sumber: Surat cabang BPJS Klaten, Desember 2022"
    assert settings.get(ctx, "tarif.kode_default") == "KANTOR-TETAP-2026"
