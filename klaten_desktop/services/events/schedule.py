"""Creating, changing, deleting and listing events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select, update

from klaten_desktop.db.models import Event, EventParticipant
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events.common import (
    check_event,
    checked_speakers,
    clean_notes,
    clean_text,
    current_office,
    event_rows,
    live_event,
    speakers_json,
    touch,
)
from klaten_desktop.services.events.rows import (
    EventRow,
    Speaker,
)


def create(
    ctx: ServiceContext,
    actor: Actor,
    *,
    title: str,
    starts_at: dt.datetime,
    place: str,
    ends_at: dt.datetime | None = None,
    organiser: str | None = None,
    speakers: Iterable[Speaker | tuple[str, str]] | None = None,
    notes: str | None = None,
) -> EventRow:
    """A new socialization event of this office."""
    require(actor, Permission.events)
    clean_title, clean_place = clean_text(title), clean_text(place)
    check_event(clean_title, clean_place, starts_at, ends_at)
    checked = checked_speakers(speakers)
    with ctx.write() as session:
        office = current_office(session)
        row = Event(
            office_code=office.office_code,
            origin_install=office.install_id,
            title=clean_title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=clean_place,
            organiser=clean_text(organiser),
            speakers=speakers_json(checked),
            notes=clean_notes(notes),
            row_version=1,
            updated_at=ctx.now(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "create",
            "event",
            row.id,
            new={"title": row.title, "starts_at": starts_at, "place": row.place, "speakers": row.speakers},
            summary=f"Sosialisasi baru: {row.title}",
        )
        return event_rows(session, Event.id == row.id)[0]


_UPDATABLE = frozenset({"title", "starts_at", "ends_at", "place", "organiser", "speakers", "notes"})


def update_event(
    ctx: ServiceContext, actor: Actor, event_id: str, *, expected_version: int | None = None, **changes: Any
) -> EventRow:
    """Change the event's details (any of title, starts_at, ends_at, place, organiser, speakers, notes).

    ``expected_version``: the ``row_version`` the form loaded; when someone saved the event since,
    :class:`StaleRecordError` names who and when and nothing is written."""
    require(actor, Permission.events)
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    with ctx.write() as session:
        row = live_event(session, event_id)
        if expected_version is not None and row.row_version != expected_version:
            raise audit.stale_record(session, "event", row.id, updated_at=row.updated_at)
        old = {k: getattr(row, k) for k in changes}
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("title", "place", "organiser"):
                values[key] = clean_text(value)
            elif key == "notes":
                values[key] = clean_notes(value)
            elif key == "speakers":
                values[key] = speakers_json(checked_speakers(value))
            else:
                values[key] = value
        merged = {k: values.get(k, getattr(row, k)) for k in ("title", "place", "starts_at", "ends_at")}
        check_event(merged["title"], merged["place"], merged["starts_at"], merged["ends_at"])
        old_c, new_c = audit.changed(old, values)
        if new_c:
            for key, value in new_c.items():
                setattr(row, key, value)
            touch(row, ctx.now())
            audit.record(session, actor, "update", "event", row.id, old=old_c, new=new_c)
        session.flush()
        return event_rows(session, Event.id == row.id)[0]


def delete_event(ctx: ServiceContext, actor: Actor, event_id: str) -> None:
    """Remove an event made by mistake (refused once certificates were issued for it)."""
    require(actor, Permission.events)
    with ctx.write() as session:
        row = live_event(session, event_id)
        issued = session.scalar(
            select(func.count()).where(EventCertificate.event_id == event_id, EventCertificate.deleted_at.is_(None))
        )
        if issued:
            raise UserError(
                f"Sosialisasi ini sudah memiliki {issued} sertifikat bernomor dan tidak dapat dihapus. "
                "Ubah datanya bila ada yang keliru."
            )
        now = ctx.now()
        session.execute(
            update(EventParticipant)
            .where(EventParticipant.event_id == event_id, EventParticipant.deleted_at.is_(None))
            .values(deleted_at=now, updated_at=now, row_version=EventParticipant.row_version + 1)
        )
        row.deleted_at = now
        touch(row, ctx.now())
        audit.record(session, actor, "delete", "event", row.id, old={"title": row.title, "starts_at": row.starts_at})


def list_events(ctx: ServiceContext, *, search: str | None = None) -> list[EventRow]:
    """This office's events, newest first."""
    conditions = []
    text = clean_text(search)
    if text:
        like = f"%{text}%"
        conditions.append(or_(Event.title.ilike(like), Event.place.ilike(like)))
    with ctx.read() as session:
        return event_rows(session, *conditions)


def get(ctx: ServiceContext, event_id: str) -> EventRow:
    with ctx.read() as session:
        live_event(session, event_id)
        return event_rows(session, Event.id == event_id)[0]
