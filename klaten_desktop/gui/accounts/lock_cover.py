"""While the screen is locked: an opaque cover over every other open window of the program (an edit form open
when the lock came keeps what was typed in it, unseen), taken away at unlock.

A dialog open with ``exec()`` is covered, not hidden: hiding it would end its ``exec()`` as if cancelled, and the
person would lose the form they were filling in.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

COVER_TEXT = "Terkunci. Masukkan kata sandi di jendela kunci untuk melanjutkan."
_FOLLOW = {QEvent.Type.Resize, QEvent.Type.ChildAdded, QEvent.Type.LayoutRequest}


class LockCover(QLabel):
    """The cover of one window: its whole area, above everything in it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(COVER_TEXT, window)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("QLabel { background: #d9dee5; color: #1f2933; font-size: 14px; }")
        self.fit()
        self.show()

    def fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()


class LockCovers(QObject):
    """Covers over every visible top-level window but ``skip`` (the main window, whose content is hidden)."""

    def __init__(self, skip: QWidget) -> None:
        super().__init__(skip)
        self.covers: dict[QWidget, LockCover] = {}
        for window in QApplication.topLevelWidgets():
            kind = window.windowType()
            if window is skip or not window.isVisible() or kind in (Qt.WindowType.Popup, Qt.WindowType.ToolTip):
                continue
            self.covers[window] = LockCover(window)
            window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        cover = self.covers.get(watched)  # type: ignore[call-overload]
        if cover is not None and event.type() in _FOLLOW:
            cover.fit()  # still the whole window, still on top
        return False

    def remove(self) -> None:
        """Unlocked: the windows as they were."""
        for window, cover in self.covers.items():
            window.removeEventFilter(self)
            cover.hide()
            cover.deleteLater()
        self.covers.clear()
