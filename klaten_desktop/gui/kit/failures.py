"""The one choke point for failures in the GUI's slots (issue #16): ``with shown(parent) as failed:`` around the
service call (then ``if failed: return``), or ``@shows_failures`` on a whole slot.

- ``UserError`` (bad input): short, inline in the form where the caller can (``inline``), else a message box; it is
  expected, so it is not logged.
- ``EnvironmentProblem`` (disk full, file locked, database busy): a clear message, the action was rolled back.
- Anything else is a bug: it is not caught here, so it reaches ``sys.excepthook`` (the crash dialog and the log file).
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from PySide6.QtWidgets import QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.services.errors import EnvironmentProblem, UserError, ValidationFailed

P = ParamSpec("P")
R = TypeVar("R")
W = TypeVar("W", bound=QWidget)
Inline = Callable[[UserError], bool]  # show the error in the form itself; False when it cannot


def user_text(exc: UserError) -> str:
    if isinstance(exc, ValidationFailed) and len(exc.details) > 1:
        return exc.message.split(" (dan ")[0] + "\n\n" + "\n".join(f"• {d}" for d in exc.details)
    return exc.message


def show_failure(parent: QWidget | None, exc: BaseException) -> None:
    """Show a known failure; hand a bug to the crash handler (sys.excepthook) without raising (a worker's failure
    arrives here as a value, not as a raised exception)."""
    if isinstance(exc, UserError):
        messages.warn(parent, user_text(exc))
    elif isinstance(exc, EnvironmentProblem):
        messages.error(parent, exc.message + "\n\nTindakan dibatalkan; data tidak berubah.")
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)


class Failed:
    """What ``shown()`` caught: true once a failure was shown (the caller then stops)."""

    def __init__(self) -> None:
        self.exc: UserError | EnvironmentProblem | None = None

    def __bool__(self) -> bool:
        return self.exc is not None


@contextmanager
def shown(parent: QWidget | None, *, inline: Inline | None = None) -> Iterator[Failed]:
    """Show a UserError or EnvironmentProblem raised in the block (``inline`` first for a UserError); bugs pass."""
    failed = Failed()
    try:
        yield failed
    except (UserError, EnvironmentProblem) as exc:
        failed.exc = exc
        if not (isinstance(exc, UserError) and inline is not None and inline(exc)):
            show_failure(parent, exc)


def shows_failures(slot: Callable[Concatenate[W, P], None]) -> Callable[Concatenate[W, P], None]:
    """A slot whose UserError/EnvironmentProblem is shown over its widget (the slot just stops)."""

    @functools.wraps(slot)
    def run(self: W, /, *args: P.args, **kwargs: P.kwargs) -> None:
        with shown(self):
            slot(self, *args, **kwargs)

    return run


def log_failure(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """Log a failure of background work: a bug with its traceback; an expected failure as one line without
    traceback (a UserError at INFO: the user is shown it; an EnvironmentProblem at WARNING)."""
    if isinstance(exc, UserError):
        logger.info("%s: %s", what, type(exc).__name__)
    elif isinstance(exc, EnvironmentProblem):
        logger.warning("%s: %s", what, exc.message)
    else:
        logger.error(what, exc_info=(type(exc), exc, exc.__traceback__))
