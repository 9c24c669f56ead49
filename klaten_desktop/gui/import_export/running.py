"""One long task at a time for the Impor/Ekspor screen, with Esc to cancel it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from klaten_desktop.gui.tasks import Task, run_task


class TaskSlot(QObject):
    """Runs ``fn(progress, cancelled, *args)`` through ``run_task``; refuses a second task while one runs."""

    busy_changed = Signal(bool)

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner
        self.task: Task | None = None
        self._cancellable = False

    @property
    def busy(self) -> bool:
        return self.task is not None

    def run(
        self,
        label: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_end: Callable[[], None] | None = None,
        cancellable: bool = True,
    ) -> bool:
        if self.task is not None:
            return False

        def ended() -> None:
            self.task = None
            self.busy_changed.emit(False)
            if on_end is not None:
                on_end()

        self._cancellable = cancellable
        self.busy_changed.emit(True)
        self.task = run_task(self._owner, label, fn, *args, on_done=on_done, on_end=ended, cancellable=cancellable)
        return True

    def cancel(self) -> bool:
        """Ask the running task to stop (Esc); writing to the database is never interrupted."""
        task = self.task
        if task is None or not self._cancellable:
            return False
        task.worker.cancel()
        task.dialog.setLabelText("Membatalkan…")
        return True
