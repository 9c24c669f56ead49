"""What each travelling column allows, and the check of received rows against it.

One source for both the generated tables of docs/sync-format.md (``format_doc.py``) and the import's checks:
the model gives the type, the length of a ``String`` column, whether it may be null and its CHECK constraints
(``col IN (...)``, ``col BETWEEN a AND b``, ``col >= a``); ``domain/enums.py`` gives the enum values; the few
facts no constraint states (ranges of counters, formats such as a NIK or a desa code) are in :data:`RANGES`
and :data:`FORMS` below. A package validly signed by a trusted office is still checked here, column by column,
before any row is written: a ``2026-13-45`` birth date or an 8 MB name is refused with the table, the line and
the column named (:class:`RowProblem`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from operator import itemgetter
from typing import Any

from sqlalchemy import CheckConstraint, Column, Date, DateTime, Integer, String, Table, Text

from klaten_desktop.domain.enums import (
    EndReason,
    FundingSource,
    Jabatan,
    Sex,
    TermStatus,
    format_programs,
    parse_programs,
)
from klaten_desktop.domain.nik import nik_birth_and_sex
from klaten_desktop.domain.wilayah import is_valid_desa_kode, is_valid_kecamatan_kode

# The values of these columns are the enum's (the models' CHECK constraints say the same; a test compares them).
ENUMS: dict[str, type[StrEnum]] = {
    "official.jenis_kelamin": Sex,
    "official.jabatan": Jabatan,
    "official.term_status": TermStatus,
    "official.end_reason": EndReason,
    "enrollment.funding_source": FundingSource,
}
# Ranges of integers no CHECK constraint states (``None``: no bound on that side). Every integer is also within
# SQLite's 64-bit range.
RANGES: dict[str, tuple[int | None, int | None]] = {
    "row_version": (1, None),
    "register_entry.year": (1, 9999),
    "register_entry.number": (1, None),
    "enrollment.declared_income": (0, None),
    "event_participant.attended": (0, 1),
    "document.print_count": (0, None),
}
# Formats of text columns, by name (see :data:`_FORM_CHECKS`); ``id`` and every foreign key are UUID text.
FORMS: dict[str, str] = {
    "id": "uuid",
    "office_code": "kecamatan",
    "official.nik": "nik",
    "official.desa_kode": "desa",
    "enrollment.nomor_kpj": "kpj",
    "enrollment.programs": "programs",
    "enrollment.paid_through": "month",
    "contribution_payment.periode": "month",
    "contribution_payment.batch_id": "uuid",
    "document.payload": "json_object",
    "document.recipients": "json_texts",
    "event.speakers": "json_speakers",
}
INT64 = (-(2**63), 2**63 - 1)
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?", re.ASCII)
_IN_LIST = re.compile(r"^(\w+) IN \((.*)\)$")
_BETWEEN = re.compile(r"\b(\w+) BETWEEN (-?\d+) AND (-?\d+)")
_AT_LEAST = re.compile(r"^(\w+) >= (-?\d+)$")
# A NIK's date digits are real in one century or none; the reference day only picks the century.
_ANY_CENTURY = dt.date.max


@dataclass(frozen=True)
class Allowed:
    """What one column of a travelling table allows."""

    name: str
    kind: str  # "text", "integer", "date" or "timestamp"
    nullable: bool
    max_length: int | None = None
    values: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    form: str | None = None
    rules: tuple[str, ...] = ()  # the SQL of the CHECK constraints other than an IN list, for the doc


def check_rules(table: Table) -> tuple[dict[str, tuple[str, ...]], dict[str, list[str]]]:
    """The table's CHECK constraints: ``col IN (...)`` lists by column, and any other rule's SQL by column."""
    lists: dict[str, tuple[str, ...]] = {}
    others: dict[str, list[str]] = {}
    for constraint in table.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        sql = str(constraint.sqltext)
        match = _IN_LIST.match(sql)
        if match:
            lists[match.group(1)] = tuple(v.strip().strip("'") for v in match.group(2).split(","))
            continue
        for column in table.columns:
            if re.search(rf"\b{column.name}\b", sql):
                others.setdefault(column.name, []).append(sql)
                break
    return lists, others


def _range(table: str, name: str, rules: Sequence[str]) -> tuple[int | None, int | None]:
    low, high = RANGES.get(f"{table}.{name}", RANGES.get(name, (None, None)))
    for sql in rules:
        between = _BETWEEN.search(sql)
        if between and between.group(1) == name:
            low, high = int(between.group(2)), int(between.group(3))
        at_least = _AT_LEAST.match(sql)
        if at_least and at_least.group(1) == name:
            low = int(at_least.group(2))
    return low, high


def allowed_columns(table: Table, columns: Sequence[str], foreign_keys: Sequence[str]) -> dict[str, Allowed]:
    """What each of ``columns`` of ``table`` allows (``foreign_keys``: the columns holding another row's id)."""
    lists, others = check_rules(table)
    result: dict[str, Allowed] = {}
    for name in columns:
        column: Column[Any] = table.c[name]
        kind = column.type
        key = f"{table.name}.{name}"
        rules = tuple(others.get(name, ()))
        enum = ENUMS.get(key)
        values = tuple(e.value for e in enum) if enum is not None else lists.get(name, ())
        form = FORMS.get(key, FORMS.get(name, "uuid" if name in foreign_keys else None))
        if isinstance(kind, DateTime):
            result[name] = Allowed(name, "timestamp", bool(column.nullable), rules=rules)
        elif isinstance(kind, Date):
            result[name] = Allowed(name, "date", bool(column.nullable), rules=rules)
        elif isinstance(kind, Integer):
            low, high = _range(table.name, name, rules)
            result[name] = Allowed(name, "integer", bool(column.nullable), minimum=low, maximum=high, rules=rules)
        else:
            length = kind.length if isinstance(kind, String) and not isinstance(kind, Text) else None
            result[name] = Allowed(name, "text", bool(column.nullable), length, values, form=form, rules=rules)
    return result


# ---------------------------------------------------------------- checking received rows


class RowProblem(ValueError):
    """A received row breaking what its column allows: the table, the line (from 1), the row's id, the column."""

    def __init__(self, table: str, line: int, row_id: object, column: str, reason: str) -> None:
        super().__init__(f"{table} line {line} column {column}: {reason}")
        self.table, self.line, self.row_id, self.column, self.reason = table, line, row_id, column, reason

    def message(self, label: str) -> str:
        """The Indonesian sentence naming the table (``label``), the line, the row and the column."""
        row = f" (id {self.row_id})" if isinstance(self.row_id, str) and len(self.row_id) <= 36 else ""
        return (
            f"Paket ditolak: tabel {label} ({self.table}) baris {self.line}{row}, kolom {self.column}: {self.reason}."
        )


def _json_problem(form: str, text: str) -> str | None:
    try:
        value = json.loads(text)
    except ValueError:
        return "bukan JSON yang sah"
    if form == "json_object":
        return None if isinstance(value, dict) else "harus objek JSON"
    if form == "json_texts":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else "harus daftar teks JSON"
    ok = isinstance(value, list) and all(
        isinstance(v, dict) and set(v) <= {"nama", "peran"} and all(isinstance(x, str | None) for x in v.values())
        for v in value
    )
    return None if ok else 'harus daftar objek JSON {"nama", "peran"}'


def _form_problem(form: str, value: str) -> str | None:
    if form == "uuid":
        return None if UUID_TEXT.fullmatch(value) else "bukan UUID (36 karakter, huruf kecil)"
    if form == "kecamatan":
        return None if is_valid_kecamatan_kode(value) else "bukan kode kecamatan Klaten 33.10.NN"
    if form == "desa":
        return None if is_valid_desa_kode(value) else "bukan kode desa Klaten 33.10.NN.NNNN"
    if form == "nik":
        return None if nik_birth_and_sex(value, today=_ANY_CENTURY) is not None else "bukan NIK 16 digit yang sah"
    if form == "kpj":
        return None if value.isascii() and value.isdigit() else "nomor KPJ hanya boleh berisi angka 0-9"
    if form == "month":
        return None if _MONTH.fullmatch(value) else "bukan bulan YYYY-MM"
    if form == "programs":
        try:
            ok = format_programs(parse_programs(value)) == value
        except ValueError:
            ok = False
        return None if ok else "bukan program JKK, JKM, JHT dipisah koma"
    return _json_problem(form, value)


def _value_check(allowed: Allowed) -> Callable[[Any], str | None]:
    """The problem with one non-null value of the column, or None."""
    if allowed.kind == "integer":
        low = allowed.minimum if allowed.minimum is not None else INT64[0]
        high = allowed.maximum if allowed.maximum is not None else INT64[1]

        def integer(value: Any) -> str | None:
            if type(value) is not int:  # JSON true/false are bool, which is not accepted
                return "harus bilangan bulat"
            return None if low <= value <= high else f"di luar rentang {low} sampai {high}"

        return integer
    if allowed.kind in ("date", "timestamp"):
        pattern, parse = (_DATE, dt.date.fromisoformat) if allowed.kind == "date" else (_DATETIME, _timestamp)
        word = "tanggal YYYY-MM-DD" if allowed.kind == "date" else "waktu YYYY-MM-DD HH:MM:SS.ffffff"

        def moment(value: Any) -> str | None:
            if type(value) is not str or not pattern.fullmatch(value):
                return f"bukan {word}"
            try:
                parse(value)
            except ValueError:
                return "bukan tanggal yang ada"  # the value is not repeated: it may be a birth date
            return None

        return moment

    def text(value: Any) -> str | None:
        if type(value) is not str:
            return "harus teks"
        if allowed.max_length is not None and len(value) > allowed.max_length:
            return f"lebih dari {allowed.max_length} karakter ({len(value)})"
        if allowed.values and value not in allowed.values:
            return f"{value[:40]!r} bukan salah satu dari: {', '.join(allowed.values)}"
        return None if allowed.form is None else _form_problem(allowed.form, value)

    return text


def _timestamp(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def check_column(table: str, allowed: Allowed, rows: Sequence[Mapping[str, Any]]) -> None:
    """Raise :class:`RowProblem` for the first row whose value breaks ``allowed``.

    Each distinct value is checked once (a package repeats its dates, codes and enum values thousands of times),
    first in bulk (:func:`_surely_fine`, C-level passes over the set); only when that is not sure is each value
    checked, and only when one is bad are the rows walked to name the first that holds it.
    """
    values = list(map(itemgetter(allowed.name), rows))
    expected = _TYPES[allowed.kind] | ({type(None)} if allowed.nullable else set())
    if not set(map(type, values)) <= expected:  # also JSON true/false (bool) in an integer column
        for line, value in enumerate(values, start=1):
            if type(value) not in expected:
                reason = "wajib diisi (tidak boleh null)" if value is None else _kind_word(allowed)
                raise RowProblem(table, line, rows[line - 1].get("id"), allowed.name, reason)
    distinct = set(values)
    distinct.discard(None)
    if not distinct or _surely_fine(allowed, distinct):
        return
    check = _value_check(allowed)
    problems: dict[Any, str] = {}
    for value in distinct:
        if value is not None:
            problem = check(value)
            if problem is not None:
                problems[value] = problem
    if problems:
        for line, value in enumerate(values, start=1):
            if value in problems:
                raise RowProblem(table, line, rows[line - 1].get("id"), allowed.name, problems[value])


def _surely_fine(allowed: Allowed, distinct: set[Any]) -> bool:
    """True when every value of ``distinct`` (of the column's type) is certainly allowed; False when unsure."""
    if allowed.kind == "integer":
        low = allowed.minimum if allowed.minimum is not None else INT64[0]
        high = allowed.maximum if allowed.maximum is not None else INT64[1]
        return bool(low <= min(distinct) and max(distinct) <= high)
    if allowed.kind in ("date", "timestamp"):
        every = _EVERY_DATE if allowed.kind == "date" else _EVERY_DATETIME
        joined = "\n".join(distinct) + "\n"
        if joined.count("\n") != len(distinct) or not every.fullmatch(joined):  # no value may hold a newline
            return False
        try:
            for day in {v[:10] for v in distinct}:
                dt.date.fromisoformat(day)
            for moment in {v[11:19] for v in distinct} if allowed.kind == "timestamp" else ():
                dt.time.fromisoformat(moment)
        except ValueError:
            return False
        return True
    if allowed.max_length is not None and max(map(len, distinct)) > allowed.max_length:
        return False
    if allowed.values and not distinct <= set(allowed.values):
        return False
    if allowed.form == "uuid":  # ids: one regex pass over all of them instead of one call per id
        return set(map(len, distinct)) == {36} and _EVERY_UUID.fullmatch("".join(distinct)) is not None
    return allowed.form is None


_EVERY_UUID = re.compile(f"(?:{UUID_TEXT.pattern})*")
_EVERY_DATE = re.compile(f"(?:{_DATE.pattern}\n)*", re.ASCII)
_EVERY_DATETIME = re.compile(f"(?:{_DATETIME.pattern}\n)*", re.ASCII)
_TYPES: dict[str, set[type]] = {"integer": {int}, "text": {str}, "date": {str}, "timestamp": {str}}


def _kind_word(allowed: Allowed) -> str:
    return {"integer": "harus bilangan bulat", "text": "harus teks", "date": "harus teks tanggal YYYY-MM-DD"}.get(
        allowed.kind, "harus teks waktu YYYY-MM-DD HH:MM:SS.ffffff"
    )
