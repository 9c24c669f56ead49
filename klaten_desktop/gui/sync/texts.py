"""How the Sinkronisasi screens write dates, counts and hashes: plain Python (no Qt), shared by the presenters
and the table columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from klaten_desktop.domain.formatting import format_date, format_datetime, format_number
from klaten_desktop.services.sync.tables import TABLE_LABELS


def local_datetime(value: dt.datetime | None) -> str:
    """A naive UTC timestamp from the database, shown in this PC's time zone (Indonesian format)."""
    if value is None:
        return ""
    return format_datetime(value.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None))


def sender_date(created_at: str | None) -> str:
    """The sender's ``created_at`` ("2026-11-24T08:15:02Z", its own clock): shown as a date only."""
    if not created_at:
        return ""
    try:
        return format_date(dt.date.fromisoformat(created_at[:10]))
    except ValueError:
        return created_at


def counts_total(counts: Mapping[str, int]) -> str:
    return format_number(sum(counts.values()))


def counts_text(counts: Mapping[str, int], *, sep: str = ", ") -> str:
    """ "Pengurus 40, Kepesertaan 12" in the order of the tables; "tidak ada perubahan" when empty."""
    parts = [f"{label} {format_number(counts[name])}" for name, label in TABLE_LABELS.items() if counts.get(name)]
    return sep.join(parts) if parts else "tidak ada perubahan"


def short_hash(sha256: str) -> str:
    return sha256[:12]
