"""Start the Qt application: QApplication, crash handling, the database, first-run setup, the main window."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog

from klaten_desktop import APP_NAME, __version__
from klaten_desktop.gui import crash, installation, single_instance
from klaten_desktop.gui.kit import messages, qt_indonesian, ui_settings
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.workers import Worker, keep_alive
from klaten_desktop.gui.main_window import MainWindow
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime import server_config
from klaten_desktop.runtime.logs import clear_crash_report, enable_crash_log, pending_crash_report
from klaten_desktop.runtime.paths import AppPaths, resources_dir
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.start_check import StartCheck


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    qt_indonesian.install(app)  # Qt's own menus (a text field's context menu) in Bahasa Indonesia
    icon = resources_dir() / "icons" / "klaten-desktop.ico"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def offer_crash_report(paths: AppPaths) -> None:
    """A native crash log left by the previous run: show it once so it can be copied, then clear it."""
    text = pending_crash_report(paths)
    if text is None:
        return
    crash.show_crash(
        "Klaten Desktop tertutup secara tidak wajar pada pemakaian sebelumnya. Salin rincian di bawah ini dan "
        "kirimkan ke pengelola aplikasi di kabupaten.",
        text,
    )
    clear_crash_report(paths)
    enable_crash_log(paths)


def ensure_office(ctx: ServiceContext) -> tuple[bool, Actor | None]:
    """Run the setup wizard when the office is not set up yet: whether the office is set up (False when the user
    cancelled the wizard), and the first admin made in the wizard (None when there was no wizard or no need)."""
    from klaten_desktop.services.office_probe import is_set_up

    if is_set_up(ctx):
        return True, None
    from klaten_desktop.gui.wizard import SetupWizard
    from klaten_desktop.services import office

    wizard = SetupWizard(ctx)
    done = wizard.exec() == QDialog.DialogCode.Accepted and office.get(ctx) is not None
    return done, wizard.admin


def sign_in(ctx: ServiceContext, made: Actor | None = None) -> Actor | None:
    """The person at the PC: the first admin made in the setup wizard (``made``: logged in, not asked again); else
    the first admin account when none exists yet (the first start of a database made before accounts), else a
    login; None when cancelled."""
    from klaten_desktop.gui.accounts.dialogs import FirstAdminDialog, LoginDialog
    from klaten_desktop.services import accounts

    if made is not None:
        return made
    dialog = LoginDialog(ctx) if accounts.has_admin(ctx) else FirstAdminDialog(ctx)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    actor: Actor = dialog.result_value
    return actor


def build_main_window(paths: AppPaths, ctx: ServiceContext, actor: Actor) -> MainWindow:
    """The GUI session of ``actor`` (with per-PC view settings) and the main window over it; the officials list
    loads once the window is painted."""
    ui_settings.install(paths.settings_file)
    installation.install(paths)  # Pengaturan › Server basis data: this PC's choice
    return MainWindow(GuiSession.start(ctx, actor))


def _start_check(_progress: Progress, _cancelled: CancelCheck, check: StartCheck) -> str | None:
    return check.run()


def _say_damage(message: str) -> bool:
    """The damage message box, when called on the GUI thread (False elsewhere: the write asking is refused)."""
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return False
    messages.error(None, message)
    return True


def warn_if_damaged(ctx: ServiceContext) -> Worker:
    """The quick check of the file, beside the window (seconds on a big file): a damaged file is said as soon as the
    check ends, and always before anyone adds data to it (writes wait for the check: ``services/start_check.py``).
    The full check follows in the background once the window is shown."""
    check = StartCheck(ctx, _say_damage)
    worker = Worker(_start_check, check)
    worker.signals.finished.connect(lambda _damage: check.tell())
    keep_alive(worker)
    worker.start()
    return worker


def open_services(paths: AppPaths, start_services: Callable[[AppPaths], ServiceContext]) -> ServiceContext | int:
    """The office's services on the database this installation uses (gui/wizard_server.py): asked at the very first
    start, the file of the data folder or the stored server (its password from the OS credential store, else asked).
    When the stored server cannot be used, the person may point the PC elsewhere and try again. Else the exit code:
    0 when the person cancelled, 1 when it failed (said)."""
    from klaten_desktop.gui import wizard_server
    from klaten_desktop.services import server

    def busy_start(chosen: AppPaths) -> ServiceContext:
        """Opening (a server: connecting, maybe migrating) before any window: the wait cursor says it works."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return start_services(chosen)
        finally:
            QApplication.restoreOverrideCursor()

    typed: str | None = None
    if server.needs_choice(paths):
        choice = wizard_server.choose_database(paths)
        if choice is None:
            return 0
        typed = choice.password
    while True:
        try:
            return server.open_stored(paths, busy_start, ask=wizard_server.ask_password, typed=typed)
        except (UserError, EnvironmentProblem) as exc:
            if paths.database_url is not None or not server_config.exists(paths.data_dir):
                messages.error(None, exc.message)
                return 1
            question = f"{exc.message}\n\nUbah letak basis data komputer ini sekarang?"
            choice = wizard_server.choose_database(paths) if messages.confirm(None, question) else None
            if choice is None:
                return 1
            typed = choice.password


def run(paths: AppPaths, start_services: Callable[[AppPaths], ServiceContext]) -> int:
    app = make_app()
    instance = single_instance.claim(paths.data_dir)
    if instance is None:
        return 0  # the window already open on this data folder was brought forward
    handler = crash.CrashHandler(paths.logs / "klaten-desktop.log")
    handler.install()
    opened = open_services(paths, start_services)
    if isinstance(opened, int):
        handler.uninstall()
        instance.release()
        return opened
    ctx = opened
    checker: Worker | None = None
    try:
        checker = warn_if_damaged(ctx)
        offer_crash_report(paths)
        ready, made = ensure_office(ctx)
        if not ready:
            return 0
        actor = sign_in(ctx, made)
        if actor is not None:
            from klaten_desktop.gui.settings import keys_box  # the key service: after the window's modules

            with shown(None):  # a key that cannot be opened leaves the app usable, the keys locked (docs/keys.md)
                keys_box.ask_at_start(ctx, actor)
        code = 0
        while actor is not None:  # a switch of user closes the window and opens one for the next person
            window = build_main_window(paths, ctx, actor)
            instance.bring_forward.connect(window.bring_forward)
            window.show_on_screen()
            code = int(app.exec())
            instance.bring_forward.disconnect(window.bring_forward)
            actor = window.accounts.switch_to
    finally:
        store_for(ctx).wait(30)
        if checker is not None:
            checker.wait(60)
        ctx.dispose()
        handler.uninstall()
        instance.release()
    return code
