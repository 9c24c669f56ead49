"""The three tiers of failure the GUI and CLI tell apart (see docs/architecture.md).

- :class:`UserError`: the user can fix it (bad input, duplicate NIK, nothing to print). Shown inline.
- :class:`EnvironmentProblem`: the PC, not the user or the code (disk full, file open elsewhere, database
  locked). The action is rolled back and the app keeps running.
- anything else is a bug: crash dialog and log file.
"""

from __future__ import annotations

from collections.abc import Sequence


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


def environment_message(exc: BaseException) -> str | None:
    """An Indonesian explanation when ``exc`` comes from the environment, else None."""
    text = str(exc).lower()
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
    if "disk is full" in text or "no space left" in text or getattr(exc, "errno", None) == 28:
        return "Ruang disk penuh. Kosongkan ruang disk lalu coba lagi; tidak ada data yang berubah."
    if "disk i/o error" in text or "readonly database" in text or "read-only" in text:
        return "Basis data tidak dapat ditulis (gangguan disk atau folder hanya-baca). Tidak ada data yang berubah."
    return None
