"""The window's backups: the automatic ones, restore under Berkas, the start-up warning, one window per folder."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from klaten_desktop.app import open_context
from klaten_desktop.gui import application, single_instance
from klaten_desktop.gui.backups import AUTO_BACKUP_EVERY_MS
from klaten_desktop.gui.kit import tasks, ui_settings
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, demo
from klaten_desktop.services.access import AccessDenied
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem
from tests.conftest import TEST_ADMIN, TODAY, Shown, _make_template


def _window(qtbot: QtBot, ctx: ServiceContext, tmp_path: Path) -> MainWindow:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    return window


def test_backup_at_start_and_every_30_minutes(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    window = _window(qtbot, gui_ctx, tmp_path)
    assert window.backups.timer.isActive() and window.backups.timer.interval() == AUTO_BACKUP_EVERY_MS == 1_800_000
    qtbot.waitUntil(lambda: backup.latest(gui_ctx) is not None and not window.backups.is_busy(), timeout=10_000)
    first = backup.latest(gui_ctx)
    assert first is not None and first.path.name.endswith("-mulai.sqlite")
    worker = window.backups.run_auto("berkala")  # the timer's slot: nothing changed, so no new file
    assert worker is not None and worker.wait(30)
    assert backup.listing(gui_ctx) == [first]
    window.close()


def test_restore_from_the_berkas_menu(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, shown: Shown) -> None:
    window = _window(qtbot, gui_ctx, tmp_path)
    assert window.backups.restore_action in window.menuBar().actions()[0].menu().actions()
    saved = backup.create(gui_ctx)
    assert gui_ctx.database is not None
    shown.open_path = saved.path
    shown.confirm_answer = True
    window.backups.restore_action.trigger()
    assert "Pulihkan" in shown.confirm[0] and "-wal" in shown.confirm[0]
    assert shown.info and "dipulihkan" in shown.info[-1]
    assert not window.isVisible()  # closed: the next start opens the restored file
    assert list((gui_ctx.database.parent / "cadangan").glob("disisihkan-*/klaten.sqlite"))


def _damage(ctx: ServiceContext) -> None:
    assert ctx.database is not None
    ctx.dispose()
    conn = sqlite3.connect(ctx.database)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'official'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    raw = bytearray(ctx.database.read_bytes())
    raw[(root - 1) * size : (root - 1) * size + 16] = b"\x0d\xff" * 8  # the official table's root page
    ctx.database.write_bytes(bytes(raw))


def test_a_damaged_database_is_said_before_work_starts(qtbot: QtBot, gui_ctx: ServiceContext, shown: Shown) -> None:
    _damage(gui_ctx)
    checker = application.warn_if_damaged(gui_ctx)  # beside the window: start-up does not wait for it
    refused: list[BaseException] = []

    def from_a_worker() -> None:
        try:
            with gui_ctx.write():
                pass
        except EnvironmentProblem as exc:
            refused.append(exc)

    worker = threading.Thread(target=from_a_worker)
    worker.start()
    worker.join(60)
    assert refused and str(refused[0]).startswith("Basis data rusak")  # waited for the check; not said yet: refused
    assert shown.error == []
    with gui_ctx.write():  # the first write on the GUI thread says it first, then goes on (the person decides)
        assert shown.error and shown.error[0].startswith("Basis data rusak")
    assert "klaten.sqlite-wal" in shown.error[0]
    qtbot.waitUntil(checker.is_done)
    qtbot.wait(50)
    assert len(shown.error) == 1  # said once


def test_a_damaged_database_is_said_when_the_check_ends(qtbot: QtBot, gui_ctx: ServiceContext, shown: Shown) -> None:
    _damage(gui_ctx)
    checker = application.warn_if_damaged(gui_ctx)
    qtbot.waitUntil(lambda: bool(shown.error), timeout=30_000)  # nobody wrote: said as soon as the check ended
    assert checker.is_done() and shown.error[0].startswith("Basis data rusak")


def test_writes_go_on_once_the_start_check_passed(qtbot: QtBot, gui_ctx: ServiceContext, shown: Shown) -> None:
    checker = application.warn_if_damaged(gui_ctx)
    with gui_ctx.write() as session:  # waits for the check, which finds nothing
        session.execute(text("CREATE TABLE tambahan (x)"))
    qtbot.waitUntil(checker.is_done)
    qtbot.wait(50)
    assert shown.error == []


def test_a_second_start_on_the_same_folder_brings_the_first_forward(
    qtbot: QtBot, app_paths: AppPaths, shown: Shown
) -> None:
    first = single_instance.claim(app_paths.data_dir)
    assert first is not None
    try:
        with qtbot.waitSignal(first.bring_forward, timeout=5000):
            assert single_instance.claim(app_paths.data_dir) is None
        assert shown.info == [single_instance.ALREADY_OPEN]
    finally:
        first.release()
    again = single_instance.claim(app_paths.data_dir)
    assert again is not None
    again.release()


def test_a_read_only_data_folder_gets_a_clear_message(tmp_path: Path, shown: Shown) -> None:
    blocker = tmp_path / "berkas"
    blocker.write_text("bukan folder", encoding="utf-8")
    assert single_instance.claim(blocker / "data") is None
    assert shown.error and "Folder data" in shown.error[0]


def test_restore_is_refused_to_an_operator_before_anything_closes(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, shown: Shown
) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(gui_ctx, Actor("oki", "Oki Operator", "operator")))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    saved = backup.create(gui_ctx)
    assert gui_ctx.database is not None
    before = gui_ctx.database.read_bytes()
    shown.open_path = saved.path
    shown.confirm_answer = True
    assert not window.backups.restore_action.isEnabled()
    window.backups.restore_from_file()  # even when reached another way: refused before a file is asked for
    assert shown.warn and "Akses ditolak" in shown.warn[-1] and "memulihkan cadangan" in shown.warn[-1]
    assert not shown.confirm
    with pytest.raises(AccessDenied):
        window.backups.restore_now(saved.path)
    assert window.isVisible() and not window.backups.restored
    assert gui_ctx.database.read_bytes() == before
    assert not list((gui_ctx.database.parent / "cadangan").glob("disisihkan-*"))
    window.close()


def test_a_viewer_may_not_back_up_now(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, shown: Shown) -> None:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(gui_ctx, Actor("pia", "Pia Pembaca", "pembaca")))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    window.backup_now()
    qtbot.waitUntil(lambda: window.backup_task() is None, timeout=10_000)
    assert shown.warn and "Akses ditolak" in shown.warn[-1] and "membuat cadangan" in shown.warn[-1]
    # only the automatic one at start (the program's own) may be there
    assert not [b for b in backup.listing(gui_ctx) if not b.path.name.endswith("-mulai.sqlite")]
    window.close()


@pytest.fixture
def server_office(pg_databases: Any, tmp_path: Path) -> Iterator[tuple[ServiceContext, str]]:
    """A Prambanan office with 10 officials on a fresh server database. Requested before ``qtbot``, so it is torn
    down after the test's windows are closed."""
    url = pg_databases.create()
    paths = AppPaths(tmp_path / "pc", database_url=url)
    _make_template(paths, "kecamatan")
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    demo.populate(ctx, SYSTEM, 10, seed=4)
    yield ctx, url
    store_for(ctx).wait()
    tasks.wait_all()
    QThreadPool.globalInstance().waitForDone(30_000)
    ctx.dispose()
    # not dropped here: a closed window's section may still refresh once from the event queue (the run's end drops
    # every database the tests made)


def test_restore_from_the_berkas_menu_on_the_server(
    server_office: tuple[ServiceContext, str], qtbot: QtBot, tmp_path: Path, shown: Shown
) -> None:
    """Server mode: the same menu takes a pg_dump archive and puts it back into the server database."""
    ctx, url = server_office
    window = _window(qtbot, ctx, tmp_path)
    saved = backup.make(ctx, TEST_ADMIN)
    assert saved.path.suffix == ".dump"
    payments = _server_count(url)
    assert payments > 0
    _server_sql(url, "DELETE FROM contribution_payment")
    shown.open_path = saved.path
    shown.confirm_answer = True
    window.backups.restore_action.trigger()
    assert "ke server" in shown.confirm[0] and "PC lain" in shown.confirm[0]
    assert shown.info and "dipulihkan ke server" in shown.info[-1]
    assert not window.isVisible()
    assert _server_count(url) == payments


def _server_sql(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _server_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM contribution_payment")).scalar_one())
    finally:
        engine.dispose()
