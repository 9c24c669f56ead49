"""Read a desa spreadsheet (.xlsx/.xls/.ods with python-calamine, or .csv) into raw rows with sheet row numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from klaten_desktop.domain.import_rules import find_header, is_blank_row
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message
from klaten_desktop.services.imports.bulk import gc_paused

Cell = object
T = TypeVar("T")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass(frozen=True)
class RawTable:
    """The cells of one sheet as read, row ``i`` being sheet row ``i + 1`` (Excel's numbering)."""

    source: str  # file name, for messages
    sheet: str
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def sheet_row(self, index: int) -> int:
        return index + 1


def read_workbook(path: Path | str) -> RawTable:
    """Read the sheet that holds the officials' table (the first sheet with a recognisable header).

    Raises :class:`UserError` when the file is not a spreadsheet we can read, :class:`EnvironmentProblem`
    when it is locked or missing.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"Berkas {path.name} tidak ditemukan.")
    try:
        with gc_paused():
            if suffix == ".csv" or suffix == ".txt":
                return _read_csv(path)
            if suffix in SPREADSHEET_SUFFIXES:
                return _read_spreadsheet(path)
    except FileNotFoundError:
        raise UserError(f"Berkas {path.name} tidak ditemukan.") from None
    except OSError as exc:
        message = environment_message(exc)
        if message is None:
            raise UserError(f"Berkas {path.name} tidak dapat dibaca: {exc.strerror or exc}.") from exc
        raise EnvironmentProblem(message) from exc
    raise UserError(f"Berkas {path.name} bukan lembar kerja yang dikenal. Gunakan berkas .xlsx atau .csv.")


def _read_spreadsheet(path: Path) -> RawTable:
    from python_calamine import CalamineError, CalamineWorkbook

    def read(what: Callable[[], T]) -> T:
        try:
            return what()
        except CalamineError as exc:
            raise UserError(
                f"Berkas {path.name} rusak atau bukan lembar kerja Excel yang sah ({exc}). "
                "Buka di Excel lalu simpan ulang sebagai .xlsx."
            ) from exc
        except (ValueError, TypeError) as exc:
            raise UserError(f"Berkas {path.name} tidak dapat dibaca sebagai lembar kerja ({exc}).") from exc

    def sheet(index: int) -> tuple[tuple[Cell, ...], ...]:
        data = book.get_sheet_by_index(index).to_python(skip_empty_area=False)
        return tuple([tuple([None if c == "" else c for c in row]) for row in data])

    book = read(lambda: CalamineWorkbook.from_path(str(path)))
    # sheets are read one at a time and only until one holds the header: the officials are nearly always on
    # the first sheet, and a template's Petunjuk sheet need not be read at all
    first_with_data: RawTable | None = None
    for index, name in enumerate(read(lambda: book.sheet_names)):
        rows = read(partial(sheet, index))
        if find_header(rows) is not None:
            return RawTable(path.name, name, rows)
        if first_with_data is None and any(not is_blank_row(r) for r in rows):
            first_with_data = RawTable(path.name, name, rows)
    if first_with_data is not None:
        return first_with_data
    raise UserError(f"Berkas {path.name} tidak berisi data.")


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    sample = [line for line in text.splitlines()[:40] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


def _read_csv(path: Path) -> RawTable:
    text = _decode(path.read_bytes())
    if "\x00" in text:
        raise UserError(f"Berkas {path.name} bukan berkas CSV teks.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        rows = tuple(tuple(None if not c.strip() else c for c in row) for row in reader)
    except csv.Error as exc:
        raise UserError(f"Berkas {path.name} tidak dapat dibaca sebagai CSV ({exc}).") from exc
    if not any(not is_blank_row(r) for r in rows):
        raise UserError(f"Berkas {path.name} tidak berisi data.")
    return RawTable(path.name, "", rows)
