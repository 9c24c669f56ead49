"""Login, first admin, idle lock and Pengguna, driven by the keyboard; the delay and the idle time run on a
fixed clock (no sleeping)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from klaten_desktop.gui import application
from klaten_desktop.gui.accounts.dialogs import FirstAdminDialog, LockDialog, LoginDialog, OwnPasswordDialog
from klaten_desktop.gui.accounts.lock_cover import LockCover
from klaten_desktop.gui.accounts.users_dialog import UsersDialog
from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.clock import FixedClock
from klaten_desktop.services import accounts
from klaten_desktop.services.context import Actor, ServiceContext
from tests.conftest import TODAY, Shown

Modal = Callable[[Callable[[QWidget], None]], list[BaseException]]
PASSWORD = "sandi-admin-1"


@pytest.fixture
def clocked(empty_office_ctx: ServiceContext) -> tuple[ServiceContext, FixedClock]:
    empty_office_ctx.clock = clock = FixedClock.on(TODAY)
    return empty_office_ctx, clock


@pytest.fixture
def admin(clocked: tuple[ServiceContext, FixedClock]) -> Actor:
    return accounts.create_first_admin(clocked[0], "ana", "Ana Lestari", PASSWORD)


def type_and_enter(qtbot: QtBot, dialog: QWidget, *texts: str) -> None:
    """Type into the fields from the dialog's initial focus, Tab between them, Enter at the end."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is dialog)
    for i, text in enumerate(texts):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClicks(focus, text)
        if i < len(texts) - 1:
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Return)


def test_login_refuses_then_waits_then_accepts(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], admin: Actor
) -> None:
    ctx, clock = clocked
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.username.hasFocus())
    type_and_enter(qtbot, dialog, "ana", "keliru-1")
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "kata sandi salah" in dialog.error_text() and dialog.password.text() == ""
    for _ in range(2):
        dialog.password.setFocus()
        qtbot.keyClicks(dialog.password, "keliru-2")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "Coba lagi setelah 5 detik" in dialog.error_text()
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "Tunggu 5 detik" in dialog.error_text()  # the clock stands still: the wait is not over
    clock.moment += dt.timedelta(seconds=5)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.result_value == admin


def test_first_admin_by_keyboard(qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock]) -> None:
    ctx, _ = clocked
    dialog = FirstAdminDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.username.hasFocus())
    type_and_enter(qtbot, dialog, "ana", "Ana Lestari", PASSWORD, "lain-sandi-1")
    assert "tidak sama" in dialog.error_text() and not accounts.has_admin(ctx)
    dialog.again.clear()
    dialog.again.setFocus()
    qtbot.keyClicks(dialog.again, PASSWORD)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.result_value == Actor("ana", "Ana Lestari", "admin")
    assert accounts.authenticate(ctx, "ana", PASSWORD).role == "admin"


def test_start_asks_for_the_first_admin(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], modal: Modal, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, _ = clocked

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstAdminDialog)
        type_and_enter(qtbot, dialog, "ana", "Ana Lestari", PASSWORD, PASSWORD)

    failures = modal(fill)
    assert application.sign_in(ctx) == Actor("ana", "Ana Lestari", "admin")
    assert not failures

    def login(dialog: QWidget) -> None:
        assert isinstance(dialog, LoginDialog)
        type_and_enter(qtbot, dialog, "ana", PASSWORD)

    failures = modal(login)
    assert application.sign_in(ctx) == Actor("ana", "Ana Lestari", "admin")  # the next start: a login
    assert not failures


def _window(qtbot: QtBot, ctx: ServiceContext, actor: Actor, tmp_path: Path) -> MainWindow:
    ui_settings.install(tmp_path / "tampilan.ini")
    window = MainWindow(GuiSession.start(ctx, actor))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def test_idle_lock_needs_the_same_password(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], admin: Actor, modal: Modal, tmp_path: Path
) -> None:
    ctx, clock = clocked
    window = _window(qtbot, ctx, admin, tmp_path)
    lock = window.accounts
    clock.moment += dt.timedelta(minutes=9, seconds=59)
    lock.check_idle()
    assert not lock.locked  # not yet: 10 minutes by default
    clock.moment += dt.timedelta(seconds=1)
    seen: list[bool] = []

    def unlock(dialog: QWidget) -> None:
        assert isinstance(dialog, LockDialog)
        seen.append(window.centralWidget().isVisible())
        qtbot.keyClicks(dialog.password, "keliru-sandi")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        assert "kata sandi salah" in dialog.error_text() and dialog.isVisible()
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    failures = modal(unlock)
    lock.check_idle()  # locks: returns once unlocked
    assert not failures
    assert seen == [False]  # the data was hidden while locked
    assert not lock.locked and window.centralWidget().isVisible() and lock.switch_to is None


def test_idle_lock_covers_a_dialog_open_at_the_time(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], admin: Actor, modal: Modal, tmp_path: Path
) -> None:
    """A form left open (here: Ganti kata sandi) is covered while locked, not closed: what was typed stays."""
    ctx, clock = clocked
    window = _window(qtbot, ctx, admin, tmp_path)
    form = OwnPasswordDialog(ctx, admin, window)
    form.open()
    qtbot.waitUntil(form.isVisible)
    qtbot.keyClicks(form.current, "setengah-diketik")
    clock.moment += dt.timedelta(minutes=10)
    seen: list[tuple[bool, bool, bool]] = []

    def unlock(dialog: QWidget) -> None:
        assert isinstance(dialog, LockDialog)
        cover = form.findChild(LockCover)
        field = form.current.mapTo(form, form.current.rect().center())
        over_field = form.childAt(field) is cover
        seen.append((cover is not None and cover.isVisible(), over_field, form.isVisible()))
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    failures = modal(unlock)
    window.accounts.check_idle()  # locks: returns once unlocked
    assert not failures
    assert seen == [(True, True, True)]  # covered over the typed field, still open underneath
    assert form.isVisible() and form.current.text() == "setengah-diketik"
    qtbot.waitUntil(lambda: form.findChild(LockCover) is None)  # the cover is gone after the unlock
    field = form.current.mapTo(form, form.current.rect().center())
    assert form.childAt(field) is form.current
    form.reject()


def test_switch_user_from_the_lock(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], admin: Actor, modal: Modal, tmp_path: Path
) -> None:
    ctx, _ = clocked
    accounts.add_user(ctx, admin, "oki", "Oki", "operator", "sandi-oki-1")
    window = _window(qtbot, ctx, admin, tmp_path)

    def other_person(dialog: QWidget) -> None:
        assert isinstance(dialog, LockDialog)
        QTimer.singleShot(0, lambda: type_and_enter(qtbot, QApplication.activeModalWidget(), "oki", "sandi-oki-1"))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # "Ganti pengguna"

    failures = modal(other_person)
    window.accounts.lock()
    assert not failures
    assert window.accounts.switch_to == Actor("oki", "Oki", "operator")
    qtbot.waitUntil(lambda: not window.isVisible())


def test_users_screen_only_for_an_admin_and_the_last_admin_stays(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], admin: Actor, tmp_path: Path, shown: Shown
) -> None:
    ctx, _ = clocked
    accounts.add_user(ctx, admin, "pia", "Pia", "pembaca", "sandi-pia-1")
    viewer = accounts.authenticate(ctx, "pia", "sandi-pia-1")
    assert not _window(qtbot, ctx, viewer, tmp_path).accounts.users_action.isVisible()
    window = _window(qtbot, ctx, admin, tmp_path)
    assert window.accounts.users_action.isVisible()
    assert "Ana Lestari (Admin)" in window.accounts.user_label.text()
    dialog = UsersDialog(ctx, admin, window)
    qtbot.addWidget(dialog)
    assert [r.username for r in dialog.rows] == ["ana", "pia"]
    dialog.table.selectRow(0)
    dialog.active_button.click()
    assert any("Admin terakhir" in text for text in shown.error + shown.warn)
    dialog.table.selectRow(1)
    dialog.active_button.click()
    assert not dialog.rows[1].active and dialog.active_button.text() == "&Aktifkan"


def test_change_own_password_by_keyboard(
    qtbot: QtBot, clocked: tuple[ServiceContext, FixedClock], admin: Actor
) -> None:
    ctx, _ = clocked
    dialog = OwnPasswordDialog(ctx, admin)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_enter(qtbot, dialog, "bukan-sandinya", "sandi-baru-9", "sandi-baru-9")
    assert "kata sandi salah" in dialog.error_text()
    for field, text in ((dialog.current, PASSWORD), (dialog.password, "sandi-baru-9"), (dialog.again, "sandi-baru-9")):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert accounts.authenticate(ctx, "ana", "sandi-baru-9") == admin
