"""Read-only table models over a list of records, one text function per column: ``RecordsTableModel`` (numeric
columns right-aligned, tooltips, row highlighting such as an overdue kecamatan or a rejected package) and
``RowsTableModel``, the same over ``(title, text)`` pairs with a status value for delegates (history, payments)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")

# background, text: readable pairs (WCAG AA)
HIGHLIGHTS: dict[str, tuple[str, str]] = {
    "warning": ("#fff1cc", "#4a3200"),
    "error": ("#fbe0de", "#7a1712"),
    "ok": ("#e3f3e8", "#0f4d26"),
}


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    numeric: bool = False
    tooltip: Callable[[T], str] | None = None


class RecordsTableModel(QAbstractTableModel, Generic[T]):
    """Read-only rows; ``highlight(row)`` returns a key of ``HIGHLIGHTS`` or None."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        *,
        highlight: Callable[[T], str | None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[T] = []
        self._highlight = highlight

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def text(self, row: int, column: int) -> str:
        return self._columns[column].text(self._rows[row])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        record = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and self._highlight is not None:
            key = self._highlight(record)
            if key is None:
                return None
            bg, fg = HIGHLIGHTS[key]
            return QBrush(QColor(bg if role == Qt.ItemDataRole.BackgroundRole else fg))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[section].numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class RowsTableModel(RecordsTableModel[T]):
    """Columns as ``(title, text)`` pairs; ``status_of(row)`` is served as ``UserRole + 1`` for delegates."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[T], str]]],
        *,
        status_of: Callable[[T], str] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__([Column(title, text) for title, text in columns], parent=parent)
        self._status_of = status_of

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.UserRole + 1:
            if self._status_of is None or not index.isValid() or index.row() >= len(self._rows):
                return None
            return self._status_of(self._rows[index.row()])
        return super().data(index, role)
