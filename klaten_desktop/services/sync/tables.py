"""Which tables travel, in which order, and how a row becomes a JSON object and back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, DateTime, Table

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

# Parents before children, so a child's parent is stored first in one import.
ORDER = (RegisterEntry, Official, Event, Enrollment, ContributionPayment, EventParticipant, Document)
# (column, parent table): a row waits (sync_pending) while its parent is missing.
FOREIGN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "official": (("replaced_by_id", "official"),),
    "enrollment": (("official_id", "official"),),
    "contribution_payment": (("enrollment_id", "enrollment"),),
    "event_participant": (("event_id", "event"), ("official_id", "official")),
    "document": (("register_entry_id", "register_entry"),),
}
SUBJECTS = "_subjects"  # documents carry the ids of the officials they concern (table document_subject)
META = frozenset({"row_version", "updated_at", "origin_install"})


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    columns: tuple[str, ...]
    dates: tuple[str, ...]
    datetimes: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...]

    def encode(self, row: Sequence[Any]) -> dict[str, Any]:
        """A Core row (columns in ``self.columns`` order) as a JSON-ready dict."""
        obj = dict(zip(self.columns, row, strict=True))
        for name in self.dates:
            value = obj[name]
            if value is not None:
                obj[name] = value.isoformat()
        for name in self.datetimes:
            value = obj[name]
            if value is not None:
                obj[name] = value.isoformat(timespec="microseconds")
        return obj

    def decode(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """Values ready for insert/update; raises ValueError on a malformed row."""
        expected = set(self.columns) | ({SUBJECTS} if self.name == "document" else set())
        keys = set(obj)
        if not keys <= expected or not set(self.columns) <= keys:
            raise ValueError(f"columns of {self.name} do not match")
        values = {name: obj[name] for name in self.columns}
        for name in self.dates:
            if values[name] is not None:
                values[name] = dt.date.fromisoformat(values[name])
        for name in self.datetimes:
            if values[name] is not None:
                values[name] = dt.datetime.fromisoformat(values[name])
        if not isinstance(values["id"], str) or not isinstance(values["row_version"], int):
            raise ValueError("bad id or row_version")
        if not isinstance(values["office_code"], str):
            raise ValueError("bad office_code")
        return values


def _spec(model: Any) -> TableSpec:
    table: Table = model.__table__
    columns = tuple(c.name for c in table.columns)
    dates = tuple(c.name for c in table.columns if isinstance(c.type, Date) and not isinstance(c.type, DateTime))
    datetimes = tuple(c.name for c in table.columns if isinstance(c.type, DateTime))
    return TableSpec(table.name, table, columns, dates, datetimes, FOREIGN_KEYS.get(table.name, ()))


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
}


def content(values: Mapping[str, Any]) -> dict[str, Any]:
    """What a row says, without the sync bookkeeping: used to tell a real conflict from a resend."""
    return {k: v for k, v in values.items() if k not in META}


Encoder = Callable[[Sequence[Any]], dict[str, Any]]
