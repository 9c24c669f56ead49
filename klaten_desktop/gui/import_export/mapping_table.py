"""The column mapping: one line per column of the sheet with its header, a sample value and the field it fills."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from klaten_desktop.gui.import_export.preview_rows import column_letter
from klaten_desktop.services.imports import ColumnMapping, RawTable
from klaten_desktop.services.imports.cells import cell_text
from klaten_desktop.services.imports.columns import FIELD_LABELS

IGNORED = "— abaikan —"
SAMPLE_ROWS = 60
FIELD_COLUMN = 3

# keys that step a closed QComboBox through its items (each step would be applied at once)
_STEP_KEYS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}
)


def shown_columns(table: RawTable, mapping: ColumnMapping) -> list[tuple[int, str]]:
    """(column index, sample text) of the columns worth showing: with a header, a field or some data."""
    rows = table.rows[mapping.data_start : mapping.data_start + SAMPLE_ROWS]
    result = []
    for i, field in enumerate(mapping.fields):
        sample = next((t for r in rows if i < len(r) and (t := cell_text(r[i])) is not None), "")
        if mapping.labels[i] or field is not None or sample:
            result.append((i, sample))
    return result


class FieldCombo(QComboBox):
    """A field chooser that changes only on a deliberate choice in its open list.

    Choosing a field another column holds clears that column, so stepping through the list would wipe out the
    mapping: the wheel scrolls the table instead, and arrow keys or typed letters on the closed box open the
    list (typed letters jump to the matching field there); a click or Enter in the list applies the choice.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # not WheelFocus: the wheel passes over it
        self.setMaxVisibleItems(len(FIELD_LABELS) + 1)

    def wheelEvent(self, event: QWheelEvent) -> None:
        viewport = self.parentWidget()  # the table's viewport, once the combo is a cell widget
        if viewport is not None:
            QApplication.sendEvent(viewport, event)  # the table scrolls
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        key = Qt.Key(event.key())
        if key in _STEP_KEYS and modifiers == Qt.KeyboardModifier.NoModifier:
            self.showPopup()
            event.accept()
            return
        text = event.text()
        if (
            text
            and text.isprintable()
            and not text.isspace()
            and modifiers in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        ):
            self.showPopup()
            self.view().keyboardSearch(text)  # moves the highlight in the list, not the choice
            event.accept()
            return
        super().keyPressEvent(event)


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
        # Tab goes from one field chooser to the next, then on to the next control; the table itself (nothing to
        # select or edit) is no stop of its own
        self.setTabKeyNavigation(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FIELD_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(1, 112)
        self.setColumnWidth(2, 92)
        self._combos: dict[int, FieldCombo] = {}
        self._lines: dict[QObject, int] = {}

    def combo(self, column: int) -> QComboBox:
        """The field chooser of a sheet column (by its index in the sheet)."""
        return self._combos[column]

    def columns(self) -> list[int]:
        return list(self._combos)

    def combos(self) -> list[QComboBox]:
        """The field choosers in column order (the Tab order)."""
        return list(self._combos.values())

    def set_mapping(self, table: RawTable, mapping: ColumnMapping) -> None:
        """Rebuild the lines for ``mapping`` (a new file or another header row)."""
        self._combos.clear()
        self._lines.clear()
        shown = shown_columns(table, mapping)
        self.setRowCount(len(shown))
        for line, (column, sample) in enumerate(shown):
            letter = column_letter(column)
            label = mapping.labels[column] or "(tanpa judul)"
            self.setItem(line, 0, _item(letter, f"Kolom {letter}: {label}"))
            self.setItem(line, 1, _item(label, label))
            self.setItem(line, 2, _item(sample, sample))
            combo = FieldCombo()
            combo.setAccessibleName(f"Isian kolom {letter}")
            combo.setAccessibleDescription(f"Judul di berkas: {label}")
            combo.addItem(IGNORED, "")
            for key, text in FIELD_LABELS.items():
                combo.addItem(text, key)
            combo.currentIndexChanged.connect(lambda _i, c=column: self._on_combo_changed(c))
            combo.installEventFilter(self)
            self.setCellWidget(line, FIELD_COLUMN, combo)
            self._combos[column] = combo
            self._lines[combo] = line
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
            label = mapping.labels[column] if column < len(mapping.labels) else ""
            combo.setToolTip(
                f"Kolom {column_letter(column)} \u201c{label or '(tanpa judul)'}\u201d diisi sebagai: "
                f"{combo.currentText()}.\nPanah bawah, ketik huruf atau klik untuk membuka daftar isian."
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and watched in self._lines:
            self.scrollTo(self.model().index(self._lines[watched], FIELD_COLUMN))  # Tab into a hidden line
        return super().eventFilter(watched, event)

    def _on_combo_changed(self, column: int) -> None:
        self.field_changed.emit(column, str(self._combos[column].currentData() or ""))


def _item(text: str, tooltip: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tooltip:
        item.setToolTip(tooltip)
    return item
