"""The event's details: title, date and time, place, organiser, speakers, notes."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.events.presenter import EventDetails
from klaten_desktop.gui.kit.date_field import DateField
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events import EventRow, Speaker


class EventForm(QWidget):
    """Fill from an :class:`EventRow` (or clear for a new one); read the values back for the service."""

    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLineEdit()
        self.title.setPlaceholderText("mis. Sosialisasi Jaminan Sosial Ketenagakerjaan bagi Ketua RT/RW")
        self.date = DateField(optional=False)
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH.mm")
        self.has_end = QCheckBox("sampai")
        self.end = QTimeEdit()
        self.end.setDisplayFormat("HH.mm")
        self.place = QLineEdit()
        self.organiser = QLineEdit()
        self.organiser.setPlaceholderText("bawaan: kantor ini")
        self.speakers = QTableWidget(0, 2)
        self.speakers.setHorizontalHeaderLabels(["Nama narasumber", "Peran / asal"])
        self.speakers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.speakers.verticalHeader().setVisible(False)
        self.speakers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.speakers.setMaximumHeight(120)
        add_speaker = QPushButton("Tambah narasumber")
        remove_speaker = QPushButton("Hapus narasumber")
        add_speaker.clicked.connect(self._add_speaker_row)
        remove_speaker.clicked.connect(self._remove_speaker_row)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        self.save_button = QPushButton("Simpan acara")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_requested.emit)

        when = QHBoxLayout()
        when.addWidget(self.date, 2)
        when.addWidget(QLabel("jam"))
        when.addWidget(self.start)
        when.addWidget(self.has_end)
        when.addWidget(self.end)
        when.addStretch(1)
        speaker_buttons = QHBoxLayout()
        speaker_buttons.addWidget(add_speaker)
        speaker_buttons.addWidget(remove_speaker)
        speaker_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Judul:", self.title)
        form.addRow("Tanggal:", when)
        form.addRow("Tempat:", self.place)
        form.addRow("Penyelenggara:", self.organiser)
        form.addRow("Narasumber:", self.speakers)
        form.addRow("", speaker_buttons)
        form.addRow("Catatan:", self.notes)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.clear(dt.date.today())

    def _add_speaker_row(self, nama: str = "", peran: str = "") -> None:
        row = self.speakers.rowCount()
        self.speakers.insertRow(row)
        self.speakers.setItem(row, 0, QTableWidgetItem(nama))
        self.speakers.setItem(row, 1, QTableWidgetItem(peran))

    def _remove_speaker_row(self) -> None:
        rows = sorted({i.row() for i in self.speakers.selectedIndexes()}, reverse=True)
        for row in rows or ([self.speakers.rowCount() - 1] if self.speakers.rowCount() else []):
            self.speakers.removeRow(row)

    def clear(self, today: dt.date) -> None:
        self.title.clear()
        self.date.set_today(today)
        self.date.set_value(today)
        self.start.setTime(QTime(9, 0))
        self.has_end.setChecked(True)
        self.end.setTime(QTime(12, 0))
        self.place.clear()
        self.organiser.clear()
        self.speakers.setRowCount(0)
        self.notes.clear()

    def fill(self, event: EventRow) -> None:
        self.title.setText(event.title)
        d = event.starts_at.date()
        self.date.set_value(d)
        self.start.setTime(QTime(event.starts_at.hour, event.starts_at.minute))
        self.has_end.setChecked(event.ends_at is not None)
        self.end.setEnabled(event.ends_at is not None)
        if event.ends_at is not None:
            self.end.setTime(QTime(event.ends_at.hour, event.ends_at.minute))
        self.place.setText(event.place)
        self.organiser.setText(event.organiser or "")
        self.speakers.setRowCount(0)
        for s in event.speakers:
            self._add_speaker_row(s.nama, s.peran)
        self.notes.setPlainText(event.notes or "")

    def values(self) -> EventDetails:
        problem = self.date.problem()
        day = self.date.value()
        if problem or day is None:
            self.date.commit()
            raise UserError(f"Tanggal acara: {problem}", field="date")
        start = dt.datetime.combine(day, dt.time(self.start.time().hour(), self.start.time().minute()))
        end = None
        if self.has_end.isChecked():
            end = dt.datetime.combine(day, dt.time(self.end.time().hour(), self.end.time().minute()))
        speakers = []
        for row in range(self.speakers.rowCount()):
            nama = self.speakers.item(row, 0)
            peran = self.speakers.item(row, 1)
            speakers.append(Speaker(nama.text() if nama else "", peran.text() if peran else ""))
        return EventDetails(
            title=self.title.text(),
            starts_at=start,
            ends_at=end,
            place=self.place.text(),
            organiser=self.organiser.text(),
            speakers=speakers,
            notes=self.notes.toPlainText(),
        )
