"""The window's Akun menu and idle lock: who is logged in (status bar), lock now (Ctrl+L), the lock after idle
minutes (``akun.kunci_menit``, counted with the context's clock), switch user, and Pengguna for an admin.

Switching user closes the window with ``switch_to`` set; the application opens a new window for that person
(every section is built with the session's actor).

The dialogs and the accounts service (the ORM, the database models) are imported when first needed, and the idle
minutes are read at the first idle check: the window's first paint waits for none of them (about 0.2 s)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu

from klaten_desktop.services.access import ROLE_LABELS, Permission, Role, allowed
from klaten_desktop.services.context import Actor

if TYPE_CHECKING:
    from klaten_desktop.gui.main_window import MainWindow

CHECK_EVERY_MS = 15_000
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class WindowAccounts(QObject):
    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = window.session.ctx
        self.actor: Actor = window.session.actor
        self.switch_to: Actor | None = None
        self.locked = False
        self.last_activity: dt.datetime = self._ctx.now()
        self._idle_minutes: int | None = None  # read at the first idle check (after the first paint)
        self.lock_action = QAction("&Kunci layar", window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        self.switch_action = QAction("&Ganti pengguna…", window)
        self.switch_action.triggered.connect(self.switch_user)
        self.password_action = QAction("Ganti &kata sandi saya…", window)
        self.password_action.triggered.connect(self.change_password)
        self.users_action = QAction("&Pengguna…", window)
        self.users_action.triggered.connect(self.open_users)
        self.users_action.setVisible(allowed(self.actor, Permission.users))
        for action in (self.lock_action, self.switch_action, self.password_action, self.users_action):
            menu.addAction(action)
        self.user_label = QLabel(f"Pengguna: {self.actor.display_name} ({ROLE_LABELS.get(Role(self.actor.role))})")
        window.statusBar().addPermanentWidget(self.user_label)
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check_idle)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def idle_minutes(self) -> int:
        """The office's idle minutes before the lock (0: never)."""
        if self._idle_minutes is None:
            from klaten_desktop.services import accounts

            self._idle_minutes = accounts.idle_lock_minutes(self._ctx)
        return self._idle_minutes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.locked:
            self.last_activity = self._ctx.now()
        return False

    def check_idle(self) -> None:
        """Lock once no key or mouse was used for the office's idle minutes (0: never)."""
        if self.locked or self.idle_minutes <= 0:
            return
        if self._ctx.now() - self.last_activity >= dt.timedelta(minutes=self.idle_minutes):
            self.lock()

    def lock(self) -> None:
        """Hide the window's content, and cover every other open window of the program (a dialog open at the
        time), until the same user's password is given, or another person logs in."""
        if self.locked:
            return
        self.locked = True
        central = self._window.centralWidget()
        assert central is not None
        central.hide()
        from klaten_desktop.gui.accounts.dialogs import LockDialog
        from klaten_desktop.gui.accounts.lock_cover import LockCovers

        covers = LockCovers(self._window)  # the other open windows (an edit form) covered
        try:
            while True:
                if LockDialog(self._ctx, self.actor, self._window).exec() == QDialog.DialogCode.Accepted:
                    break
                other = self._login()
                if other is not None and other.username == self.actor.username:
                    break
                if other is not None:
                    self._switch(other)
                    return
        finally:
            self.locked = False
            self.last_activity = self._ctx.now()
            covers.remove()
            central.show()

    def switch_user(self) -> None:
        other = self._login()
        if other is not None and other.username != self.actor.username:
            self._switch(other)

    def change_password(self) -> None:
        from klaten_desktop.gui.accounts.dialogs import OwnPasswordDialog

        OwnPasswordDialog(self._ctx, self.actor, self._window).exec()

    def open_users(self) -> None:
        from klaten_desktop.gui.accounts.users_dialog import UsersDialog

        UsersDialog(self._ctx, self.actor, self._window).exec()
        self._idle_minutes = None  # the admin may have changed them

    def _login(self) -> Actor | None:
        from klaten_desktop.gui.accounts.dialogs import LoginDialog

        dialog = LoginDialog(self._ctx, self._window)
        return dialog.result_value if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _switch(self, actor: Actor) -> None:
        self.switch_to = actor
        QTimer.singleShot(0, self._window.close)

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
