"""The audit trail: who did what, with the old and new values."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import AuditLog
from klaten_desktop.services.context import Actor, ServiceContext, session_now


def _default(value: object) -> object:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def to_json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, default=_default, ensure_ascii=False, sort_keys=True)


def changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ."""
    keys = [k for k in new if old.get(k) != new.get(k)]
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: str | None,
    *,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    summary: str | None = None,
) -> None:
    session.execute(
        insert(AuditLog).values(
            at=session_now(session),
            actor=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            old_values=to_json(old),
            new_values=to_json(new),
            summary=summary,
        )
    )


def record_many(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entries: Iterable[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]],
    *,
    summary: str | None = None,
) -> int:
    now = session_now(session)
    rows = [
        {
            "at": now,
            "actor": actor.username,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "old_values": to_json(old),
            "new_values": to_json(new),
            "summary": summary,
        }
        for entity_id, old, new in entries
    ]
    if rows:
        # Core executemany on the connection: the ORM bulk path splits rows into many statements
        session.connection().execute(insert(AuditLog), rows)
    return len(rows)


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    old_values: str | None
    new_values: str | None
    summary: str | None


def recent(ctx: ServiceContext, *, entity_id: str | None = None, limit: int = 200) -> list[AuditRow]:
    stmt = select(
        AuditLog.at,
        AuditLog.actor,
        AuditLog.action,
        AuditLog.entity,
        AuditLog.entity_id,
        AuditLog.old_values,
        AuditLog.new_values,
        AuditLog.summary,
    ).order_by(AuditLog.id.desc())
    if entity_id is not None:
        stmt = stmt.where(AuditLog.entity_id == entity_id)
    with ctx.read() as session:
        return [AuditRow(*row) for row in session.execute(stmt.limit(limit))]
