"""Tab "Register nomor": every number of a year (issued, reserved, voided, with notes), reserve, void, gaps."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.formatting import format_date
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shows_failures
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.letters import common, register_dialogs
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import register
from klaten_desktop.services.documents.register import GapReport, RegisterRow


def gap_text(report: GapReport) -> str:
    lines = [f"Laporan celah nomor tahun {report.year}"]
    if report.last_numbers:
        lines.append("Nomor terakhir: " + ", ".join(f"{seq} {n}" for seq, n in sorted(report.last_numbers.items())))
    else:
        lines.append("Belum ada nomor yang diberikan tahun ini.")
    if report.missing:
        lines.append(f"Nomor hilang ({len(report.missing)}): " + ", ".join(f"{s} {n}" for s, n in report.missing))
    if report.reserved_open:
        lines.append(f"Nomor dipesan yang belum dipakai atau dibatalkan ({len(report.reserved_open)}):")
        lines += [f"  • {r.nomor} – {r.note or ''} ({format_date(r.issued_on)})" for r in report.reserved_open]
    if report.clean:
        lines.append("Tidak ada celah: setiap nomor tercatat, tidak ada pesanan nomor yang terbuka.")
    return "\n".join(lines)


class RegisterTab(QWidget):
    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._ctx = ctx
        self._labels: dict[str, str] = {}

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.today().year)
        self.year.valueChanged.connect(self.reload)
        labels = self._labels
        self.model: RowsTableModel[RegisterRow] = RowsTableModel(
            [
                ("Nomor", lambda r: r.nomor),
                ("Urut", lambda r: str(r.number)),
                ("Urutan", lambda r: r.sequence),
                ("Jenis", lambda r: labels.get(r.kind, r.kind)),
                ("Status", lambda r: r.state_label),
                ("Tanggal", lambda r: format_date(r.issued_on)),
                ("Keterangan", lambda r: r.note or ""),
            ],
            status_of=lambda r: r.state,
            parent=self,
        )
        self.table = QTableView()
        self.table.setAccessibleName("Register nomor surat")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setAlternatingRowColors(True)
        self.gaps = QPlainTextEdit()
        self.gaps.setReadOnly(True)

        self.reserve_button = QPushButton("&Pesan nomor…")
        self.reserve_button.clicked.connect(self._on_reserve_clicked)
        self.void_button = QPushButton("Batal&kan nomor…")
        self.void_button.clicked.connect(self._on_void_clicked)
        self.count = QLabel()

        top = QHBoxLayout()
        year_label = QLabel("Ta&hun:")
        year_label.setBuddy(self.year)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.count, 1)
        top.addWidget(self.reserve_button)
        top.addWidget(self.void_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.gaps)
        splitter.setSizes([420, 140])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.refresh()

    def refresh(self) -> None:
        self._labels.clear()
        self._labels.update(common.kind_labels(self._ctx))
        self.reload()

    def reload(self) -> None:
        year = self.year.value()
        rows = register.entries(self._ctx, year=year)
        self.model.set_rows(rows)
        by_state: dict[str, int] = {}
        for r in rows:
            by_state[r.state_label] = by_state.get(r.state_label, 0) + 1
        detail = ", ".join(f"{n} {label.lower()}" for label, n in sorted(by_state.items()))
        self.count.setText(f"{len(rows)} nomor" + (f" ({detail})" if detail else ""))
        self.gaps.setPlainText(gap_text(register.gap_report(self._ctx, year)))

    def _selected(self) -> RegisterRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    @shows_failures
    def _on_reserve_clicked(self) -> None:
        kinds = {k: v for k, v in common.kind_labels(self._ctx).items() if k != common.CERTIFICATE_KIND}
        wanted = register_dialogs.ask_reservation(self, kinds)
        if wanted is None:
            return
        rows = register.reserve(self._ctx, self._actor, wanted.kind, count=wanted.how_many, note=wanted.note)
        self.year.setValue(rows[0].year)
        self.reload()
        messages.info(self, "Nomor dipesan: " + ", ".join(r.nomor for r in rows))

    @shows_failures
    def _on_void_clicked(self) -> None:
        row = self._selected()
        if row is None:
            messages.warn(self, "Pilih nomor yang akan dibatalkan.")
            return
        if row.state == "voided":
            messages.warn(self, f"Nomor {row.nomor} sudah dibatalkan.")
            return
        reason = register_dialogs.ask_void_reason(self, row.nomor)
        if reason is None:
            return
        register.void(self._ctx, self._actor, row.id, reason=reason)
        self.reload()
