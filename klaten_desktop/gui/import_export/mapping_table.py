"""The column mapping: one line per column of the sheet with its header, a sample value and the field it fills."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from klaten_desktop.domain.import_rules import FIELD_LABELS, cell_text
from klaten_desktop.services.imports import ColumnMapping, RawTable

IGNORED = "— abaikan —"
SAMPLE_ROWS = 60


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def shown_columns(table: RawTable, mapping: ColumnMapping) -> list[tuple[int, str]]:
    """(column index, sample text) of the columns worth showing: with a header, a field or some data."""
    rows = table.rows[mapping.data_start : mapping.data_start + SAMPLE_ROWS]
    result = []
    for i, field in enumerate(mapping.fields):
        sample = next((t for r in rows if i < len(r) and (t := cell_text(r[i])) is not None), "")
        if mapping.labels[i] or field is not None or sample:
            result.append((i, sample))
    return result


class MappingTable(QTableWidget):
    """Emits ``field_changed(column, field)`` (field "" = ignore) when the user picks another field."""

    field_changed = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels(["Kolom", "Judul di berkas", "Contoh isi", "Diisi sebagai"])
        self.setAccessibleName("Pemetaan kolom")
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(1, 112)
        self.setColumnWidth(2, 92)
        self._combos: dict[int, QComboBox] = {}

    def combo(self, column: int) -> QComboBox:
        """The field chooser of a sheet column (by its index in the sheet)."""
        return self._combos[column]

    def columns(self) -> list[int]:
        return list(self._combos)

    def set_mapping(self, table: RawTable, mapping: ColumnMapping) -> None:
        """Rebuild the lines for ``mapping`` (a new file or another header row)."""
        self._combos.clear()
        shown = shown_columns(table, mapping)
        self.setRowCount(len(shown))
        for line, (column, sample) in enumerate(shown):
            letter = QTableWidgetItem(column_letter(column))
            self.setItem(line, 0, letter)
            label = mapping.labels[column] or "(tanpa judul)"
            item = QTableWidgetItem(label)
            item.setToolTip(label)
            self.setItem(line, 1, item)
            example = QTableWidgetItem(sample)
            example.setToolTip(sample)
            self.setItem(line, 2, example)
            combo = QComboBox()
            combo.setAccessibleName(f"Isian kolom {column_letter(column)}")
            combo.addItem(IGNORED, "")
            for key, text in FIELD_LABELS.items():
                combo.addItem(text, key)
            combo.currentIndexChanged.connect(lambda _i, c=column: self._on_combo_changed(c))
            self.setCellWidget(line, 3, combo)
            self._combos[column] = combo
        self.update_fields(mapping)

    def update_fields(self, mapping: ColumnMapping) -> None:
        """Show the fields of ``mapping`` without emitting ``field_changed``."""
        for column, combo in self._combos.items():
            field = mapping.fields[column] if column < len(mapping.fields) else None
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(field or "")))
            combo.blockSignals(False)
            font = combo.font()
            font.setBold(field is not None)
            combo.setFont(font)

    def _on_combo_changed(self, column: int) -> None:
        self.field_changed.emit(column, str(self._combos[column].currentData() or ""))
