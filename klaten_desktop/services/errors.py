"""The three tiers of failure the GUI and CLI tell apart (see docs/architecture.md).

- :class:`UserError`: the user can fix it (bad input, duplicate NIK, nothing to print). Shown inline.
- :class:`EnvironmentProblem`: the PC, not the user or the code (disk full, file open elsewhere, database
  locked). The action is rolled back and the app keeps running.
- anything else is a bug: crash dialog and log file.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path


class UserError(Exception):
    """A mistake the user can correct; the message is Indonesian and says how."""

    def __init__(self, message: str, *, field: str | None = None, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = tuple(details)


class NotFoundError(UserError):
    pass


class ValidationFailed(UserError):
    """Domain validation found errors; ``issues`` holds them per field."""

    def __init__(self, message: str, issues: Sequence[object]) -> None:
        super().__init__(message, details=[str(getattr(i, "message", i)) for i in issues])
        self.issues = tuple(issues)


class StaleRecordError(UserError):
    """Someone else saved the record since it was opened."""


class EnvironmentProblem(Exception):
    """The environment failed (disk, file locks, database lock); nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: SQLite's primary result codes the messages below tell apart (``sqlite3.Error.sqlite_errorcode & 0xFF``).
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26
#: Free space below which an I/O error on that disk is a full disk (SQLite reports a full disk while growing
#: the ``-shm`` file as SQLITE_IOERR_SHMSIZE, without the errno).
NEARLY_FULL_BYTES = 1024 * 1024
ENOSPC = 28

DISK_FULL = "Ruang disk penuh. Kosongkan ruang disk lalu coba lagi; tidak ada data yang berubah."
DAMAGED = (
    "Basis data rusak (SQLite melaporkan kerusakan berkas). Jangan menambah data dan jangan menghapus berkas apa "
    "pun di folder data (termasuk klaten.sqlite-wal). Jalankan pemeriksaan (klaten-desktop check) dan pulihkan "
    "cadangan terbaru (menu Berkas > Pulihkan dari cadangan, atau klaten-desktop restore)."
)


#: On a PostgreSQL server (server mode): the SQLSTATE codes told apart below.
PG_DISK_FULL, PG_LOCK_TIMEOUT = "53100", "55P03"
#: Connection exceptions (class 08) and the server shutting down or starting (57P01-57P03).
PG_CONNECTION_LOST = ("08", "57P01", "57P02", "57P03")
SERVER_BUSY = (
    "Basis data di server sedang dipakai komputer lain terlalu lama. Tunggu sebentar lalu coba lagi; tidak ada data "
    "yang berubah."
)
SERVER_LOST = (
    "Sambungan ke server basis data terputus. Periksa jaringan dan server PostgreSQL, lalu coba lagi; perubahan "
    "yang sedang dikerjakan tidak disimpan."
)


def pg_sqlstate(exc: BaseException) -> str | None:
    """PostgreSQL's SQLSTATE behind ``exc`` (itself or the driver error SQLAlchemy wraps), else None."""
    for candidate in (exc, getattr(exc, "orig", None), exc.__cause__):
        state = getattr(candidate, "sqlstate", None)
        if isinstance(state, str):
            return state
    return None


def _server_message(exc: BaseException, text: str) -> str | None:
    """The environment problem a PostgreSQL server reported, or None."""
    state = pg_sqlstate(exc) or ""
    if state == PG_DISK_FULL:
        return DISK_FULL
    if state == PG_LOCK_TIMEOUT:
        return SERVER_BUSY
    # psycopg reports a connection that broke mid-query without a SQLSTATE
    if state.startswith(PG_CONNECTION_LOST) or "server closed the connection" in text or "connection failed" in text:
        return SERVER_LOST
    return None


def sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code behind ``exc`` (itself or the driver error SQLAlchemy wraps), else None."""
    for candidate in (exc, getattr(exc, "orig", None), exc.__cause__):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int):
            return code & 0xFF
    return None


def is_disk_full(exc: BaseException) -> bool:
    """A full disk, however it arrives: SQLITE_FULL, errno ENOSPC, or the words of either."""
    text = str(exc).lower()
    return (
        sqlite_code(exc) == SQLITE_FULL
        or getattr(exc, "errno", None) == ENOSPC
        or "disk is full" in text
        or "no space left" in text
    )


def disk_nearly_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` (or its nearest existing parent) has almost no free space left."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free < NEARLY_FULL_BYTES
            except OSError:
                return False
    return False


def environment_message(exc: BaseException, *, folder: Path | None = None) -> str | None:
    """An Indonesian explanation when ``exc`` comes from the environment, else None.

    The one place that turns OS, SQLite and PostgreSQL errors into Indonesian. Only SQLITE_CORRUPT and
    SQLITE_NOTADB say that the database is damaged; a full disk is always reported as a full disk. ``folder``:
    where the failed file lives, so that an I/O error on a disk with no free space is told as what it is.
    """
    text = str(exc).lower()
    if is_disk_full(exc):
        return DISK_FULL
    io_error = sqlite_code(exc) == SQLITE_IOERR or "disk i/o error" in text or getattr(exc, "errno", None) == 5
    if io_error and folder is not None and disk_nearly_full(folder):
        return DISK_FULL
    if sqlite_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DAMAGED
    if isinstance(exc, PermissionError) or "permission denied" in text or "being used by another process" in text:
        return (
            "Berkas sedang dipakai program lain atau tidak boleh ditulis. "
            "Tutup berkas itu (misalnya di Excel atau penampil PDF) lalu coba lagi."
        )
    if "database is locked" in text or "database table is locked" in text:
        return (
            "Basis data sedang dipakai proses lain (mungkin jendela Klaten Desktop lain). "
            "Tunggu sebentar lalu coba lagi; tidak ada data yang berubah."
        )
    if "disk i/o error" in text or "readonly database" in text or "read-only" in text:
        return "Basis data tidak dapat ditulis (gangguan disk atau folder hanya-baca). Tidak ada data yang berubah."
    return _server_message(exc, text)
