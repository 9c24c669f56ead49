"""At 1366×768 the Pengurus RT/RW table shows its Status column whole, without scrolling, while an official's
details are open beside it: the detail pane gives way (issue 18, "Typing")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services.context import ServiceContext
from tests.gui.conftest import wait_loaded

CHIP_PADDING = 24  # the status chip's rounded ends (gui/kit/status_chip.py)


def test_status_column_readable_at_1366x768_with_details_open(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path
) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(gui_ctx))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)  # Beranda -> Pengurus RT/RW
    assert window.nav.currentRow() == titles.index("Pengurus RT/RW")
    section = window.current_page()
    assert isinstance(section, OfficialsSection)
    wait_loaded(qtbot, section, gui_ctx)
    table = section.browser.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: section.details.isVisible())
    assert section.name.text()

    status = section.browser.model.column_of("status")
    right_edge = table.columnViewportPosition(status) + table.columnWidth(status)
    assert table.horizontalScrollBar().value() == 0
    assert right_edge <= table.viewport().width(), (right_edge, table.viewport().width())
    metrics = QFontMetrics(table.font())
    labels = {section.browser.model.row_at(r).status_label for r in range(section.browser.model.rowCount())}
    assert "Belum terdaftar" in labels
    widest = max(metrics.horizontalAdvance(label) for label in labels) + CHIP_PADDING
    assert table.columnWidth(status) >= widest, (table.columnWidth(status), widest)
    header = table.horizontalHeader()
    assert header.sectionSize(status) >= QFontMetrics(header.font()).horizontalAdvance("Status") + 16
    # the details stay readable beside it
    assert section.details.width() >= 300
    assert section.browser.include_past.width() >= section.browser.include_past.sizeHint().width()
