"""The daily work in Pengurus RT/RW: find by search, replace an RT head."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.officials.official_dialog import OfficialDialog
from klaten_desktop.gui.officials.section import OfficialsSection
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from tests.gui.conftest import Modal, wait_loaded

NEW_NIK = "3310014506820003"


def test_find_by_search_as_you_type(qtbot: QtBot, gui_ctx: ServiceContext) -> None:
    section = OfficialsSection(GuiSession.start(gui_ctx))
    qtbot.addWidget(section)
    section.show()
    wait_loaded(qtbot, section, gui_ctx)
    browser = section.browser
    assert browser.model.rowCount() == 80
    target = officials.list_rows(gui_ctx)[33]

    qtbot.keyClick(section, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F focuses the search
    assert browser.search.hasFocus()
    qtbot.keyClicks(browser.search, target.nik[:12])
    qtbot.waitUntil(lambda: browser.model.rowCount() < 80, timeout=2000)
    qtbot.keyClicks(browser.search, target.nik[12:])
    qtbot.waitUntil(lambda: browser.model.rowCount() == 1, timeout=2000)
    assert browser.model.row_at(0).id == target.id
    assert browser.count.text() == "1 dari 80 pengurus"

    browser.search.clear()
    qtbot.keyClicks(browser.search, target.nama.lower())
    qtbot.waitUntil(lambda: browser.model.rowCount() < 80, timeout=2000)
    shown = [browser.model.row_at(r) for r in range(browser.model.rowCount())]
    assert target.id in [r.id for r in shown]
    assert all(target.nama.lower() in r.nama.lower() for r in shown)

    browser.table.selectRow([r.id for r in shown].index(target.id))
    assert section.name.text() == target.nama
    assert section.details.values["nik"].text() == target.nik


def test_replace_rt_head(qtbot: QtBot, gui_ctx: ServiceContext, modal: Modal) -> None:
    ctx = gui_ctx
    old = next(r for r in officials.list_rows(ctx) if r.jabatan == "ketua_rt" and r.status == "aktif")
    section = OfficialsSection(GuiSession.start(ctx))
    qtbot.addWidget(section)
    section.show()
    wait_loaded(qtbot, section, ctx)
    assert section.browser.select_id(old.id)
    assert section.replace_action.isEnabled()

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, OfficialDialog)
        assert "Ganti pengurus" in dialog.windowTitle()
        assert not dialog.ui.desa.isEnabled()  # the slot comes from the old holder
        assert dialog.focusWidget() is dialog.ui.replaceDate.edit  # the first field of the form
        on = ctx.today() - dt.timedelta(days=10)
        qtbot.keyClicks(dialog.focusWidget(), f"{on.day}-{on.month}-{on.year}")
        qtbot.keyClicks(dialog.ui.nik, NEW_NIK)
        qtbot.keyClicks(dialog.ui.nama, "Sri Lestari")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    failures = modal(fill)
    section.replace_action.trigger()
    assert not failures, failures

    successor = officials.find_by_nik(ctx, NEW_NIK)
    assert len(successor) == 1
    new = successor[0]
    assert (new.desa_kode, new.rw, new.rt, new.jabatan, new.term_status) == (
        old.desa_kode,
        old.rw,
        old.rt,
        "ketua_rt",
        "menjabat",
    )
    gone = officials.get(ctx, old.id)
    assert gone.term_status == "berakhir"
    assert gone.status.value == "berakhir"
    assert gone.replaced_by_id == new.id
    assert gone.ended_on == ctx.today().replace(day=14)
    assert gone.enrollment is not None and gone.enrollment.ended_on == gone.ended_on

    # the window shows the successor with the post's history: both holders
    qtbot.waitUntil(lambda: section._detail is not None and section._detail.id == new.id, timeout=5000)
    history = [(r.nama, r.status) for r in section.history_model.rows()]
    assert history == [("Sri Lestari", "belum_terdaftar"), (old.nama, "berakhir")]
    store = store_for(ctx)
    qtbot.waitUntil(lambda: not store.is_loading(), timeout=10_000)
    ids = {section.browser.model.row_at(r).id for r in range(section.browser.model.rowCount())}
    assert new.id in ids and old.id not in ids  # serving officials only, by default
    section.browser.include_past.setChecked(True)
    ids = {section.browser.model.row_at(r).id for r in range(section.browser.model.rowCount())}
    assert old.id in ids
