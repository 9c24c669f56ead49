"""An official's socializations, for the official's record (the lead places it in the detail panel)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QVBoxLayout, QWidget

from klaten_desktop.gui.events.presenter import history_summary
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.services import events
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.events import HistoryRow

HISTORY_COLUMNS = [
    ("Tanggal", lambda r: r.date_label),
    ("Sosialisasi", lambda r: r.title),
    ("Tempat", lambda r: r.place),
    ("Kehadiran", lambda r: "Hadir" if r.attended else "Tidak hadir"),
    ("Sertifikat", lambda r: r.certificate_nomor or ""),
]


class OfficialEventsWidget(QWidget):
    """``set_official(id)`` shows the socializations the official was invited to and which they attended."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.summary = QLabel()
        self.model: RowsTableModel[HistoryRow] = RowsTableModel(HISTORY_COLUMNS, parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        for column, width in enumerate((120, 260, 160, 90)):
            self.view.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.set_official(None)

    def set_official(self, official_id: str | None) -> None:
        rows = events.history(self._ctx, official_id) if official_id else []
        self.model.set_rows(rows)
        self.summary.setText(history_summary(rows) if official_id is not None else "")
