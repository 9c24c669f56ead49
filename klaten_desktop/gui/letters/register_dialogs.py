"""Small forms of the register: reserve numbers for letters made outside the app, void a number with a reason."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QSpinBox, QWidget

from klaten_desktop.gui.kit.form_dialog import FormDialog
from klaten_desktop.services.documents.register import MAX_RESERVE
from klaten_desktop.services.errors import UserError


class Reservation(NamedTuple):
    kind: str
    how_many: int
    note: str


class ReserveDialog(FormDialog):
    def __init__(self, kinds: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__("Pesan nomor surat", "", "&Pesan", parent)
        self.kind = QComboBox()
        for code, label in kinds.items():
            self.kind.addItem(label, code)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_RESERVE)
        self.note = QLineEdit()
        self.note.setPlaceholderText("mis. surat undangan rapat koordinasi RT/RW, dibuat manual")
        self.add_row("&Jenis surat:", self.kind)
        self.add_row("Ban&yaknya nomor:", self.count)
        self.add_row("&Keterangan:", self.note)

    def run_action(self) -> Reservation:
        if not self.note.text().strip():
            raise UserError("Keterangan wajib diisi: untuk surat apa nomor ini dipesan.")
        return self.value()

    def value(self) -> Reservation:
        return Reservation(str(self.kind.currentData()), self.count.value(), self.note.text().strip())


class VoidDialog(FormDialog):
    def __init__(self, nomor: str, parent: QWidget | None = None) -> None:
        super().__init__("Batalkan nomor surat", "", "Batal&kan nomor", parent)
        self.form.addRow("Nomor:", QLabel(f"<b>{nomor}</b>"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("mis. salah ketik nama; diganti surat nomor berikutnya")
        self.add_row("&Alasan:", self.reason)
        self.form.addRow(QLabel("Nomor yang dibatalkan tidak dipakai lagi dan suratnya tidak lolos verifikasi."))

    def run_action(self) -> str:
        if not self.reason.text().strip():
            raise UserError("Alasan pembatalan wajib diisi.")
        return self.value()

    def value(self) -> str:
        return self.reason.text().strip()


def ask_reservation(parent: QWidget | None, kinds: dict[str, str]) -> Reservation | None:
    dialog = ReserveDialog(kinds, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_void_reason(parent: QWidget | None, nomor: str) -> str | None:
    dialog = VoidDialog(nomor, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
