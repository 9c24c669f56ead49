"""One Klaten Desktop per data folder: an OS file lock on ``klaten.lock`` in the folder.

An OS lock (``fcntl.flock`` / ``msvcrt.locking``) rather than Qt's QLockFile, because the command line (no Qt)
must see it too: ``restore`` refuses to replace the database while a window uses it. The OS drops the lock when
the process ends, also after a crash or a power cut, so a stale lock never blocks a start.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from pathlib import Path
from typing import IO

LOCK_NAME = "klaten.lock"


class InstanceLock:
    """The lock of one data folder; :meth:`acquire` is False when another process (or holder) has it."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_NAME
        self._handle: IO[bytes] | None = None

    def acquire(self) -> bool:
        if self._handle is not None:
            return True
        handle = self.path.open("a+b")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is None:
            return
        with contextlib.suppress(OSError):
            _unlock(self._handle)
        self._handle.close()
        self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None


def in_use(data_dir: Path) -> bool:
    """Whether another process holds the data folder (a Klaten Desktop window is open on it)."""
    if not (data_dir / LOCK_NAME).exists():
        return False
    probe = InstanceLock(data_dir)
    if probe.acquire():
        probe.release()
        return False
    return True


def server_name(data_dir: Path) -> str:
    """The local-socket name through which a second start asks the first window to come forward."""
    digest = hashlib.sha256(str(data_dir.resolve()).lower().encode("utf-8")).hexdigest()[:16]
    return f"klaten-desktop-{digest}"


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


__all__ = ["LOCK_NAME", "InstanceLock", "in_use", "server_name"]
