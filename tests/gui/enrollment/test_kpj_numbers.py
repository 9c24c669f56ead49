"""KPJ numbers in bulk on the Kepesertaan screen, by keyboard: the branch's list from a file (preview, error
workbook, register), and a desa's submitted officials in one table (type, Enter, next row)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.enrollment.kpj_import import KPJ_COLUMN, KpjPreviewDialog, KpjTableDialog
from klaten_desktop.gui.enrollment.section import EnrollmentSection
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.imports import read_workbook
from tests.conftest import Shown
from tests.gui.conftest import Modal, wait_loaded
from tests.services.test_kpj_import import HEADER, NIK_UNKNOWN, write_xlsx

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_section(qtbot: QtBot, ctx: ServiceContext) -> EnrollmentSection:
    section = EnrollmentSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.show()
    wait_loaded(qtbot, section, ctx)
    with qtbot.waitActive(section):
        section.activateWindow()
    section.browser.table.setFocus()
    return section


def type_into(qtbot: QtBot, table: QWidget, text: str) -> None:
    """Type into the current cell: the first key opens its editor, the rest go where the focus then is."""
    qtbot.keyClicks(table, text[0])
    qtbot.keyClicks(QApplication.focusWidget(), text[1:])


def enter_then_next_row(qtbot: QtBot, table: QTableWidget, row: int) -> None:
    """Enter in a cell's editor: the cell is saved and the next row's KPJ cell is being edited (after the last
    row: the editor closes)."""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    if row < table.rowCount():
        qtbot.waitUntil(lambda: table.currentRow() == row and QApplication.focusWidget() is not table)
    else:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    assert table.currentColumn() == KPJ_COLUMN


def kpj_of(ctx: ServiceContext, official_id: str) -> str | None:
    e = officials.get(ctx, official_id).enrollment
    return e.nomor_kpj if e is not None else None


def test_import_the_branch_list_from_a_file(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: Shown, tmp_path: Path
) -> None:
    ctx = gui_ctx
    waiting = [r for r in officials.list_rows(ctx) if r.status == "diajukan"][:2]
    assert len(waiting) == 2, "demo data has submitted officials"
    path = write_xlsx(
        tmp_path / "kpj_cabang.xlsx",
        [
            HEADER,
            [1, waiting[0].nik, waiting[0].nama, "71234567801", "01-11-2026"],
            [2, waiting[1].nik, waiting[1].nama, "71234567802", "01-11-2026"],
            [3, NIK_UNKNOWN, "Orang Lain", "71234567803", "01-11-2026"],
        ],
    )
    shown.open_path = path
    errors = tmp_path / "ditolak.xlsx"
    shown.save_paths.append(errors)
    section = open_section(qtbot, ctx)

    def preview(dialog: QWidget) -> None:
        assert isinstance(dialog, KpjPreviewDialog)
        assert [dialog.model.row_at(r).outcome.label for r in range(dialog.model.rowCount())] == [
            "Akan dicatat",
            "Akan dicatat",
            "Ditolak",
        ]
        assert "tidak terdaftar" in dialog.model.index(2, 5).data()
        assert kpj_of(ctx, waiting[0].id) is None  # the preview wrote nothing
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.rows)  # no field: the rows, not a button
        qtbot.waitUntil(dialog.isActiveWindow)
        qtbot.keyClick(dialog.rows, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Simpan baris &ditolak…
        qtbot.waitUntil(errors.exists)  # a mnemonic clicks after 100 ms
        qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)  # Enter: Catat 2 KPJ

    failures = modal(preview)
    qtbot.keyClick(section.browser.table, Qt.Key.Key_K, CTRL_SHIFT)
    assert not failures, failures
    assert shown.info[-1].startswith("2 nomor KPJ dicatat; 0 tidak berubah, 1 ditolak.")
    assert [kpj_of(ctx, w.id) for w in waiting] == ["71234567801", "71234567802"]
    assert read_workbook(errors).rows[1][1] == NIK_UNKNOWN


def test_type_the_numbers_of_a_desa_in_one_table(
    qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal, shown: Shown
) -> None:
    ctx = gui_ctx
    waiting = [r for r in officials.list_rows(ctx) if r.status == "diajukan"]
    desa = max({r.desa_kode for r in waiting}, key=lambda d: sum(1 for r in waiting if r.desa_kode == d))
    here = [r for r in waiting if r.desa_kode == desa]
    assert len(here) >= 2, "demo data has a desa with two submitted officials"
    section = open_section(qtbot, ctx)
    section.browser.desa.setCurrentIndex(section.browser.desa.findData(desa))
    typed: dict[str, str] = {}

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, KpjTableDialog)
        assert dialog.desa.currentData() == desa and dialog.table.rowCount() == len(here)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.desa)  # the first field, not a button
        table = dialog.table
        for _ in range(5):  # past the date (its day, month and year parts take a Tab each today)
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            if QApplication.focusWidget() is table:
                break
        assert QApplication.focusWidget() is table and table.currentColumn() == KPJ_COLUMN
        type_into(qtbot, table, "12AB")  # typing starts editing the KPJ cell
        enter_then_next_row(qtbot, table, 1)  # Enter: saved, next row
        qtbot.keyClicks(QApplication.focusWidget(), "81234567802")
        enter_then_next_row(qtbot, table, 2)
        if table.rowCount() > 2:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # leave the next row's editor
        qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter: Catat KPJ
        assert dialog.isVisible() and "tidak dapat dicatat" in dialog.error_text()
        assert "hanya boleh berisi angka" in table.cell(0, 4).text()
        assert table.currentRow() == 0  # the first refused row
        assert [kpj_of(ctx, r.id) for r in here[:2]] == [None, None]  # nothing written
        type_into(qtbot, table, "81234567801")
        enter_then_next_row(qtbot, table, 1)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        typed.update({table.cell(r, 0).text(): table.cell(r, KPJ_COLUMN).text() for r in range(2)})
        qtbot.keyClick(table, Qt.Key.Key_Return)

    failures = modal(fill)
    qtbot.keyClick(
        section.browser.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert not failures, failures
    assert shown.info[-1].startswith("2 nomor KPJ dicatat")
    assert sorted(typed.values()) == ["81234567801", "81234567802"]
    registered = {r.nama: r.nomor_kpj for r in officials.list_rows(ctx, desa_kode=desa) if r.nomor_kpj}
    assert {name: registered.get(name) for name in typed} == typed
