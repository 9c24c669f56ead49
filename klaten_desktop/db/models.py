"""The schema. Every table that travels between offices carries the sync columns of :class:`SyncMixin`.

Stay within SQL that PostgreSQL also runs: partial and expression indexes are declared for both dialects.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_uuid() -> str:
    return new_uuids(1)[0]


def new_uuids(n: int) -> list[str]:
    """``n`` new row ids: time-ordered UUIDs (version 7, RFC 9562 section 5.7), 48 bits of Unix milliseconds then
    74 random bits. Rows made together get neighbouring keys, so the indexes on ``id`` (and on the foreign keys
    that copy it) grow at one end instead of at random pages: an import or a sync package dirties a few pages,
    not nearly every page of each index. The random part keeps ids unguessable and unique across offices."""
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{stamp[:8]}-{stamp[8:12]}-7"
    raw = os.urandom(10 * n).hex()
    variant = "89ab"
    return [
        f"{head}{raw[i : i + 3]}-{variant[int(raw[i + 3], 16) & 3]}{raw[i + 4 : i + 7]}-{raw[i + 7 : i + 19]}"
        for i in range(0, 20 * n, 20)
    ]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


LIVE = text("deleted_at IS NULL")
SERVING = text("deleted_at IS NULL AND term_status = 'menjabat'")
KPJ_UNREGISTERED = text("deleted_at IS NULL AND ended_on IS NULL AND registered_on IS NULL AND nomor_kpj IS NOT NULL")
DERIVED = {"derived": True}  # a column the database keeps from other rows; see Official.cov_enrollment_id


class SyncMixin:
    """Columns that let a row travel between offices: a UUID key, a version, the owner, a tombstone."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    office_code: Mapped[str] = mapped_column(String(16), nullable=False)
    origin_install: Mapped[str | None] = mapped_column(String(36))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Office(Base):
    """This installation: one row."""

    __tablename__ = "office"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("role IN ('kecamatan', 'kabupaten')", name="role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    office_code: Mapped[str] = mapped_column(String(16), nullable=False)
    install_id: Mapped[str] = mapped_column(String(36), nullable=False, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    camat_nama: Mapped[str | None] = mapped_column(String(200))
    camat_nip: Mapped[str | None] = mapped_column(String(40))
    camat_pangkat: Mapped[str | None] = mapped_column(String(120))
    bpjs_branch_name: Mapped[str | None] = mapped_column(String(200))
    bpjs_branch_address: Mapped[str | None] = mapped_column(Text)
    bpjs_branch_head: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class Setting(Base):
    """Office settings (tariffs, numbering formats, ...) as JSON text; defaults are declared in code."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class Wilayah(Base):
    __tablename__ = "wilayah"
    __table_args__ = (CheckConstraint("tingkat IN ('kabupaten', 'kecamatan', 'desa', 'kelurahan')", name="tingkat"),)

    kode: Mapped[str] = mapped_column(String(16), primary_key=True)
    nama: Mapped[str] = mapped_column(String(100), nullable=False)
    tingkat: Mapped[str] = mapped_column(String(16), nullable=False)
    kode_induk: Mapped[str] = mapped_column(String(16), nullable=False, index=True)


class Official(SyncMixin, Base):
    """One person holding one position for one term. Re-election is a new row; nothing is overwritten."""

    __tablename__ = "official"
    __table_args__ = (
        CheckConstraint("jenis_kelamin IN ('L', 'P')", name="jenis_kelamin"),
        CheckConstraint("jabatan IN ('ketua_rt', 'ketua_rw', 'sekretaris', 'bendahara', 'lainnya')", name="jabatan"),
        CheckConstraint("term_status IN ('menjabat', 'berakhir')", name="term_status"),
        CheckConstraint("length(nik) = 16", name="nik_length"),
        CheckConstraint("rt IS NULL OR (rt BETWEEN 1 AND 999)", name="rt_range"),
        CheckConstraint("rw IS NULL OR (rw BETWEEN 1 AND 999)", name="rw_range"),
        # unique NIK among serving, live officials
        # unique NIK among serving, live officials of one office; at the regency the same NIK serving in two
        # kecamatan is stored from both packages and flagged (services/sync/status.py), never silently merged
        Index(
            "uq_official_nik_serving",
            "office_code",
            "nik",
            unique=True,
            sqlite_where=SERVING,
            postgresql_where=SERVING,
        ),
        # at most one serving holder of a single-holder position per RT or RW slot
        Index(
            "uq_official_slot_serving",
            "desa_kode",
            text("coalesce(rw, 0)"),
            text("coalesce(rt, 0)"),
            "jabatan",
            unique=True,
            sqlite_where=text("deleted_at IS NULL AND term_status = 'menjabat' AND jabatan <> 'lainnya'"),
            postgresql_where=text("deleted_at IS NULL AND term_status = 'menjabat' AND jabatan <> 'lainnya'"),
        ),
        Index("ix_official_desa_slot", "desa_kode", "rw", "rt"),
        # covering index of the dashboard's status counts and trend (services/dashboard.py): one scan, no table
        # row read (jabatan for the insured posts, term_start for the trend: revision 0008_server_speed)
        Index(
            "ix_official_coverage",
            "desa_kode",
            "term_status",
            "ended_on",
            "cov_ended_on",
            "cov_registered_on",
            "cov_submitted_on",
            "cov_paid_through",
            "office_code",
            "jabatan",
            "term_start",
            "deleted_at",
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        ),
        # covering index of the worklist counts (services/worklists.py counts): serving officials only, by position
        # (the officials holding a position twice are grouped in index order), then every column the lists decided
        # by the official row read, and the two of its condition (revision 0009_worklist_counts)
        Index(
            "ix_official_worklists",
            "desa_kode",
            "rw",
            "rt",
            "jabatan",
            "office_code",
            "term_end",
            "cov_ended_on",
            "cov_registered_on",
            "cov_submitted_on",
            "cov_paid_through",
            "term_status",
            "deleted_at",
            sqlite_where=SERVING,
            postgresql_where=SERVING,
        ),
        # the serving officials by NIK, covering: the worklist counts group it in order for the NIKs held twice,
        # however many ended terms (re-elections) share a NIK (revision 0009_worklist_counts)
        Index(
            "ix_official_serving_nik",
            "nik",
            "office_code",
            "term_status",
            "deleted_at",
            sqlite_where=SERVING,
            postgresql_where=SERVING,
        ),
    )

    nik: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    nama: Mapped[str] = mapped_column(String(200), nullable=False)
    tempat_lahir: Mapped[str | None] = mapped_column(String(100))
    tanggal_lahir: Mapped[dt.date | None] = mapped_column(Date)
    jenis_kelamin: Mapped[str] = mapped_column(String(1), nullable=False)
    alamat: Mapped[str | None] = mapped_column(Text)
    desa_kode: Mapped[str] = mapped_column(ForeignKey("wilayah.kode"), nullable=False)
    rw: Mapped[int | None] = mapped_column(Integer)
    rt: Mapped[int | None] = mapped_column(Integer)
    jabatan: Mapped[str] = mapped_column(String(20), nullable=False)
    jabatan_lain: Mapped[str | None] = mapped_column(String(100))
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)
    sk_nomor: Mapped[str | None] = mapped_column(String(100))
    sk_tanggal: Mapped[dt.date | None] = mapped_column(Date)
    telepon: Mapped[str | None] = mapped_column(String(20))
    # optional, never required (docs/domain.md 2.2): revision 0003
    email: Mapped[str | None] = mapped_column(String(254))
    nama_ibu_kandung: Mapped[str | None] = mapped_column(String(200))
    term_status: Mapped[str] = mapped_column(String(12), nullable=False, default="menjabat")
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    end_note: Mapped[str | None] = mapped_column(Text)
    replaced_by_id: Mapped[str | None] = mapped_column(ForeignKey("official.id"))
    catatan: Mapped[str | None] = mapped_column(Text)

    # The enrollment that decides this official's coverage (the open one, else the one that ended last, ties by
    # id) and the four of its columns the status rule reads. Derived: kept by the database's own triggers on
    # ``enrollment`` (migration 0002_coverage_summary), never written by the app, never sent in sync packages,
    # so the dashboard counts 100,000 officials from one index without a join. Read them with Core queries;
    # an ORM object loaded before an enrollment change holds stale values.
    cov_enrollment_id: Mapped[str | None] = mapped_column(String(36), info=DERIVED)
    cov_submitted_on: Mapped[dt.date | None] = mapped_column(Date, info=DERIVED)
    cov_registered_on: Mapped[dt.date | None] = mapped_column(Date, info=DERIVED)
    cov_ended_on: Mapped[dt.date | None] = mapped_column(Date, info=DERIVED)
    cov_paid_through: Mapped[str | None] = mapped_column(String(7), info=DERIVED)


class Enrollment(SyncMixin, Base):
    """Membership of one official in BPJS Ketenagakerjaan (BPU)."""

    __tablename__ = "enrollment"
    __table_args__ = (
        CheckConstraint("funding_source IN ('ADD', 'APBDes', 'APBD', 'mandiri')", name="funding_source"),
        CheckConstraint("monthly_amount >= 0", name="monthly_amount"),
        Index(
            "uq_enrollment_official_open",
            "official_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL AND ended_on IS NULL"),
            postgresql_where=text("deleted_at IS NULL AND ended_on IS NULL"),
        ),
        # covering index of the coverage triggers (migration 0002) and the worklists: the columns they read of an
        # official's live enrollments
        Index(
            "ix_enrollment_dashboard",
            "official_id",
            "ended_on",
            "registered_on",
            "submitted_on",
            "paid_through",
            "id",
            "deleted_at",
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        ),
        # the open enrollments with a KPJ number but no registration date (recording a KPJ sets both: few or none),
        # which the count of submissions waiting for a KPJ subtracts (services/worklists.py counts; revision 0009);
        # covering, else SQLite (no statistics) scans ix_enrollment_dashboard and reads every row for nomor_kpj
        Index(
            "ix_enrollment_kpj_unregistered",
            "official_id",
            "id",
            "nomor_kpj",
            "registered_on",
            "ended_on",
            "deleted_at",
            sqlite_where=KPJ_UNREGISTERED,
            postgresql_where=KPJ_UNREGISTERED,
        ),
    )

    official_id: Mapped[str] = mapped_column(ForeignKey("official.id"), nullable=False, index=True)
    nomor_kpj: Mapped[str | None] = mapped_column(String(20))
    programs: Mapped[str] = mapped_column(String(20), nullable=False, default="JKK,JKM")
    declared_income: Mapped[int | None] = mapped_column(Integer)
    tariff_code: Mapped[str] = mapped_column(String(40), nullable=False)
    monthly_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    funding_source: Mapped[str] = mapped_column(String(10), nullable=False, default="ADD")
    submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    # contributions paid without a gap from the registration month through this month ("YYYY-MM")
    paid_through: Mapped[str | None] = mapped_column(String(7))


class ContributionPayment(SyncMixin, Base):
    """One month's contribution for one enrollment. Batches (a whole desa at once) share ``batch_id``.

    A payment recorded by mistake is voided, never erased: ``voided_at``/``voided_by``/``void_reason`` say when, by
    whom and why, and the row is a tombstone from then on (``deleted_at`` = ``voided_at``), so every reader of live
    payments and the month's unique index leave it out, and the void travels in sync packages like any deletion
    (revision ``0007_payment_void``)."""

    __tablename__ = "contribution_payment"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount"),
        Index(
            "uq_contribution_payment_month",
            "enrollment_id",
            "periode",
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        ),
    )

    enrollment_id: Mapped[str] = mapped_column(ForeignKey("enrollment.id"), nullable=False, index=True)
    periode: Mapped[str] = mapped_column(String(7), nullable=False)
    amount: Mapped[int] = mapped_column(Integer, nullable=False)
    paid_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    batch_id: Mapped[str | None] = mapped_column(String(36), index=True)
    reference: Mapped[str | None] = mapped_column(String(200))
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str | None] = mapped_column(String(60))
    void_reason: Mapped[str | None] = mapped_column(Text)


class Event(SyncMixin, Base):
    """A socialization session."""

    __tablename__ = "event"

    title: Mapped[str] = mapped_column(String(300), nullable=False)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(300), nullable=False)
    organiser: Mapped[str | None] = mapped_column(String(200))
    speakers: Mapped[str | None] = mapped_column(Text)  # JSON list of {"nama", "peran"}
    notes: Mapped[str | None] = mapped_column(Text)


class EventParticipant(SyncMixin, Base):
    __tablename__ = "event_participant"
    __table_args__ = (
        Index(
            "uq_event_participant_official",
            "event_id",
            "official_id",
            unique=True,
            sqlite_where=text("deleted_at IS NULL AND official_id IS NOT NULL"),
            postgresql_where=text("deleted_at IS NULL AND official_id IS NOT NULL"),
        ),
    )

    event_id: Mapped[str] = mapped_column(ForeignKey("event.id"), nullable=False, index=True)
    official_id: Mapped[str | None] = mapped_column(ForeignKey("official.id"), index=True)
    guest_name: Mapped[str | None] = mapped_column(String(200))
    guest_role: Mapped[str | None] = mapped_column(String(200))
    guest_origin: Mapped[str | None] = mapped_column(String(200))
    attended: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class NumberSequence(Base):
    """The last number given out per office, year and sequence name (letters, certificates, ...)."""

    __tablename__ = "number_sequence"

    office_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    sequence: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class RegisterEntry(SyncMixin, Base):
    """Every number ever given out: issued, reserved for a letter made outside the app, or voided."""

    __tablename__ = "register_entry"
    __table_args__ = (
        CheckConstraint("state IN ('issued', 'reserved', 'voided')", name="state"),
        Index("uq_register_entry_number", "office_code", "year", "sequence", "number", unique=True),
    )

    year: Mapped[int] = mapped_column(Integer, nullable=False)
    sequence: Mapped[str] = mapped_column(String(40), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    nomor: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class Document(SyncMixin, Base):
    """An issued letter or certificate: the data it was printed from and its PDF's hash."""

    __tablename__ = "document"

    register_entry_id: Mapped[str | None] = mapped_column(ForeignKey("register_entry.id"), index=True)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    nomor: Mapped[str] = mapped_column(String(120), nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recipients: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text, nullable=False)  # JSON: what was printed
    sha256: Mapped[str | None] = mapped_column(String(64))
    verification_code: Mapped[str | None] = mapped_column(String(40), index=True)
    signature: Mapped[str | None] = mapped_column(Text)
    print_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class DocumentSubject(Base):
    """Which officials a document concerns (the lampiran of a pengantar, a certificate's holder, ...)."""

    __tablename__ = "document_subject"

    document_id: Mapped[str] = mapped_column(ForeignKey("document.id"), primary_key=True)
    official_id: Mapped[str] = mapped_column(ForeignKey("official.id"), primary_key=True, index=True)


class IdentityKey(Base):
    """This installation's private keys (Ed25519 signing, X25519 encryption), made at init.

    Kept in the database so that a restored backup keeps the office's identity.
    """

    __tablename__ = "identity_key"
    __table_args__ = (CheckConstraint("purpose IN ('signing', 'encryption')", name="purpose"),)

    purpose: Mapped[str] = mapped_column(String(16), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text, nullable=False)
    public_b64: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class TrustedPeer(Base):
    """Another installation whose public identity file this office imported (e.g. the regency)."""

    __tablename__ = "trusted_peer"

    install_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_code: Mapped[str] = mapped_column(String(16), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    signing_public_b64: Mapped[str] = mapped_column(String(100), nullable=False)
    encryption_public_b64: Mapped[str] = mapped_column(String(100), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(100), nullable=False)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class User(Base):
    """A local account (services/accounts.py): Argon2id password hash, role, and the failed-login counter behind
    the growing delay (reset by a successful login)."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("role IN ('admin', 'operator', 'pembaca', 'sistem')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    password_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditLog(Base):
    """Who did what, with the old and new values (JSON, personal data masked), hash-chained in id order.

    Written by every service call that changes data, and for imports, exports, letters, sync, logins and reveals.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(60), nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False)
    entity: Mapped[str] = mapped_column(String(60), nullable=False)
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    old_values: Mapped[str | None] = mapped_column(Text)
    new_values: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    # the hash chain (domain/audit.py, docs/audit.md): the details' hash survives a retention purge of the details
    details_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    hash: Mapped[str] = mapped_column(String(64), nullable=False)


__all__ = [
    "AuditLog",
    "Base",
    "ContributionPayment",
    "Document",
    "DocumentSubject",
    "Enrollment",
    "Event",
    "EventParticipant",
    "IdentityKey",
    "NumberSequence",
    "Office",
    "Official",
    "RegisterEntry",
    "Setting",
    "TrustedPeer",
    "User",
    "Wilayah",
]
