"""The Impor tab driven like a user would: choose a messy desa file, check the mapping, read the preview, save."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.import_export import ImportExportSection
from klaten_desktop.gui.import_export.preview_model import OUTCOME_COLUMN, PreviewTableModel
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.imports import Outcome
from tests.conftest import TEST_ADMIN

from .conftest import NIK_A, NIK_B, NIK_C, NIK_D, PHONE_B_NEW, PHONE_B_OLD, SENGON, Shown

PHONE_COLUMN = 6  # "Keterangan", column G


def make_section(qtbot: QtBot, ctx: ServiceContext) -> ImportExportSection:
    section = ImportExportSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    section.refresh()
    return section


def idle(qtbot: QtBot, section: ImportExportSection) -> None:
    qtbot.waitUntil(lambda: not section.tasks.busy, timeout=15_000)


def load(qtbot: QtBot, section: ImportExportSection, shown: Shown, path: Path, *, desa: str | None = SENGON) -> None:
    panel = section.import_panel
    if desa is not None:
        panel.desa_combo.setCurrentIndex(panel.desa_combo.findData(desa))
    shown.open_path = path
    panel.choose_button.click()
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)


def outcomes(model: PreviewTableModel) -> dict[int, str]:
    """Sheet row -> the outcome text shown in the table."""
    return {int(model.index(r, 0).data()): model.index(r, OUTCOME_COLUMN).data() for r in range(model.rowCount())}


def test_read_map_preview_correct_and_apply(
    qtbot: QtBot, on_file: ServiceContext, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    assert not panel.apply_button.isEnabled()

    load(qtbot, section, shown, messy_file)

    # the file and its header row as found: title rows skipped, header on sheet row 4
    assert "RT RW Sengon 2026.xlsx" in panel.file_label.text()
    assert panel.header_spin.value() == 4
    mapping = panel.mapping
    assert [mapping.item(n, 1).text() for n in range(mapping.rowCount())] == [
        "NO", "NAMA LENGKAP", "N I K", "L/P", "RT/RW", "Jabatan", "Keterangan",
    ]  # fmt: skip
    assert [mapping.combo(c).currentText() for c in mapping.columns()] == [
        "No", "Nama", "NIK", "Jenis Kelamin", "RT/RW", "Jabatan", "— abaikan —",
    ]  # fmt: skip
    assert mapping.item(PHONE_COLUMN, 2).text() == "081234567890"  # a sample of the column's content

    # the dry run: per sheet row (as Excel numbers them) the outcome, with the counts above
    model = panel.model
    assert outcomes(model) == {6: "Tidak berubah", 7: "Tidak berubah", 8: "Baru", 9: "Baru", 10: "Ditolak"}
    assert panel.counts.text() == "5 baris data: 2 baru, 0 diperbarui, 2 tidak berubah, 1 ditolak"
    rejected = model.row_at(4)
    assert (rejected.sheet_row, rejected.nama, rejected.nik) == (10, "Suparmi", "3310014506820001")
    assert "Format kolom NIK sebagai Teks" in model.index(4, 7).data()
    created = model.row_at(2)
    assert (created.nama, created.nik, created.desa, created.jabatan, created.rt_rw) == (
        "Bambang Wibowo", NIK_C, "Sengon", "Ketua RT", "003/002",
    )  # fmt: skip
    assert len(officials.list_rows(io_ctx, serving_only=True)) == 2  # nothing written by the preview

    # correct one column: "Keterangan" holds the phone numbers -> Sri Wahyuni's new number is a change
    phone = mapping.combo(PHONE_COLUMN)
    phone.setCurrentIndex(phone.findData("telepon"))
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert outcomes(model)[7] == "Diperbarui"
    assert panel.counts.text() == "5 baris data: 2 baru, 1 diperbarui, 1 tidak berubah, 1 ditolak"
    assert "Diubah: Nomor HP" in model.index(1, 7).data()
    assert panel.apply_button.isEnabled()
    assert serving_phone(io_ctx, NIK_B) == PHONE_B_OLD

    # save: confirmed, written in one go, the message states the counts
    panel.apply_button.click()
    idle(qtbot, section)
    assert "2 pengurus baru dan 1 perubahan data" in shown.confirm[0]
    assert shown.info == ["Impor berhasil: 2 pengurus baru, 1 diubah, 1 tidak berubah, 1 ditolak."]
    assert panel.result.text() == shown.info[0]
    assert serving_phone(io_ctx, NIK_B) == PHONE_B_NEW
    rows = {r.nik: r for r in officials.list_rows(io_ctx, serving_only=True)}
    assert set(rows) == {NIK_A, NIK_B, NIK_C, NIK_D}
    assert (rows[NIK_D].nama, rows[NIK_D].rt, rows[NIK_D].rw, rows[NIK_D].desa_kode) == ("Tri Hartono", 4, 2, SENGON)

    # the preview is made again against the new data: re-importing the same file would change nothing
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert panel.counts.text() == "5 baris data: 0 baru, 0 diperbarui, 4 tidak berubah, 1 ditolak"
    assert not panel.apply_button.isEnabled()
    assert not section.apply_action.isEnabled()
    assert "Tidak ada yang perlu disimpan" in panel.status.text()

    # the corrected mapping is remembered for the next file of the same shape
    again = make_section(qtbot, io_ctx)
    load(qtbot, again, shown, messy_file)
    assert again.import_panel.mapping.combo(PHONE_COLUMN).currentData() == "telepon"
    assert "koreksi Anda sebelumnya" in again.import_panel.mapping_note.text()


def serving_phone(ctx: ServiceContext, nik: str) -> str | None:
    row = officials.serving_by_nik(ctx, nik)
    return officials.get(ctx, row.id).telepon


def test_declining_the_confirmation_writes_nothing(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = make_section(qtbot, io_ctx)
    load(qtbot, section, shown, messy_file)
    assert section.import_panel.counts.text() == "5 baris data: 4 baru, 0 diperbarui, 0 tidak berubah, 1 ditolak"
    shown.confirm_answer = False
    section.import_panel.apply_button.click()
    idle(qtbot, section)
    assert len(shown.confirm) == 1
    assert shown.info == []
    assert officials.list_rows(io_ctx) == []


def test_filter_by_outcome_and_row_details(
    qtbot: QtBot, on_file: ServiceContext, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData(Outcome.rejected.value))
    assert outcomes(panel.model) == {10: "Ditolak"}
    panel.table.selectRow(0)
    assert panel.detail.text().startswith(
        "Baris 10 \u2013 Suparmi, NIK 3310014506820001 (ditolak): NIK tersimpan sebagai angka"
    )
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData(Outcome.created.value))
    assert sorted(outcomes(panel.model)) == [8, 9]
    panel.filter_combo.setCurrentIndex(0)
    assert panel.model.rowCount() == 5
    panel.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by name
    assert [panel.model.row_at(r).nama for r in range(5)] == [
        "Bambang Wibowo", "Sri Wahyuni", "Sumarno", "Suparmi", "Tri Hartono",
    ]  # fmt: skip


def test_without_a_desa_the_missing_column_is_said_inline(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    shown.open_path = messy_file
    panel.choose_button.click()
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.current_mapping is not None, timeout=15_000)
    assert panel.preview is None
    assert "belum dipetakan: Desa" in panel.status.text()
    assert "Belum dipetakan: Desa" in panel.mapping_note.text()
    assert not panel.apply_button.isEnabled()
    assert shown.warn == []
    # choosing the desa for the whole file makes the preview
    panel.desa_combo.setCurrentIndex(panel.desa_combo.findData(SENGON))
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert panel.preview is not None and panel.preview.plan.created == 4


def test_rejected_rows_workbook(
    qtbot: QtBot,
    io_ctx: ServiceContext,
    shown: Shown,
    messy_file: Path,
    tmp_path: Path,
    xlsx_rows: Callable[[Path], list[list[object]]],
) -> None:
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    out = tmp_path / "kembali ke desa"  # no suffix typed: .xlsx is added
    shown.save_paths.append(out)
    assert panel.rejected_button.isEnabled()
    panel.rejected_button.click()
    idle(qtbot, section)
    assert shown.save_asked[0] is not None and shown.save_asked[0].name == "RT RW Sengon 2026 - baris ditolak.xlsx"
    written = out.with_name("kembali ke desa.xlsx")
    rows = xlsx_rows(written)
    assert rows[0][-2:] == ["Alasan Ditolak", "Baris Asal"]
    assert len(rows) == 2
    assert rows[1][1] == "Suparmi" and "Format kolom NIK sebagai Teks" in str(rows[1][-2]) and rows[1][-1] == 10
    assert shown.info[0].startswith("1 baris yang ditolak disimpan ke kembali ke desa.xlsx")


def test_esc_cancels_a_running_preview(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klaten_desktop.gui.import_export import import_presenter, jobs

    def slow_preview(progress: Any, cancelled: Callable[[], bool], *args: Any) -> Any:
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:  # a long dry run, until the user presses Esc
            time.sleep(0.01)
        return jobs.make_preview(progress, cancelled, *args)

    monkeypatch.setattr(import_presenter, "make_preview", slow_preview)
    section = make_section(qtbot, io_ctx)
    with qtbot.waitActive(section):
        section.activateWindow()
    panel = section.import_panel
    panel.desa_combo.setCurrentIndex(panel.desa_combo.findData(SENGON))
    shown.open_path = messy_file
    panel.choose_button.click()
    qtbot.waitUntil(lambda: panel.current_mapping is not None and section.tasks.busy, timeout=15_000)
    panel.table.setFocus()
    # Esc goes to the section, or to the progress dialog once it shows (after 300 ms): both cancel
    target = QApplication.activeModalWidget() or panel.table
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    idle(qtbot, section)
    assert panel.preview is None
    assert "Pratinjau belum dibuat" in panel.status.text()
    assert shown.warn == [] and shown.error == []
    assert panel.replan_button.isEnabled()
    # saving to the database is never interrupted by Esc
    monkeypatch.setattr(import_presenter, "make_preview", jobs.make_preview)
    panel.replan_button.click()
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert section.tasks.run("x", lambda _p, _c: 1, cancellable=False)
    assert not section.tasks.cancel()
    idle(qtbot, section)


def test_every_button_has_its_own_mnemonic(qtbot: QtBot, io_ctx: ServiceContext) -> None:
    section = make_section(qtbot, io_ctx)
    for tab in (section.import_panel, section.export_panel):
        letters = []
        for button in tab.findChildren(QPushButton):
            text = button.text()
            assert "&" in text, text
            letters.append(text[text.index("&") + 1].lower())
        assert len(letters) == len(set(letters)), letters
        # the main window's menus use Alt+B, Alt+T and Alt+D
        assert not set(letters) & {"b", "t", "d"}


def test_alt_mnemonic_opens_the_file_chooser(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = make_section(qtbot, io_ctx)
    with qtbot.waitActive(section):
        section.activateWindow()
    panel = section.import_panel
    panel.desa_combo.setCurrentIndex(panel.desa_combo.findData(SENGON))
    shown.open_path = messy_file
    panel.desa_combo.setFocus()
    qtbot.keyClick(panel.desa_combo, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)  # clicks after 100 ms
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert panel.preview is not None and panel.preview.plan.rows_read == 5


def test_in_the_main_window_its_actions_are_in_the_menu(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    from klaten_desktop.gui.main_window import MainWindow
    from klaten_desktop.gui.sections import SectionEntry

    entry = SectionEntry("Impor/Ekspor", "klaten_desktop.gui.import_export", "ImportExportSection")
    window = MainWindow(GuiSession.start(io_ctx, TEST_ADMIN), entries=[entry])
    qtbot.addWidget(window)
    window.show()
    section = window.current_page()
    assert isinstance(section, ImportExportSection)
    texts = [a.text().replace("&", "") for a in window.actions_menu.actions()]
    assert texts == [
        "Pilih berkas impor…", "Simpan hasil impor", "Unduh templat impor…", "Ekspor daftar pengurus…",
        "Ekspor daftar kolektif BPJS…",
    ]  # fmt: skip
    assert not section.apply_action.isEnabled()
    section.import_panel.desa_combo.setCurrentIndex(section.import_panel.desa_combo.findData(SENGON))
    shown.open_path = messy_file
    section.open_action.trigger()
    qtbot.waitUntil(lambda: not section.tasks.busy and section.import_panel.preview is not None, timeout=15_000)
    assert section.apply_action.isEnabled()
    section.apply_action.trigger()
    qtbot.waitUntil(lambda: not section.tasks.busy and bool(shown.info), timeout=15_000)
    assert shown.info == ["Impor berhasil: 4 pengurus baru, 0 diubah, 0 tidak berubah, 1 ditolak."]
    qtbot.waitUntil(lambda: not section.tasks.busy, timeout=15_000)


def test_choosing_another_header_row(qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path) -> None:
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    panel.header_spin.setValue(5)  # the row of column numbers: nothing there names NIK or Nama
    qtbot.waitUntil(lambda: panel.current_mapping is not None and panel.current_mapping.header_row == 4, timeout=5000)
    idle(qtbot, section)
    assert panel.mapping.item(0, 1).text() == "1"
    assert panel.preview is None
    assert "belum dipetakan: NIK, Nama" in panel.status.text()
    panel.header_spin.setValue(0)  # "tanpa judul": every row is data, every column chosen by hand
    qtbot.waitUntil(lambda: panel.current_mapping is not None and panel.current_mapping.header_row == -1, timeout=5000)
    idle(qtbot, section)
    assert panel.header_spin.text() == "tanpa judul"
    assert panel.current_mapping is not None and panel.current_mapping.data_start == 0
    assert panel.mapping.item(0, 1).text() == "(tanpa judul)"
    panel.header_spin.setValue(4)
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.preview is not None, timeout=15_000)
    assert panel.counts.text() == "5 baris data: 4 baru, 0 diperbarui, 0 tidak berubah, 1 ditolak"


def test_a_stale_preview_is_refused_and_made_again(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.imports import apply_import

    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    assert panel.preview is not None
    apply_import(io_ctx, SYSTEM, panel.preview.plan)  # someone else saved the same rows meanwhile
    panel.apply_button.click()
    qtbot.waitUntil(lambda: bool(shown.warn), timeout=15_000)
    assert "berubah sejak pratinjau dibuat" in shown.warn[0] and shown.info == []
    remade = "5 baris data: 0 baru, 0 diperbarui, 4 tidak berubah, 1 ditolak"
    qtbot.waitUntil(lambda: not section.tasks.busy and panel.counts.text() == remade, timeout=15_000)
    assert len(officials.list_rows(io_ctx, serving_only=True)) == 4


def test_a_file_with_two_lists_names_the_other_sheet_and_reads_it_on_request(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    import xlsxwriter

    path = tmp_path / "RT dan RW Sengon.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in (
        ("Ketua RT", [[1, "Sumarno", NIK_A, "L", "001/002", "Ketua RT"], [2, "Sri Wahyuni", NIK_B, "P", "002/002",
                                                                          "Ketua RT"]]),
        ("Ketua RW", [[1, "Bambang Wibowo", NIK_C, "L", "RW 002", "Ketua RW"]]),
    ):  # fmt: skip
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, ["NO", "NAMA LENGKAP", "N I K", "L/P", "RT/RW", "Jabatan"])
        for r, cells in enumerate(rows, start=1):
            ws.write_row(r, 0, cells)
    wb.close()
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    assert not panel.sheet_combo.isVisible()
    load(qtbot, section, shown, path)
    assert panel.sheet_combo.isVisible()
    assert [panel.sheet_combo.itemText(i) for i in range(panel.sheet_combo.count())] == ["Ketua RT", "Ketua RW"]
    assert panel.counts.text().startswith("2 baris data: 2 baru")
    panel.sheet_combo.setCurrentIndex(1)
    panel.sheet_combo.activated.emit(1)
    qtbot.waitUntil(
        lambda: not section.tasks.busy and panel.preview is not None and panel.preview.plan.sheet == "Ketua RW",
        timeout=15_000,
    )
    assert panel.counts.text().startswith("1 baris data: 1 baru")
    assert "Ketua RW" in panel.file_label.text()
    assert [panel.sheet_combo.itemText(i) for i in range(panel.sheet_combo.count())] == ["Ketua RW", "Ketua RT"]
