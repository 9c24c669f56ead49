"""The dry-run preview: one line per spreadsheet row with its outcome and reasons, filtered and sorted in Python."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_rt_rw
from klaten_desktop.gui.kit.status_style import ERROR_COLOR, WARNING_COLOR
from klaten_desktop.services.imports import ImportPlan, Outcome, PlannedRow, RawTable
from klaten_desktop.services.imports.cells import cell_text
from klaten_desktop.services.imports.columns import FIELD_LABELS

#: What the screen calls each outcome (the counts sentence uses the same words in lower case).
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.created: "Baru",
    Outcome.updated: "Diperbarui",
    Outcome.unchanged: "Tidak berubah",
    Outcome.rejected: "Ditolak",
}
# background, text: light chips with dark text (WCAG AA contrast on both)
OUTCOME_COLORS: dict[Outcome, tuple[str, str]] = {
    Outcome.created: ("#d5f0dc", "#0b5323"),
    Outcome.updated: ("#d6e6fb", "#0d3c7a"),
    Outcome.unchanged: ("#eceff3", "#37414d"),
    Outcome.rejected: ("#fbdcdc", "#8b1414"),
}
WARNINGS_FILTER = "warnings"
OUTCOME_ROLE = Qt.ItemDataRole.UserRole + 1

_CHANGE_LABELS = {**FIELD_LABELS, "desa_kode": "Desa"}


@dataclass(frozen=True)
class PreviewRow:
    sheet_row: int
    outcome: Outcome
    nama: str
    nik: str
    desa: str
    jabatan: str
    rt_rw: str
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    changed: tuple[str, ...]  # labels of the fields an update changes

    @property
    def notes(self) -> str:
        return "; ".join(self._note_parts())

    @property
    def notes_text(self) -> str:
        """The notes as sentences (the line under the table), not parted by semicolons."""
        return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in self._note_parts())

    def _note_parts(self) -> list[str]:
        parts = list(self.errors)
        if self.changed:
            parts.append("Diubah: " + ", ".join(self.changed))
        parts.extend(f"Peringatan: {w}" for w in self.warnings)
        return parts


def counts_text(plan: ImportPlan) -> str:
    """ "12 baru, 3 diperbarui, 40 tidak berubah, 2 ditolak" (never "berhasil": nothing is written yet)."""
    text = f"{plan.created} baru, {plan.updated} diperbarui, {plan.unchanged} tidak berubah, {plan.rejected} ditolak"
    if plan.warnings:
        text += f" · {plan.warnings} baris dengan peringatan"
    return text


def preview_rows(plan: ImportPlan, table: RawTable, desa_names: Mapping[str, str]) -> list[PreviewRow]:
    """Rows for the preview: normalised values where the plan has them, else the cells as the sheet holds them."""
    col = {f: i for i, f in enumerate(plan.mapping.fields) if f is not None}

    def raw(cells: Sequence[object], field: str) -> str:
        i = col.get(field)
        if i is None or i >= len(cells):
            return ""
        return cell_text(cells[i]) or ""

    result: list[PreviewRow] = []
    for row in plan.rows:
        cells = table.rows[row.index]
        values = row.values
        result.append(
            PreviewRow(
                sheet_row=row.sheet_row,
                outcome=row.outcome,
                nama=row.nama or raw(cells, "nama"),
                nik=row.nik or raw(cells, "nik"),
                desa=_desa(row, cells, raw, desa_names),
                jabatan=Jabatan(values["jabatan"]).label if values and values.get("jabatan") else raw(cells, "jabatan"),
                rt_rw=_rt_rw(values, cells, raw),
                errors=row.errors,
                warnings=row.warnings,
                changed=tuple(_CHANGE_LABELS.get(c, c) for c, _old, _new in row.changes),
            )
        )
    return result


def _desa(
    row: PlannedRow, cells: Sequence[object], raw: Callable[[Sequence[object], str], str], names: Mapping[str, str]
) -> str:
    if row.desa_kode:
        return names.get(row.desa_kode, row.desa_kode)
    return raw(cells, "desa") or raw(cells, "kode_desa")


def _rt_rw(
    values: Mapping[str, Any] | None, cells: Sequence[object], raw: Callable[[Sequence[object], str], str]
) -> str:
    if values is not None:
        return format_rt_rw(values.get("rt"), values.get("rw"))
    pair = raw(cells, "rt_rw")
    if pair:
        return pair
    rt, rw = raw(cells, "rt"), raw(cells, "rw")
    return f"{rt or '-'}/{rw or '-'}" if rt or rw else ""


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
