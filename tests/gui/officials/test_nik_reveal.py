"""NIK privacy on screen (issue #20): the table and the detail pane show the NIK masked, Ctrl+Shift+N ("Tampilkan
NIK") shows the whole NIK of the selected official and records it in the audit log; the search still finds a
whole NIK typed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from tests.conftest import TEST_ADMIN
from tests.gui.conftest import wait_loaded
from tests.gui.settings.test_screenshots import _save


def test_nik_masked_in_table_and_pane_revealed_by_ctrl_shift_n(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path
) -> None:
    section = OfficialsSection(GuiSession.start(gui_ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    wait_loaded(qtbot, section, gui_ctx)
    browser = section.browser
    target = officials.list_rows(gui_ctx)[7]

    qtbot.keyClick(section, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(browser.search, target.nik)  # the whole NIK still finds the official
    qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=2000)
    assert browser.model.row_at(0).id == target.id
    texts = [browser.model.index(0, c).data() for c in range(browser.model.columnCount())]
    assert mask_nik_display(target.nik) in texts and target.nik not in texts
    browser.select_id(target.id)
    qtbot.waitUntil(lambda: section.details.values["nik"].text() == mask_nik_display(target.nik), timeout=2000)

    browser.search.clear()
    browser.select_id(target.id)
    _save(qtbot, section, tmp_path, "pengurus-nik-tersamar.png")
    section.activateWindow()
    qtbot.waitUntil(section.isActiveWindow)
    qtbot.keyClick(
        browser.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert section.details.values["nik"].text() == target.nik
    assert not section.reveal_button.isEnabled()
    assert section.reveal_action in browser.table.actions()  # the table's context menu offers it too
    with sqlite3.connect(gui_ctx.database) as conn:  # type: ignore[arg-type]
        seen = conn.execute("SELECT entity_id FROM audit_log WHERE action = 'reveal_nik'").fetchall()
    assert seen == [(target.id,)]
