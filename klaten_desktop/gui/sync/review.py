"""Review of what sync could not decide alone: losing versions kept at the regency, corrections from the regency
at a kecamatan. Old and new values side by side; accept or refuse one at a time (the state, the texts and the
decision are ``review_presenter.py``)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.sync.common import heading, table_view
from klaten_desktop.gui.sync.review_presenter import (
    OPEN,
    STATUS_LABELS,
    FieldChange,
    ReviewPresenter,
    field_changes,
    field_label,
)
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.sync.conflicts import ConflictRow, PendingRow
from klaten_desktop.services.sync.tables import TABLE_LABELS

CONFLICT_COLUMNS: list[Column[ConflictRow]] = [
    Column("No.", lambda r: str(r.id), numeric=True),
    Column("Jenis", lambda r: r.kind_label),
    Column("Data", lambda r: r.title),
    Column("Kecamatan", lambda r: r.office_code),
    Column("Kolom berbeda", lambda r: ", ".join(field_label(f) for f in r.changed_fields) or "—"),
    Column("Status", lambda r: STATUS_LABELS.get(r.status, r.status)),
]
CHANGE_COLUMNS: list[Column[FieldChange]] = [
    Column("Kolom", lambda c: c.name),
    Column("Nilai sekarang", lambda c: c.current, tooltip=lambda c: c.current),
    Column("Nilai usulan", lambda c: c.proposed, tooltip=lambda c: c.proposed),
]
PENDING_COLUMNS: list[Column[PendingRow]] = [
    Column("Kecamatan", lambda p: p.office_code),
    Column("Jenis data", lambda p: TABLE_LABELS.get(p.table_name, p.table_name)),
    Column("Alasan menunggu", lambda p: p.reason, tooltip=lambda p: p.reason),
]


class ConflictReviewPanel(QWidget):
    """The list of open conflicts/corrections, the selected one's changed values, accept and refuse."""

    decided = Signal()

    def __init__(self, ctx: ServiceContext, actor: Actor, *, regency: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = ReviewPresenter(ctx, actor, regency=regency)
        self._regency = regency
        self.conflicts_model: RecordsTableModel[ConflictRow] = RecordsTableModel(
            CONFLICT_COLUMNS, highlight=lambda r: "warning" if r.status == OPEN else None, parent=self
        )
        self.changes_model: RecordsTableModel[FieldChange] = RecordsTableModel(CHANGE_COLUMNS, parent=self)
        self.pending_model: RecordsTableModel[PendingRow] = RecordsTableModel(PENDING_COLUMNS, parent=self)

        intro = QLabel(
            "Versi yang kalah saat penggabungan disimpan di sini, tidak pernah dibuang. Menerima sebuah versi "
            "menjadikannya data sekarang dan mengirimnya kembali ke kecamatan lewat paket balikan."
            if regency
            else "Koreksi dari kabupaten tidak langsung dipakai. Periksa nilai sekarang dan nilai usulan, lalu "
            "terima atau tolak. Koreksi yang ditolak: data kecamatan yang berlaku, dan kabupaten menerimanya "
            "pada paket berikutnya."
        )
        intro.setWordWrap(True)
        self.show_all = QCheckBox("Tampilkan &juga yang sudah diputuskan")
        self.show_all.toggled.connect(lambda _on: self.refresh())
        self.summary = QLabel()

        self.accept_action = add_action(self, "Te&rima versi usulan", self.accept_selected)
        self.refuse_action = add_action(self, "Tolak &versi usulan", self.refuse_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(button_for(self.accept_action))
        buttons.addWidget(button_for(self.refuse_action))
        buttons.addStretch(1)
        buttons.addWidget(self.show_all)

        self.conflicts_view = table_view(self.conflicts_model, [50, 320, 260, 90, 200])
        self.conflicts_view.selectionModel().selectionChanged.connect(self._on_selection)
        self.changes_view = table_view(self.changes_model, [160, 260])
        self.changes_view.setWordWrap(True)
        self.detail_title = heading("")
        self.detail_title.setWordWrap(True)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.changes_view, 1)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.conflicts_view)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        if regency:
            self.pending_box = QGroupBox("Data kecamatan yang menunggu (induknya belum tiba atau NIK ganda)")
            pending_layout = QVBoxLayout(self.pending_box)
            self.pending_view = table_view(self.pending_model, [90, 160])
            pending_layout.addWidget(self.pending_view)
            self.pending_box.setMaximumHeight(170)
            layout.addWidget(self.pending_box)
        self._show(None)

    @shows_failures
    def refresh(self) -> None:
        keep = self.selected()
        review = self.presenter.load(show_all=self.show_all.isChecked())
        rows = review.rows
        self.conflicts_model.set_rows(rows)
        self.pending_model.set_rows(review.waiting)
        self.summary.setText(self.presenter.summary(review))
        if self._regency:
            self.pending_box.setVisible(bool(review.waiting))
        ids = [r.id for r in rows]
        index = ids.index(keep.id) if keep is not None and keep.id in ids else (0 if rows else -1)
        if index >= 0:
            self.conflicts_view.selectRow(index)
        else:
            self._show(None)

    def open_count(self) -> int:
        return sum(1 for r in self.conflicts_model.rows() if r.status == OPEN)

    def selected(self) -> ConflictRow | None:
        rows = self.conflicts_view.selectionModel().selectedRows()
        return self.conflicts_model.row_at(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.selected())

    def _show(self, row: ConflictRow | None) -> None:
        deciding = self.presenter.can_decide(row)
        self.accept_action.setEnabled(deciding)
        self.refuse_action.setEnabled(deciding)
        self.detail_title.setText(self.presenter.detail_title(row))
        self.changes_model.set_rows([] if row is None else field_changes(row))

    def accept_selected(self) -> None:
        self._decide(accept=True)

    def refuse_selected(self) -> None:
        self._decide(accept=False)

    def _decide(self, *, accept: bool) -> None:
        row = self.selected()
        if row is None or not self.presenter.can_decide(row):
            return
        question = self.presenter.question(row, accept=accept)
        if not messages.confirm(self, question, yes="Terima" if accept else "Tolak"):
            return
        with shown(self) as failed:
            done = self.presenter.decide(row, accept=accept)
        if failed:
            self.refresh()
            return
        self.refresh()
        self.decided.emit()
        messages.info(self, self.presenter.decided_message(done, accept=accept))
