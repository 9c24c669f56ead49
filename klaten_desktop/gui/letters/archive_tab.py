"""Tab "Arsip": issued letters and certificates; filter by kind, year and text; reprint ("Cetakan ke-N")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.formatting import format_date
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.kit.tasks import run_task
from klaten_desktop.gui.letters import common
from klaten_desktop.gui.session import office_desa
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import archive
from klaten_desktop.services.documents.archive import DocumentRow
from klaten_desktop.services.documents.register import STATE_LABELS
from klaten_desktop.services.events import certificates


class ArchiveTab(QWidget):
    def __init__(self, ctx: ServiceContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._ctx = ctx
        self._labels: dict[str, str] = {}
        self._loaded: list[DocumentRow] = []  # the archive of the chosen desa, loaded once per change
        self._all: list[DocumentRow] = []  # those of the chosen kind and year
        self._generation = 0

        self.kind = QComboBox()
        self.year = QComboBox()
        self.desa = search_names(QComboBox())
        self.desa.addItem("Semua desa", None)
        for row in office_desa(ctx):
            self.desa.addItem(row.label, row.kode)
        self.desa.currentIndexChanged.connect(self.reload)
        self.search = QLineEdit()
        self.search.setPlaceholderText("nomor, penerima atau kode verifikasi")
        self.search.setClearButtonEnabled(True)
        self.kind.currentIndexChanged.connect(self._apply_filter)
        self.year.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)

        labels = self._labels
        self.model: RowsTableModel[DocumentRow] = RowsTableModel(
            [
                ("Nomor", lambda d: d.nomor),
                ("Tanggal", lambda d: format_date(d.issued_on)),
                ("Jenis", lambda d: labels.get(d.kind, d.kind)),
                ("Penerima", lambda d: "; ".join(d.recipients)),
                ("Dicetak", lambda d: f"{d.print_count}×"),
                ("Status", lambda d: STATE_LABELS.get(d.state or "issued", d.state or "")),
                ("Kode verifikasi", lambda d: d.kode_verifikasi or "—"),
            ],
            parent=self,
        )
        self.table = QTableView()
        self.table.setAccessibleName("Arsip surat")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(lambda _i: self._on_row_double_clicked())
        self.count = QLabel()
        self.reprint_button = QPushButton("Cetak u&lang…")
        self.reprint_button.clicked.connect(self._on_reprint_clicked)

        filters = QHBoxLayout()
        for text, widget in (
            ("&Jenis:", self.kind), ("Ta&hun:", self.year), ("D&esa:", self.desa), ("Ca&ri:", self.search)
        ):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.search else 0)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.reprint_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self) -> None:
        self._labels.clear()
        self._labels.update(common.kind_labels(self._ctx))
        kind = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem("Semua jenis", None)
        for code, label in self._labels.items():
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
        self.kind.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Load the archive (of the chosen desa) once, off the GUI thread; kind, year and text filter it here."""
        self._generation += 1
        generation, ctx, desa = self._generation, self._ctx, self.desa.currentData()

        def work(_progress: Any, _cancelled: Any) -> tuple[int, list[DocumentRow]]:
            return generation, archive.documents(ctx, desa_kode=desa)

        self.load_task = run_task(self, "Memuat arsip…", work, on_done=self._on_loaded, cancellable=False)

    def _on_loaded(self, result: object) -> None:
        assert isinstance(result, tuple)
        generation, rows = result
        if generation != self._generation:  # a later load is on its way
            return
        self._loaded = rows
        year = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        self.year.addItem("Semua tahun", None)
        for y in sorted({d.issued_on.year for d in rows} | {self._ctx.today().year}, reverse=True):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(self.year.findData(year), 0))
        self.year.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        kind, year = self.kind.currentData(), self.year.currentData()
        self._all = [
            d for d in self._loaded
            if (kind is None or d.kind == kind) and (year is None or d.issued_on.year == year)
        ]  # fmt: skip
        words = self.search.text().lower().split()

        def hit(d: DocumentRow) -> bool:
            text = " ".join([d.nomor, *d.recipients, d.kode_verifikasi or ""]).lower()
            return all(w in text for w in words)

        rows = [d for d in self._all if hit(d)]
        self.model.set_rows(rows)
        self.count.setText(f"{len(rows)} dari {len(self._all)} dokumen")

    def selected(self) -> list[DocumentRow]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows]

    def _on_row_double_clicked(self) -> None:
        if not self.reprint_button.isHidden():  # hidden for a role that may not reprint (kit/permits.py)
            self._on_reprint_clicked()

    def _on_reprint_clicked(self) -> None:
        docs = self.selected()
        if not docs:
            messages.warn(self, "Pilih surat yang akan dicetak ulang.")
            return
        kinds = {d.kind == common.CERTIFICATE_KIND for d in docs}
        if len(kinds) > 1:
            messages.warn(self, "Sertifikat dan surat dicetak ulang terpisah; pilih salah satu saja.")
            return
        certificate = kinds == {True}
        name = docs[0].nomor.replace("/", "-") if len(docs) == 1 else f"{len(docs)}-dokumen"
        suggested = Path.home() / f"cetak-ulang-{name}.pdf"
        path = messages.ask_save_path(self, "Simpan cetak ulang sebagai PDF", common.PDF_FILTER, suggested)
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        ctx, actor, ids = self._ctx, self._actor, [d.id for d in docs]

        def work(progress: Any, cancelled: Any) -> Path:
            if certificate:
                certificates.reprint(ctx, actor, ids, out=path, progress=progress, cancelled=cancelled)
            else:
                archive.reprint(ctx, actor, ids, out=path, progress=progress, cancelled=cancelled)
            return path

        self.task = run_task(self, "Mencetak ulang…", work, on_done=self._on_reprinted)

    def _on_reprinted(self, result: object) -> None:
        assert isinstance(result, Path)
        self.reload()
        if not common.open_in_viewer(result):
            messages.info(self, f"Cetak ulang disimpan di {result}.")
