"""The main window: navigation list of sections, menus, toolbar, status bar (office, database, last backup)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
)

from klaten_desktop import APP_NAME, __version__
from klaten_desktop.gui.accounts.window_accounts import WindowAccounts
from klaten_desktop.gui.backups import WindowBackups
from klaten_desktop.gui.help import HelpWindow
from klaten_desktop.gui.kit import messages, ui_settings
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.gui.kit.workers import Worker, keep_alive
from klaten_desktop.gui.sections import Section, SectionEntry, sections
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services.access import Permission, allowed

if TYPE_CHECKING:  # the services (and the database models behind them) load after the first paint
    from klaten_desktop.services.backup import BackupInfo
    from klaten_desktop.services.context import Actor, ServiceContext

CHECKPOINT_EVERY_MS = 5_000  # how often the write-ahead log is looked at (a file size; cheap)
OFFICE_NAME_KEY = "kantor/nama"  # the office name remembered for the title of the next start


def checkpoint_log(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext) -> object:
    from klaten_desktop.services import housekeeping

    return housekeeping.checkpoint(ctx)


def make_backup(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext, actor: Actor) -> BackupInfo:
    from klaten_desktop.services import backup

    return backup.make(ctx, actor)


PREFERRED_SIZE = QSize(1366, 768)


def fit_to_screen(available: QRect) -> tuple[QRect, bool]:
    """Where the window opens on a screen whose free area (without the taskbar) is ``available``.

    Returns the geometry and whether to start maximised: a screen with less room than the preferred 1366x768
    (a 1366x768 laptop has about 1366x728 once the taskbar is there) gets a maximised window, which Windows keeps
    clear of the taskbar; a larger one gets the preferred size, centred.
    """
    if available.width() <= PREFERRED_SIZE.width() or available.height() <= PREFERRED_SIZE.height():
        return QRect(available), True
    geometry = QRect(QPoint(0, 0), PREFERRED_SIZE)
    geometry.moveCenter(available.center())
    return geometry, False


class MainWindow(QMainWindow):
    def __init__(self, session: GuiSession, entries: list[SectionEntry] | None = None) -> None:
        super().__init__()
        self.session = session
        self._ctx = session.ctx
        self._entries = entries if entries is not None else sections(session.actor)
        self._pages: dict[int, Section] = {}
        self._task: Task | None = None
        self._painted = False
        self.store = session.store
        session.navigation.officials_requested.connect(self.open_officials)
        session.navigation.action_requested.connect(self.start_worklist_action)
        self._checkpointer: Worker | None = None
        self.checkpoint_timer = QTimer(self)
        self.checkpoint_timer.setInterval(CHECKPOINT_EVERY_MS)
        self.checkpoint_timer.timeout.connect(self.checkpoint_in_background)
        self.checkpoint_timer.start()

        self.nav = QListWidget()
        self.nav.setAccessibleName("Navigasi")
        self.nav.setMinimumWidth(168)
        self.nav.setMaximumWidth(260)
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 9px 10px; }")
        for entry in self._entries:
            QListWidgetItem(entry.title, self.nav)
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([175, 1191])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self._build_menus()
        self.office_label = QLabel()
        self.database_label = QLabel()
        self.backup_label = QLabel()
        for label in (self.office_label, self.database_label):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.backup_label)
        self._show_office_name(self._remembered_office_name())
        # the last backup is looked up (services/backup.py, with the database models) after the first paint
        self.database_label.setText(f"Basis data: {self._ctx.database}" if self._ctx.database else "")

        self.nav.currentRowChanged.connect(self.show_section)
        self._place_on_screen()
        settings = session.settings
        if settings is not None:
            settings.restore_splitter(self.splitter, "navigasi")
        # The first section (Beranda, with its services) is built right after the first paint: start-up stays
        # fast. current_page() builds it at once when asked earlier.
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(0)
        self.nav.blockSignals(False)

    # ------------------------------------------------------------------------------ menus

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&Berkas")
        self.backup_action = QAction("&Cadangkan sekarang", self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+B"))
        self.backup_action.triggered.connect(self.backup_now)
        self.backup_action.setEnabled(allowed(self.session.actor, Permission.backup))  # the service decides
        file_menu.addAction(self.backup_action)
        # automatic backups, flash-disk copy, restore
        self.backups = WindowBackups(self, self._ctx, file_menu, self.session.actor)
        file_menu.addSeparator()
        quit_action = QAction("&Keluar", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = bar.addMenu("&Tampilan")
        self.section_actions: list[QAction] = []
        for n, entry in enumerate(self._entries):
            action = QAction(entry.title.replace("&", "&&"), self)
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.triggered.connect(lambda _checked=False, i=n: self.nav.setCurrentRow(i))
            view_menu.addAction(action)
            self.section_actions.append(action)
        view_menu.addSeparator()
        self.reload_action = QAction("&Muat ulang", self)
        self.reload_action.setShortcut(QKeySequence("F5"))
        self.reload_action.triggered.connect(self.reload)
        view_menu.addAction(self.reload_action)

        # Ctrl+F from the navigation list jumps to the section's search (inside a section its own Ctrl+F works)
        find_action = QAction("&Cari", self.nav)
        find_action.setShortcut(QKeySequence("Ctrl+F"))
        find_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        find_action.triggered.connect(self._focus_search)
        self.nav.addAction(find_action)

        self.actions_menu = bar.addMenu("Tin&dakan")
        self.accounts = WindowAccounts(self, bar.addMenu("A&kun"))  # lock, switch user, users (gui/accounts)
        help_menu = bar.addMenu("Ban&tuan")
        self.help_action = QAction("&Panduan", self)
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        self.help_window: HelpWindow | None = None
        about = QAction("&Tentang Klaten Desktop", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

        self.toolbar = QToolBar("Tindakan")
        self.toolbar.setObjectName("toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.addAction(self.reload_action)
        self.toolbar.addAction(self.backup_action)
        self.addToolBar(self.toolbar)

    def _section_actions(self, page: Section) -> list[QAction]:
        return [a for a in page.actions() if isinstance(a, QAction) and a.text().replace("&", "") != "Cari"]

    def _rebuild_actions(self, page: Section) -> None:
        self.actions_menu.clear()
        for action in self._section_actions(page):
            self.actions_menu.addAction(action)
        self.actions_menu.setEnabled(any(a.isVisible() for a in self.actions_menu.actions()))  # (kit/permits.py)

    # ------------------------------------------------------------------------------ sections

    def page(self, index: int) -> Section:
        page = self._pages.get(index)
        if page is None:
            page = self._entries[index].factory(self.session, self.stack)
            self._pages[index] = page
            self.stack.addWidget(page.widget())
        return page

    # ------------------------------------------------------------------------------ worklists

    def open_officials(self, ids: list[str], title: str, section: str = "Pengurus RT/RW") -> None:
        """Beranda's worklists open the officials concerned in the section where their next action is."""
        index = self.section_index(section)
        self.nav.setCurrentRow(index)
        self.page(index).show_officials(frozenset(ids), title)

    def start_worklist_action(self, action: str, ids: list[str]) -> None:
        """The next action of a worklist: submit at once (after confirming; the surat pengantar for them is
        offered), or open the section where the action is, showing exactly these officials."""
        if action == "ajukan":
            self._submit_from_worklist(ids)
            return
        where = {
            "catat_kpj": ("Catat nomor KPJ", "Kepesertaan & Iuran"),
            "catat_pembayaran": ("Catat iuran", "Kepesertaan & Iuran"),
            "ganti_pengurus": ("Masa jabatan berakhir: ganti atau akhiri", "Pengurus RT/RW"),
            "undang_sosialisasi": ("Belum pernah ikut sosialisasi", "Sosialisasi"),
        }
        title, section = where.get(action, ("Periksa data", "Pengurus RT/RW"))
        if section not in [e.title for e in self._entries]:
            section = "Pengurus RT/RW"
        self.open_officials(ids, title, section=section)

    def _submit_from_worklist(self, ids: list[str]) -> None:
        if not messages.confirm(
            self, f"Tandai {len(ids)} pengurus sebagai diajukan ke BPJS Ketenagakerjaan hari ini?", yes="&Ajukan"
        ):
            return
        from klaten_desktop.gui.letters.pengantar import offer_pengantar
        from klaten_desktop.services import enrollment

        with shown(self) as failed:
            result = enrollment.submit(self._ctx, self.session.actor, ids)
        if failed:
            return
        self.store.reload()
        self.current_page().refresh()
        if not result.submitted:
            messages.info(self, f"Tidak ada pengurus baru yang diajukan; {result.already} sudah diajukan.")
            return
        on = result.on or self._ctx.today()
        self.pengantar_task = offer_pengantar(
            self, self._ctx, self.session.actor, result.official_ids, on=on, place="daftar kerja"
        )

    def _table_written(self, path: Path, rows: int) -> None:
        """A table export wrote ``path``: recorded in the audit trail with the person at the PC."""
        from klaten_desktop.services import exports

        exports.record_export(self._ctx, self.session.actor, "tabel", path, rows)

    def show_section(self, index: int) -> None:
        if index < 0:
            return
        from klaten_desktop.gui.kit.table_export import install_table_exports  # after the first paint

        page = self.page(index)
        # also tables a section made since it was last shown
        install_table_exports(page.widget(), self._ctx.today, self._entries[index].title, self._table_written)
        self.stack.setCurrentWidget(page.widget())
        self._rebuild_actions(page)
        page.refresh()

    def _show_pending_section(self) -> None:
        """Show the selected section if the start-up deferred it (see ``__init__``)."""
        if self.stack.currentWidget() is None and self.nav.currentRow() >= 0:
            self.show_section(self.nav.currentRow())

    def current_page(self) -> Section:
        self._show_pending_section()
        widget = self.stack.currentWidget()
        page = next(p for p in self._pages.values() if p.widget() is widget)
        return page

    def section_index(self, title: str) -> int:
        return [e.title for e in self._entries].index(title)

    def _focus_search(self) -> None:
        self.current_page().focus_search()

    def reload(self) -> None:
        self.store.reload()
        self.current_page().refresh()
        self.refresh_status()

    # ------------------------------------------------------------------------------ status bar, backup

    def refresh_status(self) -> None:
        from klaten_desktop.services import office

        data = office.get(self._ctx)
        name = data.name if data is not None else "kantor belum diatur"
        self._show_office_name(name)
        settings = self.session.settings
        if settings is not None and settings.value(OFFICE_NAME_KEY) != name:
            settings.set_value(OFFICE_NAME_KEY, name)
            settings.sync()
        self._refresh_files()

    def _remembered_office_name(self) -> str | None:
        """The office name from the last start (per data folder), so the first paint needs no database models;
        refresh_status() checks it against the database right after the first paint."""
        settings = self.session.settings
        name = settings.value(OFFICE_NAME_KEY) if settings is not None else ""
        if name:
            return name
        self.refresh_status()  # first start in this data folder: ask the database now
        return None

    def _show_office_name(self, name: str | None) -> None:
        if name is None:
            return
        self.setWindowTitle(f"{APP_NAME} — {name}")
        self.office_label.setText(f"Kantor: {name}")

    def _refresh_files(self) -> None:
        from klaten_desktop.services import backup

        self.database_label.setText(f"Basis data: {self._ctx.database}" if self._ctx.database else "")
        latest = backup.latest(self._ctx)
        if latest is None:
            self.backup_label.setText("Cadangan terakhir: belum pernah")
        else:
            from klaten_desktop.domain.formatting import format_datetime

            self.backup_label.setText(f"Cadangan terakhir: {format_datetime(latest.modified)}")
            self.backup_label.setToolTip(str(latest.path))

    def backup_now(self) -> None:
        if self._task is not None:
            return
        self.backup_action.setEnabled(False)
        self._task = self.session.task(
            self,
            "Membuat cadangan basis data…",
            make_backup,
            self._ctx,
            self.session.actor,
            on_done=self._on_backup_done,
            on_end=self._on_backup_end,
            cancellable=False,
        )

    def _on_backup_done(self, info: object) -> None:
        from klaten_desktop.services.backup import BackupInfo

        assert isinstance(info, BackupInfo)
        self.refresh_status()
        messages.info(self, f"Cadangan dibuat:\n{info.path}")

    def _on_backup_end(self) -> None:
        self._task = None
        self.backup_action.setEnabled(True)

    def backup_task(self) -> Task | None:
        return self._task

    def show_help(self) -> None:
        """The offline guide, at the part for the section on screen."""
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        row = self.nav.currentRow()
        self.help_window.show_part(self._entries[row].help_anchor if 0 <= row < len(self._entries) else "")

    def _about(self) -> None:
        messages.info(
            self,
            f"{APP_NAME} {__version__}\nRegistri kepesertaan BPJS Ketenagakerjaan Ketua RT/RW Kabupaten Klaten.",
        )

    # ------------------------------------------------------------------------------ closing

    def _place_on_screen(self) -> None:
        """The geometry remembered for this screen, else the preferred size within the screen's free area.

        The free area excludes the taskbar: on a 1366x768 laptop the window must not hide its status bar under it.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        settings = self.session.settings
        key = ui_settings.screen_key(screen)
        if settings is not None and settings.restore_window(self, key):
            self.start_maximised = self.isMaximized()
            return
        geometry, self.start_maximised = fit_to_screen(screen.availableGeometry())
        self.setGeometry(geometry)

    def show_on_screen(self) -> None:
        """Show the window as placed: maximised where the screen is smaller than the preferred size."""
        if self.start_maximised:
            self.showMaximized()
        else:
            self.show()

    def save_state(self) -> None:
        settings = self.session.settings
        if settings is None:
            return
        settings.save_window(self, ui_settings.screen_key(self.screen() or QGuiApplication.primaryScreen()))
        settings.save_splitter(self.splitter, "navigasi")
        for page in self._pages.values():
            page.save_state()
        settings.sync()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """Once the window is on screen: the officials list starts loading in the background (first: it reads
        while the rest is built), then the first section, the office name checked against the database."""
        self.store.ensure_loaded()
        self._show_pending_section()
        with shown(self):
            self.refresh_status()
        self.backups.after_start()

    def checkpoint_in_background(self) -> None:
        """Copy a grown write-ahead log into the database on a pool thread (services/housekeeping.py), so
        bulk writes never wait for it. Quiet: a failure is logged by the worker and tried again next time."""
        if self._checkpointer is not None and not self._checkpointer.is_done():
            return
        worker = Worker(checkpoint_log, self._ctx)
        keep_alive(worker)
        self._checkpointer = worker
        worker.start()

    def bring_forward(self) -> None:
        """A second start on the same data folder asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.checkpoint_timer.stop()
        self.accounts.stop()
        self.save_state()
        for page in self._pages.values():
            page.stop_work()
        self.store.wait(30)
        if self._checkpointer is not None:
            self._checkpointer.wait(30)
        self.backups.at_close()
        super().closeEvent(event)
