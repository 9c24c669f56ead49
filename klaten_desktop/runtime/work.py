"""The one protocol for long work (imports, exports, PDFs, sync, backups), free of Qt.

Long work is a plain function that takes a ``progress(done, total)`` callable and a ``cancelled()`` callable,
so the GUI's worker and the command line run the same code. Work that notices ``cancelled()`` raises
``Cancelled`` (through ``check``) after undoing what it started; whoever started the work catches ``Cancelled``
and tells the person what its message says. ``Cancelled`` is not a ``UserError``: a cancel is the person's
choice, not bad input, and it is never logged as a failure.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int], None]
"""``progress(done, total)``: how far the work is; may be called from any thread."""

CancelCheck = Callable[[], bool]
"""``cancelled()``: True once the person asked to stop."""

DEFAULT_MESSAGE = "Dibatalkan; tidak ada yang berubah."


class Cancelled(Exception):
    """The work stopped because it was asked to; its message tells what was kept (usually nothing)."""

    def __init__(self, message: str = DEFAULT_MESSAGE) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def no_progress(_done: int, _total: int) -> None:
    """A ``Progress`` that reports nowhere (the command line without a bar, tests)."""


def never_cancelled() -> bool:
    """A ``CancelCheck`` for work that nobody can cancel."""
    return False


def check(cancelled: CancelCheck | None, message: str = DEFAULT_MESSAGE) -> None:
    """Raise ``Cancelled(message)`` if ``cancelled`` says so; the one place work asks."""
    if cancelled is not None and cancelled():
        raise Cancelled(message)


def report(progress: Progress | None, done: int, total: int) -> None:
    """Report progress if anyone listens."""
    if progress is not None:
        progress(done, total)
