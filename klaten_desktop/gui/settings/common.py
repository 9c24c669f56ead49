"""Pieces shared by the settings tabs: their base (Enter saves, Esc reverts), inline error labels, labelled form
rows and mnemonic assignment."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QFormLayout, QLabel, QWidget

from klaten_desktop.gui.kit.status_style import ERROR_COLOR, WARNING_COLOR
from klaten_desktop.services.context import Actor, ServiceContext

# used by the main window's menus (Berkas, Tampilan, Tindakan, Bantuan)
MENU_LETTERS = frozenset("btd")


def issue_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.hide()
    return label


def show_issue(label: QLabel, text: str, *, warning: bool = False) -> None:
    label.setStyleSheet(f"color: {WARNING_COLOR if warning else ERROR_COLOR};")
    label.setText(("⚠ " if warning else "✖ ") + text)
    label.show()


def clear_issue(label: QLabel) -> None:
    label.clear()
    label.hide()


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #4a4f57;")
    return label


def labelled_row(form: QFormLayout, text: str, field: QWidget, *extra: QWidget) -> QLabel:
    """Add a row "``text``: ``field``" to ``form`` (the label is the field's buddy, so its mnemonic focuses the
    field), then ``extra`` rows under the field without a label; returns the label (for ``assign_mnemonics``)."""
    label = QLabel(text)
    label.setBuddy(field)
    form.addRow(label, field)
    for widget in extra:
        form.addRow("", widget)
    return label


def _candidates(text: str) -> list[int]:
    """Positions of the letters that may carry the mnemonic: word starts first, then the rest."""
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalpha())]
    rest = [i for i, ch in enumerate(text) if ch.isalpha() and i not in starts]
    return [i for i in (*starts, *rest) if text[i].lower() not in MENU_LETTERS]


def choose_mnemonics(texts: list[str], used: set[str]) -> list[str]:
    """``texts`` with distinct mnemonics, none in ``used`` or the menus' letters; adds them to ``used``.

    A bipartite matching (augmenting paths), so one label's choice never leaves another without a letter when
    some assignment exists; each label keeps its most preferred letter the matching allows."""
    plain = [t.replace("&", "") for t in texts]
    options = [[(plain[n][i].lower(), i) for i in _candidates(plain[n])] for n in range(len(plain))]
    owner: dict[str, int] = {}
    position: dict[int, int] = {}

    def augment(n: int, seen: set[str]) -> bool:
        for letter, i in options[n]:
            if letter in used or letter in seen:
                continue
            seen.add(letter)
            if letter not in owner or augment(owner[letter], seen):
                owner[letter] = n
                position[n] = i
                return True
        return False

    for n in range(len(plain)):
        augment(n, set())  # a label no letter is left for keeps its plain text (earlier labels come first)
    used.update(owner)
    return [p[: position[n]] + "&" + p[position[n] :] if n in position else p for n, p in enumerate(plain)]


def assign_mnemonics(widgets: Sequence[QLabel | QAbstractButton], used: set[str]) -> None:
    """Give the labels and buttons distinct mnemonics, skipping ``used`` and the menus' letters."""
    for widget, text in zip(widgets, choose_mnemonics([w.text() for w in widgets], used), strict=True):
        widget.setText(text)
        if isinstance(widget, QLabel):
            room_for_underline(widget)


def room_for_underline(label: QLabel) -> None:
    """The underlined letter splits the text's kerning, so the text can come out a few pixels wider than the
    label's size hint and lose its last letter; give it that room."""
    label.setMinimumWidth(label.sizeHint().width() + 6)


def mnemonic(text: str) -> str | None:
    """The mnemonic letter of a label text, or None."""
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1].lower() if i >= 0 else None


def handle_keys(event: QKeyEvent, save: Callable[[], object], revert: Callable[[], object]) -> bool:
    """Enter saves and Esc reverts (events the focused field did not use). True when handled."""
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return False
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        save()
        return True
    if event.key() == Qt.Key.Key_Escape:
        revert()
        return True
    return False


class SettingsTab(QWidget):
    """A tab of Pengaturan over the office's settings: ``refresh`` loads them, ``save`` stores the tab's fields (False
    when refused, the reason shown), ``revert`` loads them again; Enter saves and Esc reverts."""

    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self.editable = True  # False: read only, for a role that may not change the office's settings

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not (self.editable and handle_keys(event, self.save, self.revert)):
            super().keyPressEvent(event)

    def refresh(self) -> None:
        """Show the stored settings (dropping unsaved edits)."""
        raise NotImplementedError

    def save(self) -> bool:
        """Store the tab's fields; False when they were refused (the reason is shown)."""
        raise NotImplementedError

    def revert(self) -> None:
        """Esc or "Urungkan perubahan": back to what is stored."""
        self.refresh()
