"""The crash dialog: any exception that is not a UserError/EnvironmentProblem is a bug. It is written to the log
file in the data folder and shown with details the user can copy and send."""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop import APP_NAME, __version__

log = logging.getLogger(__name__)


class CrashDialog(QDialog):
    def __init__(self, intro: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — terjadi kesalahan program")
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(label)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Salin rincian")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("&Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self._copy)
        layout.addWidget(buttons)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())
        self.copy_button.setText("Tersalin ✓")


def describe(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    lines = [
        f"{APP_NAME} {__version__}",
        f"Python {platform.python_version()} — {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class CrashHandler:
    """``sys.excepthook`` for the GUI: log the traceback, then show the dialog (one at a time)."""

    def __init__(self, log_file: Path | None) -> None:
        self.log_file = log_file
        self._showing = False
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self

    def uninstall(self) -> None:
        sys.excepthook = self._previous

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous(exc_type, exc, tb)
            return
        log.error("Kesalahan program yang tidak tertangani", exc_info=(exc_type, exc, tb))
        if self._showing or QApplication.instance() is None:
            return
        where = f"\n\nRincian juga dicatat di {self.log_file}." if self.log_file else ""
        intro = (
            "Maaf, terjadi kesalahan di dalam program. Perubahan yang sedang disimpan dibatalkan sehingga data "
            "tetap utuh. Salin rincian di bawah ini dan kirimkan ke pengelola aplikasi di kabupaten." + where
        )
        self._showing = True
        try:
            _show(intro, describe(exc_type, exc, tb))
        finally:
            self._showing = False


def _show(intro: str, details: str) -> None:
    show_crash(intro, details)  # looked up at call time, so tests can replace it


def show_crash(intro: str, details: str) -> None:
    """Show the crash dialog (tests replace this function)."""
    CrashDialog(intro, details, QApplication.activeWindow()).exec()
