"""Table models of the Beranda: coverage per desa (sortable in Python) and the officials of a worklist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from klaten_desktop.domain.formatting import format_number, format_percent
from klaten_desktop.gui.kit.table_export import EXPORT_ROLE
from klaten_desktop.services.dashboard import AreaFigures
from klaten_desktop.services.worklists import WorklistRow

SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

Index = QModelIndex | QPersistentModelIndex

# (header, value for sorting, text shown, is a number)
_Column = tuple[str, Callable[[AreaFigures], Any], Callable[[Any], str], bool]


def _count(status: str) -> Callable[[AreaFigures], int]:
    return lambda a: a.counts.get(status)


def coverage_columns(area_label: str) -> list[_Column]:
    def number(v: Any) -> str:
        return format_number(int(v))

    return [
        ("Kode", lambda a: a.kode, str, False),
        (area_label, lambda a: a.nama, str, False),
        ("Pengurus", lambda a: a.counts.pengurus, number, True),
        ("Aktif", _count("aktif"), number, True),
        ("Menunggak", _count("menunggak"), number, True),
        ("Nonaktif", _count("nonaktif"), number, True),
        ("Diajukan", _count("diajukan"), number, True),
        ("Belum terdaftar", _count("belum_terdaftar"), number, True),
        ("Berakhir", _count("berakhir"), number, True),
        ("Cakupan", lambda a: a.counts.cakupan_persen, lambda v: format_percent(float(v)), True),
    ]


class CoverageTableModel(QAbstractTableModel):
    """One row per desa (or per kecamatan at the regency); ``sort`` orders in Python and resets the model."""

    def __init__(self, area_label: str = "Desa/Kelurahan", parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = coverage_columns(area_label)
        self._rows: list[AreaFigures] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_area_label(self, label: str) -> None:
        self._columns = coverage_columns(label)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, 1)

    def set_rows(self, rows: Sequence[AreaFigures]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def row_at(self, row: int) -> AreaFigures:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self._columns):
            return None
        _, value, text, is_number = self._columns[index.column()]
        area = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(value(area))
        if role == SORT_ROLE:
            return value(area)
        if role == EXPORT_ROLE and is_number:
            number = value(area)
            return round(float(number), 1) if index.column() == len(self._columns) - 1 else int(number)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if is_number else _LEFT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self._columns):
            return self._columns[section][0]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self.beginResetModel()
        self._sort = (column, order)
        self._apply_sort(column, order)
        self.endResetModel()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        value = self._columns[column][1]
        self._rows.sort(key=lambda a: (value(a), a.kode), reverse=order == Qt.SortOrder.DescendingOrder)


_WORKLIST_COLUMNS: tuple[tuple[str, Callable[[WorklistRow], str]], ...] = (
    ("Nama", lambda r: r.nama),
    ("Jabatan", lambda r: r.jabatan),
    ("RT/RW", lambda r: r.rt_rw),
    ("Desa/Kelurahan", lambda r: r.desa_nama),
    ("Keterangan", lambda r: r.keterangan),
)


class WorklistTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[WorklistRow] = []

    def set_rows(self, rows: Sequence[WorklistRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[WorklistRow]:
        return list(self._rows)

    def row_at(self, row: int) -> WorklistRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_WORKLIST_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(_WORKLIST_COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _WORKLIST_COLUMNS[index.column()][1](self._rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(_WORKLIST_COLUMNS):
            return _WORKLIST_COLUMNS[section][0]
        return None
