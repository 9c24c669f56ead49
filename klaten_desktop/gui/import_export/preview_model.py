"""The dry-run preview as a Qt table model: the rows of ``preview_rows``, filtered and sorted in Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from klaten_desktop.gui.import_export.preview_rows import OUTCOME_LABELS, WARNINGS_FILTER, PreviewRow
from klaten_desktop.gui.kit.status_style import ERROR_COLOR, WARNING_COLOR
from klaten_desktop.services.imports import Outcome

# background, text: light chips with dark text (WCAG AA contrast on both)
OUTCOME_COLORS: dict[Outcome, tuple[str, str]] = {
    Outcome.created: ("#d5f0dc", "#0b5323"),
    Outcome.updated: ("#d6e6fb", "#0d3c7a"),
    Outcome.unchanged: ("#eceff3", "#37414d"),
    Outcome.rejected: ("#fbdcdc", "#8b1414"),
    Outcome.skipped: ("#eceff3", "#37414d"),
}
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 1


_COLUMNS: tuple[tuple[str, Callable[[PreviewRow], object]], ...] = (
    ("Baris", lambda r: r.sheet_row),
    ("Hasil", lambda r: OUTCOME_LABELS[r.outcome]),
    ("Nama", lambda r: r.nama),
    ("NIK", lambda r: r.nik),
    ("Desa", lambda r: r.desa),
    ("Jabatan", lambda r: r.jabatan),
    ("RT/RW", lambda r: r.rt_rw),
    ("Keterangan", lambda r: r.notes),
)
_OUTCOME_ORDER = {o: n for n, o in enumerate(Outcome)}
ROW_COLUMN, OUTCOME_COLUMN, DESA_COLUMN, NOTES_COLUMN = 0, 1, 4, len(_COLUMNS) - 1


class PreviewTableModel(QAbstractTableModel):
    """Read-only; ``set_filter`` shows one outcome (or the rows with warnings); ``sort`` is done in Python."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[PreviewRow] = []
        self._rows: list[PreviewRow] = []
        self._filter: Outcome | str | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._brushes = {o: (QBrush(QColor(bg)), QBrush(QColor(fg))) for o, (bg, fg) in OUTCOME_COLORS.items()}
        self._error_brush = QBrush(QColor(ERROR_COLOR))
        self._warning_brush = QBrush(QColor(WARNING_COLOR))

    # ------------------------------------------------------------------ content

    def set_rows(self, rows: Sequence[PreviewRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = self._visible()
        self.endResetModel()

    def set_filter(self, outcome: Outcome | str | None) -> None:
        """None: every row; an Outcome: only those; ``WARNINGS_FILTER``: rows kept with warnings."""
        self.beginResetModel()
        self._filter = outcome
        self._rows = self._visible()
        self.endResetModel()

    def total_count(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> PreviewRow:
        return self._rows[row]

    def position_of(self, sheet_row: int) -> int | None:
        """Where the row of sheet row ``sheet_row`` is shown now (None: filtered out or not in the preview)."""
        return next((n for n, r in enumerate(self._rows) if r.sheet_row == sheet_row), None)

    def _visible(self) -> list[PreviewRow]:
        wanted = self._filter
        if wanted is None:
            rows = list(self._all)
        elif wanted == WARNINGS_FILTER:
            rows = [r for r in self._all if r.warnings and r.outcome is not Outcome.rejected]
        else:
            rows = [r for r in self._all if r.outcome is wanted]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(key=_sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) or index.column() >= len(_COLUMNS):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = _COLUMNS[column][1](row)
            return str(value)
        if role == Qt.ItemDataRole.ToolTipRole:  # the full text of a cell cut short by the column width
            if column == NOTES_COLUMN:
                return "\n".join(f"• {p}" for p in row.notes.split("; ")) if row.notes else None
            return str(_COLUMNS[column][1](row)) or None
        if role == Qt.ItemDataRole.BackgroundRole and column == OUTCOME_COLUMN:
            return self._brushes[row.outcome][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == OUTCOME_COLUMN:
                return self._brushes[row.outcome][1]
            if column == NOTES_COLUMN and row.errors:
                return self._error_brush
            if column == NOTES_COLUMN and row.warnings:
                return self._warning_brush
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ROW_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == OUTCOME_ROLE:
            return row.outcome.value
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(_COLUMNS):
            return _COLUMNS[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(_COLUMNS):
            return
        self.beginResetModel()  # a reset, not a layout change: no persistent indexes to remap
        self._sort = (column, order)
        self._rows = self._visible()
        self.endResetModel()


def _sort_key(column: int) -> Callable[[PreviewRow], Any]:
    if column == ROW_COLUMN:
        return lambda r: r.sheet_row
    if column == OUTCOME_COLUMN:
        return lambda r: (_OUTCOME_ORDER[r.outcome], r.sheet_row)
    get = _COLUMNS[column][1]
    return lambda r: (str(get(r)).casefold(), r.sheet_row)
