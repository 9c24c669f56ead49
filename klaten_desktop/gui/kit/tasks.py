"""Long work with a progress dialog and a cancel button, on a Worker (the window stays responsive).

The one place a cancel is shown: when the person stopped the work, the message of the work's ``Cancelled``
(``runtime/work.py``: what was kept, usually nothing) is shown here, for every screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict, Unpack

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import show_failure
from klaten_desktop.gui.kit.workers import Worker, keep_alive, wait_kept

_running: set[Worker] = set()


def running_workers() -> tuple[Worker, ...]:
    """Workers started through this module that have not ended (tests wait for them at teardown)."""
    return tuple(_running)


def wait_all(timeout_s: float = 30.0) -> None:
    for worker in list(_running):
        worker.wait(timeout_s)
    wait_kept(timeout_s)


class TaskOptions(TypedDict, total=False):
    """What a task may be told besides its work (the same for ``Task``, ``run_task`` and ``TaskSlot.run``)."""

    on_done: Callable[[Any], None] | None  # called with the work's result when it finished
    on_end: Callable[[], None] | None  # called once it ended in any way (finished, failed or cancelled)
    cancellable: bool  # a "Batal" button (default True)


class Task(QObject):
    """Run ``fn(progress, cancelled, *args)`` with a modal progress dialog; call ``on_done(result)`` when it
    finished, show the failure or the cancel's message otherwise. Keep a reference until it ends (the owner
    does, via ``parent``)."""

    def __init__(
        self, parent: QWidget, label: str, fn: Callable[..., Any], *args: Any, **options: Unpack[TaskOptions]
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._on_done = options.get("on_done")
        self._on_end = options.get("on_end")
        self._quiet = False
        cancellable = options.get("cancellable", True)
        self.dialog = QProgressDialog(label, "Batal" if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle("Mohon tunggu")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.worker = Worker(fn, *args)
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(self._on_finished)
        self.worker.signals.failed.connect(self._on_failed)
        self.worker.signals.cancelled.connect(self._on_cancelled)
        self.dialog.canceled.connect(self._on_cancel_clicked)

    def start(self) -> Task:
        _running.add(self.worker)
        keep_alive(self.worker)
        self.worker.start()
        return self

    def cancel(self, *, quiet: bool = False) -> None:
        """Ask the work to stop; ``quiet`` when the program itself stops it (nobody to tell)."""
        self._quiet = self._quiet or quiet
        self.worker.cancel()
        self.dialog.setLabelText("Membatalkan…")

    def _on_cancel_clicked(self) -> None:
        self.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _end(self) -> None:
        _running.discard(self.worker)
        self.dialog.reset()
        self.dialog.hide()
        self.dialog.deleteLater()
        if self._on_end is not None:
            self._on_end()
        # the Task itself stays a child of its parent widget (deleting it from its own slot crashes PySide)

    def _on_finished(self, result: object) -> None:
        self._end()
        if self._on_done is not None:
            self._on_done(result)

    def _on_failed(self, exc: object) -> None:
        self._end()
        if isinstance(exc, BaseException):
            show_failure(self._parent, exc)

    def _on_cancelled(self, message: str) -> None:
        self._end()
        if message and not self._quiet:
            messages.info(self._parent, message)


def run_task(parent: QWidget, label: str, fn: Callable[..., Any], *args: Any, **options: Unpack[TaskOptions]) -> Task:
    """Start ``fn(progress, cancelled, *args)`` as a :class:`Task` of ``parent``."""
    return Task(parent, label, fn, *args, **options).start()


class TaskSlot(QObject):
    """One long task at a time for a screen: runs ``fn(progress, cancelled, *args)`` through :func:`run_task` and
    refuses a second task while one runs; Esc (``cancel``) asks it to stop."""

    busy_changed = Signal(bool)

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self.task: Task | None = None
        self._cancellable = False

    @property
    def busy(self) -> bool:
        return self.task is not None

    def run(self, label: str, fn: Callable[..., Any], *args: Any, **options: Unpack[TaskOptions]) -> bool:
        """Start the task unless one runs (then False)."""
        if self.task is not None:
            return False

        over = False
        on_end = options.get("on_end")

        def ended() -> None:
            nonlocal over
            over = True
            self.task = None
            self.busy_changed.emit(False)
            if on_end is not None:
                on_end()

        self._cancellable = options.get("cancellable", True)
        forwarded: TaskOptions = {**options, "on_end": ended}
        task = run_task(self._owner, label, fn, *args, **forwarded)
        if not over:  # ``busy`` is already true for whoever listens to busy_changed
            self.task = task
            self.busy_changed.emit(True)
        return True

    def cancel(self, *, quiet: bool = False) -> bool:
        """Ask the running task to stop (Esc; ``quiet`` when the screen itself stops it); writing to the database
        is never interrupted."""
        task = self.task
        if task is None or not self._cancellable:
            return False
        task.cancel(quiet=quiet)
        return True
