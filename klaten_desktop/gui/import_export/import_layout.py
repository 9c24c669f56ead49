"""The Impor tab's widgets and their layout: the file and desa on top, the column mapping on the left, the preview
on the right; the tab order and the preview's column widths. No behaviour: ``import_panel`` binds it."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.import_export.desa_choices import DesaChoice
from klaten_desktop.gui.import_export.import_presenter import START_TEXT
from klaten_desktop.gui.import_export.mapping_table import MappingTable
from klaten_desktop.gui.import_export.preview_model import DESA_COLUMN, NOTES_COLUMN, ROW_COLUMN, PreviewTableModel
from klaten_desktop.gui.import_export.preview_rows import OUTCOME_LABELS, WARNINGS_FILTER
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.services.imports import Outcome

NOTES_MIN_WIDTH = 180  # the Keterangan column gets this much before the other columns get their full width
SAVED_STYLE = "background: #d5f0dc; color: #0b5323; padding: 4px 8px; border-radius: 4px;"
NOTHING_SAVED_STYLE = "background: #eceff3; color: #37414d; padding: 4px 8px; border-radius: 4px;"


def _row(*items: QWidget | int, stretch: Sequence[int] = ()) -> QHBoxLayout:
    """A row of widgets left to right; an int is a spacing; ``stretch`` gives those positions a stretch of 1."""
    row = QHBoxLayout()
    for n, item in enumerate(items):
        if isinstance(item, int):
            row.addSpacing(item)
        else:
            row.addWidget(item, 1 if n in stretch else 0)
    return row


class ImportView(QWidget):
    """The widgets of the Impor tab, laid out."""

    def __init__(self, desa: Sequence[DesaChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fitted_width = -1
        top = self._build_file_row(desa)
        self.mapping_box = self._build_mapping_box()
        self.preview_box = self._build_preview_box()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.mapping_box)
        self.splitter.addWidget(self.preview_box)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 920])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._set_tab_order()
        self.sheet_label.hide()
        self.sheet_combo.hide()

    def _build_file_row(self, desa: Sequence[DesaChoice]) -> QHBoxLayout:
        self.choose_button = QPushButton("&Pilih berkas…")
        self.choose_button.setToolTip("Pilih berkas .xlsx atau .csv dari desa (Ctrl+O)")
        self.file_label = QLabel("Belum ada berkas yang dipilih.")
        self.file_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long names clip
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.desa_combo = search_names(QComboBox())
        self.desa_combo.addItem("Sesuai kolom Desa di berkas", "")
        for d in desa:
            self.desa_combo.addItem(d.label, d.kode)
        self.desa_combo.setMinimumContentsLength(22)
        desa_label = QLabel("Des&a untuk seluruh berkas:")
        desa_label.setBuddy(self.desa_combo)
        self.template_button = QPushButton("Unduh te&mplat…")
        self.template_button.setToolTip(
            "Simpan templat Excel kosong untuk diisi desa: ada petunjuk, pilihan desa dan jabatan, NIK sebagai teks"
        )
        return _row(self.choose_button, self.file_label, desa_label, self.desa_combo, 16, self.template_button,
                    stretch=[1])  # fmt: skip

    def _build_mapping_box(self) -> QGroupBox:
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 1)
        self.header_spin.setAccessibleName("Baris judul kolom")
        self.header_spin.setSpecialValueText("tanpa judul")  # 0: data from the first row, columns chosen by hand
        self.header_spin.setToolTip(
            "Nomor baris berisi judul kolom. Pilih 0 (\u201ctanpa judul\u201d) bila lembar tidak punya baris judul: "
            "data dibaca mulai baris pertama dan isian tiap kolom dipilih sendiri."
        )
        header_label = QLabel("Baris &judul kolom:")
        header_label.setBuddy(self.header_spin)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.mapping = MappingTable()
        # shown only when more than one sheet of the file holds a list
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Lembar yang dibaca")
        self.sheet_combo.setToolTip("Berkas ini berisi lebih dari satu daftar; pilih lembar yang diimpor")
        self.sheet_label = QLabel("Lemba&r:")  # not L&embar: Alt+E is the Ekspor tab
        self.sheet_label.setBuddy(self.sheet_combo)
        header_row = _row(header_label, self.header_spin, 12, self.sheet_label, self.sheet_combo, stretch=[4])
        header_row.addStretch(1)
        self.restore_button = QPushButton("&Kembalikan pemetaan awal")
        self.restore_button.setToolTip("Pakai lagi pemetaan kolom yang dikenali saat berkas dibaca")
        restore_row = _row(self.restore_button)
        restore_row.addStretch(1)
        box = QGroupBox("Pemetaan kolom")
        layout = QVBoxLayout(box)
        layout.addLayout(header_row)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.mapping, 1)
        layout.addLayout(restore_row)
        return box

    def _build_preview_table(self) -> QTableView:
        self.model = PreviewTableModel(self)
        table = QTableView()
        table.setAccessibleName("Pratinjau impor")
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move between rows
        table.horizontalHeader().setSectionResizeMode(NOTES_COLUMN, QHeaderView.ResizeMode.Stretch)
        table.viewport().installEventFilter(self)  # the columns are fitted to the width (_fit_columns)
        return table

    def _build_preview_labels(self) -> None:
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.counts.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # names as typed in the sheet, never markup
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(36)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel(START_TEXT)
        self.status.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setStyleSheet(SAVED_STYLE)
        self.result.hide()

    def _build_preview_box(self) -> QGroupBox:
        self._build_preview_labels()
        self.filter_combo = QComboBox()
        self.filter_combo.addItem("Semua baris", None)
        for outcome in Outcome:
            self.filter_combo.addItem(OUTCOME_LABELS[outcome], outcome.value)
        self.filter_combo.addItem("Dengan peringatan", WARNINGS_FILTER)
        filter_label = QLabel("Tampilka&n:")
        filter_label.setBuddy(self.filter_combo)
        self.table = self._build_preview_table()
        self.replan_button = QPushButton("Pratinjau &ulang")
        self.replan_button.setToolTip(
            "Periksa lagi setiap baris dengan pemetaan sekarang dan data terbaru di basis data"
        )
        self.rejected_button = QPushButton("Simpan baris yang dito&lak…")
        self.rejected_button.setToolTip(
            "Buat berkas Excel berisi baris yang ditolak beserta alasannya, untuk diperbaiki desa"
        )
        self.apply_button = QPushButton("&Simpan ke basis data")
        self.apply_button.setToolTip("Simpan data baru dan perubahan dari pratinjau (Ctrl+S)")
        self.apply_button.setDefault(True)
        buttons = _row(self.replan_button, self.rejected_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        box = QGroupBox("Pratinjau (belum disimpan)")
        layout = QVBoxLayout(box)
        layout.addLayout(_row(self.counts, filter_label, self.filter_combo, stretch=[0]))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.result)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        return box

    def _set_tab_order(self) -> None:
        """Top to bottom, left to right; the field choosers in column order (they are made for each file)."""
        chain: list[QWidget] = [
            self.choose_button,
            self.desa_combo,
            self.template_button,
            self.header_spin,
            self.sheet_combo,
            *self.mapping.combos(),
            self.restore_button,
            self.filter_combo,
            self.table,
            self.replan_button,
            self.rejected_button,
            self.apply_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # ------------------------------------------------------------------------------ column widths

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self, *, again: bool = False) -> None:
        """Give the Keterangan column room: the other columns get their full width only when it keeps
        ``NOTES_MIN_WIDTH``; else the names, desa and jabatan shrink first (the tooltips and the line under the
        table show them whole)."""
        width = self.table.viewport().width()
        if width == self._fitted_width and not again:
            return
        self._fitted_width = width
        fm = self.table.fontMetrics()
        char = fm.averageCharWidth()

        def text(*samples: str) -> int:
            return max(fm.horizontalAdvance(t) for t in samples) + 12

        arrow = 10  # the sort indicator beside a header
        fixed = {
            ROW_COLUMN: max(text("99999"), text("Baris") + arrow),
            1: text("Tidak berubah", "Hasil") + 2,  # the coloured chip
            3: text("3310014506820001"),
            6: text("001/002", "RT/RW"),
        }
        # Nama, Desa, Jabatan: (full width, least width)
        flexible = {
            2: (char * 24, char * 12),
            DESA_COLUMN: (char * 15, char * 8),
            5: (char * 13, text("Ketua RW")),
        }
        if self.table.isColumnHidden(DESA_COLUMN):
            del flexible[DESA_COLUMN]
        room = width - NOTES_MIN_WIDTH - sum(fixed.values())
        full = sum(w for w, _ in flexible.values())
        least = sum(w for _, w in flexible.values())
        share = 1.0 if room >= full else max(0.0, (room - least) / (full - least))
        for column, size in fixed.items():
            self.table.setColumnWidth(column, size)
        for column, (most, fewest) in flexible.items():
            self.table.setColumnWidth(column, round(fewest + (most - fewest) * share))
