"""Helpers to build messy desa workbooks inside the tests (synthetic people only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

Cell = object
Merge = tuple[int, int, int, int, str]


def write_xlsx(
    path: Path, rows: Sequence[Sequence[Cell]], *, merges: Sequence[Merge] = (), sheet: str = "Sheet1"
) -> Path:
    """Write ``rows`` cell by cell with their Python types: str as text, numbers as numbers, dates as dates."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet)
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for first_row, first_col, last_row, last_col, text in merges:
        ws.merge_range(first_row, first_col, last_row, last_col, text)
    merged_cells = {(m[0], m[1]) for m in merges}
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value is None or (r, c) in merged_cells:
                continue
            if isinstance(value, dt.date):
                d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
                ws.write_datetime(r, c, d, date_fmt)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[str | None]], *, encoding: str, delimiter: str = ";") -> Path:
    text = "\r\n".join(delimiter.join("" if v is None else v for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(rows: Sequence[Sequence[Cell]], *, merges: Sequence[Merge] = (), name: str | None = None) -> Path:
        return write_xlsx(tmp_path / (name or f"desa{next(counter)}.xlsx"), rows, merges=merges)

    return make


def nik(day: int, month: int, year: int, serial: int = 1, *, kec: str = "331001", female: bool = False) -> str:
    """A synthetic but well-formed NIK."""
    return f"{kec}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"


@pytest.fixture
def make_nik() -> Callable[..., str]:
    return nik


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Sequence[Sequence[str | None]], *, encoding: str = "utf-8-sig", name: str = "desa.csv") -> Path:
        return write_csv(tmp_path / name, rows, encoding=encoding)

    return make
