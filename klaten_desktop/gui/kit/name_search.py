"""Typing a place's name selects it in a drop-down whose items read "Desa Sengon", "Kelurahan Gergunung" or
"Kecamatan Prambanan": the prefix does not get in the way (Qt's own search matches from the first letter of the
item's text, so typing "sen" found nothing and "d" jumped to the first desa).

:func:`search_names` installs the search on a combo box (closed, and its open list): the letters typed in quick
succession (Qt's keyboard input interval) are matched, case-insensitively, against the start of each item's text
without the prefix, then against the start of the whole text ("Semua desa"); a letter that extends no match
starts a new search. A space that continues a name ("Ketua RT") is part of it; otherwise it opens the list as
in Qt.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox

PREFIXES = ("desa ", "kelurahan ", "kecamatan ", "kabupaten ")


def searchable(text: str) -> str:
    """The text typed to find an item: lower case, without a place-kind prefix."""
    folded = " ".join(text.split()).casefold()
    for prefix in PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


class _NameSearch(QObject):
    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo)
        self._combo = combo
        self._typed = ""
        self._at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if self._combo.isEditable():
            return False
        mods = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        text = event.text()
        if mods or not text or not text.isprintable() or (text == " " and not self._typed):
            return False
        row = self._find(text)
        if row is None and text == " ":
            return False  # Space opens the list
        if row is not None:
            if watched is self._combo:
                self._combo.setCurrentIndex(row)
            else:
                view = self._combo.view()
                view.setCurrentIndex(self._combo.model().index(row, self._combo.modelColumn()))
        return True  # our search, not Qt's (which would jump elsewhere on the prefix's letters)

    def _find(self, text: str) -> int | None:
        now = time.monotonic()
        fresh = now - self._at > QApplication.keyboardInputInterval() / 1000
        self._at = now
        attempts = [text.casefold()] if fresh else [self._typed + text.casefold(), text.casefold()]
        for typed in attempts:
            row = self._match(typed)
            if row is not None:
                self._typed = typed
                return row
        self._typed = "" if fresh else self._typed
        return None

    def _match(self, typed: str) -> int | None:
        texts = [self._combo.itemText(i) for i in range(self._combo.count())]
        for key in (searchable, lambda t: " ".join(t.split()).casefold()):
            for row, item in enumerate(texts):
                if key(item).startswith(typed):
                    return row
        return None


def search_names(combo: QComboBox) -> QComboBox:
    """Let typing a name select the item, ignoring a "Desa "/"Kelurahan "/"Kecamatan " prefix; returns ``combo``."""
    search = _NameSearch(combo)
    combo.installEventFilter(search)
    combo.view().installEventFilter(search)
    return combo
