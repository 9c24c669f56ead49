"""The Audit section driven from the keyboard: filters by user, action, date range and official,
the export for an auditor (recorded in the trail, personal data masked), retention and the chain check; and a
screenshot at 1366x768."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.audit.section import AuditSection
from klaten_desktop.gui.kit.table_export import SHORTCUT, install_table_exports
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import accounts, audit, audit_chain, exports, officials, settings
from klaten_desktop.services.context import Actor, ServiceContext
from tests.conftest import Shown
from tests.gui.keyboard import focused, press, tab, type_text
from tests.services.test_audit_trail import _fields

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SRI = Actor("sri", "Sri Lestari", "admin")
BUDI = Actor("budi", "Budi", "operator")


def _open(qtbot: QtBot, ctx: ServiceContext, actor: Actor = SRI) -> AuditSection:
    section = AuditSection(GuiSession.start(ctx, actor=actor))
    qtbot.addWidget(section)
    section.resize(1366, 768)
    section.show()
    section.refresh()
    section.activateWindow()
    qtbot.waitUntil(section.isActiveWindow)
    section.user.setFocus()  # the first field (the window gives the section's first field the focus)
    return section


def _failed_login(ctx: ServiceContext, username: str) -> None:
    """A failed login as the accounts service audits it."""
    with contextlib.suppress(accounts.LoginFailed):
        accounts.authenticate(ctx, username, "salah-salah-1")


def _data(make_ctx: Callable[..., ServiceContext]) -> ServiceContext:
    early = make_ctx(today=dt.date(2026, 3, 2))
    officials.register(early, SRI, _fields("3310011205700001", 3))
    early.dispose()
    ctx = make_ctx(today=dt.date(2026, 11, 24))
    officials.register(ctx, BUDI, _fields("3310012309800003", 4))
    admin = accounts.create_first_admin(ctx, "sri", "Sri Lestari", "rahasia-sri-1")
    accounts.add_user(ctx, admin, "budi", "Budi", "operator", "rahasia-budi-1")
    _failed_login(ctx, "budi")
    return ctx


def test_filters_from_the_keyboard(qtbot: QtBot, make_ctx: Callable[..., ServiceContext], shown: Shown) -> None:
    ctx = _data(make_ctx)
    section = _open(qtbot, ctx)
    tab_ = section
    everything = tab_.model.rowCount()
    assert everything >= 4
    type_text(qtbot, "budi")  # the user combo's keyboard search
    assert tab_.user.currentData() == "budi"
    tab(qtbot)
    type_text(qtbot, "Gagal")
    assert tab_.action.currentData() == "login_failed"
    press(qtbot, Qt.Key.Key_Return)
    assert [(r.actor, r.action) for r in tab_.model.rows()] == [("budi", "login_failed")]
    assert tab_.count.text() == "1 entri"

    # all users and actions again, only March, only the first official (by part of the name and the NIK)
    tab_.user.setFocus()
    type_text(qtbot, "Semua")
    tab(qtbot)
    type_text(qtbot, "Semua")
    tab(qtbot)
    type_text(qtbot, "01-03-2026")
    tab(qtbot)
    type_text(qtbot, "31-03-2026")
    tab(qtbot)
    type_text(qtbot, "3310 0112 0570 0001")
    press(qtbot, Qt.Key.Key_Return)
    rows = tab_.model.rows()
    assert tab_.current_filter() == audit.AuditFilter(
        since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 31), official="3310 0112 0570 0001"
    )
    assert [(r.actor, r.action, r.entity) for r in rows] == [("sri", "create", "official")]
    shown_values = tab_.model.text(0, 6)
    assert "3310 01•• •••• 0001" in shown_values and "3310011205700001" not in shown_values

    # an end before the start shows nothing, with the reason
    tab_.until.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "28-02-2026")
    press(qtbot, Qt.Key.Key_Return)
    assert tab_.model.rowCount() == 0 and "sebelum tanggal awal" in tab_.count.text()


def test_export_for_an_auditor_is_recorded(
    qtbot: QtBot, make_ctx: Callable[..., ServiceContext], shown: Shown, tmp_path: Path
) -> None:
    from python_calamine import CalamineWorkbook

    ctx = _data(make_ctx)
    section = _open(qtbot, ctx)
    install_table_exports(section, ctx.today, "Pengaturan", lambda p, n: exports.record_export(ctx, SRI, "tabel", p, n))
    table: QTableView = section.table
    target = tmp_path / "log-audit.xlsx"
    shown.save_paths.append(target)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(shown.info), timeout=10_000)
    rows = section.model.rowCount()
    assert shown.info[-1] == f"{rows} baris diekspor ke {target}."
    assert shown.save_asked[-1] is not None and shown.save_asked[-1].name.startswith("log-audit-")
    cells = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert cells[0] == ["No.", "Waktu", "Pengguna", "Tindakan", "Data", "Keterangan", "Nilai"]
    text = " ".join(str(c) for row in cells for c in row)
    assert "3310 01•• •••• 0001" in text and "3310011205700001" not in text
    last = audit.recent(ctx, limit=1)[0]
    assert (last.actor, last.action) == ("sri", "export") and "log-audit.xlsx" in (last.new_values or "")
    assert SHORTCUT == "Ctrl+Shift+X"


def test_retention_purge_and_chain_check(qtbot: QtBot, make_ctx: Callable[..., ServiceContext], shown: Shown) -> None:
    ctx = _data(make_ctx)
    section = _open(qtbot, ctx)
    tab_ = section
    tab_.years.setFocus()
    tab_.years.selectAll()
    qtbot.keyClicks(tab_.years, "1")
    tab_.save_button.click()
    assert settings.get(ctx, audit_chain.RETENTION_KEY) == 1
    assert shown.info[-1] == "Masa simpan rincian log audit disimpan: 1 tahun."
    shown.confirm_answers.append(True)
    tab_.purge_button.click()
    assert shown.info[-1] == "Rincian 0 entri lama dihapus."  # nothing is a year old yet
    assert tab_.model.rows()[0].action == "purge_audit"
    tab_.verify_button.click()
    assert tab_.chain.text().startswith("Rantai log audit utuh (")


def test_screenshot(qtbot: QtBot, make_ctx: Callable[..., ServiceContext], shown: Shown, tmp_path: Path) -> None:
    ctx = _data(make_ctx)
    for n in range(30):
        _failed_login(ctx, "sri" if n % 3 else "budi")
    section = _open(qtbot, ctx)
    section.verify_button.click()
    qtbot.wait(50)
    image = section.grab().toImage()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(tmp_path / "audit.png"))
    folder = os.environ.get("KLATEN_SCREENSHOTS")
    if folder:
        assert image.save(str(Path(folder) / "audit.png"))
