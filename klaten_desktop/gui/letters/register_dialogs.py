"""Small forms of the register: reserve numbers for letters made outside the app, void a number with a reason."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.services.documents.register import MAX_RESERVE


class Reservation(NamedTuple):
    kind: str
    how_many: int
    note: str


class _FormDialog(QDialog):
    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def problem_text(self) -> str:
        return ""

    def _on_accept(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        if not problem:
            self.accept()


class ReserveDialog(_FormDialog):
    def __init__(self, kinds: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__("Pesan nomor surat", "&Pesan", parent)
        self.kind = QComboBox()
        for code, label in kinds.items():
            self.kind.addItem(label, code)
        self.count = QSpinBox()
        self.count.setRange(1, MAX_RESERVE)
        self.note = QLineEdit()
        self.note.setPlaceholderText("mis. surat undangan rapat koordinasi RT/RW, dibuat manual")
        self.form.addRow("&Jenis surat:", self.kind)
        self.form.addRow("Ban&yaknya nomor:", self.count)
        self.form.addRow("&Keterangan:", self.note)

    def problem_text(self) -> str:
        return "" if self.note.text().strip() else "Keterangan wajib diisi: untuk surat apa nomor ini dipesan."

    def value(self) -> Reservation:
        return Reservation(str(self.kind.currentData()), self.count.value(), self.note.text().strip())


class VoidDialog(_FormDialog):
    def __init__(self, nomor: str, parent: QWidget | None = None) -> None:
        super().__init__("Batalkan nomor surat", "Batal&kan nomor", parent)
        self.form.addRow("Nomor:", QLabel(f"<b>{nomor}</b>"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("mis. salah ketik nama; diganti surat nomor berikutnya")
        self.form.addRow("&Alasan:", self.reason)
        self.form.addRow(QLabel("Nomor yang dibatalkan tidak dipakai lagi dan suratnya tidak lolos verifikasi."))

    def problem_text(self) -> str:
        return "" if self.reason.text().strip() else "Alasan pembatalan wajib diisi."

    def value(self) -> str:
        return self.reason.text().strip()


def ask_reservation(parent: QWidget | None, kinds: dict[str, str]) -> Reservation | None:
    dialog = ReserveDialog(kinds, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_void_reason(parent: QWidget | None, nomor: str) -> str | None:
    dialog = VoidDialog(nomor, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
