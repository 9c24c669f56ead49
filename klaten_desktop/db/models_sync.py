"""Tables of offline sync: packages sent and received, what was last sent per row, conflicts and waiting rows.

No decision here depends on a clock: ``recorded_at`` columns are for people reading the history only.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from klaten_desktop.db.models import Base, utcnow


class SyncPackage(Base):
    """Every package this installation wrote ('sent') or imported ('received')."""

    __tablename__ = "sync_package"
    __table_args__ = (
        CheckConstraint("direction IN ('sent', 'received')", name="direction"),
        CheckConstraint("kind IN ('data', 'return')", name="kind"),
        Index("uq_sync_package_stream", "direction", "sender_install", "recipient_install", "sequence", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    sender_install: Mapped[str] = mapped_column(String(36), nullable=False)
    sender_office: Mapped[str] = mapped_column(String(16), nullable=False)
    recipient_install: Mapped[str] = mapped_column(String(36), nullable=False)
    recipient_office: Mapped[str] = mapped_column(String(16), nullable=False)
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    previous_sha256: Mapped[str | None] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    full: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    counts: Mapped[str] = mapped_column(Text, nullable=False)  # JSON {table: rows}
    result: Mapped[str | None] = mapped_column(Text)  # JSON import outcome (received packages)
    app_version: Mapped[str] = mapped_column(String(20), nullable=False)
    schema_version: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[str] = mapped_column(String(40), nullable=False)  # as recorded by the sender's clock
    file_name: Mapped[str | None] = mapped_column(String(260))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)  # our own clock
    # the manifest's audit_head, JSON {"id", "hash"}: the sender's audit chain head when it built the package
    audit_head: Mapped[str | None] = mapped_column(Text)


class SyncRowState(Base):
    """The row version last written into a package for a peer: the export high-water mark, per row."""

    __tablename__ = "sync_row_state"

    peer_install: Mapped[str] = mapped_column(String(36), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False)
    origin_install: Mapped[str | None] = mapped_column(String(36))


class SyncPeerState(Base):
    """Which installation speaks for each kecamatan (at the regency)."""

    __tablename__ = "sync_peer_state"
    __table_args__ = (CheckConstraint("status IN ('aktif', 'diganti')", name="status"),)

    install_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="aktif")


class SyncConflict(Base):
    """A row version that lost (kept for review), or a correction from the regency awaiting the kecamatan."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        CheckConstraint("kind IN ('versi', 'koreksi', 'koreksi_ditolak')", name="kind"),
        CheckConstraint("status IN ('terbuka', 'diterima', 'ditolak')", name="status"),
        Index(
            "uq_sync_conflict_version", "table_name", "row_id", "loser_version", "loser_install", "kind", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="terbuka")
    table_name: Mapped[str] = mapped_column(String(40), nullable=False)
    row_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    office_code: Mapped[str] = mapped_column(String(16), nullable=False)
    loser_version: Mapped[int] = mapped_column(Integer, nullable=False)
    loser_install: Mapped[str] = mapped_column(String(36), nullable=False)
    loser_json: Mapped[str] = mapped_column(Text, nullable=False)
    winner_version: Mapped[int | None] = mapped_column(Integer)
    winner_install: Mapped[str | None] = mapped_column(String(36))
    package_id: Mapped[int | None] = mapped_column(Integer)
    resolved_by: Mapped[str | None] = mapped_column(String(60))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class SyncPending(Base):
    """A received row that cannot be stored yet (its parent has not arrived, or a unique rule blocks it).

    Retried at every import, so packages imported in any order end in the same database.
    """

    __tablename__ = "sync_pending"

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    row_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin_install: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    nik: Mapped[str | None] = mapped_column(String(16), index=True)
    row_json: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)


class SyncPackageArchive(Base):
    """The bytes of every package this installation sent, on a PostgreSQL server (``services/sync/archive.py``):
    written in the transaction that records the package, read back by a byte-for-byte re-issue. An SQLite PC keeps
    them in the folder ``arsip-sinkron/`` beside its file instead, and leaves this table empty."""

    __tablename__ = "sync_package_archive"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


__all__ = ["SyncConflict", "SyncPackage", "SyncPackageArchive", "SyncPeerState", "SyncPending", "SyncRowState"]
