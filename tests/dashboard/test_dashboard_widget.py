"""The Beranda section on a real database: tiles, table (qtmodeltester, sorting), charts, worklists, signals."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.dashboard import DashboardSection
from klaten_desktop.gui.dashboard.models import SORT_ROLE, CoverageTableModel, WorklistTableModel
from klaten_desktop.gui.dashboard.presenter import Work
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import audit, dashboard, officials, worklists
from klaten_desktop.services.context import Actor, ServiceContext
from tests.conftest import TEST_ADMIN, Shown


def make(qtbot: QtBot, ctx: ServiceContext) -> DashboardSection:
    widget = DashboardSection(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    qtbot.waitUntil(lambda: not widget.is_loading(), timeout=10_000)  # figures load off the GUI thread
    return widget


def test_tiles_and_notice(qtbot: QtBot, ctx: ServiceContext, seeded: dict[str, str]) -> None:
    w = make(qtbot, ctx)
    assert w.tiles["pengurus"].value.text() == "10"
    assert w.tiles["aktif"].value.text() == "1"
    assert w.tiles["menunggak"].value.text() == "2"
    assert w.tiles["nonaktif"].value.text() == "1"
    assert w.tiles["berakhir"].value.text() == "2"
    assert w.tiles["cakupan"].value.text() == "12,5%"
    assert "Perlu perhatian hari ini" in w.notices()
    assert "1 peserta akan nonaktif dalam 30 hari" in w.notices()
    assert "keadaan per 24 November 2026" in w.as_of.text()
    items = [w.worklist_list.item(i).text() for i in range(w.worklist_list.count())]
    assert "Iuran bulan ini belum dibayar  (3)" in items
    assert "Belum pernah ikut sosialisasi  (8)" in items


def test_coverage_table_sorts_and_passes_modeltester(
    qtbot: QtBot, qtmodeltester: ModelTester, ctx: ServiceContext, seeded: dict[str, str]
) -> None:
    w = make(qtbot, ctx)
    model = w.coverage_model
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 16
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Desa/Kelurahan"
    cakupan = 9
    w.coverage_table.sortByColumn(cakupan, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 1)) == "Sengon"
    assert model.data(model.index(0, cakupan)) == "20,0%"
    assert model.data(model.index(0, cakupan), SORT_ROLE) == 20.0
    w.coverage_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # pengurus
    assert [model.data(model.index(r, 1)) for r in range(2)] == ["Sengon", "Cucukan"]
    qtmodeltester.check(model, force_py=True)
    empty = CoverageTableModel()
    qtmodeltester.check(empty, force_py=True)


def test_worklist_opens_officials_and_action(qtbot: QtBot, ctx: ServiceContext, seeded: dict[str, str]) -> None:
    w = make(qtbot, ctx)
    with qtbot.waitSignal(w.worklist_loaded, timeout=10_000):
        w.select_worklist("iuran_bulan_ini")
    assert w.worklist_model.rowCount() == 3
    assert w.action_button.text() == "Catat pembayaran iuran"
    assert w.action_button.isEnabled()
    expected = {seeded["D"], seeded["E"], seeded["G"]}
    with qtbot.waitSignal(w.action_requested) as action:
        qtbot.mouseClick(w.action_button, Qt.MouseButton.LeftButton)
    assert action.args[0] == "catat_pembayaran"
    assert set(action.args[1]) == expected
    with qtbot.waitSignal(w.open_officials_requested) as opened:
        qtbot.mouseClick(w.open_button, Qt.MouseButton.LeftButton)
    assert set(opened.args[0]) == expected and opened.args[1] == "Iuran bulan ini belum dibayar"
    # a selected row narrows the action to that official
    w.worklist_table.selectRow(0)
    first = w.worklist_model.row_at(0).official_id
    with qtbot.waitSignal(w.action_requested) as action:
        qtbot.mouseClick(w.action_button, Qt.MouseButton.LeftButton)
    assert action.args[1] == [first]
    with qtbot.waitSignal(w.open_officials_requested) as opened:
        w.worklist_table.doubleClicked.emit(w.worklist_model.index(0, 0))
    assert opened.args[0] == [first]


def test_empty_worklist_disables_the_action(qtbot: QtBot, ctx: ServiceContext, seeded: dict[str, str]) -> None:
    w = make(qtbot, ctx)
    with qtbot.waitSignal(w.worklist_loaded, timeout=10_000):
        w.select_worklist("nik_ganda")
    assert w.worklist_model.rowCount() == 0
    assert not w.action_button.isEnabled() and not w.open_button.isEnabled()
    assert w.action_button.text() == "Buka data untuk diperiksa"


def test_worklist_model_passes_modeltester(
    qtmodeltester: ModelTester, ctx: ServiceContext, seeded: dict[str, str]
) -> None:
    model = WorklistTableModel()
    qtmodeltester.check(model, force_py=True)
    model.set_rows(worklists.rows(ctx, "belum_sosialisasi"))
    assert model.rowCount() == 8
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None


def test_refresh_shows_new_data_and_charts_hold_the_figures(qtbot: QtBot, ctx: ServiceContext) -> None:
    from tests.dashboard.conftest import seed

    w = make(qtbot, ctx)
    assert w.tiles["pengurus"].value.text() == "0"
    # nothing in the registry; only the sync reminder (nothing was ever sent to the regency)
    assert w.notices() == (
        "Perlu perhatian hari ini:\n"
        "• Data belum pernah dikirim ke kabupaten. Buat paket sinkronisasi (menu Sinkronisasi)."
    )
    seed(ctx)
    with qtbot.waitSignal(w.loaded, timeout=10_000):
        qtbot.mouseClick(w.refresh_button, Qt.MouseButton.LeftButton)
    assert w.tiles["pengurus"].value.text() == "10"
    assert [a.nama for a in w.bar_chart.areas()][:2] == ["Sengon", "Cucukan"]
    points = w.trend_chart.points()
    assert len(points) == 12 and points[-1].counts == dashboard.figures(ctx).total
    # the charts paint without errors at the screen size of the offices
    image = w.grab()
    assert not image.isNull() and image.width() == 1366
    w.tabs.setCurrentIndex(1)
    assert not w.grab().isNull()


def test_regency_shows_kecamatan(qtbot: QtBot, make_ctx) -> None:  # type: ignore[no-untyped-def]
    from tests.dashboard.conftest import seed

    regency = make_ctx("kabupaten", name="kab")
    seed(regency)
    w = make(qtbot, regency)
    assert w.coverage_model.rowCount() == 26
    assert w.coverage_model.headerData(1, Qt.Orientation.Horizontal) == "Kecamatan"
    assert w.tabs.tabText(0) == "Cakupan per kecamatan"


def test_save_recap_from_the_beranda(
    qtbot: QtBot, ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from klaten_desktop.gui.kit import messages, tasks

    infos: list[str] = []
    monkeypatch.setattr(messages, "ask_save_path", lambda *_a, **_k: tmp_path / "rekap")
    monkeypatch.setattr(messages, "info", lambda _p, text, **_k: infos.append(text))
    w = make(qtbot, ctx)
    qtbot.mouseClick(w.recap_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    tasks.wait_all()
    assert infos == [f"Rekap cakupan disimpan di {tmp_path / 'rekap.pdf'}."]
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / "rekap.pdf")).pages).split())
    assert "Sengon 6 1 1 1 1 1 1 20,0%" in text


def test_the_ajukan_action_submits_as_the_person_at_the_pc(
    qtbot: QtBot, ctx: ServiceContext, seeded: dict[str, str], shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #16: the Beranda's "Ajukan ke BPJS" once wrote the audit log as the system actor."""
    sri = Actor("sri.wahyuni", "Sri Wahyuni", "operator")  # the person logged in (services/accounts.py)
    window = MainWindow(GuiSession.start(ctx, sri))
    qtbot.addWidget(window)
    home = window.current_page()
    assert isinstance(home, DashboardSection)
    qtbot.waitUntil(lambda: not home.is_loading(), timeout=10_000)
    with qtbot.waitSignal(home.worklist_loaded, timeout=10_000):
        home.select_worklist("belum_terdaftar")
    home.worklist_table.selectRow(0)
    chosen = home.worklist_model.row_at(0).official_id
    qtbot.mouseClick(home.action_button, Qt.MouseButton.LeftButton)
    assert shown.confirm and "diajukan" in shown.confirm[0]
    assert shown.confirm[1].startswith("1 pengurus ditandai diajukan. Buat surat pengantar")  # offered at once
    assert not shown.info  # the pengantar was not saved (no file chosen)
    assert officials.get(ctx, chosen).status.value == "diajukan"
    submitted = [e for e in audit.recent(ctx) if e.action == "submit"]
    assert [e.actor for e in submitted] == ["sri.wahyuni"]


def test_closing_the_window_waits_for_the_beranda_load(
    qtbot: QtBot, ctx: ServiceContext, seeded: dict[str, str], shown: Shown, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database may be closed (a server's test database dropped) right after the window: the Beranda's load
    still running then failed and opened a message box over a closed window (issue #21)."""
    window = MainWindow(GuiSession.start(ctx, TEST_ADMIN))
    qtbot.addWidget(window)
    home = window.current_page()
    assert isinstance(home, DashboardSection)
    qtbot.waitUntil(lambda: not home.is_loading(), timeout=10_000)
    started, ended = threading.Event(), threading.Event()
    real = home.presenter.gather_work

    def held_until_cancelled() -> Work:
        work = real()

        def held(progress: Progress, cancelled: CancelCheck) -> object:
            started.set()
            try:
                deadline = time.monotonic() + 20  # a bound, should the cancel never come
                while not cancelled() and time.monotonic() < deadline:
                    time.sleep(0.01)
                return work(progress, cancelled)
            finally:
                ended.set()

        return held

    monkeypatch.setattr(home.presenter, "gather_work", held_until_cancelled)
    home.refresh()
    assert started.wait(10)
    window.close()
    assert ended.is_set()  # close() returned only once the load had ended
    qtbot.wait(50)  # what the ended load signalled arrives: nothing is shown over the closed window
    assert not shown.error and not shown.crash
