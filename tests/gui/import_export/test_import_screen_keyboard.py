"""The Impor tab by keyboard and at a laptop's size: the field choosers change only on a deliberate choice, Tab
goes through the tab in order, long work shows itself and locks what it works on, one preview per change."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QTabBar, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.import_export import ImportExportSection
from klaten_desktop.gui.import_export.mapping_table import IGNORED
from klaten_desktop.gui.import_export.preview_model import NOTES_COLUMN, PreviewTableModel
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.imports import Outcome
from klaten_desktop.services.imports.columns import field_for_header
from tests.conftest import TEST_ADMIN

from .conftest import HEADER, NIK_A, NIK_B, NIK_C, SENGON, Shown, write_xlsx
from .test_import_screen import PHONE_COLUMN, idle, load, make_section

DETECTED = ["No", "Nama", "NIK", "Jenis Kelamin", "RT/RW", "Jabatan", IGNORED]
PICK_ROW_TEXT = "Pilih sebuah baris untuk melihat keterangan lengkapnya."
NO_ROWS_TEXT = "Tidak ada baris untuk pilihan ini."


def fields(section: ImportExportSection) -> list[str]:
    mapping = section.import_panel.mapping
    return [mapping.combo(c).currentText() for c in mapping.columns()]


def active_section(qtbot: QtBot, ctx: ServiceContext) -> ImportExportSection:
    section = make_section(qtbot, ctx)
    with qtbot.waitActive(section):
        section.activateWindow()
    return section


def previewed(section: ImportExportSection) -> bool:
    return not section.tasks.busy and section.import_panel.preview is not None


def line_of(model: PreviewTableModel, sheet_row: int) -> int:
    return next(n for n in range(model.rowCount()) if model.row_at(n).sheet_row == sheet_row)


@pytest.fixture
def preview_calls(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The desa of every preview made (make_preview counted)."""
    from klaten_desktop.gui.import_export import import_presenter, jobs

    calls: list[str | None] = []

    def counting(progress: Any, cancelled: Callable[[], bool], *args: Any) -> Any:
        calls.append(args[3])
        return jobs.make_preview(progress, cancelled, *args)

    monkeypatch.setattr(import_presenter, "make_preview", counting)
    return calls


class Gate:
    """Holds a job on its worker thread until ``release`` (always released at teardown)."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self._open = threading.Event()

    def hold(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any) -> Any:
            self.entered.set()
            self._open.wait(20)
            return fn(*args)

        return held

    def release(self) -> None:
        self._open.set()


@pytest.fixture
def gate() -> Iterator[Gate]:
    g = Gate()
    yield g
    g.release()


# ---------------------------------------------------------------------------------------------- 1. field choosers


def test_arrow_keys_open_the_list_and_only_enter_applies(
    qtbot: QtBot, on_file: ServiceContext, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    assert fields(section) == DETECTED
    combo = panel.mapping.combo(PHONE_COLUMN)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    view = combo.view()
    assert view.isVisible()  # the list opened; nothing chosen yet
    assert fields(section) == DETECTED
    # stepping through the open list passes No, Nama, NIK, ... without taking them from their columns
    steps = 0
    while view.currentIndex().data() != "Nomor HP" and steps < 40:
        qtbot.keyClick(view, Qt.Key.Key_Down)
        steps += 1
    assert steps > 3
    assert fields(section) == DETECTED
    assert panel.preview is not None and panel.apply_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Return)  # the choice
    assert not view.isVisible()
    assert fields(section) == [*DETECTED[:-1], "Nomor HP"]
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    assert panel.counts.text() == "5 baris data: 2 baru, 1 diperbarui, 1 tidak berubah, 1 ditolak"


def test_typed_letters_and_page_keys_open_the_list_without_choosing(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path, preview_calls: list[str | None]
) -> None:
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    combo = panel.mapping.combo(PHONE_COLUMN)
    for key in (Qt.Key.Key_N, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_End, Qt.Key.Key_Home):
        combo.setFocus()
        qtbot.keyClick(combo, key)
        assert combo.view().isVisible(), key
        if key == Qt.Key.Key_N:  # the highlight jumps to a field starting with N; still nothing chosen
            assert str(combo.view().currentIndex().data()).startswith("N")
        qtbot.keyClick(combo.view(), Qt.Key.Key_Escape)
        assert not combo.view().isVisible()
        assert fields(section) == DETECTED
    qtbot.keyClicks(combo, "Nomor")
    assert fields(section) == DETECTED
    qtbot.wait(400)
    idle(qtbot, section)
    assert len(preview_calls) == 1  # only the first one, when the file was read


def test_the_wheel_scrolls_the_mapping_and_never_changes_a_field(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, tmp_path: Path, preview_calls: list[str | None]
) -> None:
    extra = [f"Catatan {n}" for n in range(1, 25)]  # a wide sheet: the mapping needs a scroll bar
    rows = [
        [*HEADER, *extra],
        [1, "Sumarno", NIK_A, "L", "001/002", "Ketua RT", *["x"] * len(extra)],
        [2, "Sri Wahyuni", NIK_B, "P", "002/002", "Ketua RT", *["y"] * len(extra)],
    ]
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, write_xlsx(tmp_path / "lebar.xlsx", rows))
    before = fields(section)
    scroll = panel.mapping.verticalScrollBar()
    assert scroll.maximum() > 0 and scroll.value() == 0
    panel.table.setFocus()
    combo = panel.mapping.combo(1)  # Nama
    pos = QPointF(combo.width() / 2, combo.height() / 2)
    wheel = QWheelEvent(
        pos, combo.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(combo, wheel)
    assert fields(section) == before
    assert scroll.value() > 0  # the table scrolled instead
    # a chooser reached by Tab (focus) is scrolled into view
    scroll.setValue(0)
    last = panel.mapping.combo(panel.mapping.columns()[-1])
    last.setFocus()
    assert scroll.value() > 0
    assert panel.mapping.viewport().rect().contains(last.geometry())
    qtbot.wait(400)
    idle(qtbot, section)
    assert len(preview_calls) == 1


def test_taking_a_field_from_another_column_is_said_and_the_found_mapping_comes_back(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    assert not panel.restore_button.isEnabled()
    combo = panel.mapping.combo(PHONE_COLUMN)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    combo.view().setCurrentIndex(combo.model().index(combo.findData("nama"), 0))
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    assert fields(section) == ["No", IGNORED, "NIK", "Jenis Kelamin", "RT/RW", "Jabatan", "Nama"]
    assert "Nama kini diambil dari kolom G; kolom B diabaikan." in panel.mapping_note.text()
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    assert panel.restore_button.isEnabled()
    assert panel.restore_button.text() == "&Kembalikan pemetaan awal"
    section.activateWindow()  # the offscreen platform makes the closed list the active window a moment later
    qtbot.waitUntil(lambda: QApplication.activeWindow() is section, timeout=5000)
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: fields(section) == DETECTED, timeout=5000)
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    assert not panel.restore_button.isEnabled()
    assert "kini diambil" not in panel.mapping_note.text()
    assert panel.counts.text() == "5 baris data: 4 baru, 0 diperbarui, 0 tidak berubah, 1 ditolak"
    assert isinstance(QApplication.focusWidget(), QComboBox)  # back in the mapping, not lost


# ---------------------------------------------------------------------------------------------- 2. Tab order


def focus_name(widget: QWidget | None) -> str:
    if widget is None:
        return "-"
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return widget.accessibleName() or text.replace("&", "") or type(widget).__name__


def test_tab_goes_through_the_whole_tab_in_order_and_leaves_both_tables(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    panel.desa_combo.setAccessibleName("Desa untuk seluruh berkas")
    panel.filter_combo.setAccessibleName("Tampilkan")
    panel.choose_button.setFocus()
    seen = [focus_name(QApplication.focusWidget())]
    for _ in range(20):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(focus_name(QApplication.focusWidget()))
    chain = [
        "Pilih berkas…", "Desa untuk seluruh berkas", "Unduh templat…", "Baris judul kolom",
        *[f"Isian kolom {c}" for c in "ABCDEFG"],  # "Kembalikan pemetaan awal" is disabled: nothing to restore
        "Tampilkan", "Pratinjau impor", "Pratinjau ulang", "Simpan baris yang ditolak…", "Simpan ke basis data",
        "QTabBar",
    ]  # fmt: skip
    assert seen[: len(chain) + 1] == [*chain, "Pilih berkas…"]
    # backwards too, from the preview table
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focus_name(QApplication.focusWidget()) == "Tampilkan"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focus_name(QApplication.focusWidget()) == "Isian kolom G"


# ---------------------------------------------------------------------------------------------- 3. busy


def test_reading_a_file_shows_itself_and_locks_the_buttons(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path, gate: Gate, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klaten_desktop.gui.import_export import import_presenter, jobs

    monkeypatch.setattr(import_presenter, "load_file", gate.hold(jobs.load_file))
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    panel.desa_combo.setCurrentIndex(panel.desa_combo.findData(SENGON))
    shown.open_path = messy_file
    panel.choose_button.click()
    assert gate.entered.wait(10)
    assert panel.status.text() == "Membaca berkas…"
    assert not panel.choose_button.isEnabled() and not section.open_action.isEnabled()
    assert not panel.template_button.isEnabled() and not section.template_action.isEnabled()
    assert not section.export_action.isEnabled() and not section.apply_action.isEnabled()
    assert not panel.desa_combo.isEnabled()
    gate.release()
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    assert panel.choose_button.isEnabled() and section.open_action.isEnabled() and section.apply_action.isEnabled()
    assert panel.desa_combo.isEnabled() and panel.mapping_box.isEnabled()


def test_a_preview_and_a_save_show_themselves_and_lock_what_cannot_be_used(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klaten_desktop.gui.import_export import import_presenter, jobs

    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)

    preview_gate = Gate()
    monkeypatch.setattr(import_presenter, "make_preview", preview_gate.hold(jobs.make_preview))
    try:
        panel.replan_button.setFocus()
        qtbot.keyClick(panel.replan_button, Qt.Key.Key_Space)
        assert preview_gate.entered.wait(10)
        assert panel.status.text() == "Memeriksa setiap baris…"
        for button in (panel.apply_button, panel.replan_button, panel.rejected_button, panel.choose_button):
            assert not button.isEnabled(), button.text()
        assert not section.apply_action.isEnabled() and not section.open_action.isEnabled()
        assert panel.desa_combo.isEnabled() and panel.mapping_box.isEnabled()  # a change makes a new preview
    finally:
        preview_gate.release()
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    assert panel.replan_button.hasFocus()  # the focus came back to the button pressed

    save_gate = Gate()
    monkeypatch.setattr(import_presenter, "make_preview", jobs.make_preview)
    monkeypatch.setattr(import_presenter, "apply_plan", save_gate.hold(jobs.apply_plan))
    try:
        qtbot.keyClick(panel.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
        assert save_gate.entered.wait(10)
        assert panel.status.text() == "Menyimpan…"
        for button in (panel.apply_button, panel.replan_button, panel.rejected_button, panel.choose_button,
                       panel.template_button):  # fmt: skip
            assert not button.isEnabled(), button.text()
        assert not section.apply_action.isEnabled() and not section.open_action.isEnabled()
        assert not panel.desa_combo.isEnabled() and not panel.mapping_box.isEnabled()
        section.apply_action.trigger()  # a second Ctrl+S asks nothing
        assert len(shown.confirm) == 1
    finally:
        save_gate.release()
    qtbot.waitUntil(lambda: bool(shown.info), timeout=15_000)
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    assert panel.counts.text() == "5 baris data: 0 baru, 0 diperbarui, 4 tidak berubah, 1 ditolak"
    assert "Tidak ada yang perlu disimpan" in panel.status.text()


# ---------------------------------------------------------------------------------------------- 4. readability


LONG_HEAD = "NOMOR INDUK KEPENDUDUKAN (NIK) SESUAI KTP ELEKTRONIK"


def test_at_1366x768_in_the_main_window_the_reasons_are_readable(
    qtbot: QtBot, on_file: ServiceContext, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    from klaten_desktop.gui.main_window import MainWindow
    from klaten_desktop.gui.sections import SectionEntry
    from klaten_desktop.gui.session import GuiSession

    entry = SectionEntry("Impor/Ekspor", "klaten_desktop.gui.import_export", "ImportExportSection")
    window = MainWindow(GuiSession.start(io_ctx, TEST_ADMIN), entries=[entry])
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    section = window.current_page()
    assert isinstance(section, ImportExportSection)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    table = panel.table
    assert table.columnWidth(NOTES_COLUMN) >= 180
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(NOTES_COLUMN) + header.sectionSize(NOTES_COLUMN) <= table.viewport().width()
    # every cell says its whole text on hover
    model = panel.model
    for column in range(model.columnCount()):
        for row in range(model.rowCount()):
            text = model.index(row, column).data()
            if text:
                tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
                assert tip and all(part in tip for part in text.split("; ")), (row, column)
    # the line under the table names the person before the reasons
    table.selectRow(line_of(model, 10))
    assert panel.detail.text().startswith("Baris 10 \u2013 Suparmi, NIK 3310014506820001 (ditolak): NIK tersimpan")


def test_a_long_sheet_header_is_shown_whole_on_hover(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    rows = [["NO", "NAMA", LONG_HEAD, "RT/RW", "Jabatan"], [1, "Bambang", NIK_C, "003/002", "Ketua RT"]]
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    shown.open_path = write_xlsx(tmp_path / "panjang.xlsx", rows)
    panel.choose_button.click()
    qtbot.waitUntil(lambda: panel.current_mapping is not None and not section.tasks.busy, timeout=15_000)
    mapping = panel.mapping
    line = mapping.columns().index(2)
    assert mapping.item(line, 1).text() == LONG_HEAD
    assert mapping.item(line, 1).toolTip() == LONG_HEAD
    assert LONG_HEAD in mapping.item(line, 0).toolTip()
    assert LONG_HEAD in mapping.combo(2).toolTip() and "NIK" in mapping.combo(2).toolTip()
    assert mapping.cellWidget(line, 3) is mapping.combo(2)


# ---------------------------------------------------------------------------------------------- 5. one preview


def test_one_preview_after_a_save(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path, preview_calls: list[str | None]
) -> None:
    section = make_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    assert len(preview_calls) == 1
    panel.apply_button.click()
    qtbot.waitUntil(lambda: bool(shown.info), timeout=15_000)
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    qtbot.wait(600)  # anything still queued would start now
    idle(qtbot, section)
    assert len(preview_calls) == 2
    assert "Pratinjau belum dibuat" not in panel.status.text()


def test_stepping_through_the_desa_list_makes_one_preview(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, messy_file: Path, preview_calls: list[str | None]
) -> None:
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    preview_calls.clear()
    panel.desa_combo.setFocus()
    for _ in range(4):
        qtbot.keyClick(panel.desa_combo, Qt.Key.Key_Down)
    chosen = panel.desa_kode()
    assert chosen not in (None, SENGON)
    assert panel.preview is None and not panel.apply_button.isEnabled()  # the one shown is about to be remade
    qtbot.waitUntil(lambda: previewed(section), timeout=15_000)
    qtbot.wait(600)
    idle(qtbot, section)
    assert preview_calls == [chosen]


# ---------------------------------------------------------------------------------------------- 6. mnemonics


def mnemonic(text: str) -> str | None:
    text = text.replace("&&", "")
    at = text.find("&")
    return text[at + 1].lower() if 0 <= at < len(text) - 1 else None


def test_no_two_mnemonics_of_the_tab_clash(qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "dua lembar.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, people in (("Ketua RT", [[1, "Sumarno", NIK_A, "L", "001/002", "Ketua RT"]]),
                         ("Ketua RW", [[1, "Bambang Wibowo", NIK_C, "L", "RW 002", "Ketua RW"]])):  # fmt: skip
        ws = wb.add_worksheet(name)
        ws.write_row(0, 0, HEADER)
        for r, cells in enumerate(people, start=1):
            ws.write_row(r, 0, cells)
    wb.close()
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, path)
    assert panel.sheet_combo.isVisible()
    letters = [mnemonic(w.text()) for w in panel.findChildren(QLabel) + panel.findChildren(QAbstractButton)]
    tabs = section.tabs.findChild(QTabBar)
    assert tabs is not None
    letters += [mnemonic(tabs.tabText(i)) for i in range(tabs.count())]
    used = [x for x in letters if x is not None]
    assert [k for k, n in Counter(used).items() if n > 1] == []
    assert not set(used) & {"b", "t", "d"}  # the main window's menus
    # Alt+R goes to the sheet box; Alt+E still opens the Ekspor tab
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is panel.sheet_combo
    qtbot.keyClick(panel.sheet_combo, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert section.tabs.currentWidget() is section.export_panel


# ---------------------------------------------------------------------------------------------- 7. detail, counts


def test_the_detail_line_follows_the_row_through_sort_and_filter(
    qtbot: QtBot, on_file: ServiceContext, io_ctx: ServiceContext, shown: Shown, messy_file: Path
) -> None:
    section = active_section(qtbot, io_ctx)
    panel = section.import_panel
    load(qtbot, section, shown, messy_file)
    assert panel.file_label.text().endswith("15 baris di lembar")  # the sheet's rows, not the 5 data rows
    table, model = panel.table, panel.model
    table.setFocus()
    table.selectRow(line_of(model, 10))
    assert panel.detail.text().startswith("Baris 10 \u2013 Suparmi")
    table.sortByColumn(2, Qt.SortOrder.AscendingOrder)  # by name: Suparmi moves from the 5th line to the 4th
    current = table.currentIndex().row()
    assert model.row_at(current).sheet_row == 10
    assert panel.detail.text().startswith("Baris 10 \u2013 Suparmi")
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert panel.detail.text().startswith(f"Baris {model.row_at(current + 1).sheet_row} \u2013 Tri Hartono")
    # a filter that hides the row clears the line; one that shows no row at all says so
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData(Outcome.unchanged.value))
    assert panel.detail.text() == PICK_ROW_TEXT
    panel.filter_combo.setCurrentIndex(panel.filter_combo.findData("warnings"))
    assert model.rowCount() == 0
    assert panel.detail.text() == NO_ROWS_TEXT
    panel.filter_combo.setCurrentIndex(0)
    assert panel.detail.text() == PICK_ROW_TEXT


# ---------------------------------------------------------------------------------------------- 8. NIK headers


@pytest.mark.parametrize(
    "header",
    ["NOMOR INDUK KEPENDUDUKAN (NIK)", "NIK (Nomor Induk Kependudukan)", "No. NIK KTP", "No. Induk Kependudukan (NIK)"],
)
def test_nik_headers_with_their_long_name(header: str) -> None:
    assert field_for_header(header) == "nik"


def test_a_file_headed_nomor_induk_kependudukan_is_mapped_to_nik(
    qtbot: QtBot, io_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    rows = [
        ["NO", "NAMA", "NOMOR INDUK KEPENDUDUKAN (NIK)", "RT/RW", "JABATAN"],
        [1, "Bambang", NIK_C, "3/2", "Ketua RT"],
    ]
    section = make_section(qtbot, io_ctx)
    load(qtbot, section, shown, write_xlsx(tmp_path / "nik.xlsx", rows))
    assert fields(section) == ["No", "Nama", "NIK", "RT/RW", "Jabatan"]
    assert section.import_panel.counts.text().startswith("1 baris data: 1 baru")
