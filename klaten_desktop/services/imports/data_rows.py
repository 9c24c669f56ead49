"""Which rows under the header hold data: the first step of the dry run (see :func:`data_rows`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from klaten_desktop.services.imports.cells import (
    holds_nik_attempt,
    is_blank,
    is_blank_row,
    is_footer_row,
    is_total_row,
    parse_jabatan,
)
from klaten_desktop.services.imports.columns import PERSON_FIELDS, is_column_number_row, is_header_like, same_columns
from klaten_desktop.services.imports.header import ColumnMapping
from klaten_desktop.services.imports.parsing import parse_rt_number, parse_rt_rw_pair
from klaten_desktop.services.imports.reader import RawTable

FOOTER_MAX_CELLS = 3


class DataRows(NamedTuple):
    """The data rows of a sheet, and where a second table with other columns starts."""

    indexes: list[int]  # into RawTable.rows
    other_header: int | None  # a second header with other columns: the rows under it cannot be read


def data_rows(table: RawTable, mapping: ColumnMapping) -> DataRows:
    """Indexes of the rows under the header that hold data (no blanks, column numbers, totals, signatures).

    A row whose NIK cell holds a NIK attempt (right or wrong) is a data row. A row with none of the person's
    fields filled (only No, desa, RT/RW, jabatan or SK: a prepared row still empty) is not. Any other row is
    one too, so that a row without a NIK is reported rather than dropped, unless it repeats the header (a list
    printed page by page and pasted together), is a line of column numbers, starts with "Jumlah", or is a
    signature line ("Mengetahui,", "Kepala Desa ...", "Sengon, 20 November 2026": a few cells, one of them
    such a word). After a signature line, the short rows without a NIK attempt (a signer's name, a NIP) are the
    rest of that block; a longer one, or one with a NIK, is a person added at the bottom and is read.
    A header with other columns under the first table starts a second table: its rows are data rows too (they
    are reported, see ``plan.plan_import``), the header itself is not.
    """
    person = [i for i, f in enumerate(mapping.fields) if f in PERSON_FIELDS]
    jabatan = [i for i, f in enumerate(mapping.fields) if f == "jabatan"]
    slots = [(i, _SLOT_PARSERS[f]) for i, f in enumerate(mapping.fields) if f in _SLOT_PARSERS]
    result: list[int] = []
    footer = False
    rows = table.rows
    nik_col = mapping.column_of("nik")
    header = rows[mapping.header_row] if 0 <= mapping.header_row < len(rows) else None
    other_header: int | None = None
    for index in range(mapping.data_start, len(rows)):
        cells = rows[index]
        nik = cells[nik_col] if nik_col is not None and nik_col < len(cells) else None
        if nik is not None and holds_nik_attempt(nik):
            result.append(index)  # the common case, decided at once
            footer = False  # the list goes on (a late addition under a signature)
            continue
        filled = sum(not is_blank(c) for c in cells)
        if filled == 0 or cells == header or is_column_number_row(cells):
            continue
        if is_header_like(cells):
            if header is None or not same_columns(cells, header):  # a header repeated page by page is skipped
                other_header = index if other_header is None else other_header
            footer = False
            continue
        few = filled <= FOOTER_MAX_CELLS
        # a row with a jabatan in its column is a person ("Lurah Sutikno", Ketua RT), and so is a short row with
        # an RT or RW number (a signature line has none; a total's counts do fill those columns)
        post = _reads_any(cells, [(i, parse_jabatan) for i in jabatan])
        if is_total_row(cells) and not post:
            continue  # a total or a subtotal ("Jumlah Dusun Krajan"): the list may go on below it
        if few and is_footer_row(cells) and not (post or _reads_any(cells, slots)):
            footer = True
            continue
        if (footer and few) or is_blank_row([cells[i] for i in person if i < len(cells)]):
            continue  # the rest of a signature block (a name, a NIP), or a prepared row with no one in it
        result.append(index)
    return DataRows(result, other_header)


def _rt_rw_of(cell: object) -> object:
    rt, rw = parse_rt_rw_pair(cell if isinstance(cell, str) else None)
    return rt if rt is not None else rw


_SLOT_PARSERS: dict[str, Callable[[object], object]] = {
    "rt": parse_rt_number,
    "rw": parse_rt_number,
    "rt_rw": _rt_rw_of,
}


def _reads_any(cells: Sequence[object], columns: Sequence[tuple[int, Callable[[object], object]]]) -> bool:
    """True when one of ``columns`` holds a value its parser reads (a jabatan, an RT or RW number)."""
    for i, parse in columns:
        if i < len(cells) and not is_blank(cells[i]):
            try:
                if parse(cells[i]) is not None:
                    return True
            except ValueError:
                continue
    return False
