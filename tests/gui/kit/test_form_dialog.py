"""The keyboard of every form dialog (gui/kit/form_dialog.py): Enter submits from any field, Shift+Enter makes a new
line where a field has several, a refusal appears without moving the fields, Esc asks only once something was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QPlainTextEdit, QSpinBox
from pytestqt.qtbot import QtBot

from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.gui.kit.form_dialog import DISCARD_QUESTION, FormDialog
from klaten_desktop.services.errors import UserError
from tests.conftest import Shown
from tests.gui.keyboard import focused, owner, press, tab, type_text

SHIFT = Qt.KeyboardModifier.ShiftModifier


class NoteDialog(FormDialog):
    def __init__(self) -> None:
        super().__init__("Catatan", "Uji papan ketik.", "&Simpan")
        self.title = self.add_row("&Judul", QLineEdit())
        self.kind = self.add_row("&Jenis", QComboBox())
        self.kind.addItems(["satu", "dua"])  # type: ignore[attr-defined]
        self.count = self.add_row("&Banyaknya", QSpinBox())
        self.when = self.add_row("&Tanggal", DateField())
        self.text = self.add_row("&Isi", QPlainTextEdit())
        self.saved: list[str] = []

    def run_action(self) -> str:
        if not self.title.text().strip():  # type: ignore[attr-defined]
            raise UserError("Judul wajib diisi.")
        self.saved.append(self.text.toPlainText())  # type: ignore[attr-defined]
        return self.title.text()  # type: ignore[attr-defined,no-any-return]


def _open(qtbot: QtBot) -> NoteDialog:
    dialog = NoteDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_enter_submits_from_every_field_and_shift_enter_makes_a_new_line(qtbot: QtBot) -> None:
    dialog = _open(qtbot)
    assert focused() is dialog.title
    press(qtbot, Qt.Key.Key_Return)  # refused: the message comes in the lines kept for it
    assert dialog.isVisible() and dialog.error_text() == "✖ Judul wajib diisi."
    type_text(qtbot, "Rapat")
    tab(qtbot, 4)  # Jenis, Banyaknya, Tanggal, Isi
    assert focused() is dialog.text
    type_text(qtbot, "baris satu")
    press(qtbot, Qt.Key.Key_Return, SHIFT)
    type_text(qtbot, "baris dua")
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved == ["baris satu\nbaris dua"] and dialog.result_value == "Rapat"


def test_enter_in_a_list_or_a_number_submits(qtbot: QtBot) -> None:
    for steps in (1, 2):  # the Jenis list, the Banyaknya number
        dialog = _open(qtbot)
        type_text(qtbot, "Rapat")
        tab(qtbot, steps)
        assert owner(focused(), [dialog.kind, dialog.count]) is not None
        press(qtbot, Qt.Key.Key_Enter)
        assert dialog.result() == QDialog.DialogCode.Accepted


def test_a_message_does_not_move_the_fields_or_the_buttons(qtbot: QtBot) -> None:
    dialog = _open(qtbot)
    before = [w.mapTo(dialog, w.rect().topLeft()) for w in (*dialog.tab_chain(), dialog.ok_button)]
    press(qtbot, Qt.Key.Key_Return)
    assert dialog.error_text()
    assert [w.mapTo(dialog, w.rect().topLeft()) for w in (*dialog.tab_chain(), dialog.ok_button)] == before


def test_esc_asks_before_discarding_and_only_then(qtbot: QtBot, shown: Shown) -> None:
    dialog = _open(qtbot)
    tab(qtbot, 4)
    press(qtbot, Qt.Key.Key_Escape)  # nothing typed: no question
    assert shown.confirm == [] and dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()

    dialog = _open(qtbot)
    tab(qtbot)
    press(qtbot, Qt.Key.Key_Down)  # another Jenis
    shown.confirm_answers = [False, True]
    press(qtbot, Qt.Key.Key_Escape)
    assert shown.confirm == [DISCARD_QUESTION] and dialog.isVisible() and dialog.kind.currentIndex() == 1  # type: ignore[attr-defined]
    dialog.cancel_button.click()  # Batal asks the same
    assert shown.confirm == [DISCARD_QUESTION] * 2 and not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected
