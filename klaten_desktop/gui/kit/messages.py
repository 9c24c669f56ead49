"""Every message box and file dialog goes through here, so tests can replace them (monkeypatch) instead of
fighting modal dialogs. All texts are Indonesian."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from klaten_desktop import APP_NAME


def info(parent: QWidget | None, text: str, *, title: str = APP_NAME) -> None:
    QMessageBox.information(parent, title, text)


def warn(parent: QWidget | None, text: str, *, title: str = APP_NAME) -> None:
    QMessageBox.warning(parent, title, text)


def error(parent: QWidget | None, text: str, *, title: str = APP_NAME) -> None:
    QMessageBox.critical(parent, title, text)


def confirm(parent: QWidget | None, text: str, *, title: str = APP_NAME, yes: str = "Ya", no: str = "Batal") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def ask_open_path(parent: QWidget | None, title: str, filters: str, start: Path | None = None) -> Path | None:
    """``filters`` like "Lembar kerja Excel (*.xlsx);;CSV (*.csv)"."""
    name, _ = QFileDialog.getOpenFileName(parent, title, str(start or Path.home()), filters)
    return Path(name) if name else None


def ask_save_path(parent: QWidget | None, title: str, filters: str, suggested: Path | None = None) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(suggested or Path.home()), filters)
    return Path(name) if name else None


def ask_folder(parent: QWidget | None, title: str, start: Path | None = None) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title, str(start or Path.home()))
    return Path(name) if name else None
