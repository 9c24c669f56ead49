"""Pengaturan › Sinkronisasi › Kode pos by keyboard: typed into the table, Enter saves, a bad code is named and
nothing is stored, an emptied cell clears it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.services import kode_pos, settings
from klaten_desktop.services.context import ServiceContext
from tests.conftest import Shown

SENGON, CUCUKAN = "33.10.01.2001", "33.10.01.2002"


def _type_cell(qtbot: QtBot, table: QTableWidget, text: str) -> None:
    """Type over the current cell: the first key opens the editor, the rest go to it, Enter commits."""
    qtbot.keyClicks(table, text[0])
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    editor = table.indexWidget(table.currentIndex())
    assert editor is not None
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState and table.hasFocus())


def test_kode_pos_typed_saved_refused_and_cleared(qtbot: QtBot, ctx: ServiceContext, shown: Shown) -> None:
    section = OfficeSettingsSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.resize(1366, 900)
    section.show()
    section.tabs.setCurrentIndex(3)
    section.refresh()
    section.activateWindow()
    qtbot.waitUntil(section.isActiveWindow)
    box = section.sync.kode_pos
    table = box.table
    assert [table.item(0, c).text() for c in range(4)] == [SENGON, "Sengon", "Prambanan", ""]
    assert table.rowCount() == len(kode_pos.rows(ctx))

    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    table.setCurrentCell(0, 0)
    for _ in range(3):
        qtbot.keyClick(table, Qt.Key.Key_Right)
    _type_cell(qtbot, table, "57454")
    qtbot.keyClick(table, Qt.Key.Key_Down)

    _type_cell(qtbot, table, "12345")
    assert box.changes() == {SENGON: "57454", CUCUKAN: "12345"}
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter saves: refused as a whole, the desa named
    assert f"{CUCUKAN}: Kode pos '12345' tidak sah" in box.issue.text() and box.issue.isVisible()
    assert settings.get(ctx, "wilayah.kode_pos") == {} and shown.info == []

    _type_cell(qtbot, table, "57455")
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert settings.get(ctx, "wilayah.kode_pos") == {SENGON: "57454", CUCUKAN: "57455"}
    assert shown.info == ["Kode pos disimpan untuk 2 desa/kelurahan."]
    assert table.item(1, 3).text() == "57455" and not box.issue.isVisible()

    table.setCurrentCell(0, 3)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: table.state() == QAbstractItemView.State.EditingState)
    editor = table.indexWidget(table.currentIndex())
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState and table.hasFocus())
    box.save_button.setFocus()
    qtbot.keyClick(box.save_button, Qt.Key.Key_Space)
    assert settings.get(ctx, "wilayah.kode_pos") == {CUCUKAN: "57455"}
