"""The main window: sections by keyboard, backup in a worker, remembered layout, crash dialog, start-up."""

from __future__ import annotations

import faulthandler
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from klaten_desktop.db.models import Official
from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.gui import application
from klaten_desktop.gui.crash import CrashHandler
from klaten_desktop.gui.dashboard import DashboardSection
from klaten_desktop.gui.enrollment.section import EnrollmentSection
from klaten_desktop.gui.forms import build
from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.main_window import CHECKPOINT_EVERY_MS, MainWindow
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings import keys_box
from klaten_desktop.gui.settings.section import OfficeSettingsSection
from klaten_desktop.runtime.logs import clear_crash_report, pending_crash_report
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import housekeeping, keywrap, office, officials
from klaten_desktop.services.context import ServiceContext
from tests.conftest import TEST_ADMIN


def _window(qtbot: QtBot, ctx: ServiceContext, settings: Path, *, size_to_screen: bool = False) -> MainWindow:
    ui_settings.install(settings)
    window = MainWindow(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(window)
    if not size_to_screen:
        window.resize(1366, 768)  # the offscreen screen is 800x600; these tests look at a laptop-sized window
    with qtbot.waitActive(window):
        window.show()
    return window


def test_sections_by_keyboard_and_home_counts(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[:3] == ["Beranda", "Pengurus RT/RW", "Kepesertaan & Iuran"]
    assert titles[-1] == "Pengaturan"
    assert {"Sosialisasi", "Impor/Ekspor", "Sinkronisasi"} <= set(titles)
    home = window.current_page()
    assert isinstance(home, DashboardSection)
    qtbot.waitUntil(lambda: not home.is_loading(), timeout=10_000)
    rows = [r for r in officials.list_rows(gui_ctx) if r.jabatan in HEAD_POSTS]  # the insured posts count
    serving = [r for r in rows if r.term_status == "menjabat"]
    aktif = sum(1 for r in serving if r.status == "aktif")
    assert home.tiles["aktif"].value.text() == str(aktif)
    assert home.tiles["pengurus"].value.text() == str(len(rows))

    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    settings_key = Qt.Key(Qt.Key.Key_1.value + titles.index("Pengaturan"))
    for key, kind in (
        (Qt.Key.Key_2, OfficialsSection),
        (Qt.Key.Key_3, EnrollmentSection),
        (settings_key, OfficeSettingsSection),
    ):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert isinstance(window.current_page(), kind)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page()
    assert isinstance(page, OfficialsSection) and page.browser.search.hasFocus()
    assert "Prambanan" in window.office_label.text()
    assert window.backup_label.text() == "Cadangan terakhir: belum pernah"


def test_backup_runs_in_a_worker_and_updates_status(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, shown: object
) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    window.backup_action.trigger()
    task = window.backup_task()
    assert task is not None
    with qtbot.waitSignal(task.worker.signals.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: window.backup_task() is None, timeout=5000)
    assert (
        window.backup_label.text().startswith("Cadangan terakhir: 24 November 2026")
        or "Cadangan terakhir:" in window.backup_label.text()
    )
    assert "belum pernah" not in window.backup_label.text()
    assert gui_ctx.backups_dir is not None and list(gui_ctx.backups_dir.glob("klaten-cadangan-*.sqlite"))
    assert shown.info and shown.info[-1].startswith("Cadangan dibuat")  # type: ignore[attr-defined]


def test_layout_is_remembered(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    settings = tmp_path / "tampilan.ini"
    window = _window(qtbot, gui_ctx, settings)
    window.nav.setCurrentRow(1)
    page = window.current_page()
    assert isinstance(page, OfficialsSection)
    header = page.browser.table.horizontalHeader()
    nik_col = page.browser.model.column_of("nik")
    header.setSectionHidden(nik_col, True)
    page.splitter.setSizes([700, 600])
    sizes = page.splitter.sizes()
    window.close()
    assert settings.exists()

    again = _window(qtbot, gui_ctx, settings)
    again.nav.setCurrentRow(1)
    page2 = again.current_page()
    assert isinstance(page2, OfficialsSection)
    assert page2.browser.table.horizontalHeader().isSectionHidden(nik_col)
    # the offscreen screen is smaller than the window, so only the table side's width is compared
    qtbot.waitUntil(lambda: page2.splitter.sizes()[0] == sizes[0], timeout=3000)


def test_office_settings_saved(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, shown: object) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    window.nav.setCurrentRow(window.section_index("Pengaturan"))
    page = window.current_page()
    assert isinstance(page, OfficeSettingsSection)
    line = page.form.line("bpjs_branch_head")
    line.clear()
    qtbot.keyClicks(line, "Budi Contoh")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    data = office.get(gui_ctx)
    assert data is not None and data.bpjs_branch_head == "Budi Contoh"
    page.form.line("name").clear()
    page.save()
    assert "wajib" in page.form.issue_label("name").text()
    data = office.get(gui_ctx)
    assert data is not None and data.name == "Kecamatan Prambanan"


@pytest.mark.log_warnings_expected  # the crash handler logs the bug at ERROR
def test_crash_handler_logs_and_shows_details(qtbot: QtBot, tmp_path: Path, shown: object) -> None:
    import logging

    log_file = tmp_path / "klaten.log"
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    logging.getLogger().addHandler(file_handler)
    handler = CrashHandler(log_file)
    handler.install()
    try:
        try:
            raise RuntimeError("contoh kesalahan program")
        except RuntimeError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        handler.uninstall()
        logging.getLogger().removeHandler(file_handler)
        file_handler.close()
    details = shown.crash[-1]  # type: ignore[attr-defined]
    assert "RuntimeError: contoh kesalahan program" in details
    assert "Klaten Desktop" in details
    assert "contoh kesalahan program" in log_file.read_text(encoding="utf-8")


def test_run_opens_the_main_window_and_offers_a_crash_log(
    qtbot: QtBot, gui_ctx: ServiceContext, shown: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert gui_ctx.database is not None
    app_paths = AppPaths(gui_ctx.database.parent)
    app_paths.ensure()
    app_paths.crash_log.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    seen: list[str] = []

    def close_soon() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, keys_box.PassphraseDialog) and widget.isVisible():
                seen.append(widget.windowTitle())  # clear keys, not on Windows: asked to wrap them; Batal
                widget.reject()
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget.windowTitle())
                widget.close()
                return
        QTimer.singleShot(20, close_soon)

    QTimer.singleShot(0, close_soon)
    monkeypatch.setattr(application, "sign_in", lambda _ctx, _made=None: TEST_ADMIN)  # the login: tests/gui/accounts
    try:
        code = application.run(app_paths, lambda _paths: gui_ctx)
        offered_and_cleared = pending_crash_report(app_paths) is None
    finally:
        clear_crash_report(app_paths)  # run() re-armed faulthandler on the crash log; give it back to pytest
        faulthandler.enable(sys.__stderr__, all_threads=True)
    assert code == 0
    assert offered_and_cleared
    asked = [] if keywrap.dpapi_available() else ["Lindungi kunci kantor"]
    assert seen == [*asked, "Klaten Desktop — Kecamatan Prambanan"]
    assert "Segmentation fault" in shown.crash[0]  # type: ignore[attr-defined]


def test_forms_are_compiled_from_the_ui_sources() -> None:
    sources = build.sources()
    assert {s.name for s in sources} >= {"official_form.ui", "office_form.ui"}
    for source in sources:
        assert build.target_for(source).read_text(encoding="utf-8") == build.compile_ui(source), (
            f"{source.name} changed: run python -m klaten_desktop.gui.forms.build"
        )


def test_every_section_fits_a_1366x768_laptop(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    for index in range(window.nav.count()):
        window.nav.setCurrentRow(index)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, (window.nav.item(index).text(), hint)


def test_the_window_checkpoints_the_log_on_a_pool_thread(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with gui_ctx.write() as session:  # something in the log
        session.execute(update(Official).values(catatan="diperiksa"))
    on_gui_thread: list[bool] = []
    results: list[housekeeping.Checkpoint | None] = []
    release = threading.Event()
    real = housekeeping.checkpoint

    def held(ctx: ServiceContext) -> housekeeping.Checkpoint | None:
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        release.wait(10)
        results.append(real(ctx, min_bytes=0))
        return results[-1]

    monkeypatch.setattr(housekeeping, "checkpoint", held)
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    assert window.checkpoint_timer.isActive() and window.checkpoint_timer.interval() == CHECKPOINT_EVERY_MS
    window.checkpoint_in_background()
    qtbot.waitUntil(lambda: len(on_gui_thread) == 1, timeout=10_000)
    window.checkpoint_in_background()  # the first one still runs: no second one
    release.set()
    qtbot.waitUntil(lambda: window._checkpointer is not None and window._checkpointer.is_done(), timeout=10_000)
    assert on_gui_thread == [False]
    [done] = results
    assert done is not None and done.log_frames > 0 and done.copied_frames == done.log_frames


def test_the_window_fits_the_free_area_of_a_small_screen_and_opens_maximised() -> None:
    from PySide6.QtCore import QRect

    from klaten_desktop.gui.main_window import fit_to_screen

    # A 1366x768 laptop with the Windows taskbar (about 40 px): the free area is 1366x728.
    geometry, maximised = fit_to_screen(QRect(0, 0, 1366, 728))
    assert maximised and geometry == QRect(0, 0, 1366, 728)
    # A bigger monitor with the taskbar on the left: the preferred size, centred in the free area.
    geometry, maximised = fit_to_screen(QRect(60, 0, 1860, 1080))
    assert not maximised
    assert (geometry.width(), geometry.height()) == (1366, 768)
    assert geometry.center() == QRect(60, 0, 1860, 1080).center()


def test_the_window_geometry_is_remembered_per_screen(qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini", size_to_screen=True)
    screen = window.screen()
    area = screen.availableGeometry()
    # The offscreen screen (800x600) is smaller than 1366x768: the window takes the whole free area.
    assert window.start_maximised and window.geometry().size() == area.size()
    window.showNormal()
    window.setGeometry(area.adjusted(10, 10, -100, -80))
    wanted = window.geometry()
    window.save_state()
    key = ui_settings.screen_key(screen)
    assert key.endswith(f"-{screen.size().width()}x{screen.size().height()}")
    content = (tmp_path / "tampilan.ini").read_text(encoding="utf-8")
    assert f"[{key}]" in content
    window.close()

    again = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini", size_to_screen=True)
    assert again.size() == wanted.size() and not again.start_maximised
