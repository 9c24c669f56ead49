"""Each official's socialization history."""

from __future__ import annotations

from sqlalchemy import and_, select

from klaten_desktop.db.models import Event, EventParticipant, Official
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.events.common import (
    current_office,
)
from klaten_desktop.services.events.rows import (
    HistoryRow,
)


def history(ctx: ServiceContext, official_id: str) -> list[HistoryRow]:
    """The socializations an official was invited to, newest first (``attended`` tells who came)."""
    stmt = (
        select(
            Event.id,
            Event.title,
            Event.starts_at,
            Event.place,
            EventParticipant.attended,
            EventCertificate.certificate_nomor,
        )
        .join(Event, Event.id == EventParticipant.event_id)
        .outerjoin(
            EventCertificate,
            and_(EventCertificate.participant_id == EventParticipant.id, EventCertificate.deleted_at.is_(None)),
        )
        .where(
            EventParticipant.official_id == official_id,
            EventParticipant.deleted_at.is_(None),
            Event.deleted_at.is_(None),
        )
        .order_by(Event.starts_at.desc())
    )
    with ctx.read() as session:
        return [HistoryRow(r[0], r[1], r[2], r[3], bool(r[4]), r[5]) for r in session.execute(stmt)]


def never_attended_ids(ctx: ServiceContext) -> set[str]:
    """Serving officials (of this office) who never attended a socialization: the "belum pernah sosialisasi"
    filter of the officials table."""
    attended = (
        select(EventParticipant.id)
        .join(Event, Event.id == EventParticipant.event_id)
        .where(
            EventParticipant.official_id == Official.id,
            EventParticipant.attended == 1,
            EventParticipant.deleted_at.is_(None),
            Event.deleted_at.is_(None),
        )
    )
    with ctx.read() as session:
        office = current_office(session)
        stmt = select(Official.id).where(
            Official.deleted_at.is_(None), Official.term_status == "menjabat", ~attended.exists()
        )
        if office.role == "kecamatan":
            stmt = stmt.where(Official.office_code == office.office_code)
        return set(session.scalars(stmt))
