"""Logging to a rotating file in the data folder, and faulthandler crash logs.

Personal data (NIK, birth date, KPJ) never goes into a log message: log ids and counts instead.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
from pathlib import Path
from typing import IO

from klaten_desktop.runtime.paths import AppPaths

_fault_file: IO[str] | None = None


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file; a disk that is full (or gone) loses log lines silently instead of printing a traceback for
    each of them over the Indonesian message the user must read."""

    def handleError(self, record: logging.LogRecord) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handleError(record)


def setup_logging(paths: AppPaths, *, verbose: bool = False) -> Path:
    paths.logs.mkdir(parents=True, exist_ok=True)
    log_file = paths.logs / "klaten-desktop.log"
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_klaten", False):
            root.removeHandler(handler)
            handler.close()
    handler = _LogFile(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._klaten = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return log_file


def enable_crash_log(paths: AppPaths) -> None:
    """Write a native crash (segfault, abort) traceback to ``crash.log``, offered at the next start."""
    global _fault_file
    paths.logs.mkdir(parents=True, exist_ok=True)
    if _fault_file is not None:
        return
    _fault_file = paths.crash_log.open("a", encoding="utf-8")
    faulthandler.enable(_fault_file, all_threads=True)


def pending_crash_report(paths: AppPaths) -> str | None:
    """The text of a crash log left by an earlier run, if any."""
    try:
        text = paths.crash_log.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return None
    return text or None


def clear_crash_report(paths: AppPaths) -> None:
    global _fault_file
    if _fault_file is not None:
        faulthandler.disable()
        _fault_file.close()
        _fault_file = None
    paths.crash_log.unlink(missing_ok=True)
