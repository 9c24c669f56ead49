"""Which tables travel, in which order, and how a row becomes a JSON object and back.

Values travel exactly as SQLite stores them, so neither side converts them row by row: dates as
``YYYY-MM-DD`` and timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff`` (UTC, SQLAlchemy's SQLite format). Received
values are checked against those formats before they are stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, Integer, String, Table, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from klaten_desktop.db import models_sync  # noqa: F401  (registers the sync tables on Base.metadata)
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
SUBJECTS = "_subjects"  # documents carry the ids of the officials they concern (table document_subject)
META = frozenset({"row_version", "updated_at", "origin_install", SUBJECTS})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?")


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

    def select_columns(self) -> list[ColumnElement[Any]]:
        """The columns in ``columns`` order, dates and timestamps as their stored text."""
        t = self.table
        return [
            type_coerce(t.c[c], String).label(c) if c in self.dates or c in self.datetimes else t.c[c]
            for c in self.columns
        ]

    def encode(self, row: Sequence[Any]) -> dict[str, Any]:
        """A row selected with :meth:`select_columns` as a JSON-ready dict."""
        return dict(zip(self.columns, row, strict=True))

    def decode(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Check a received row (in place) and return it; raises ValueError when it is malformed."""
        if obj.keys() != self.keys:
            raise ValueError(f"columns of {self.name} do not match")
        if not isinstance(obj["id"], str) or len(obj["id"]) > 36 or not isinstance(obj["office_code"], str):
            raise ValueError("bad id or office_code")
        for name in self.integers:
            value = obj[name]
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError(f"{name} is not an integer")
        if obj["row_version"] is None:
            raise ValueError("row_version missing")
        for name in self.dates:
            value = obj[name]
            if value is not None and not (isinstance(value, str) and _DATE.fullmatch(value)):
                raise ValueError(f"{name} is not a date")
        for name in self.datetimes:
            value = obj[name]
            if value is not None and not (isinstance(value, str) and _DATETIME.fullmatch(value)):
                raise ValueError(f"{name} is not a timestamp")
        if SUBJECTS in obj:
            subjects = obj[SUBJECTS]
            if not isinstance(subjects, list) or not all(isinstance(s, str) for s in subjects):
                raise ValueError("bad subjects")
        return obj

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
        table.name, table, columns, dates, datetimes, integers, FOREIGN_KEYS.get(table.name, ()), frozenset(keys)
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
