"""Any table written to .xlsx (xlsxwriter) or .csv, atomically and readable by the owner only: the one writer
behind every export (the registry and the BPJS list of services/exports.py, each table on screen through
gui/kit/table_export.py).

NIK and phone numbers are written as text, dates as real dates (dd-mm-yyyy), and text that starts with
= + - @ is stored as text, never as a formula (in a CSV behind an apostrophe, which the CSV reader removes again;
services/csv_cells.py). Long tables report progress and can be cancelled; a cancelled or failed write leaves no
file.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klaten_desktop.domain.formatting import format_date_numeric
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report
from klaten_desktop.services.csv_cells import excel_cell, machine_cell
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.files import new_workbook, write_atomically

PROGRESS_EVERY = 1_000
CANCELLED = "Ekspor dibatalkan; berkas tidak dibuat."


def _guess_kind(value: object) -> str:
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "number"
    return "text"


def write_table(
    out_path: Path | str,
    headers: Sequence[str],
    rows: Any,
    *,
    kinds: Sequence[str] | None = None,
    total: int = 0,
    sheet: str = "Pengurus RT RW",
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    csv_for_excel: bool = False,
) -> int:
    """Write any table (a table view's headers and rows) to .xlsx or .csv, atomically.

    ``kinds`` says per column "text", "number" or "date"; without it each cell is written by its Python type.
    ``csv_for_excel``: a .csv to be opened in a spreadsheet ("CSV untuk Excel"), else one for programs.
    """
    path = Path(out_path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError("Nama berkas ekspor harus berakhiran .xlsx atau .csv.")
    writer = _write_csv if suffix == ".csv" else _write_xlsx
    table = _Table(headers, rows, kinds, total, sheet, progress, cancelled, csv_for_excel)
    # lists of people hold NIKs: readable by the owner only (POSIX)
    return write_atomically(path, lambda temp: writer(temp, table), private=True)


@dataclass(frozen=True)
class _Table:
    """What both writers are given: the table, its sheet name, and the long-work callbacks."""

    headers: Sequence[str]
    rows: Any
    kinds: Sequence[str] | None
    total: int
    sheet: str
    progress: Progress | None
    cancelled: CancelCheck | None
    csv_for_excel: bool = False

    def written(self, n: int) -> None:
        """After row ``n``: every PROGRESS_EVERY rows, stop if cancelled, else report."""
        if n % PROGRESS_EVERY == 0:
            check(self.cancelled, CANCELLED)  # out of write_atomically: no file is left
            report(self.progress, n, self.total)

    def finished(self, n: int) -> int:
        """The last report (the real count when ``total`` was a guess); returns ``n``."""
        report(self.progress, n, max(self.total, n))
        return n


# A date is stored in xlsx as its day number (serial) under a date format. From 1 March 1900 on (before it, Excel
# counts a 29 February 1900 that never was, and xlsxwriter's write_datetime handles that) the serial is the days
# since 30 December 1899: written as a number it is the same cell write_datetime writes, without its conversion.
_SERIAL_FROM = dt.date(1900, 3, 1)
_SERIAL_ZERO = dt.date(1899, 12, 30).toordinal()


def _cell_writers(ws: Any) -> tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]:
    """The sheet's write_string, write_number and write_datetime for (row, column) cells. xlsxwriter's public ones
    first test whether the row is an A1 reference (``convert_cell_args``) and then call an undecorated twin with
    the same arguments: the twins are taken when present (one call and one test less per cell, about 5% of a
    large export), the public ones otherwise."""

    def pick(name: str) -> Callable[..., Any]:
        writer: Callable[..., Any] = getattr(ws, "_" + name, None) or getattr(ws, name)
        return writer

    return pick("write_string"), pick("write_number"), pick("write_datetime")


def _write_xlsx(path: Path, table: _Table) -> int:
    """The table as one xlsx sheet: a bold frozen header, text/number/date cells, an autofilter."""
    headers, kinds = table.headers, table.kinds
    wb: Any = new_workbook(path, constant_memory=True)  # its temporary row file is removed by write_atomically
    ws = wb.add_worksheet(table.sheet[:31])
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": 49})
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    for c, label in enumerate(headers):
        ws.write_string(0, c, label, head)
        ws.set_column(c, c, max(10, min(40, len(label) + 4)), text if kinds and kinds[c] == "text" else None)
    ws.freeze_panes(1, 0)
    write_string, write_number, write_datetime = _cell_writers(ws)
    n = 0
    for n, values in enumerate(table.rows, start=1):
        for c, value in enumerate(values):
            if not value and (value is None or value == ""):  # most cells are truthy: one test for them
                continue
            kind = kinds[c] if kinds else _guess_kind(value)
            if kind == "text":
                write_string(n, c, value if value.__class__ is str else str(value), text)
            elif kind == "date" and isinstance(value, dt.date):
                if value.__class__ is dt.date and value >= _SERIAL_FROM:
                    write_number(n, c, value.toordinal() - _SERIAL_ZERO, date)  # what write_datetime stores
                else:
                    d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                    write_datetime(n, c, d, date)
            elif kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
                write_number(n, c, value)
            else:
                write_string(n, c, str(value), text)
        table.written(n)
    ws.autofilter(0, 0, max(n, 1), max(len(headers) - 1, 0))
    wb.close()
    return table.finished(n)


def _csv_text(value: object, for_excel: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date_numeric(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return excel_cell(str(value)) if for_excel else machine_cell(str(value))


def _write_csv(path: Path, table: _Table) -> int:
    """The table as semicolon CSV in UTF-8 with a BOM (Excel's CSV where the decimal mark is a comma); for Excel
    every text cell as ``="..."`` (services/csv_cells.py)."""
    n = 0
    excel = table.csv_for_excel
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        out.writerow([_csv_text(h, False) for h in table.headers])  # headings stay plain text
        for n, values in enumerate(table.rows, start=1):
            out.writerow([_csv_text(v, excel) for v in values])
            table.written(n)
    return table.finished(n)
