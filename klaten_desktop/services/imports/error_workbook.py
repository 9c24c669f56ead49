"""The error workbook: the rejected rows as they were, plus a column of reasons, for the desa to fix."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from klaten_desktop.services.files import new_workbook, write_atomically
from klaten_desktop.services.imports.columns import FIELD_LABELS, header_key
from klaten_desktop.services.imports.header import ColumnMapping
from klaten_desktop.services.imports.plan import ImportPlan, Outcome
from klaten_desktop.services.imports.reader import RawTable

REASON_HEADER = "Alasan Ditolak"
ROW_HEADER = "Baris Asal"
TEXT_FORMAT = 49  # Excel's built-in "@": what is typed in the cell stays text (a NIK keeps all 16 digits)


def _original_row(value: object) -> int | None:
    """A row number from an earlier error workbook's "Baris Asal" cell (a number, or digits in a CSV)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and value > 0:
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,7}(?:\.0)?\s*", value):
        return int(float(value))
    return None


class RejectedRow(Protocol):
    """A row of the sheet that was not imported: where it is and why (``PlannedRow`` of any import)."""

    @property
    def index(self) -> int: ...  # into RawTable.rows
    @property
    def sheet_row(self) -> int: ...
    @property
    def errors(self) -> Sequence[str]: ...


def write_error_workbook(plan: ImportPlan, table: RawTable, out_path: Path | str) -> int:
    """Write the rejected rows (original cells) with their reasons; returns how many rows were written.

    Mapped columns get the app's own header names, so the fixed file re-imports with the same mapping. The NIK
    column is formatted as text, so a NIK typed again stays text. A file that is itself an error workbook (a
    second round) does not get a second reason column: its old reasons are replaced and its "Baris Asal" (the
    row in the desa's first file) is kept. When the desa was chosen for the whole file and the sheet has no
    desa column, a "Kode Desa" column says it, so the fixed file imports without choosing the desa again.
    """
    desa_code = plan.desa_kode if not (plan.mapping.has("desa") or plan.mapping.has("kode_desa")) else None
    rejected = [r for r in plan.rows if r.outcome is Outcome.rejected]
    return write_rejected_rows(table, plan.mapping, rejected, out_path, desa_code=desa_code)


def write_rejected_rows(
    table: RawTable,
    mapping: ColumnMapping,
    rejected: Sequence[RejectedRow],
    out_path: Path | str,
    *,
    field_labels: Mapping[str, str] = FIELD_LABELS,
    desa_code: str | None = None,
) -> int:
    """The error workbook of any list read with the import's reader and header finding (the officials, the KPJ
    numbers): ``rejected`` rows as they were, mapped columns named by ``field_labels``, and ``desa_code`` in a
    "Kode Desa" column when given (see :func:`write_error_workbook`)."""
    reason_key, row_key = header_key(REASON_HEADER), header_key(ROW_HEADER)
    old_row_column: int | None = None
    columns: list[int] = []  # the source columns copied, in order
    headers: list[str] = []
    for i, f in enumerate(mapping.fields):
        if f is None:
            key = header_key(mapping.labels[i])
            if key == reason_key:
                continue  # the reasons of the earlier round: this round's replace them
            if key == row_key:
                old_row_column = i if old_row_column is None else old_row_column
                continue
        columns.append(i)
        headers.append(field_labels[f] if f is not None else (mapping.labels[i] or f"Kolom {i + 1}"))
    nik_column = next((c for c, i in enumerate(columns) if mapping.fields[i] == "nik"), None)
    if desa_code is not None:
        headers.append(FIELD_LABELS["kode_desa"])
    width = len(headers)  # the reason and row columns follow

    def write(path: Path) -> int:
        wb: Any = new_workbook(path)
        ws = wb.add_worksheet("Ditolak")
        bold = wb.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
        text = wb.add_format({"num_format": TEXT_FORMAT})
        date = wb.add_format({"num_format": "dd-mm-yyyy"})
        wrap = wb.add_format({"text_wrap": True, "font_color": "#9C0006"})
        for c, label in enumerate([*headers, REASON_HEADER, ROW_HEADER]):
            ws.write_string(0, c, label, bold)
        for r, row in enumerate(rejected, start=1):
            cells = table.rows[row.index]
            for c, i in enumerate(columns):
                value = cells[i] if i < len(cells) else None
                if value is None:
                    continue
                if isinstance(value, dt.datetime | dt.date):
                    d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                    ws.write_datetime(r, c, d, date)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value, text if c == nik_column else None)
                else:
                    ws.write_string(r, c, str(value), text)
            if desa_code is not None:
                ws.write_string(r, width - 1, desa_code, text)
            ws.write_string(r, width, "; ".join(row.errors), wrap)
            old = cells[old_row_column] if old_row_column is not None and old_row_column < len(cells) else None
            ws.write_number(r, width + 1, _original_row(old) or row.sheet_row)
        for c in range(width):
            if c == nik_column or (desa_code is not None and c == width - 1):
                ws.set_column(c, c, 20, text)  # the whole column, also the rows the desa adds
            else:
                ws.set_column(c, c, 16)
        ws.set_column(width, width, 70)
        ws.freeze_panes(1, 0)
        wb.close()
        return len(rejected)

    return write_atomically(out_path, write, private=True)  # the rows as typed, NIKs included
