"""Which tables travel, in which order, and how a row becomes a JSON object and back.

Values travel exactly as SQLite stores them, so neither side converts them row by row: dates as
``YYYY-MM-DD`` and timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff`` (SQLAlchemy's SQLite format): UTC, except the
columns in :data:`LOCAL_TIMES`, which hold the wall-clock time in Klaten (WIB, UTC+7) as people entered it. An export
has SQLite write each line (``json_object``), so 100,000 rows never become Python objects; received values are
checked a column at a time against those formats before they are stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Date, DateTime, Integer, String, Table, func, literal_column, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from klaten_desktop.db import models_sync  # noqa: F401  (registers the sync tables on Base.metadata)
from klaten_desktop.db.dialect import stored_text
from klaten_desktop.db.models import (
    ContributionPayment,
    Document,
    Enrollment,
    Event,
    EventParticipant,
    Official,
    RegisterEntry,
)
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.services.sync.columns import UUID_TEXT, Allowed, RowProblem, allowed_columns, check_column

# Parents before children, so a child's parent is stored first in one import.
ORDER = (
    RegisterEntry,
    Official,
    Event,
    Enrollment,
    ContributionPayment,
    EventParticipant,
    Document,
    EventCertificate,
)
# (column, parent table): a row waits (sync_pending) while its parent is missing.
FOREIGN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "official": (("replaced_by_id", "official"),),
    "enrollment": (("official_id", "official"),),
    "contribution_payment": (("enrollment_id", "enrollment"),),
    "event_participant": (("event_id", "event"), ("official_id", "official")),
    "document": (("register_entry_id", "register_entry"),),
    "event_certificate": (
        ("event_id", "event"),
        ("participant_id", "event_participant"),
        ("document_id", "document"),
    ),
}
# Timestamps that hold local wall-clock time in WIB (Asia/Jakarta, UTC+7, no daylight saving), not UTC: when an
# event starts and ends, as typed by staff. They travel as stored (packages written before this was documented
# carry the same values); every other timestamp column is UTC. docs/sync-format.md names them.
LOCAL_TIMES: dict[str, tuple[str, ...]] = {"event": ("starts_at", "ends_at")}
# Text columns whose value is itself JSON (a reader decodes the string a second time): what a document printed
# (an object), to whom it went (a list of names), who spoke at an event (a list of {"nama", "peran"}).
JSON_TEXT: dict[str, tuple[str, ...]] = {"document": ("payload", "recipients"), "event": ("speakers",)}
# Columns added after the first package format, by schema revision: a package from an older version lacks them,
# and they are taken as empty (NULL). A package from this version still fails in an older one (other columns).
ADDED_LATER: dict[str, tuple[str, ...]] = {
    "official": ("email", "nama_ibu_kandung"),  # 0003_official_email_ibu
    "contribution_payment": ("voided_at", "voided_by", "void_reason"),  # 0007_payment_void
}
SUBJECTS = "_subjects"  # documents carry the ids of the officials they concern (table document_subject)
META = frozenset({"row_version", "updated_at", "origin_install", SUBJECTS})
# SQLite's default limit on a function's arguments is 127: json_object takes a name and a value per column
MAX_JSON_COLUMNS = 63


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: tuple[str, ...]
    dates: tuple[str, ...]
    datetimes: tuple[str, ...]
    integers: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...]
    keys: frozenset[str]
    local_times: tuple[str, ...] = ()
    json_text: tuple[str, ...] = ()
    added_later: tuple[str, ...] = ()
    allowed: Mapping[str, Allowed] = field(default_factory=dict)

    def select_columns(self) -> list[ColumnElement[Any]]:
        """The columns in ``columns`` order, dates and timestamps as their stored text."""
        t = self.table
        return [
            type_coerce(t.c[c], String).label(c) if c in self.dates or c in self.datetimes else t.c[c]
            for c in self.columns
        ]

    def json_line(self) -> ColumnElement[str]:
        """The row as one package line, written by SQLite: ``{"col":value,...}`` in ``columns`` order, compact,
        UTF-8 as is, values exactly as stored (the same text as ``json.dumps(encode(row), ensure_ascii=False,
        separators=(",", ":"))``). Documents get ``_subjects`` appended by the caller."""
        t = self.table
        args: list[ColumnElement[Any]] = []
        for c in self.columns:
            args += [literal_column(f"'{c}'"), t.c[c]]
        return func.json_object(*args, type_=String)

    def encode(self, row: Sequence[Any]) -> dict[str, Any]:
        """A row selected with :meth:`select_columns` as a JSON-ready dict (dates and timestamps as the stored text
        also from a PostgreSQL server, whose driver hands out ``date`` and ``datetime``)."""
        values = dict(zip(self.columns, row, strict=True))
        for c in self.dates + self.datetimes:
            value = values[c]
            if value is not None and not isinstance(value, str):
                values[c] = stored_text(value)
        return values

    def decode(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Check a received row (in place) and return it; raises ValueError when it is malformed."""
        self.check_rows([obj])
        return obj

    def check_rows(self, rows: Sequence[Any]) -> None:
        """Check received rows against what each column allows (``columns.py``), a column at a time.

        Raises :class:`RowProblem` (a ValueError) naming the first bad row's line, id and column: not an object,
        other keys than the table's, a value of the wrong type, null where the column is not nullable, text longer
        than the column, a value outside the enum or the range, a date that does not exist, a malformed NIK, desa
        code, UUID or JSON text, ``_subjects`` not a list of UUID texts.
        """
        if not rows:
            return
        if self.added_later:
            self._fill_added_later(rows)
        if not all(type(row) is dict and row.keys() == self.keys for row in rows):
            self._name_bad_keys(rows)
        for allowed in self.allowed.values():
            check_column(self.name, allowed, rows)
        if SUBJECTS in self.keys:
            for line, subjects in enumerate(map(itemgetter(SUBJECTS), rows), start=1):
                if type(subjects) is not list or not all(type(s) is str and UUID_TEXT.fullmatch(s) for s in subjects):
                    raise RowProblem(self.name, line, rows[line - 1]["id"], SUBJECTS, "harus daftar UUID")

    def _name_bad_keys(self, rows: Sequence[Any]) -> None:
        """Raise :class:`RowProblem` for the first row that is not an object with exactly the table's keys."""
        for line, row in enumerate(rows, start=1):
            if type(row) is not dict:
                raise RowProblem(self.name, line, None, "-", "baris bukan objek JSON")
            extra, missing = sorted(row.keys() - self.keys), sorted(self.keys - row.keys())
            if extra:
                raise RowProblem(self.name, line, row.get("id"), extra[0][:40], "kolom tidak dikenal")
            if missing:
                raise RowProblem(self.name, line, row.get("id"), missing[0], "kolom tidak ada")

    def _fill_added_later(self, rows: Sequence[Any]) -> None:
        """Rows of an older package (without the columns in :data:`ADDED_LATER`) get them as None, in place."""
        older = self.keys - frozenset(self.added_later)
        for row in rows:
            if type(row) is dict and row.keys() == older:
                for name in self.added_later:
                    row[name] = None

    def to_python(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Stored text to date/datetime objects, for the ORM and Core statements with typed columns."""
        result = {k: v for k, v in values.items() if k in self.columns}
        for name in self.dates:
            if result.get(name) is not None:
                result[name] = dt.date.fromisoformat(result[name])
        for name in self.datetimes:
            if result.get(name) is not None:
                result[name] = dt.datetime.fromisoformat(result[name])
        return result


def _spec(model: Any) -> TableSpec:
    table: Table = model.__table__
    # derived columns (``info={"derived": True}``) are kept by the receiving database itself and never travel
    travelling = [c for c in table.columns if not c.info.get("derived")]
    columns = tuple(c.name for c in travelling)
    dates = tuple(c.name for c in travelling if isinstance(c.type, Date))
    datetimes = tuple(c.name for c in travelling if isinstance(c.type, DateTime))
    integers = tuple(c.name for c in travelling if isinstance(c.type, Integer))
    keys = frozenset(columns) | ({SUBJECTS} if table.name == "document" else frozenset())
    return TableSpec(
        table.name,
        table,
        columns,
        dates,
        datetimes,
        integers,
        FOREIGN_KEYS.get(table.name, ()),
        frozenset(keys),
        LOCAL_TIMES.get(table.name, ()),
        JSON_TEXT.get(table.name, ()),
        ADDED_LATER.get(table.name, ()),
        allowed_columns(table, columns, [c for c, _ in FOREIGN_KEYS.get(table.name, ())]),
    )


SPECS: tuple[TableSpec, ...] = tuple(_spec(m) for m in ORDER)
BY_NAME: dict[str, TableSpec] = {s.name: s for s in SPECS}
TABLE_LABELS = {
    "register_entry": "Register nomor",
    "official": "Pengurus",
    "event": "Kegiatan sosialisasi",
    "enrollment": "Kepesertaan",
    "contribution_payment": "Pembayaran iuran",
    "event_participant": "Peserta kegiatan",
    "document": "Dokumen",
    "event_certificate": "Sertifikat peserta",
}


def content(values: Mapping[str, Any]) -> dict[str, Any]:
    """What a row says, without the sync bookkeeping: used to tell a real conflict from a resend."""
    return {k: v for k, v in values.items() if k not in META}
