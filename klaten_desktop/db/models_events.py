"""Tables of socialization events beyond ``event`` and ``event_participant`` (see models.py).

``event_certificate`` links a participant (an official or a typed-in guest) to the certificate document issued
for them, so a reprint finds the archived certificate again and an event never issues two for one person.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from klaten_desktop.db.models import Base, SyncMixin

_LIVE = text("deleted_at IS NULL")


class EventCertificate(SyncMixin, Base):
    """The certificate (a ``document`` of kind "sertifikat") of one participant of one event."""

    __tablename__ = "event_certificate"
    __table_args__ = (
        Index(
            "uq_event_certificate_participant",
            "participant_id",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), nullable=False, index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("event_participant.id"), nullable=False)
    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), nullable=False, index=True)
    certificate_nomor: Mapped[str] = mapped_column(String(120), nullable=False)


__all__ = ["EventCertificate"]
