"""The official form: live NIK checks next to the field, NIK decoding, saving, duplicate NIK, errors block."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.session import office_desa
from klaten_desktop.services import accounts, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import TEST_ADMIN

SENGON = "33.10.01.2001"
NIK_KLATEN = "3310014506820003"  # 5 Juni 1982, perempuan (synthetic)
NIK_SEMARANG = "3374014506820004"  # issued outside Klaten: a warning, not an error


def _dialog(qtbot: QtBot, ctx: ServiceContext) -> OfficialDialog:
    dialog = OfficialDialog(ctx, TEST_ADMIN, office_desa(ctx))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _fill_post(dialog: OfficialDialog, qtbot: QtBot) -> None:
    ui = dialog.ui
    qtbot.keyClicks(ui.nama, "Sri Lestari")
    ui.desa.setCurrentIndex(ui.desa.findData(SENGON))
    ui.rw.setValue(2)
    ui.rt.setValue(3)
    ui.jabatan.setCurrentIndex(ui.jabatan.findData(Jabatan.ketua_rt.value))


def test_nik_error_then_warning_then_saved(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    ctx = empty_office_ctx
    dialog = _dialog(qtbot, ctx)
    ui = dialog.ui
    qtbot.keyClicks(ui.nik, "33100145")
    qtbot.waitUntil(lambda: "16 digit" in dialog.issue_text("nik"), timeout=3000)
    assert dialog.issue_text("nik").startswith("✖")
    assert "terisi 8 digit" in dialog.issue_text("nik")

    ui.nik.clear()
    qtbot.keyClicks(ui.nik, NIK_SEMARANG)
    _fill_post(dialog, qtbot)
    qtbot.waitUntil(lambda: "Kabupaten Klaten" in dialog.issue_text("nik"), timeout=3000)
    assert dialog.issue_text("nik").startswith("⚠")
    assert "16 digit" not in dialog.issue_text("nik")
    # decoded from the NIK and offered in the fields
    assert ui.tanggalLahir.value() == dt.date(1982, 6, 5)
    assert ui.jenisKelamin.currentData() == Sex.P.value
    assert "5 Juni 1982" in ui.nikInfo.text()

    qtbot.keyClick(ui.nama, Qt.Key.Key_Return)  # Enter saves: warnings do not block
    assert dialog.result_detail is not None
    saved = officials.find_by_nik(ctx, NIK_SEMARANG)
    assert [(r.nama, r.desa_kode, r.rw, r.rt, r.jabatan) for r in saved] == [("Sri Lestari", SENGON, 2, 3, "ketua_rt")]


def test_errors_block_saving_and_sit_next_to_their_field(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    dialog = _dialog(qtbot, empty_office_ctx)
    qtbot.keyClicks(dialog.ui.nik, NIK_KLATEN)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.result_detail is None
    assert dialog.issue_text("nama").startswith("✖ Nama wajib diisi")
    assert "Desa/kelurahan wajib dipilih" in dialog.issue_text("desa_kode")
    assert "Jabatan wajib dipilih" in dialog.issue_text("jabatan")
    assert dialog.issue_text("nik") == ""
    assert officials.find_by_nik(empty_office_ctx, NIK_KLATEN) == []


def test_duplicate_nik_names_the_holder(qtbot: QtBot, empty_office_ctx: ServiceContext) -> None:
    ctx = empty_office_ctx
    officials.register(
        ctx,
        SYSTEM,
        OfficialFields(
            nik=NIK_KLATEN,
            nama="Sri Rahayu",
            tempat_lahir=None,
            tanggal_lahir=None,
            jenis_kelamin=Sex.P,
            alamat=None,
            desa_kode=SENGON,
            rw=1,
            rt=1,
            jabatan=Jabatan.ketua_rt,
            term_start=None,
            term_end=None,
            sk_nomor=None,
            sk_tanggal=None,
            telepon=None,
        ),
    )
    dialog = _dialog(qtbot, ctx)
    qtbot.keyClicks(dialog.ui.nik, NIK_KLATEN)
    qtbot.waitUntil(lambda: "sudah terdaftar" in dialog.issue_text("nik"), timeout=3000)
    text = dialog.issue_text("nik")
    assert "Sri Rahayu" in text
    assert "Sengon" in text
    assert "RT 001" in text or "001" in text


def test_edit_keeps_values_and_escape_cancels(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    row = officials.list_rows(gui_ctx)[0]
    detail = officials.get(gui_ctx, row.id)
    dialog = OfficialDialog(gui_ctx, TEST_ADMIN, office_desa(gui_ctx), detail=detail)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.fields() == officials.fields_of(detail)
    qtbot.keyClick(dialog.ui.nama, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result_detail is None


def test_a_save_over_someone_elses_save_is_refused_and_their_version_shown(
    qtbot: QtBot, gui_ctx: ServiceContext
) -> None:
    """Two staff have the same official open; the second to save gets who saved first and when, and the form
    reloads their version (the change is to be made again): never a silent overwrite."""
    sari = accounts.create_first_admin(gui_ctx, "sari", "Sari Wulandari", "kata-sandi-panjang-1")
    row = officials.list_rows(gui_ctx)[0]
    detail = officials.get(gui_ctx, row.id)
    dialog = OfficialDialog(gui_ctx, TEST_ADMIN, office_desa(gui_ctx), detail=detail)
    qtbot.addWidget(dialog)
    dialog.show()
    # meanwhile, on another PC
    theirs = officials.update_official(
        gui_ctx, sari, detail.id, replace(officials.fields_of(detail), alamat="Jl. Dari PC Lain 7"), expected_version=1
    )
    dialog.ui.alamat.setFocus()
    dialog.ui.alamat.selectAll()
    qtbot.keyClicks(dialog.ui.alamat, "Jl. Dari Dialog 9")
    qtbot.keyClick(dialog.ui.alamat, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_detail is None
    summary = dialog.ui.summary.text()
    assert summary.startswith("Data ini diubah oleh Sari Wulandari pada 24 November 2026 09.")
    assert summary.endswith("WIB; muat ulang lalu ulangi.")
    assert dialog.ui.alamat.text() == "Jl. Dari PC Lain 7"  # their version, loaded again
    assert officials.get(gui_ctx, detail.id).alamat == "Jl. Dari PC Lain 7"
    # made again on the reloaded form, the change is saved
    dialog.ui.alamat.selectAll()
    qtbot.keyClicks(dialog.ui.alamat, "Jl. Dari Dialog 9")
    qtbot.keyClick(dialog.ui.alamat, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.result_detail is not None and dialog.result_detail.alamat == "Jl. Dari Dialog 9"
    assert dialog.result_detail.row_version == theirs.row_version + 1
