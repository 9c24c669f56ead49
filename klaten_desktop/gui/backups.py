"""The window's backup duties: automatic backups (at start, every 30 minutes when something changed), the second
copy to a flash disk (on demand, at closing when set), restoring a backup, and the full integrity check in the
background after start. The decisions are in ``services/backup.py``, ``services/restore.py`` and
``services/integrity.py``; this only schedules them and shows their outcome. The person at the PC (``actor``) is
passed to the copy and the restore: the services check the role (backup: admin or operator; restore: admin).
On a PostgreSQL server the restore takes a ``pg_dump`` archive (``.dump``) and the automatic backups do nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.workers import Worker, keep_alive
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services.access import Permission, allowed, require

if TYPE_CHECKING:
    from klaten_desktop.services.context import Actor, ServiceContext

log = logging.getLogger(__name__)

AUTO_BACKUP_EVERY_MS = 30 * 60 * 1000


def auto_backup(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext, reason: str) -> object:
    from klaten_desktop.services import backup

    return backup.auto(ctx, reason)


def full_check(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext) -> list[str]:
    from klaten_desktop.services import integrity

    return integrity.storage_damage(ctx)


class WindowBackups(QObject):
    """Adds its actions to the window's Berkas menu and runs the automatic backups on a pool thread."""

    def __init__(self, window: QMainWindow, ctx: ServiceContext, file_menu: QMenu, actor: Actor) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._actor = actor
        self._worker: Worker | None = None
        self._checker: Worker | None = None
        self.restored = False
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_BACKUP_EVERY_MS)
        self.timer.timeout.connect(lambda: self.run_auto("berkala"))
        self.timer.start()
        self.copy_action = QAction("Salin cadangan ke &flashdisk…", window)
        self.copy_action.triggered.connect(self.copy_now)
        self.copy_action.setEnabled(allowed(actor, Permission.backup))
        file_menu.addAction(self.copy_action)
        self.restore_action = QAction("&Pulihkan dari cadangan…", window)
        self.restore_action.triggered.connect(self.restore_from_file)
        self.restore_action.setEnabled(allowed(actor, Permission.restore))  # the service decides; this only hides
        file_menu.addAction(self.restore_action)

    def is_busy(self) -> bool:
        """True while an automatic backup runs (another one asked meanwhile is skipped)."""
        return self._worker is not None and not self._worker.is_done()

    def run_auto(self, reason: str) -> Worker | None:
        """An automatic backup on a pool thread (quiet: a failure is logged and tried again next time)."""
        if self.is_busy():
            return None
        worker = Worker(auto_backup, self._ctx, reason)
        keep_alive(worker)
        self._worker = worker
        worker.start()
        return worker

    def after_start(self) -> None:
        """The start-up backup, then the full integrity check in the background."""
        self.run_auto("mulai")
        checker = Worker(full_check, self._ctx)
        checker.signals.finished.connect(self._on_checked)
        keep_alive(checker)
        self._checker = checker
        checker.start()

    def _on_checked(self, damage: object) -> None:
        if isinstance(damage, list) and damage:
            from klaten_desktop.services.integrity import RESTORE_ADVICE

            messages.error(
                self._window,
                "Pemeriksaan lengkap menemukan kerusakan pada basis data:\n" + "\n".join(damage[:3]) + "\n\n"
                "Jalankan klaten-desktop check --repair bila hanya indeks yang rusak. " + RESTORE_ADVICE,
            )

    def copy_now(self) -> None:
        from klaten_desktop.services import backup
        from klaten_desktop.services.context import SYSTEM

        with shown(self._window):
            start = backup.copy_folder(self._ctx)
            folder = messages.ask_folder(self._window, "Pilih folder flashdisk untuk salinan cadangan", start)
            if folder is None:
                return
            info = backup.copy_to(self._ctx, self._actor, folder)
            backup.set_copy_folder(self._ctx, SYSTEM, folder)
            messages.info(
                self._window,
                f"Salinan cadangan dibuat dan diperiksa:\n{info.path}\n\nSalinan dibuat lagi setiap aplikasi ditutup.",
            )

    def at_close(self) -> None:
        """Stop the timer, wait for a running backup, and write the second copy when a folder is set."""
        from klaten_desktop.services import backup
        from klaten_desktop.services.context import SYSTEM

        self.timer.stop()
        for worker in (self._worker, self._checker):
            if worker is not None:
                worker.wait(60)
        if self.restored:
            return
        try:
            folder = backup.copy_folder(self._ctx)
            if folder is not None and folder.is_dir():
                backup.copy_to(self._ctx, SYSTEM, folder)  # set up earlier by someone allowed to
        except Exception:  # closing must not fail for a removed flash disk; the log says what happened
            log.exception("Backup copy at closing failed")

    def restore_from_file(self) -> None:
        from klaten_desktop.services import restore

        ctx = self._ctx
        if ctx.backups_dir is None or (ctx.database is None and not ctx.on_server):
            return
        with shown(self._window):
            require(self._actor, Permission.restore)  # before a file is even asked for
        if not allowed(self._actor, Permission.restore):
            return
        kind = "Cadangan server Klaten Desktop (*.dump)" if ctx.on_server else "Cadangan Klaten Desktop (*.sqlite)"
        source = messages.ask_open_path(self._window, "Pilih berkas cadangan", kind, ctx.backups_dir)
        if source is None:
            return
        with shown(self._window):
            if ctx.on_server:
                revision = restore.verify_server_backup(source)
                question = (
                    f"Pulihkan {source.name} (skema {revision}) ke server?\n\nSeluruh isi basis data server diganti; "
                    "isinya sekarang dicadangkan lebih dulu ke folder cadangan. Tutup Klaten Desktop di PC lain. "
                    "Identitas kantor dan kuncinya dipertahankan. Setelah pemulihan aplikasi ditutup; bukalah kembali."
                )
            else:
                revision = restore.verify(source)
                question = (
                    f"Pulihkan {source.name} (skema {revision})?\n\nBasis data sekarang beserta berkas -wal-nya "
                    "disisihkan ke folder cadangan (tidak dihapus). Identitas kantor dan kuncinya dipertahankan. "
                    "Setelah pemulihan aplikasi ditutup; bukalah kembali."
                )
            if not messages.confirm(self._window, question, yes="Pulihkan"):
                return
            self.restore_now(source)

    def restore_now(self, source: Path) -> None:
        """Close the database, put the backup in place, then close the window (the next start opens it)."""
        from klaten_desktop.services import restore

        ctx = self._ctx
        assert ctx.backups_dir is not None
        require(self._actor, Permission.restore)  # refused before anything is closed
        self.timer.stop()
        for worker in (self._worker, self._checker):
            if worker is not None:
                worker.wait(60)
        # the window's other background reads (lists, dashboard) end before the database is replaced under them
        QThreadPool.globalInstance().waitForDone(60_000)
        if ctx.on_server:
            url = ctx.engine.url.render_as_string(hide_password=False)
            ctx.dispose()
            done = restore.restore_server(url, ctx.backups_dir, source, now=dt.datetime.now(), actor=self._actor)
            self.restored = True
            copy = f"\nIsi server sebelumnya disimpan di {done.safety_copy}." if done.safety_copy else ""
            messages.info(
                self._window,
                f"Cadangan {source.name} dipulihkan ke server {done.server}.{copy}\n\n{done.sync.message}\n\n"
                "Aplikasi sekarang ditutup; bukalah kembali (juga di PC lain).",
            )
            self._window.close()
            return
        assert ctx.database is not None
        ctx.dispose()
        result = restore.restore(ctx.database, ctx.backups_dir, source, now=dt.datetime.now(), actor=self._actor)
        self.restored = True
        kept = "" if result.identity_kept else "\nIdentitas kantor diambil dari cadangan."
        messages.info(
            self._window,
            f"Cadangan {source.name} dipulihkan.\nBasis data sebelumnya disimpan di {result.set_aside}.{kept}\n\n"
            f"{result.sync.message}\n\nAplikasi sekarang ditutup; bukalah kembali.",
        )
        self._window.close()
