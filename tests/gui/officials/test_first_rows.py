"""Pengurus RT/RW opened while the officials list is still loading: the first rows read are shown at once
(searchable), the "Memuat" line stays, and the rest is filled in when the load ends."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.officials import store as store_module
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.records import OfficialRow
from tests.conftest import TEST_ADMIN

FIRST = 30


def test_first_rows_shown_while_the_rest_loads(
    qtbot: QtBot, gui_ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(officials, "FIRST_ROWS", FIRST)
    release = threading.Event()
    real = store_module._list_rows

    def held_after_first(ctx: ServiceContext, first: Callable[[list[OfficialRow]], None] | None = None) -> object:
        def then_wait(rows: list[OfficialRow]) -> None:
            assert first is not None
            first(rows)
            release.wait(10)  # the rest of the list "takes long"

        return real(ctx, then_wait)

    monkeypatch.setattr(store_module, "_list_rows", held_after_first)
    store = store_for(gui_ctx)
    section = OfficialsSection(GuiSession.start(gui_ctx, TEST_ADMIN))
    qtbot.addWidget(section)
    section.show()
    try:
        section.refresh()
        browser = section.browser
        qtbot.waitUntil(lambda: browser.model.total_count() == FIRST, timeout=10_000)
        assert store.is_loading() and store.rows() is None  # counts and exports still wait for every official
        assert section.loading.isVisible()
        target = browser.model.row_at(FIRST // 2)
        qtbot.keyClick(section, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(browser.search, target.nik)
        qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=2000)
        assert browser.model.row_at(0).id == target.id
    finally:
        release.set()
    qtbot.waitUntil(lambda: not store.is_loading() and browser.model.total_count() == 80, timeout=10_000)
    assert not section.loading.isVisible()
    assert browser.model.rowCount() == 1 and browser.model.row_at(0).id == target.id  # the search kept
