"""The error workbook: the rejected rows as they were, plus a column of reasons, for the desa to fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from klaten_desktop.domain.import_rules import FIELD_LABELS
from klaten_desktop.services.imports.files import new_workbook, write_atomically
from klaten_desktop.services.imports.plan import ImportPlan, Outcome
from klaten_desktop.services.imports.reader import RawTable

REASON_HEADER = "Alasan Ditolak"
ROW_HEADER = "Baris Asal"


def write_error_workbook(plan: ImportPlan, table: RawTable, out_path: Path | str) -> int:
    """Write the rejected rows (original cells) with their reasons; returns how many rows were written.

    Mapped columns get the app's own header names, so the fixed file re-imports with the same mapping.
    """
    rejected = [r for r in plan.rows if r.outcome is Outcome.rejected]
    mapping = plan.mapping
    width = len(mapping.fields)
    headers = [
        FIELD_LABELS[f] if f is not None else (mapping.labels[i] or f"Kolom {i + 1}")
        for i, f in enumerate(mapping.fields)
    ]

    def write(path: Path) -> int:
        wb: Any = new_workbook(path)
        ws = wb.add_worksheet("Ditolak")
        bold = wb.add_format({"bold": True, "bg_color": "#F2DCDB", "border": 1, "text_wrap": True})
        text = wb.add_format({"num_format": 49})
        date = wb.add_format({"num_format": "dd-mm-yyyy"})
        wrap = wb.add_format({"text_wrap": True, "font_color": "#9C0006"})
        for c, label in enumerate([*headers, REASON_HEADER, ROW_HEADER]):
            ws.write_string(0, c, label, bold)
        for r, row in enumerate(rejected, start=1):
            cells = table.rows[row.index]
            for c in range(width):
                value = cells[c] if c < len(cells) else None
                if value is None:
                    continue
                if isinstance(value, dt.datetime | dt.date):
                    d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                    ws.write_datetime(r, c, d, date)
                elif isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value), text)
            ws.write_string(r, width, "; ".join(row.errors), wrap)
            ws.write_number(r, width + 1, row.sheet_row)
        ws.set_column(0, width - 1, 16)
        ws.set_column(width, width, 70)
        ws.freeze_panes(1, 0)
        wb.close()
        return len(rejected)

    return write_atomically(out_path, write)
