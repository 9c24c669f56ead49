"""Beranda: a plain, truthful summary of coverage per status, from the officials list."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.formatting import format_date, format_number, format_percent
from klaten_desktop.gui.officials_store import store_for
from klaten_desktop.gui.widgets.status_chip import StatusChip
from klaten_desktop.services import office
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.records import OfficialRow

SERVING_STATUSES = (
    CoverageStatus.aktif,
    CoverageStatus.menunggak,
    CoverageStatus.nonaktif,
    CoverageStatus.diajukan,
    CoverageStatus.belum_terdaftar,
    CoverageStatus.berakhir,
)


def summarize(rows: list[OfficialRow]) -> tuple[int, Counter[str], int]:
    """(serving officials, their count per coverage status, officials no longer serving)."""
    serving = [r for r in rows if r.term_status == "menjabat"]
    return len(serving), Counter(r.status for r in serving), len(rows) - len(serving)


class HomeSection(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._store = store_for(ctx)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.total = QLabel()
        self.total.setStyleSheet("font-size: 15px;")
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        header_style = "font-weight: 600;"
        for col, text in enumerate(("Status kepesertaan", "Jumlah pengurus", "Persentase")):
            label = QLabel(text)
            label.setStyleSheet(header_style)
            grid.addWidget(label, 0, col)
        self.counts: dict[str, QLabel] = {}
        self.percents: dict[str, QLabel] = {}
        for n, status in enumerate(SERVING_STATUSES, start=1):
            chip = StatusChip()
            chip.set_status(status.value)
            grid.addWidget(chip, n, 0, Qt.AlignmentFlag.AlignLeft)
            count = QLabel()
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            percent = QLabel()
            percent.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(count, n, 1)
            grid.addWidget(percent, n, 2)
            self.counts[status.value] = count
            self.percents[status.value] = percent
        self.past = QLabel()
        self.note = QLabel(
            "Aktif: iuran terbayar sampai bulan yang sudah jatuh tempo. Menunggak: 1–2 bulan belum dibayar. "
            "Nonaktif: 3 bulan atau lebih belum dibayar. Diajukan: sudah dikirim ke BPJS Ketenagakerjaan, "
            "KPJ belum dicatat."
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #4a4f57;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.total)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.past)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self._store.loaded.connect(self._show_rows)

    def refresh(self) -> None:
        data = office.get(self._ctx)
        self.title.setText(data.name if data is not None else "Kantor belum diatur")
        where = "seluruh Kabupaten Klaten" if data is not None and data.is_kabupaten else "kecamatan ini"
        self.subtitle.setText(
            f"Kepesertaan BPJS Ketenagakerjaan pengurus RT/RW di {where}, keadaan pada "
            f"{format_date(self._ctx.today())}."
        )
        if self._store.rows() is None:
            self.total.setText("Memuat data pengurus…")
            if self.isVisible():  # at start-up the main window starts the load once it is painted
                self._store.ensure_loaded()
        else:
            self._show_rows()

    def _show_rows(self) -> None:
        rows = self._store.rows()
        if rows is None:
            return
        serving, per_status, past = summarize(rows)
        self.total.setText(f"<b>{format_number(serving)}</b> pengurus sedang menjabat.")
        for status, label in self.counts.items():
            n = per_status.get(status, 0)
            label.setText(format_number(n))
            self.percents[status].setText(format_percent(100 * n / serving) if serving else "–")
        self.past.setText(f"{format_number(past)} pengurus sudah tidak menjabat (tersimpan dalam riwayat).")
