"""The window on a PostgreSQL server (server mode, issue #21): a smoke test. The GUI tests run on the SQLite file;
this one opens the main window on a database of the test server whatever ``--db`` says (skipped with the reason
when no server is reachable, as on the Windows check)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from klaten_desktop.app import open_context
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import demo, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import TEST_ADMIN, TODAY, PgDatabases, Shown
from tests.gui.conftest import wait_loaded


@pytest.fixture
def server_ctx(
    pg_databases: PgDatabases, _pg_templates: Callable[[str], str], tmp_path: Path, shown: Shown
) -> Iterator[ServiceContext]:
    """The Prambanan office with 40 synthetic officials on a fresh database of the PostgreSQL server."""
    url = pg_databases.create(_pg_templates("kecamatan"))
    ctx = open_context(AppPaths(tmp_path / "data", database_url=url), clock=ShiftedClock.on(TODAY))
    try:
        demo.populate(ctx, SYSTEM, 40)
        yield ctx
        store_for(ctx).wait()
    finally:
        ctx.dispose()
        pg_databases.drop(url)


def test_the_window_lists_the_officials_of_a_server_database(
    qtbot: QtBot, server_ctx: ServiceContext, tmp_path: Path
) -> None:
    assert server_ctx.on_server and server_ctx.database is None
    window = MainWindow(GuiSession.start(server_ctx, TEST_ADMIN))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitActive(window):
        window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    window.show_section(titles.index("Pengurus RT/RW"))
    section = window.current_page()
    assert isinstance(section, OfficialsSection)
    wait_loaded(qtbot, section, server_ctx)
    browser = section.browser
    assert browser.model.rowCount() == 40
    assert browser.count.text().endswith("40 pengurus")
    stored = {r.id: r.nama for r in officials.list_rows(server_ctx)}
    shown = {browser.model.row_at(r).id: browser.model.row_at(r).nama for r in range(browser.model.rowCount())}
    assert shown == stored
    browser.table.selectRow(0)
    assert section.name.text() == browser.model.row_at(0).nama
