"""Long work off the GUI thread: one ``Worker`` on the global QThreadPool for imports, PDFs, exports, backups.

The work is a plain function ``fn(progress, cancelled, *args)`` following the one long-work protocol of
:mod:`klaten_desktop.runtime.work` (``progress(done, total)`` reports, ``cancelled()`` tells it to stop and the work
raises ``Cancelled``), so the CLI runs the same code without Qt. A worker never touches a widget and never
swallows an exception: failures arrive in ``failed`` with the exception object, a cancel in ``cancelled`` with
the message of its ``Cancelled`` (never logged as a failure).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from klaten_desktop.gui.kit.failures import log_failure
from klaten_desktop.runtime.memory import release_free_memory
from klaten_desktop.runtime.work import Cancelled

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal(str)
    """The message of the work's ``Cancelled``; empty when the work ended normally after a cancel was asked."""


class Worker(QRunnable):
    """Run ``fn(progress, cancelled, *args, **kwargs)`` on the thread pool.

    Connect to ``worker.signals.progress/finished/failed/cancelled`` before ``start()``.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self._fn = fn
        self._args = args
        self._kwargs = kwargs
        self._cancel = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def is_done(self) -> bool:
        """True once ``run()`` has returned (whatever the outcome)."""
        return self._done.is_set()

    def run(self) -> None:
        try:
            result = self._fn(self.signals.progress.emit, self._cancel.is_set, *self._args, **self._kwargs)
        except Cancelled as stop:
            self.signals.cancelled.emit(stop.message)
        except BaseException as exc:  # reported to the GUI thread, which decides how to show it
            log_failure(log, "Background work failed", exc)
            self.signals.failed.emit(exc)
        else:
            if self._cancel.is_set():
                self.signals.cancelled.emit("")
            else:
                self.signals.finished.emit(result)
        finally:
            release_free_memory()  # what the work read and dropped (rows in chunks, query results): back to the system
            self._done.set()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self)

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Block until the work ended (for tests and shutdown)."""
        return self._done.wait(timeout_s)


_kept: set[Worker] = set()


def keep_alive(worker: Worker) -> None:
    """Hold a reference to ``worker`` until its pool thread has finished ``run()``.

    The GUI usually drops its reference when ``finished`` arrives, but the pool thread may still be inside
    ``run()`` then; deleting the QRunnable at that moment crashes the process. Done workers are released on
    the next call.
    """
    for done in [w for w in _kept if w._done.is_set()]:
        _kept.discard(done)
    _kept.add(worker)


def wait_kept(timeout_s: float = 30.0) -> bool:
    """Wait for every worker held by :func:`keep_alive` (tests, shutdown)."""
    return all(w.wait(timeout_s) for w in list(_kept))
