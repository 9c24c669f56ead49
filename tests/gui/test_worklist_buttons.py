"""Beranda's worklist buttons open the section where the listed officials can be acted on, showing exactly them
with the action at hand (keyboard only: the worklist chosen with the arrow keys, the button pressed with Space)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.dashboard import DashboardSection
from klaten_desktop.gui.enrollment.section import EnrollmentSection
from klaten_desktop.gui.events import EventsSection
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.services import events, officials, worklists
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.gui.test_main_window import _window


def press_worklist_button(qtbot: QtBot, window: MainWindow, key: str) -> list[str]:
    """Choose worklist ``key`` with the arrow keys and press its action button; returns the listed officials."""
    home = window.current_page()
    assert isinstance(home, DashboardSection)
    qtbot.waitUntil(lambda: not home.is_loading(), timeout=10_000)
    home.worklist_list.setFocus()
    with qtbot.waitSignal(home.worklist_loaded, timeout=10_000):
        qtbot.keyClick(home.worklist_list, Qt.Key.Key_Home)
        for _ in range([w.key for w in worklists.WORKLISTS].index(key)):
            qtbot.keyClick(home.worklist_list, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: not home.is_worklist_loading(), timeout=10_000)
    ids = [home.worklist_model.row_at(r).official_id for r in range(home.worklist_model.rowCount())]
    assert ids, f"demo data has officials in the worklist {key}"
    assert home.action_button.isEnabled()
    home.action_button.setFocus()
    qtbot.keyClick(home.action_button, Qt.Key.Key_Space)
    return ids


def listed(section: EnrollmentSection | OfficialsSection) -> set[str]:
    model = section.browser.model
    return {model.row_at(r).id for r in range(model.rowCount())}


@pytest.mark.parametrize(
    ("key", "action"),
    [("kpj_terlambat", "register_action"), ("iuran_bulan_ini", "pay_action"), ("akan_nonaktif", "pay_action")],
)
def test_enrollment_worklists_open_kepesertaan(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path, key: str, action: str
) -> None:
    if key == "kpj_terlambat":  # submitted long ago and still without a KPJ
        waiting = [r.id for r in officials.list_rows(gui_ctx) if r.status == "diajukan"]
        from klaten_desktop.services import enrollment

        for official_id in waiting[:2]:
            enrollment.end(gui_ctx, SYSTEM, official_id, on=gui_ctx.today(), reason="uji")
        enrollment.submit(gui_ctx, SYSTEM, waiting[:2], on=gui_ctx.today() - dt.timedelta(days=45))
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    ids = press_worklist_button(qtbot, window, key)
    section = window.current_page()
    assert isinstance(section, EnrollmentSection)
    qtbot.waitUntil(lambda: not store_for(gui_ctx).is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: listed(section) == set(ids), timeout=5000)
    assert section.browser.select_id(ids[0])
    assert getattr(section, action).isEnabled()


def test_term_ending_opens_the_registry_with_replace_at_hand(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path
) -> None:
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    ids = press_worklist_button(qtbot, window, "masa_jabatan")
    section = window.current_page()
    assert isinstance(section, OfficialsSection)
    qtbot.waitUntil(lambda: listed(section) == set(ids), timeout=5000)
    assert section.browser.select_id(ids[0])
    assert section.replace_action.isEnabled() and section.end_action.isEnabled()


def test_never_at_a_sosialisasi_opens_the_events_ready_to_invite(
    qtbot: QtBot, gui_ctx: ServiceContext, tmp_path: Path
) -> None:
    events.create(gui_ctx, SYSTEM, title="Sosialisasi BPJS", starts_at=gui_ctx.now(), place="Balai Desa")
    window = _window(qtbot, gui_ctx, tmp_path / "tampilan.ini")
    ids = press_worklist_button(qtbot, window, "belum_sosialisasi")
    section = window.current_page()
    assert isinstance(section, EventsSection)
    assert section.presenter.current is not None  # the event is chosen; its participants tab is open
    assert section.tabs.currentIndex() == 1
    candidates = {c.id for c in section.presenter.candidates}
    assert candidates == set(ids)
    assert section.candidates_count.text().startswith("Belum pernah ikut sosialisasi: ")
    assert section.invite_all.isEnabled()
