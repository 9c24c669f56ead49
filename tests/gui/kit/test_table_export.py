"""Any table on screen to Excel or CSV: the rows shown (filter and sort), the visible columns, typed cells."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.kit.table_export import SHORTCUT, install_table_exports
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import audit
from klaten_desktop.services.context import ServiceContext
from tests.conftest import TEST_ADMIN, Shown


def _read_xlsx(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _export_action(view: QTableView):  # type: ignore[no-untyped-def]
    return next(a for a in view.actions() if a.shortcut().toString() == SHORTCUT)


def test_the_officials_table_exports_what_it_shows(
    qtbot: QtBot, gui_ctx: ServiceContext, shown: Shown, tmp_path: Path
) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(gui_ctx, TEST_ADMIN))
    qtbot.addWidget(window)
    window.show()
    index = window.section_index("Pengurus RT/RW")
    window.nav.setCurrentRow(index)
    section = window.page(index)
    assert isinstance(section, OfficialsSection)
    browser = section.browser
    qtbot.waitUntil(lambda: browser.model.total_count() > 0, timeout=10_000)
    table = browser.table
    assert not table.tabKeyNavigation()  # Tab leaves the table
    model = browser.model
    # what the user sees: one desa, sorted by name descending, the phone column hidden
    desa = model.row_at(0).desa_kode
    browser.desa.setCurrentIndex(browser.desa.findData(desa))
    qtbot.waitUntil(lambda: all(model.row_at(r).desa_kode == desa for r in range(model.rowCount())), timeout=5000)
    table.sortByColumn(model.column_of("nama"), Qt.SortOrder.DescendingOrder)
    table.setColumnHidden(model.column_of("telepon"), True)
    shown_rows = [model.row_at(r) for r in range(model.rowCount())]
    assert len(shown_rows) > 1

    target = tmp_path / "pengurus.xlsx"
    shown.save_paths.append(target)
    _export_action(table).trigger()
    qtbot.waitUntil(lambda: bool(shown.info), timeout=10_000)
    assert shown.info[-1] == f"{len(shown_rows)} baris diekspor ke {target}."
    assert shown.save_asked[-1] is not None and shown.save_asked[-1].name.startswith("pengurus-rt-rw-")
    recorded = audit.recent(gui_ctx, limit=1)[0]  # the window records every table export in the audit trail
    assert (recorded.action, recorded.entity) == ("export", "file") and '"berkas": "pengurus.xlsx"' in str(
        recorded.new_values
    )
    cells = _read_xlsx(target)
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    headers.remove("Telepon")
    assert cells[0] == headers
    names = [row[headers.index("Nama")] for row in cells[1:]]
    assert names == [r.nama for r in shown_rows]
    niks = [row[headers.index("NIK")] for row in cells[1:]]
    assert niks == [mask_nik_display(r.nik) for r in shown_rows]  # as shown: masked (issue #20)
    rt = [row[headers.index("RT")] for row in cells[1:]]
    assert rt == [float(r.rt) if r.rt is not None else "" for r in shown_rows]
    starts = [row[headers.index("Mulai menjabat")] for row in cells[1:]]
    assert starts == [r.term_start if r.term_start is not None else "" for r in shown_rows]
    assert any(isinstance(d, dt.date) for d in starts)


def test_any_records_table_exports_its_text_with_numbers_as_numbers(qtbot: QtBot, shown: Shown, tmp_path: Path) -> None:
    model: RecordsTableModel[tuple[str, int]] = RecordsTableModel(
        [Column("Kecamatan", lambda r: r[0]), Column("Pengurus", lambda r: f"{r[1]:,}".replace(",", "."), True)]
    )
    model.set_rows([("=Prambanan", 1234), ("Gantiwarno", 87)])
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName("Rekap kecamatan")
    qtbot.addWidget(view)
    assert install_table_exports(view, lambda: dt.date(2026, 11, 24)) == 1
    assert install_table_exports(view, lambda: dt.date(2026, 11, 24)) == 0  # once per table
    target = tmp_path / "rekap.csv"
    shown.save_paths.append(target)
    _export_action(view).trigger()
    qtbot.waitUntil(lambda: bool(shown.info), timeout=10_000)
    assert shown.save_asked[-1] == Path.home() / "rekap-kecamatan-2026-11-24.xlsx"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    # "CSV untuk Excel": text as a formula giving the text (never run), numbers as numbers
    assert rows == [["Kecamatan", "Pengurus"], ['="=Prambanan"', "1234"], ['="Gantiwarno"', "87"]]
    xlsx = tmp_path / "rekap.xlsx"
    shown.save_paths.append(xlsx)
    _export_action(view).trigger()
    # the task has ended once it said so (waiting for the file alone let its message reach the next test)
    qtbot.waitUntil(lambda: len(shown.info) == 2, timeout=10_000)
    assert shown.info[-1] == f"2 baris diekspor ke {xlsx}."
    assert _read_xlsx(xlsx) == [["Kecamatan", "Pengurus"], ["=Prambanan", 1234.0], ["Gantiwarno", 87.0]]


def test_an_empty_table_says_so(qtbot: QtBot, shown: Shown) -> None:
    model: RecordsTableModel[str] = RecordsTableModel([Column("Nama", lambda r: r)])
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    install_table_exports(view, lambda: dt.date(2026, 11, 24))
    _export_action(view).trigger()
    assert shown.info == ["Tabel ini kosong; tidak ada yang diekspor."] and shown.save_asked == []


def test_text_shown_becomes_a_typed_cell_only_where_that_is_certain() -> None:
    from klaten_desktop.gui.kit.table_export import typed

    assert typed("9 Desember 2026") == dt.date(2026, 12, 9)
    assert typed("Rp 16.800") == 16800
    assert typed("1.234") == 1234 and typed("0") == 0 and typed("12") == 12
    for text in ("001", "081234567890", "3310011205700001", "33.10.01.2001", "—", "belum pernah", "33,3%", "RT 4"):
        assert typed(text) == text


def test_a_table_is_named_after_its_group_box(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QGroupBox, QVBoxLayout

    from klaten_desktop.gui.kit.table_export import table_title

    box = QGroupBox("&Peserta")
    view = QTableView()
    QVBoxLayout(box).addWidget(view)
    qtbot.addWidget(box)
    assert table_title(view, "Sosialisasi") == "Sosialisasi - Peserta"
    view.setAccessibleName("Daftar hadir")
    assert table_title(view, "Sosialisasi") == "Daftar hadir"
