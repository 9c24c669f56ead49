"""Per-PC view settings (window geometry, splitters, table columns) in an INI file in the data folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter


def screen_key(screen: QScreen | None) -> str:
    """The settings group of the window on ``screen``: its geometry is remembered per screen (name and size)."""
    if screen is None:
        return "jendela"
    size = screen.size()
    name = "".join(ch if ch.isalnum() else "_" for ch in screen.name()) or "layar"
    return f"jendela-{name}-{size.width()}x{size.height()}"


class UiSettings:
    def __init__(self, path: Path) -> None:
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def restore_window(self, window: QMainWindow, key: str = "jendela") -> bool:
        geometry = self._bytes(f"{key}/geometri")
        state = self._bytes(f"{key}/susunan")
        if geometry is not None:
            window.restoreGeometry(geometry)
        if state is not None:
            window.restoreState(state)
        return geometry is not None

    def save_window(self, window: QMainWindow, key: str = "jendela") -> None:
        self._qs.setValue(f"{key}/geometri", window.saveGeometry())
        self._qs.setValue(f"{key}/susunan", window.saveState())

    def restore_splitter(self, splitter: QSplitter, key: str) -> None:
        state = self._bytes(f"pemisah/{key}")
        if state is not None:
            splitter.restoreState(state)

    def save_splitter(self, splitter: QSplitter, key: str) -> None:
        self._qs.setValue(f"pemisah/{key}", splitter.saveState())

    def restore_header(self, header: QHeaderView, key: str) -> None:
        state = self._bytes(f"kolom/{key}")
        if state is not None:
            header.restoreState(state)

    def save_header(self, header: QHeaderView, key: str) -> None:
        self._qs.setValue(f"kolom/{key}", header.saveState())

    def value(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return str(value)

    def set_value(self, key: str, value: str) -> None:
        self._qs.setValue(key, value)

    def sync(self) -> None:
        self._qs.sync()


_current: UiSettings | None = None


def install(path: Path) -> UiSettings:
    global _current
    _current = UiSettings(path)
    return _current


def current() -> UiSettings | None:
    """The settings of the running application (None in tests that build a widget alone)."""
    return _current
