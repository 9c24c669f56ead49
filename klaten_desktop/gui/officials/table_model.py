"""The officials table: a QAbstractTableModel over the officials rows (kept by column: ``row_store.RowStore``),
filtered and sorted in Python.

No QSortFilterProxyModel and no QStandardItemModel (seconds and hundreds of MB at 100,000 rows). Search keys, the
"serving" flags and the sort orders asked for are made once per load and shared by both officials tables
(``row_keys.RowKeys``); the current sort order of all rows is kept, so filtering walks it and needs no sort; typing
more letters filters the rows already shown; filters run as C loops over those arrays (no Python call per row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from klaten_desktop.domain.enums import CoverageStatus, Jabatan
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.nik import mask_nik_display, normalize_nik
from klaten_desktop.gui.kit.table_export import TableExport
from klaten_desktop.gui.officials.row_keys import RowKeys, SortKey
from klaten_desktop.services.records import OfficialRow

STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

_JABATAN_LABEL = {j.value: j.label for j in Jabatan}
_STATUS_LABEL = {s.value: s.label for s in CoverageStatus}
_JK = {"L": "Laki-laki", "P": "Perempuan"}
_FAR = "\uffff"
#: The roles ``data`` answers (the others are None at once: a repaint asks every cell for font, colours, icon…).
_ANSWERED = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        STATUS_ROLE,
        ID_ROLE,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ToolTipRole,
    )
)


def _month_label(value: str | None) -> str:
    return YearMonth.parse(value).label() if value else ""


def _num(value: int | None) -> str:
    return "" if value is None else f"{value:03d}"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    text: Callable[[OfficialRow], str]
    sort: SortKey
    align_right: bool = False
    kind: str = "text"  # as exported: "text", "number" or "date"
    value: Callable[[OfficialRow], object] | None = None  # the exported value when not ``text``


def _date_key(d: dt.date | None) -> int:
    return d.toordinal() if d is not None else 10**7


def _number_key(value: int | None) -> int:
    return value if value is not None else 10**6


def _far_if_none(value: str | None) -> str:
    return value or _FAR


def _empty_if_none(value: str | None) -> str:
    return value or ""


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("nama", "Nama", lambda r: r.nama, SortKey("nama", str.lower)),
        # shown (and exported from the table) masked; search still finds the whole NIK (``RowKeys.niks``)
        Column("nik", "NIK", lambda r: mask_nik_display(r.nik), SortKey("nik")),
        Column("desa", "Desa/Kelurahan", lambda r: r.desa_nama, SortKey("desa_nama", str.lower)),
        Column("rw", "RW", lambda r: _num(r.rw), SortKey("rw", _number_key), True, "number", lambda r: r.rw),
        Column("rt", "RT", lambda r: _num(r.rt), SortKey("rt", _number_key), True, "number", lambda r: r.rt),
        Column("jabatan", "Jabatan", lambda r: _JABATAN_LABEL[r.jabatan], SortKey("jabatan")),
        Column("status", "Status kepesertaan", lambda r: _STATUS_LABEL[r.status], SortKey("status")),
        Column("kpj", "Nomor KPJ", lambda r: r.nomor_kpj or "", SortKey("nomor_kpj", _far_if_none)),
        Column(
            "dibayar",
            "Iuran dibayar s.d.",
            lambda r: _month_label(r.dibayar_sampai),
            SortKey("dibayar_sampai", _empty_if_none),
        ),
        Column("jk", "L/P", lambda r: _JK.get(r.jenis_kelamin, r.jenis_kelamin), SortKey("jenis_kelamin")),
        Column("telepon", "Telepon", lambda r: r.telepon or "", SortKey("telepon", _far_if_none)),
        Column(
            "mulai",
            "Mulai menjabat",
            lambda r: format_date(r.term_start),
            SortKey("term_start", _date_key),
            kind="date",
            value=lambda r: r.term_start,
        ),
        Column(
            "akhir",
            "Akhir jabatan",
            lambda r: format_date(r.term_end),
            SortKey("term_end", _date_key),
            kind="date",
            value=lambda r: r.term_end,
        ),
    )
}

OFFICIALS_COLUMNS = ("nama", "nik", "desa", "rw", "rt", "jabatan", "status", "telepon", "mulai", "akhir")
ENROLLMENT_COLUMNS = ("nama", "desa", "rw", "rt", "jabatan", "status", "kpj", "dibayar")


@dataclass(frozen=True)
class RowFilter:
    desa_kode: str | None = None
    rw: int | None = None
    rt: int | None = None
    jabatan: str | None = None
    status: str | None = None
    include_past: bool = False
    text: str = ""
    only_ids: frozenset[str] | None = None  # e.g. the officials who never attended a socialization

    def same_except_text(self, other: RowFilter) -> bool:
        return (self.desa_kode, self.rw, self.rt, self.jabatan, self.status, self.include_past, self.only_ids) == (
            other.desa_kode,
            other.rw,
            other.rt,
            other.jabatan,
            other.status,
            other.include_past,
            other.only_ids,
        )


def search_text(text: str) -> str:
    """What to look for: a NIK typed with separators becomes digits; a name is lower-cased."""
    text = " ".join(text.split()).lower()
    digits = normalize_nik(text)
    return digits if digits.isdigit() else text


class OfficialsTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[str] = OFFICIALS_COLUMNS, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = [COLUMNS[k] for k in columns]
        self._keys = RowKeys([])
        self._rows: Sequence[OfficialRow] = self._keys.rows
        # Lists of row numbers, never changed in place (a change makes a new list), so one list may serve as several:
        self._order: list[int] = []  # every row number in the current sort order (RowKeys' own)
        self._base: list[int] = []  # the rows passing every filter but the search text, in order
        self._view: list[int] = []  # the rows shown, in order
        self._filter = RowFilter()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # ---------------------------------------------------------------- loading, filtering, sorting

    def set_rows(self, rows: Sequence[OfficialRow], keys: RowKeys | None = None) -> None:
        """Show ``rows``; ``keys``: their search and sort keys when made already (the store's, shared with the
        other officials table), else they are made here."""
        if keys is None or (keys.rows is not rows and keys.made_from is not rows):
            keys = RowKeys(rows)
        self.beginResetModel()
        self._keys = keys
        self._rows = keys.rows
        self._order = self._sorted_order()
        self._base = self._structural(self._order, self._filter)
        self._view = self._text_filtered(self._base, self._filter.text)
        self.endResetModel()

    def set_filter(self, row_filter: RowFilter) -> None:
        old = self._filter
        if row_filter == old:
            return
        self.beginResetModel()
        self._filter = row_filter
        if not row_filter.same_except_text(old):
            self._base = self._structural(self._order, row_filter)
            source = self._base
        elif old.text and search_text(row_filter.text).startswith(search_text(old.text)):
            source = self._view  # typing more letters narrows what is shown
        else:
            source = self._base
        self._view = self._text_filtered(source, row_filter.text)
        self.endResetModel()

    def row_filter(self) -> RowFilter:
        return self._filter

    def _structural(self, source: list[int], f: RowFilter) -> list[int]:
        """The rows that pass every filter except the search text, in ``source`` order (``source`` itself when no
        filter applies: the lists are never changed in place, only replaced)."""
        rows = self._keys.rows
        result = source
        if not f.include_past and not self._keys.all_serving:
            result = list(compress(result, map(self._keys.serving.__getitem__, result)))
        for field, value in (
            ("desa_kode", f.desa_kode),
            ("rw", f.rw),
            ("rt", f.rt),
            ("jabatan", f.jabatan),
            ("status", f.status),
        ):
            if value is not None:
                code = rows.code_of(field, value)
                codes = rows.coded(field)[1]
                result = [i for i in result if codes[i] == code] if code >= 0 else []
        if f.only_ids is not None:
            only = f.only_ids
            id_at = rows.id_at
            result = [i for i in result if id_at(i) in only]
        return result

    def _text_filtered(self, source: list[int], text: str) -> list[int]:
        needle = search_text(text)
        if not needle:
            return source
        # a list comprehension over one column: measured faster than map(str.__contains__, …); the digits of a NIK
        # are looked for in the NIKs alone (shorter strings than "name NUL NIK": ~20% less per keystroke)
        k = self._keys
        if not needle.isdigit():
            names = k.names
            return [i for i in source if needle in names[i]]
        niks = k.niks
        if not k.digit_names:
            return [i for i in source if needle in niks[i]]
        names, digit_names = k.names, k.digit_names
        return [i for i in source if needle in niks[i] or (i in digit_names and needle in names[i])]

    def _sorted_order(self) -> list[int]:
        if 0 <= self._sort_column < len(self._columns):
            column = self._columns[self._sort_column]
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            return self._keys.order(column.key, column.sort, descending)
        return self._keys.index

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column == self._sort_column and order == self._sort_order:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort_column = column
        self._sort_order = order
        self._order = self._sorted_order()
        old_view = self._view
        self._base = self._structural(self._order, self._filter)
        self._view = self._text_filtered(self._base, self._filter.text)
        self._remap_persistent(old_view)
        self.layoutChanged.emit()

    def _remap_persistent(self, old_view: list[int]) -> None:
        persistent = self.persistentIndexList()
        if not persistent:
            return
        view = self._view
        rows = {old_view[i.row()] for i in persistent if i.row() < len(old_view)}
        position: dict[int, int] = {}
        if len(rows) > 16:  # many rows: one map of every new position
            position = {row: n for n, row in enumerate(view)}
        else:  # the selected row and the current cell (the view keeps ~20 indexes on them): a C scan per row
            for row in rows:
                try:
                    position[row] = view.index(row)
                except ValueError:
                    pass
        new_indexes = []
        for index in persistent:
            new_row = position.get(old_view[index.row()]) if index.row() < len(old_view) else None
            new_indexes.append(QModelIndex() if new_row is None else self.index(new_row, index.column()))
        self.changePersistentIndexList(persistent, new_indexes)

    # ---------------------------------------------------------------- lookups

    def row_at(self, row: int) -> OfficialRow:
        return self._rows[self._view[row]]

    def row_of_id(self, official_id: str) -> int:
        """The table row showing ``official_id``, or -1."""
        source = self._keys.position_of(official_id)
        if source < 0:
            return -1
        try:
            return self._view.index(source)
        except ValueError:
            return -1

    def total_count(self) -> int:
        return len(self._rows)

    def export_table(self, columns: Sequence[int]) -> TableExport:
        """The rows shown, in order, and ``columns``: typed values made on the export's worker."""
        chosen = [self._columns[c] for c in columns]
        getters = [c.value or c.text for c in chosen]
        rows = self._rows
        return TableExport(
            [c.header for c in chosen],
            [c.kind for c in chosen],
            self._view,  # row numbers: each row is made on the export's worker (rows are kept by column)
            lambda i: [get(rows[i]) for get in getters],
        )

    def column_keys(self) -> list[str]:
        return [c.key for c in self._columns]

    def column_of(self, key: str) -> int:
        return self.column_keys().index(key)

    # ---------------------------------------------------------------- Qt model interface

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid():  # the view asks ~7 roles per cell painted: most answered here
            return None
        r, c = index.row(), index.column()
        if r >= len(self._view) or c >= len(self._columns):
            return None
        row = self._rows[self._view[r]]
        column = self._columns[c]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == STATUS_ROLE:
            return row.status
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.key == "status" and row.term_status != "menjabat":
            return "Sudah tidak menjabat"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        return None
