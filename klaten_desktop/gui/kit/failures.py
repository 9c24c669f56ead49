"""How the GUI shows a failure: UserError and EnvironmentProblem as a message, anything else is a bug."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.services.errors import EnvironmentProblem, UserError, ValidationFailed


def user_text(exc: UserError) -> str:
    if isinstance(exc, ValidationFailed) and len(exc.details) > 1:
        return exc.message.split(" (dan ")[0] + "\n\n" + "\n".join(f"• {d}" for d in exc.details)
    return exc.message


def show_failure(parent: QWidget | None, exc: BaseException) -> None:
    """Show a known failure; hand a bug to the crash handler (sys.excepthook) without raising in a slot."""
    if isinstance(exc, UserError):
        messages.warn(parent, user_text(exc))
    elif isinstance(exc, EnvironmentProblem):
        messages.error(parent, exc.message + "\n\nTindakan dibatalkan; data tidak berubah.")
    else:
        sys.excepthook(type(exc), exc, exc.__traceback__)
