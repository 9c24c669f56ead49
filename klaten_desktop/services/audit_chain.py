"""The audit trail's hash chain checked, and its old details purged by retention (docs/audit.md).

``verify`` recomputes every entry's details hash and entry hash in id order and names the first entry where the
chain breaks: an entry edited outside the app, or one deleted before it. ``purge`` empties the details (old
values, new values, summary) of entries older than the retention setting: their ``details_hash`` stays, so the
chain still verifies, and the purge itself is an audit entry whose cutoff ``verify`` uses to tell a purge from
details emptied outside the app.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import cast

from sqlalchemy import CursorResult, select, update

from klaten_desktop.db.models import AuditLog
from klaten_desktop.domain import audit as rules
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.services import audit, settings
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError

#: The setting holding how many years audit details are kept (settings.DEFAULTS).
RETENTION_KEY = "audit.retensi_tahun"
PURGE_ACTION = "purge_audit"


@dataclass(frozen=True)
class ChainBreak:
    """Where the chain breaks: the first entry that does not verify, and why (Indonesian)."""

    entry_id: int
    reason: str

    @property
    def message(self) -> str:
        return f"Rantai log audit putus mulai entri #{self.entry_id}: {self.reason}"


@dataclass(frozen=True)
class ChainState:
    entries: int
    head: str
    broken: ChainBreak | None


def _purged_before(rows: list[tuple[str, str | None]]) -> dt.datetime | None:
    """The latest cutoff of the purges recorded (their new values hold ``sebelum``), or None."""
    cutoff: dt.datetime | None = None
    for _action, new in rows:
        try:
            when = dt.datetime.fromisoformat(json.loads(new or "{}")["sebelum"])
        except (ValueError, KeyError, TypeError):
            continue
        cutoff = when if cutoff is None or when > cutoff else cutoff
    return cutoff


_EMPTY_DETAILS = rules.details_hash(None, None, None)


def verify(ctx: ServiceContext) -> ChainState:
    """Walk the chain in id order; the first break found, if any."""
    with ctx.read() as session:
        purges = session.execute(
            select(AuditLog.action, AuditLog.new_values).where(AuditLog.action == PURGE_ACTION)
        ).all()
        cutoff = _purged_before([tuple(r) for r in purges])
        rows = session.execute(
            select(
                AuditLog.id, AuditLog.at, AuditLog.actor, AuditLog.action, AuditLog.entity, AuditLog.entity_id,
                AuditLog.old_values, AuditLog.new_values, AuditLog.summary, AuditLog.details_hash,
                AuditLog.prev_hash, AuditLog.hash,
            ).order_by(AuditLog.id)
        )  # fmt: skip
        prev = rules.GENESIS
        count = 0
        details_hash, entry_hash = rules.details_hash, rules.entry_hash
        for id_, at, actor, action, entity, entity_id, old, new, summary, details, prev_hash, stored in rows:
            count += 1
            if old is None and new is None and summary is None and details != _EMPTY_DETAILS:
                if cutoff is None or at >= cutoff:
                    return ChainState(count, prev, ChainBreak(id_, "rinciannya dihapus di luar aplikasi."))
            elif details_hash(old, new, summary) != details:
                return ChainState(count, prev, ChainBreak(id_, "rincian entri (nilai lama/baru) diubah."))
            own = entry_hash(prev_hash, at, actor, action, entity, entity_id, details)
            if own != stored:
                return ChainState(count, prev, ChainBreak(id_, "isi entri (waktu, pengguna, tindakan) diubah."))
            if prev_hash != prev:
                return ChainState(
                    count, prev, ChainBreak(id_, "entri sebelumnya diubah atau dihapus di luar aplikasi.")
                )
            prev = stored
    return ChainState(count, prev, None)


def head(ctx: ServiceContext) -> tuple[int, str]:
    """The number of entries and the hash of the last one (the genesis value for an empty log)."""
    with ctx.read() as session:
        last = session.execute(select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).first()
    return (0, rules.GENESIS) if last is None else (int(last[0]), str(last[1]))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def purge(ctx: ServiceContext, actor: Actor) -> int:
    """Empty the details of entries older than the retention setting (years); the number of entries purged.

    The entries, their hashes and the chain stay; the purge is itself recorded. An admin's action.
    """
    require(actor, Permission.office_settings)
    years = settings.get(ctx, RETENTION_KEY)
    if not isinstance(years, int) or years < 1:
        raise UserError("Masa simpan rincian log audit harus diisi dengan jumlah tahun (paling sedikit 1).")
    cutoff = dt.datetime.combine(_years_before(ctx.today(), years), dt.time())
    with ctx.write() as session:
        result = session.execute(
            update(AuditLog)
            .where(
                AuditLog.at < cutoff,
                (AuditLog.old_values.is_not(None)) | AuditLog.new_values.is_not(None) | AuditLog.summary.is_not(None),
            )
            .values(old_values=None, new_values=None, summary=None)
        )
        purged = cast(CursorResult[object], result).rowcount
        audit.record(
            session,
            actor,
            PURGE_ACTION,
            "audit_log",
            None,
            new={"sebelum": cutoff.isoformat(), "tahun": years, "entri": purged},
            summary=f"Rincian log audit sebelum {format_date(cutoff.date())} dihapus ({purged} entri, "
            f"retensi {years} tahun)",
        )
    return int(purged)
