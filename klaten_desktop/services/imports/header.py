"""The column mapping: which column of the sheet holds which field, found from the header row."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports.columns import (
    FIELD_LABELS,
    HEADER_SCAN_ROWS,
    find_header,
    guess_from_header_row,
    header_key,
)
from klaten_desktop.services.imports.reader import RawTable


@dataclass(frozen=True)
class ColumnMapping:
    """``fields[i]`` is the field of column ``i`` (None = ignored); ``labels[i]`` what the sheet calls it."""

    header_row: int  # index into RawTable.rows
    data_start: int
    labels: tuple[str, ...]
    fields: tuple[str | None, ...]
    remembered: bool = False  # True when it came from a mapping the user corrected earlier

    @property
    def shape(self) -> str:
        """A key for "a file of the same shape": the squashed header labels."""
        text = "|".join(header_key(label) for label in self.labels)
        return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]

    def column_of(self, field: str) -> int | None:
        try:
            return self.fields.index(field)
        except ValueError:
            return None

    def has(self, field: str) -> bool:
        return field in self.fields

    def with_field(self, column: int, field: str | None) -> ColumnMapping:
        """The mapping with ``column`` set to ``field`` (any other column holding that field is cleared)."""
        if field is not None and field not in FIELD_LABELS:
            raise UserError(f"Isian {field!r} tidak dikenal.")
        if not 0 <= column < len(self.fields):
            raise UserError(f"Kolom {column + 1} tidak ada pada lembar kerja.")
        fields = [None if (field is not None and f == field) else f for f in self.fields]
        fields[column] = field
        return replace(self, fields=tuple(fields), remembered=False)

    def describe(self) -> list[tuple[int, str, str | None]]:
        """(column index, sheet label, field label or None) for showing the mapping."""
        return [
            (i, label, FIELD_LABELS[f] if f is not None else None)
            for i, (label, f) in enumerate(zip(self.labels, self.fields, strict=True))
        ]

    def missing(self, *, desa_chosen: bool) -> list[str]:
        """Indonesian names of the columns without which nothing can be imported."""
        result = []
        if not self.has("nik"):
            result.append("NIK")
        if not self.has("nama"):
            result.append("Nama")
        if not desa_chosen and not self.has("desa") and not self.has("kode_desa"):
            result.append("Desa (atau pilih satu desa untuk seluruh berkas)")
        return result


def _padded(
    table: RawTable, fields: tuple[str | None, ...], labels: tuple[str, ...]
) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
    width = max(table.width, len(fields))
    return fields + (None,) * (width - len(fields)), labels + ("",) * (width - len(labels))


def detect_mapping(table: RawTable) -> ColumnMapping:
    """Find the header row and map its columns by synonyms; :class:`UserError` when there is no header."""
    guess = find_header(table.rows)
    if guess is None:
        raise UserError(
            f"Baris judul kolom tidak ditemukan di {HEADER_SCAN_ROWS} baris pertama {table.source}. "
            "Pastikan ada baris berisi judul kolom seperti NIK dan Nama."
        )
    fields, labels = _padded(table, guess.fields, guess.labels)
    return ColumnMapping(guess.header_row, guess.data_start, labels, fields)


NO_HEADER = -1  # a sheet without a header row: the data starts on the first row, every column is chosen by hand


def mapping_from_header_row(table: RawTable, header_row: int) -> ColumnMapping:
    """The user says which row is the header (``NO_HEADER``: none); columns are matched again from that row."""
    if header_row == NO_HEADER:
        width = table.width
        return ColumnMapping(NO_HEADER, 0, ("",) * width, (None,) * width)
    if not 0 <= header_row < len(table.rows):
        raise UserError(f"Baris {header_row + 1} tidak ada pada lembar kerja.")
    guess = guess_from_header_row(table.rows, header_row)
    fields, labels = _padded(table, guess.fields, guess.labels)
    return ColumnMapping(guess.header_row, guess.data_start, labels, fields)
