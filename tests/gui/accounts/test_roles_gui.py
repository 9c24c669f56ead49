"""What each role sees: a reader's window offers nothing that changes data, an operator's no admin settings."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.services import settings
from klaten_desktop.services.context import Actor, ServiceContext
from tests.conftest import TEST_ADMIN, Shown

VIEWER = Actor("pia", "Pia", "pembaca")
OPERATOR = Actor("oki", "Oki", "operator")


def _offered(qtbot: QtBot, ctx: ServiceContext, actor: Actor, settings: Path) -> dict[str, set[str]]:
    """Per section of ``actor``'s window: the texts of the actions and buttons offered (not hidden; a choice
    also not disabled), on every tab."""
    ui_settings.install(settings)
    window = MainWindow(GuiSession.start(ctx, actor))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
    offered: dict[str, set[str]] = {}
    for index in range(window.nav.count()):
        window.nav.setCurrentRow(index)
        page = window.current_page()
        texts = {a.text() for a in page.actions() if a.isVisible()}
        texts |= {
            b.text()
            for b in page.widget().findChildren(QAbstractButton)
            if b.text() and not b.isHidden() and (b.isEnabled() or not b.isCheckable())
        }
        offered[window.nav.item(index).text()] = {re.sub("&(.)", r"\1", t) for t in texts}  # no mnemonics
    return offered


#: What a reader may use: look, search, filter, print reports, check letters and the chain.
READING = {
    "Beranda": {"Buka data pengurus", "Perbarui", "Simpan rekap (PDF/Excel)…"},
    "Pengurus RT/RW": {"Belum pernah sosialisasi", "Cari", "Juga yang sudah berhenti", "Tampilkan semua"},
    "Kepesertaan & Iuran": {"Cari", "Juga yang sudah berhenti", "Tampilkan semua"},
    "Sosialisasi": {"Cetak daftar hadir…", "tiap desa di halaman sendiri"},
    "Surat & Sertifikat": {"Pratinjau (data contoh)", "Ekspor templat…", "Periksa"},  # (no "Buat surat" tab)
    "Sinkronisasi": {"Ekspor kunci publik…", "Tampilkan juga yang sudah diputuskan"},  # a public key: anyone's
    "Audit": {"Periksa rantai", "Tampilkan"},
    "Pengaturan": {"Buka kunci…"},  # the office's keys, to sign letters
}


def test_a_readers_window_offers_nothing_that_changes_data(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path
) -> None:
    offered = _offered(qtbot, gui_ctx, VIEWER, tmp_path / "tampilan.ini")
    assert "Impor/Ekspor" not in offered and "Beranda" in offered and "Pengaturan" in offered
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    assert not window.actions_menu.isEnabled()  # Pengaturan, the last section shown: nothing a reader can do
    # Berkas: a backup is a full copy of the data (admin or operator), a restore an admin's
    assert not window.backup_action.isEnabled() and not window.backups.copy_action.isEnabled()
    assert not window.backups.restore_action.isEnabled()
    for title, texts in offered.items():
        assert texts <= READING[title], (title, sorted(texts - READING[title]))


def test_an_operators_window_does_the_work_but_no_admin_settings(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path
) -> None:
    offered = _offered(qtbot, gui_ctx, OPERATOR, tmp_path / "tampilan.ini")
    assert {"Pengurus baru…", "Ubah data…", "Tampilkan NIK"} <= offered["Pengurus RT/RW"]
    assert {"Catat iuran…", "Batalkan iuran…"} <= offered["Kepesertaan & Iuran"]
    assert {"Sosialisasi baru", "Simpan acara"} <= offered["Sosialisasi"]
    assert "Terbitkan & simpan PDF…" in offered["Surat & Sertifikat"]
    assert {"Ekspor daftar pengurus…", "Simpan ke basis data"} <= offered["Impor/Ekspor"]
    assert "Buat paket sinkronisasi…" in offered["Sinkronisasi"]
    admin_only = {
        *("Simpan pengaturan", "Urungkan perubahan", "Lindungi / ganti frasa sandi…", "Cadangkan kunci…"),
        *("Pulihkan kunci…", "Tambah tarif kantor…", "Catat UMK", "Simpan kode pos", "Pilih gambar logo…"),
    }
    assert offered["Pengaturan"] <= READING["Pengaturan"] and not admin_only & offered["Pengaturan"]
    assert not {"Simpan versi baru", "Impor templat…", "Pulihkan versi terpilih"} & offered["Surat & Sertifikat"]
    assert not {"Simpan masa simpan", "Hapus rincian lama…"} & offered["Audit"]
    assert "Impor kunci kabupaten…" not in offered["Sinkronisasi"]  # trusting an office's key: an admin's
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    assert window.backup_action.isEnabled() and window.backups.copy_action.isEnabled()
    assert not window.backups.restore_action.isEnabled()


def test_the_admin_sees_the_settings_actions(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    offered = _offered(qtbot, gui_ctx, TEST_ADMIN, tmp_path / "tampilan.ini")
    assert {"Simpan pengaturan", "Cadangkan kunci…", "Tambah tarif kantor…"} <= offered["Pengaturan"]
    assert {"Simpan masa simpan", "Hapus rincian lama…"} <= offered["Audit"]


def test_enter_in_an_operators_settings_saves_nothing(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, shown: Shown
) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(gui_ctx, OPERATOR))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
    window.nav.setCurrentRow(window.section_index("Pengaturan"))
    page = window.current_page()
    assert isinstance(page, OfficeSettingsSection)
    page.tabs.setCurrentWidget(page.sync)
    days = page.sync.days
    before = days.value()
    days.setFocus()
    qtbot.keyClicks(days, "9")  # read only: nothing typed
    qtbot.keyClick(days, Qt.Key.Key_Return)
    assert days.value() == before and settings.get(gui_ctx, "ekspor.pengingat_hari") == before
    assert shown.info == [] and shown.error == []  # no "disimpan", no refusal
