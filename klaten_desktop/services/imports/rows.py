"""One spreadsheet row -> normalised values for an official, with the reasons it cannot be used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Wilayah
from klaten_desktop.domain.enums import Sex
from klaten_desktop.domain.nik import looks_like_excel_float, normalize_nik
from klaten_desktop.domain.normalize import normalize_name, normalize_phone
from klaten_desktop.domain.official_rules import email_problem
from klaten_desktop.services.imports.cells import (
    EXCEL_FLOAT_NIK_MESSAGE,
    cell_text,
    desa_code_of,
    kecamatan_code_of,
    parse_jabatan,
    place_key,
    rt_rw_from_date,
    split_desa_cell,
)
from klaten_desktop.services.imports.header import ColumnMapping
from klaten_desktop.services.imports.parsing import (
    is_placeholder,
    parse_date_flexible,
    parse_rt_number,
    parse_rt_rw_pair,
    parse_sex,
    split_place_and_date,
)
from klaten_desktop.services.imports.quick_check import NORMAL_MOBILE


@dataclass(frozen=True)
class DesaDirectory:
    """Desa and kecamatan of Klaten for resolving a code or a name (names only within a kecamatan)."""

    desa_names: Mapping[str, str]  # desa kode -> nama
    kecamatan_names: Mapping[str, str]  # kecamatan kode -> nama
    by_name: Mapping[tuple[str, str], tuple[str, ...]]  # (kecamatan kode, place_key) -> desa kodes
    kecamatan_by_name: Mapping[str, str]  # place_key -> kecamatan kode
    office_kecamatan: str | None  # None for the regency

    @classmethod
    def load(cls, session: Session, office_kecamatan: str | None) -> DesaDirectory:
        desa: dict[str, str] = {}
        kec: dict[str, str] = {}
        by_name: dict[tuple[str, str], list[str]] = {}
        for kode, nama, tingkat, induk in session.execute(
            select(Wilayah.kode, Wilayah.nama, Wilayah.tingkat, Wilayah.kode_induk)
        ):
            if tingkat in ("desa", "kelurahan"):
                desa[kode] = nama
                by_name.setdefault((induk, place_key(nama)), []).append(kode)
            elif tingkat == "kecamatan":
                kec[kode] = nama
        return cls(
            desa,
            kec,
            {k: tuple(v) for k, v in by_name.items()},
            {place_key(n): k for k, n in kec.items()},
            office_kecamatan,
        )

    def label(self, desa_kode: str) -> str:
        return f"Desa {self.desa_names.get(desa_kode, desa_kode)}"

    def _kecamatan(self, text: str) -> str | None:
        code = kecamatan_code_of(text)
        if code is not None:
            return code if code in self.kecamatan_names else None
        return self.kecamatan_by_name.get(place_key(text))

    def resolve(self, desa_cell: object, kode_cell: object, kec_cell: object) -> tuple[str | None, str | None]:
        """(desa kode, None) or (None, Indonesian reason); (None, None) when every cell is blank."""
        for cell in (kode_cell, desa_cell):
            code = desa_code_of(cell)
            if code is not None:
                if code not in self.desa_names:
                    return None, f"Kode desa {code} tidak ada dalam daftar wilayah Kabupaten Klaten."
                named = cell_text(desa_cell) if cell is kode_cell else None
                if named is not None and desa_code_of(desa_cell) is None:
                    name = split_desa_cell(named)[0]
                    if code not in self.by_name.get((code[:8], place_key(name)), (code,)):
                        return None, (
                            f"Kode desa {code} ({self.desa_names[code]}) tidak cocok dengan nama desa {name!r} di "
                            "baris ini. Periksa mana yang benar (kode yang ikut bertambah saat disalin ke bawah?)."
                        )
                return code, None
        text = cell_text(desa_cell)
        if text is None:
            return None, None
        name, kec_text = split_desa_cell(text)
        kec_text = kec_text or cell_text(kec_cell)
        if kec_text is not None:
            kec = self._kecamatan(kec_text)
            if kec is None:
                return None, f"Kecamatan {kec_text!r} tidak dikenal di Kabupaten Klaten."
        elif self.office_kecamatan is not None:
            kec = self.office_kecamatan
        else:
            return self._resolve_in_regency(name)
        codes = self.by_name.get((kec, place_key(name)), ())
        if len(codes) == 1:
            return codes[0], None
        kec_name = self.kecamatan_names.get(kec, kec)
        if not codes:
            return None, f"Desa {name!r} tidak ada di Kecamatan {kec_name}. Periksa ejaan atau isi kode desa."
        return None, f"Nama desa {name!r} ada lebih dari satu di Kecamatan {kec_name}; isi kode desa."

    def _resolve_in_regency(self, name: str) -> tuple[str | None, str | None]:
        """A desa name with no kecamatan, at the regency: taken when only one desa of Klaten has it."""
        key = place_key(name)
        codes = [code for (_kec, desa), found in self.by_name.items() if desa == key for code in found]
        if len(codes) == 1:
            return codes[0], None
        if not codes:
            return None, f"Desa {name!r} tidak ada di Kabupaten Klaten. Periksa ejaan atau isi kode desa."
        places = " dan ".join(sorted({self.kecamatan_names.get(c[:8], c[:8]) for c in codes}))
        return None, (f"Desa {name!r} ada lebih dari satu (di Kecamatan {places}): isi kolom Kecamatan atau kode desa.")


@dataclass(frozen=True)
class ParsedRow:
    """What one row says, normalised; ``values`` holds only the fields that were filled in."""

    index: int  # index into RawTable.rows
    sheet_row: int  # the row number Excel shows
    values: Mapping[str, Any]
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    failed: frozenset[str] = frozenset()  # the fields whose cells could not be read (they gave ``errors``)

    @property
    def nik(self) -> str:
        return str(self.values.get("nik") or "")


def _clean(value: object) -> str | None:
    return cell_text(value)


def _nama(value: object) -> str | None:
    return normalize_name(cell_text(value) or "") or None


def _sex(value: object) -> object:
    return parse_sex(cell_text(value))


def _rt(value: object) -> int | None:
    return parse_rt_number(value, "RT")


def _rw(value: object) -> int | None:
    return parse_rt_number(value, "RW")


def _phone(value: object) -> str | None:
    if type(value) is str and NORMAL_MOBILE.fullmatch(value):
        return value  # already as normalize_phone writes it (the common case)
    if value is None or isinstance(value, str | int | float):
        return normalize_phone(value)
    raise ValueError(f"Nomor telepon {cell_text(value)!r} tidak valid.")


def _email(value: object) -> str | None:
    text = cell_text(value)
    problem = email_problem(text) if text is not None else None
    if problem is not None:
        raise ValueError(problem)
    return text


#: Optional contact fields: a value that cannot be used is left out with a warning; the person is imported.
_DROPPED_WITH_WARNING = {"telepon": "nomor HP", "email": "email"}


class _NoValue:
    """What a cell parses to when it gives no value: blank (``message`` None) or a parser's ``ValueError``
    (its message), kept so an equal cell is not parsed again."""

    __slots__ = ("message",)

    def __init__(self, message: str | None) -> None:
        self.message = message


_BLANK = _NoValue(None)
MEMO_SIZE = 4096  # distinct values kept per column (names and numbers mostly differ from row to row)


def _parse_cell(parse: Callable[[object], object], raw: object) -> object:
    """``parse(raw)``, or ``_BLANK`` for a blank cell ("-" too) or a None result, or a ``_NoValue`` for a
    ValueError."""
    if type(raw) is str and is_placeholder(raw):
        return _BLANK
    try:
        parsed = parse(raw)
    except ValueError as exc:
        return _NoValue(str(exc))
    return _BLANK if parsed is None else parsed


def _unblank(value: object) -> object:
    """None for a blank cell (None, only spaces, or a placeholder such as "-"), else the value."""
    return None if type(value) is str and is_placeholder(value) else value


def _ticked(value: object) -> bool:
    return value is not None and value is not False and value != 0 and not (type(value) is str and value.strip() == "0")


def _new_parsed_row(
    index: int,
    sheet_row: int,
    values: dict[str, Any],
    errors: tuple[str, ...],
    warnings: tuple[str, ...],
    failed: frozenset[str] = frozenset(),
) -> ParsedRow:
    """``ParsedRow(...)`` without the frozen dataclass's guarded attribute sets (13,000 rows)."""
    row: ParsedRow = _new_object(ParsedRow)
    fields = {
        "index": index,
        "sheet_row": sheet_row,
        "values": values,
        "errors": errors,
        "warnings": warnings,
        "failed": failed,
    }
    _set_attribute(row, "__dict__", fields)
    return row


_new_object = object.__new__
_set_attribute = object.__setattr__
_NONE_FAILED: frozenset[str] = frozenset()


class _Column(NamedTuple):
    """A simple column: its field, index and parser, and the results kept per distinct text and number."""

    field: str
    column: int
    parse: Callable[[object], object]
    texts: dict[str, object]
    numbers: dict[float, object]
    dates: bool  # the parser reads dates (a date cell is its own value)


class RowParser:
    """Parses the rows of one sheet; the column lookups are worked out once, not per row.

    Each column's parser runs once per distinct text or number: a desa list repeats its jabatan, sex, RT and
    RW, place and desa thousands of times. The parsers are pure, so a kept result is the result. Texts and
    numbers are kept apart (1.0 and "1" may read differently); 0.0 is not kept, as -0.0 equals it but a
    message would show "-0.0".
    """

    def __init__(
        self, mapping: ColumnMapping, directory: DesaDirectory, *, desa_kode: str | None, today: dt.date
    ) -> None:
        if desa_kode is not None and directory.office_kecamatan is None:
            # the regency chose one desa for the file: desa names are looked up in that desa's kecamatan
            directory = replace(directory, office_kecamatan=desa_kode[:8])
        self.directory = directory
        self.desa_kode = desa_kode
        self.today = today

        def date(value: object) -> dt.date | None:
            return parse_date_flexible(value, today=today)

        parsers: dict[str, Callable[[object], object]] = {
            "nama": _nama,
            "tempat_lahir": _clean,
            "tanggal_lahir": date,
            "term_start": date,
            "term_end": date,
            "sk_tanggal": date,
            "jenis_kelamin": _sex,
            "alamat": _clean,
            "sk_nomor": _clean,
            "jabatan": parse_jabatan,
            "telepon": _phone,
            "email": _email,
            "nama_ibu_kandung": _nama,
            "rt": _rt,
            "rw": _rw,
        }
        col = {f: i for i, f in enumerate(mapping.fields) if f is not None}
        self.col = col
        self._resolved: dict[tuple[object, ...], tuple[str | None, str | None]] = {}
        # the order matters: "tempat_lahir" after "ttl" and "rt"/"rw" after "rt_rw" so separate columns win
        self.simple: list[_Column] = [
            _Column(f, col[f], parsers[f], {}, {}, parsers[f] is date) for f in parsers if f in col
        ]
        self._nik_col = col.get("nik")
        self._desa_cols = (col.get("desa"), col.get("kode_desa"), col.get("kecamatan"))
        self._has_ttl = "ttl" in col
        self._has_rt_rw = "rt_rw" in col
        self._has_ticks = "sex_l" in col or "sex_p" in col
        self._has_combined = self._has_ttl or self._has_ticks or self._has_rt_rw

    def _get(self, cells: Sequence[object], field: str) -> object:
        i = self.col.get(field)
        if i is None or i >= len(cells):
            return None
        value = cells[i]
        if value is None or (type(value) is str and is_placeholder(value)):
            return None
        return value

    def parse(self, cells: Sequence[object], index: int) -> ParsedRow:
        """Normalise one row. Only ``ValueError`` from the parsers is expected; it becomes a reason.

        The steps: the NIK, the cells that hold two fields (place and date of birth, L/P ticks, RT/RW), the
        one-field columns, then the desa. The one-field columns are read here, not in a helper: this loop runs
        for every cell of 13,000 rows.
        """
        values: dict[str, Any] = {}
        errors: list[str] = []
        warnings: list[str] = []
        failed: set[str] = set()
        n = len(cells)

        i = self._nik_col
        raw_nik = None if i is None or i >= n else cells[i]
        if type(raw_nik) is str and is_placeholder(raw_nik):
            raw_nik = None
        if type(raw_nik) is str and raw_nik.isdigit() and raw_nik.isascii():
            values["nik"] = raw_nik  # digits only: what normalize_nik returns (the common case)
        elif raw_nik is not None:
            if isinstance(raw_nik, int | float) or looks_like_excel_float(raw_nik):
                errors.append(EXCEL_FLOAT_NIK_MESSAGE)
                failed.add("nik")
            else:
                values["nik"] = normalize_nik(str(raw_nik))
        if self._has_combined:
            self._read_combined(cells, values, errors, warnings, failed)
        date = dt.date
        for field, i, parse, texts, numbers, dates in self.simple:
            if i >= n:
                continue
            raw = cells[i]
            if raw is None:
                continue
            if type(raw) is str:
                parsed = texts.get(raw)
                if parsed is None:
                    parsed = _parse_cell(parse, raw)
                    if len(texts) < MEMO_SIZE:
                        texts[raw] = parsed
            elif type(raw) is float and raw != 0.0:
                parsed = numbers.get(raw)
                if parsed is None:
                    parsed = _parse_cell(parse, raw)
                    if len(numbers) < MEMO_SIZE:
                        numbers[raw] = parsed
            elif dates and type(raw) is date:
                parsed = raw  # parse_date_flexible returns a date cell as it is
            else:
                parsed = _parse_cell(parse, raw)
            if type(parsed) is _NoValue:
                if parsed.message is not None and field in _DROPPED_WITH_WARNING:
                    warnings.append(f"{parsed.message} Data tetap diimpor; {_DROPPED_WITH_WARNING[field]} dikosongkan.")
                elif parsed.message is not None:
                    errors.append(parsed.message)
                    failed.add(field)
                continue
            values[field] = parsed
        self._read_desa(cells, n, values, errors, failed)
        # most rows have no errors, warnings or failed fields: the empty ones are shared, not built per row
        return _new_parsed_row(
            index,
            index + 1,
            values,
            tuple(errors) if errors else (),
            tuple(warnings) if warnings else (),
            frozenset(failed) if failed else _NONE_FAILED,
        )

    def _read_combined(
        self, cells: Sequence[object], values: dict[str, Any], errors: list[str], warnings: list[str], failed: set[str]
    ) -> None:
        """The cells that hold two fields: "Tempat, tanggal lahir", the L and P tick columns, and RT/RW."""
        get = self._get
        raw_ttl = get(cells, "ttl") if self._has_ttl else None
        if raw_ttl is not None:
            try:
                if isinstance(raw_ttl, str):
                    place, born = split_place_and_date(raw_ttl, today=self.today)
                else:
                    place, born = None, parse_date_flexible(raw_ttl, today=self.today)
            except ValueError as exc:
                errors.append(str(exc))
                failed.add("tanggal_lahir")
            else:
                if place:
                    values["tempat_lahir"] = place
                if born:
                    values["tanggal_lahir"] = born
        if self._has_ticks:
            before = len(errors)
            self._ticked_sex(get(cells, "sex_l"), get(cells, "sex_p"), values, errors)
            if len(errors) > before:
                failed.add("jenis_kelamin")
        raw_pair = get(cells, "rt_rw") if self._has_rt_rw else None
        if raw_pair is not None:
            before = len(errors)
            self._rt_rw(raw_pair, values, errors, warnings)
            if len(errors) > before:
                failed.update(("rt", "rw"))

    def _read_desa(
        self, cells: Sequence[object], n: int, values: dict[str, Any], errors: list[str], failed: set[str]
    ) -> None:
        """The row's desa from its desa, kode desa and kecamatan cells (each distinct set resolved once), checked
        against the desa chosen for the whole file, which is also the desa of a row that names none."""
        directory = self.directory
        d, k, c = self._desa_cols
        desa = cells[d] if d is not None and d < n else None
        kode = cells[k] if k is not None and k < n else None
        kec = cells[c] if c is not None and c < n else None
        # the cells as they are, with their types (True equals 1 but names no desa); blanks are cleared below
        key = (desa, kode, kec, type(desa), type(kode), type(kec))
        try:
            row_desa, reason = self._resolved[key]
        except KeyError:
            row_desa, reason = self._resolved[key] = directory.resolve(_unblank(desa), _unblank(kode), _unblank(kec))
        except TypeError:  # an unhashable cell value
            row_desa, reason = directory.resolve(_unblank(desa), _unblank(kode), _unblank(kec))
        if reason is not None:
            errors.append(reason)
            failed.add("desa_kode")
        elif row_desa is not None:
            if self.desa_kode is not None and row_desa != self.desa_kode:
                errors.append(
                    f"Desa pada baris ini ({directory.label(row_desa)}) berbeda dengan desa yang dipilih untuk "
                    f"seluruh berkas ({directory.label(self.desa_kode)})."
                )
            values["desa_kode"] = row_desa
        elif self.desa_kode is not None:
            values["desa_kode"] = self.desa_kode

    @staticmethod
    def _ticked_sex(male: object, female: object, values: dict[str, Any], errors: list[str]) -> None:
        """Jenis kelamin from two columns L and P, one of them ticked (any mark; 0 is no tick)."""
        ticked_l, ticked_p = _ticked(male), _ticked(female)
        if ticked_l and ticked_p:
            errors.append("Kolom L dan P jenis kelamin sama-sama dicentang; centang salah satu saja.")
        elif ticked_l or ticked_p:
            values["jenis_kelamin"] = Sex.L if ticked_l else Sex.P

    @staticmethod
    def _rt_rw(raw: object, values: dict[str, Any], errors: list[str], warnings: list[str]) -> None:
        rt: int | None
        rw: int | None
        try:
            if isinstance(raw, dt.date):
                day, month = rt_rw_from_date(raw)
                rt, rw = day, month
                warnings.append(
                    f"RT/RW terbaca Excel sebagai tanggal; dibaca sebagai RT {day:03d} / RW {month:03d}. "
                    "Periksa kembali, dan format kolom RT/RW sebagai Teks."
                )
            elif isinstance(raw, str):
                rt, rw = parse_rt_rw_pair(raw)
            else:
                raise ValueError(f"RT/RW {cell_text(raw)!r} tidak dapat dibaca. Tulis seperti 003/002.")
        except ValueError as exc:
            errors.append(str(exc))
            return
        if rt is not None:
            values["rt"] = rt
        if rw is not None:
            values["rw"] = rw


def parse_row(
    cells: Sequence[object],
    index: int,
    mapping: ColumnMapping,
    directory: DesaDirectory,
    *,
    desa_kode: str | None,
    today: dt.date,
) -> ParsedRow:
    """Normalise one row (see :class:`RowParser` for many rows)."""
    return RowParser(mapping, directory, desa_kode=desa_kode, today=today).parse(cells, index)
