"""Read a desa spreadsheet (.xlsx/.xls/.ods with python-calamine, or .csv) into raw rows with sheet row numbers."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.services.csv_cells import read_cell
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message
from klaten_desktop.services.imports.bulk import gc_paused
from klaten_desktop.services.imports.cells import holds_nik_attempt, is_blank, is_blank_row
from klaten_desktop.services.imports.columns import HEADER_SCAN_ROWS, HeaderGuess, find_header

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

Cell = object
Rows = tuple[tuple[Cell, ...], ...]
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_CONTAINERS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # zip (xlsx, ods) and OLE (xls) by their first bytes


@dataclass(frozen=True)
class ReadLimits:
    """How big a file an import reads: past either limit the file is refused before its rows are read, so the
    memory an import takes stops growing with the file (docs/import-format.md states them)."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 200_000  # data rows, under a header within the first HEADER_SCAN_ROWS rows

    @property
    def max_sheet_rows(self) -> int:
        return self.max_rows + HEADER_SCAN_ROWS


LIMITS = ReadLimits()


def _too_many_rows(name: str, limits: ReadLimits) -> UserError:
    most = format_number(limits.max_rows)
    return UserError(
        f"Berkas {name} berisi lebih dari {most} baris data; paling banyak {most} baris dapat diimpor sekaligus. "
        "Pecah daftarnya menjadi beberapa berkas (misalnya satu berkas per desa), lalu impor satu per satu."
    )


@dataclass(frozen=True)
class RawTable:
    """The cells of one sheet as read, row ``i`` being sheet row ``i + 1`` (Excel's numbering)."""

    source: str  # file name, for messages
    sheet: str
    rows: Rows
    other_sheets: tuple[str, ...] = ()  # other visible sheets that also hold a table with data, not read

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def sheet_row(self, index: int) -> int:
        return index + 1


def read_workbook(path: Path | str, *, sheet: str | None = None, limits: ReadLimits = LIMITS) -> RawTable:
    """Read the sheet that holds the officials' table (the visible sheet whose table has the most rows), or
    the sheet named ``sheet``. ``RawTable.other_sheets`` names the other sheets that hold a table.

    Raises :class:`UserError` when the file is not a spreadsheet we can read or is past ``limits``,
    :class:`EnvironmentProblem` when it is locked or missing.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"Berkas {path.name} tidak ditemukan.")
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise UserError(
                f"Berkas {path.name} terlalu besar ({size / 1024 / 1024:.0f} MB; paling besar "
                f"{limits.max_bytes / 1024 / 1024:.0f} MB). Pecah daftarnya menjadi beberapa berkas (misalnya satu "
                "berkas per desa), lalu impor satu per satu."
            )
        with gc_paused():
            if suffix == ".csv" or suffix == ".txt":
                return _read_csv(path, limits)
            if suffix in SPREADSHEET_SUFFIXES:
                return _read_spreadsheet(path, sheet, limits)
    except FileNotFoundError:
        raise UserError(f"Berkas {path.name} tidak ditemukan.") from None
    except OSError as exc:
        message = environment_message(exc)
        if message is None:
            raise UserError(f"Berkas {path.name} tidak dapat dibaca: {exc.strerror or exc}.") from exc
        raise EnvironmentProblem(message) from exc
    raise UserError(f"Berkas {path.name} bukan lembar kerja yang dikenal. Gunakan berkas .xlsx atau .csv.")


@dataclass(frozen=True)
class _Sheet:
    name: str
    sheet: CalamineSheet
    rows: Rows
    guess: HeaderGuess | None

    def table_size(self) -> tuple[int, int, int]:
        """(person rows, rows with a NIK attempt, named columns) of the table under the header.

        A person row holds a NIK attempt or a name: a list whose NIKs are still missing beats a Petunjuk or
        Contoh sheet's one example, and between equals the rows with NIKs decide. Without a NIK or Nama
        column, a row with two filled columns counts (a note under the table has one)."""
        if self.guess is None:
            return 0, 0, 0
        fields, rows = self.guess.fields, self.rows[self.guess.data_start :]
        columns = [i for i, f in enumerate(fields) if f is not None]
        nik = fields.index("nik") if "nik" in fields else None
        nama = fields.index("nama") if "nama" in fields else None
        if nik is None and nama is None:
            count = sum(1 for r in rows if sum(1 for i in columns if i < len(r) and not is_blank(r[i])) >= 2)
            return count, count, len(columns)
        niks = persons = 0
        for r in rows:
            has_nik = nik is not None and nik < len(r) and holds_nik_attempt(r[nik])
            niks += has_nik
            persons += has_nik or (nama is not None and nama < len(r) and not is_blank(r[nama]))
        return persons, niks, len(columns)


def _read_spreadsheet(path: Path, wanted: str | None, limits: ReadLimits) -> RawTable:
    from python_calamine import CalamineError, PasswordError

    try:
        book = _open_book(path)
        chosen, others = _choose_sheet(path, book, wanted, limits)
    except PasswordError as exc:
        raise UserError(
            f"Berkas {path.name} dilindungi kata sandi sehingga tidak dapat dibaca. "
            "Buka di Excel dengan kata sandinya, simpan ulang tanpa kata sandi, lalu impor lagi."
        ) from exc
    except (CalamineError, ValueError, TypeError) as exc:
        raise UserError(
            f"Berkas {path.name} rusak atau bukan lembar kerja Excel yang sah. "
            "Buka di Excel lalu simpan ulang sebagai .xlsx."
        ) from exc
    rows = chosen.rows
    if chosen.guess is not None:
        rows = _fill_vertical_merges(rows, chosen.sheet.merged_cell_ranges or (), chosen.guess.data_start)
    return RawTable(path.name, chosen.name, rows, others)


def _open_book(path: Path) -> CalamineWorkbook:
    """Open by the file name's extension; a file whose content is the other Excel format (an .xlsx renamed
    .xls) is opened by its content, as Excel does."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise
    except CalamineError:
        data = path.read_bytes()
        if not data.startswith(_CONTAINERS):
            raise
        return CalamineWorkbook.from_filelike(io.BytesIO(data))


def _choose_sheet(
    path: Path, book: CalamineWorkbook, wanted: str | None, limits: ReadLimits
) -> tuple[_Sheet, tuple[str, ...]]:
    """The visible sheet whose table has the most data rows (or the sheet named ``wanted``), and the other
    visible sheets holding a table.

    Hidden sheets (old lists, lookup tables) are read only when no visible sheet holds anything, or by name.
    """
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    def load(index: int, name: str) -> _Sheet:
        sheet = book.get_sheet_by_index(index)
        # the sheet's last row holding a value, known before any cell becomes a Python object: a sheet past the
        # limit is refused without converting its rows
        if sheet.start is not None and sheet.start[0] + sheet.height > limits.max_sheet_rows:
            raise _too_many_rows(path.name, limits)
        data = sheet.to_python(skip_empty_area=False)
        rows = tuple([tuple([None if c == "" else c for c in row]) for row in data])
        return _Sheet(name, sheet, rows, find_header(rows))

    worksheets = [(i, m) for i, m in enumerate(book.sheets_metadata) if m.typ == SheetTypeEnum.WorkSheet]
    visible = [(i, m.name) for i, m in worksheets if m.visible == SheetVisibleEnum.Visible]
    if wanted is not None:
        index = next((i for i, m in worksheets if m.name == wanted), None)
        if index is None:
            names = ", ".join(f"\u201c{m.name}\u201d" for _i, m in worksheets)
            raise UserError(f"Lembar \u201c{wanted}\u201d tidak ada di berkas {path.name}. Lembar yang ada: {names}.")
        others = [s for s in (load(i, n) for i, n in visible if i != index) if s.guess is not None]
        return load(index, wanted), tuple(s.name for s in others if s.table_size()[1] > 0)
    hidden = [(i, m.name) for i, m in worksheets if m.visible != SheetVisibleEnum.Visible]
    with_data = [s for s in (load(i, n) for i, n in visible) if not all(map(is_blank_row, s.rows))]
    if not with_data:
        with_data = [s for s in (load(i, n) for i, n in hidden) if not all(map(is_blank_row, s.rows))]
    tables = [s for s in with_data if s.guess is not None]
    if len(tables) <= 1:  # the common case: one table, nothing to count
        if tables or with_data:
            return (tables or with_data)[0], ()
        raise UserError(f"Berkas {path.name} tidak berisi data.")
    sizes = [s.table_size() for s in tables]
    best = max(range(len(tables)), key=sizes.__getitem__)  # most persons, then NIKs, then columns, then first
    # named: the other lists with NIKs in them (an example "3310xxxxxxxxxxxx" is none)
    return tables[best], tuple(s.name for i, s in enumerate(tables) if i != best and sizes[i][1] > 0)


Merge = tuple[tuple[int, int], tuple[int, int]]


def _fill_vertical_merges(rows: Rows, merges: Sequence[Merge], data_start: int) -> Rows:
    """Give every row of a vertical merge in the data area the value Excel shows there (calamine gives it only
    in the merge's top cell). Merges in or above the header (titles, two-level headers) stay as they are."""
    spans = [m for m in merges if m[0][0] >= data_start and m[1][0] > m[0][0] and m[0][0] < len(rows)]
    if not spans:
        return rows
    filled = [list(r) for r in rows[data_start:]]
    for (top, col), (bottom, _) in spans:
        value = rows[top][col] if col < len(rows[top]) else None
        if value is None:
            continue
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            cells = filled[r - data_start]
            if col < len(cells) and cells[col] is None:
                cells[col] = value
    return rows[:data_start] + tuple(tuple(r) for r in filled)


def _csv_rows(reader: Iterator[list[str]], name: str, limits: ReadLimits) -> Iterator[tuple[Cell, ...]]:
    """The rows of a CSV file, refused once a row with content lies past the limit (blank ones are skipped)."""
    for count, row in enumerate(reader):
        cells = tuple(None if not c.strip() else read_cell(c) for c in row)
        if count >= limits.max_sheet_rows:
            if not is_blank_row(cells):
                raise _too_many_rows(name, limits)
            continue
        yield cells


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_DELIMITERS = (";", ",", "\t")
_SEP_LINE = re.compile(r"sep=([^\r\n])[ \t]*(?:\r\n|\r|\n|$)", re.IGNORECASE)


def _delimiter(text: str) -> str:
    """The delimiter under which a recognised header names the most columns; else the most frequent one."""
    lines = [line for line in text.splitlines()[:40] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in _DELIMITERS}
    by_count = sorted(_DELIMITERS, key=lambda d: -counts[d])  # stable: ';' first among equals
    sample = "\n".join(lines)
    best, best_mapped = by_count[0] if counts[by_count[0]] > 0 else ";", 0
    for d in by_count:
        try:
            guess = find_header(list(csv.reader(io.StringIO(sample), delimiter=d)))
        except csv.Error:
            continue
        mapped = sum(1 for f in guess.fields if f is not None) if guess is not None else 0
        if mapped > best_mapped:
            best, best_mapped = d, mapped
    return best


def _read_csv(path: Path, limits: ReadLimits) -> RawTable:
    text = _decode(path.read_bytes())
    if "\x00" in text:
        raise UserError(f"Berkas {path.name} bukan berkas CSV teks.")
    sep = _SEP_LINE.match(text)  # Excel's "sep=;" line: it sets the delimiter and Excel does not show it
    if sep is not None:
        text = text[sep.end() :]
    delimiter = sep.group(1) if sep is not None else _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = tuple(_csv_rows(reader, path.name, limits))
    except csv.Error as exc:
        raise UserError(
            f"Berkas {path.name} tidak dapat dibaca sebagai CSV. Buka di Excel lalu simpan ulang sebagai .xlsx."
        ) from exc
    if not any(not is_blank_row(r) for r in rows):
        raise UserError(f"Berkas {path.name} tidak berisi data.")
    return RawTable(path.name, "", rows)
