"""Writing packages: a kecamatan's changes for the regency, or the regency's corrections back to a kecamatan.

"Changed since the last export" does not use clocks: ``sync_row_state`` remembers, per recipient and row, the
``(row_version, origin_install)`` last written into a package. A row goes again when its pair differs (every
service edit raises ``row_version``), or always with ``full``. A lost package is covered by ``--full``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, String, and_, func, insert, literal, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from klaten_desktop import __version__
from klaten_desktop.db import dialects
from klaten_desktop.db.migrate import HEAD_REVISION
from klaten_desktop.db.models import Document, DocumentSubject, Office, TrustedPeer
from klaten_desktop.db.models_sync import SyncPackage, SyncPeerState, SyncRowState
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report
from klaten_desktop.services import audit, identity, settings
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.files import staged
from klaten_desktop.services.sync import archive, continuity, package
from klaten_desktop.services.sync.tables import SPECS, SUBJECTS, TableSpec

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

CANCELLED = "Ekspor dibatalkan; tidak ada yang berubah."


@dataclass(frozen=True)
class Recipient:
    """The office a package goes to, and whether it carries data (to the regency) or corrections back."""

    install_id: str
    office_code: str
    name: str
    encryption_public_b64: str
    kind: str  # "data" or "return"


@dataclass(frozen=True)
class ExportPreview:
    """What the next package would hold (for the export screen)."""

    recipient_name: str
    recipient_office: str
    sequence: int
    full: bool
    counts: dict[str, int]
    deleted: int

    @property
    def total(self) -> int:
        """All rows the package would hold."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class ExportResult:
    """The package written: where, its number, SHA-256, row counts and size."""

    path: Path
    office: str
    recipient_office: str
    sequence: int
    sha256: str
    full: bool
    counts: dict[str, int]
    bytes_written: int
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackageRow:
    """One line of the package history (sent or received)."""

    direction: str
    kind: str
    sender_office: str
    recipient_office: str
    sequence: int
    sha256: str
    full: bool
    counts: dict[str, int]
    result: dict[str, Any] | None
    created_at: str
    recorded_at: dt.datetime
    file_name: str | None


def _office(session: Session) -> Office:
    """This office; refuses before ``init``."""
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur (init).")
    return office


def recipient_of(session: Session, to: str | None) -> tuple[Office, Recipient]:
    """This office and the recipient of its current stream (the regency, or at the regency kecamatan ``to``)."""
    office = _office(session)
    return office, _recipient(session, office, to)


def _recipient(session: Session, office: Office, to: str | None) -> Recipient:
    """Who the next package goes to: the regency from a kecamatan, kecamatan ``to`` from the regency."""
    if office.role == "kecamatan":
        if to is not None:
            raise UserError("Paket balikan (--to) hanya dibuat di kantor kabupaten.")
        peer = session.scalars(select(TrustedPeer).where(TrustedPeer.role == "kabupaten")).first()
        if peer is None:
            raise UserError(
                "Kunci kantor kabupaten belum diimpor. Impor berkas kunci kabupaten "
                "(menu Sinkronisasi atau 'klaten-desktop keys import BERKAS') lalu coba lagi."
            )
        return Recipient(peer.install_id, peer.office_code, peer.name, peer.encryption_public_b64, "data")
    if to is None:
        raise UserError("Di kantor kabupaten, sebutkan kecamatan tujuan paket balikan (--to 33.10.NN).")
    active = session.scalar(
        select(SyncPeerState.install_id).where(SyncPeerState.office_code == to, SyncPeerState.status == "aktif")
    )
    stmt = select(TrustedPeer).where(TrustedPeer.office_code == to)
    if active is not None:
        stmt = stmt.where(TrustedPeer.install_id == active)
    peers = list(session.scalars(stmt))
    if len(peers) != 1:
        raise UserError(
            f"Kunci kecamatan {to} belum diimpor."
            if not peers
            else f"Ada beberapa instalasi kecamatan {to}; impor dahulu satu paket darinya agar jelas yang aktif."
        )
    peer = peers[0]
    return Recipient(peer.install_id, peer.office_code, peer.name, peer.encryption_public_b64, "return")


def _select_changed(
    spec: TableSpec, office: Office, recipient: Recipient, full: bool, *columns: ColumnElement[Any]
) -> Select[Any]:
    """``columns`` of the rows the next package for ``recipient`` holds."""
    t = spec.table
    state = SyncRowState.__table__
    stmt = select(*columns)
    if recipient.kind == "data":
        stmt = stmt.where(t.c.office_code == office.office_code)
    else:
        stmt = stmt.where(t.c.office_code == recipient.office_code, t.c.origin_install == office.install_id)
    if not full:
        stmt = stmt.outerjoin(
            state,
            and_(
                state.c.peer_install == recipient.install_id,
                state.c.table_name == spec.name,
                state.c.row_id == t.c.id,
            ),
        ).where(
            (state.c.row_id.is_(None))
            | (state.c.row_version != t.c.row_version)
            | (state.c.origin_install.is_distinct_from(t.c.origin_install))
        )
    return stmt


def _remember(session: Session, spec: TableSpec, office: Office, recipient: Recipient, full: bool) -> None:
    """Record in ``sync_row_state`` the version of every row that goes (in SQL, in the export's transaction, so
    the same rows as the package). Rows whose recorded pair is already right are not rewritten: a repeated full
    export then only reads the state."""
    t = spec.table
    sub = _select_changed(spec, office, recipient, full, t.c.id, t.c.row_version, t.c.origin_install).subquery()
    stmt = dialects.insert_upsertable(session, SyncRowState).from_select(
        ["peer_install", "table_name", "row_id", "row_version", "origin_install"],
        # WHERE true: SQLite needs it to tell the upsert's ON CONFLICT from a join's ON
        select(
            literal(recipient.install_id, String),
            literal(spec.name, String),
            sub.c.id,
            sub.c.row_version,
            sub.c.origin_install,
        ).where(true()),
    )
    state = SyncRowState.__table__
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=[state.c.peer_install, state.c.table_name, state.c.row_id],
            set_={"row_version": stmt.excluded.row_version, "origin_install": stmt.excluded.origin_install},
            where=(state.c.row_version != stmt.excluded.row_version)
            | state.c.origin_install.is_distinct_from(stmt.excluded.origin_install),
        )
    )


def _stream(session: Session, office: Office, recipient: Recipient) -> dict[int, str]:
    """The package hashes of the stream to ``recipient`` so far, by sequence number."""
    rows = session.execute(
        select(SyncPackage.sequence, SyncPackage.sha256).where(
            SyncPackage.direction == "sent",
            SyncPackage.sender_install == office.install_id,
            SyncPackage.recipient_install == recipient.install_id,
        )
    )
    return dict(rows.tuples().all())


def preview(ctx: ServiceContext, *, full: bool = False, to: str | None = None) -> ExportPreview:
    """What the next package would hold, without writing anything."""
    with ctx.read() as session:
        office = _office(session)
        recipient = _recipient(session, office, to)
        counts: dict[str, int] = {}
        deleted = 0
        for spec in SPECS:
            t = spec.table
            sub = _select_changed(spec, office, recipient, full, t.c.id, t.c.deleted_at).subquery()
            counts[spec.name] = session.scalar(select(func.count()).select_from(sub)) or 0
            deleted += session.scalar(select(func.count()).select_from(sub).where(sub.c.deleted_at.is_not(None))) or 0
        sequence = max(_stream(session, office, recipient), default=0) + 1
    return ExportPreview(recipient.name, recipient.office_code, sequence, full, counts, deleted)


def _subjects(session: Session, office_code: str) -> dict[str, list[str]]:
    """The officials each document of ``office_code`` concerns, by document id, sorted."""
    rows = session.execute(
        select(DocumentSubject.document_id, DocumentSubject.official_id)
        .join(Document, Document.id == DocumentSubject.document_id)
        .where(Document.office_code == office_code)
        .order_by(DocumentSubject.document_id, DocumentSubject.official_id)
    )
    result: dict[str, list[str]] = defaultdict(list)
    for doc, official in rows:
        result[doc].append(official)
    return result


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def export(
    ctx: ServiceContext,
    actor: Actor,
    path: Path,
    *,
    full: bool = False,
    to: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ExportResult:
    """Write the next package to ``path`` and record it; the file appears only after the commit.

    In one transaction: build and seal the package, keep its bytes in the archive (``archive.keep``, for a
    re-issue), record it, and write it under a temporary name beside ``path``; then the commit; then the rename
    into place and the state file (``continuity.py``). A failure before the commit changes nothing (the sequence
    number is not used up, no file appears under ``path``); a failure of the rename after it says that the
    package is recorded and can be re-issued byte for byte.
    """
    require(actor, Permission.sync)
    path = Path(path)
    if not path.parent.is_dir():
        raise UserError(f"Folder {path.parent} tidak ada. Pilih folder pada flashdisk atau komputer ini.")
    signing = identity.signing_key(ctx)
    total_steps = len(SPECS) + 1
    with contextlib.ExitStack() as files:
        with ctx.write() as session:
            office, recipient = recipient_of(session, to)
            archive.discard_unrecorded(ctx, session)
            sequence, manifest, data = _build(session, office, recipient, full, ctx.now(), signing, progress,
                                              cancelled, total_steps)  # fmt: skip
            sha = hashlib.sha256(data).hexdigest()
            archive.keep(ctx, session, data)
            _record(session, actor, recipient, manifest, sha, path.name, ctx.now())
            file = files.enter_context(staged(path, data))
        archive.placed_or_explain(file, sequence)
    warnings = archive.state_saved(ctx)
    report(progress, total_steps, total_steps)
    counts = manifest["counts"]
    return ExportResult(
        path, office.office_code, recipient.office_code, sequence, sha, full, counts, len(data), warnings
    )


def _build(
    session: Session,
    office: Office,
    recipient: Recipient,
    full: bool,
    now: dt.datetime,
    signing: Ed25519PrivateKey,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    total_steps: int,
) -> tuple[int, dict[str, Any], bytes]:
    """The next package for ``recipient``: its number, manifest and sealed bytes (remembers the rows that go)."""
    stream = _stream(session, office, recipient)
    sequence = max(stream, default=0) + 1
    tables, counts = _package_rows(session, office, recipient, full, progress, cancelled, total_steps)
    manifest = _manifest(office, recipient, sequence, stream, full, now, counts)
    manifest["audit_head"] = audit.head_of(session)
    manifest["restored"] = continuity.take_restored(session, recipient.install_id)
    data = package.seal(
        kind=recipient.kind,
        sender_install=office.install_id,
        sender_office=office.office_code,
        recipient_install=recipient.install_id,
        recipient_office=recipient.office_code,
        recipient_encryption_b64=recipient.encryption_public_b64,
        sequence=sequence,
        payload=package.build_zip(manifest, tables),
        signing_key=signing,
    )
    return sequence, manifest, data


def _package_rows(
    session: Session,
    office: Office,
    recipient: Recipient,
    full: bool,
    progress: Progress | None,
    cancelled: CancelCheck | None,
    total_steps: int,
) -> tuple[dict[str, bytes], dict[str, int]]:
    """The ``rows/<table>.jsonl`` contents of the package and their line counts; remembers the rows that go."""
    tables: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    owner = office.office_code if recipient.kind == "data" else recipient.office_code
    for step, spec in enumerate(SPECS):
        check(cancelled, CANCELLED)  # out of ctx.write(): rolled back, the sequence number is not used up
        lines = _lines(session, spec, office, recipient, full, owner)
        if lines:
            _remember(session, spec, office, recipient, full)
        counts[spec.name] = len(lines)
        tables[spec.name] = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
        report(progress, step + 1, total_steps)
    return tables, counts


def _lines(
    session: Session, spec: TableSpec, office: Office, recipient: Recipient, full: bool, owner: str
) -> list[str]:
    """The package lines of ``spec``'s rows that go to ``recipient``."""
    if dialects.is_postgresql(session):
        return _lines_on_server(session, spec, office, recipient, full, owner)
    # SQLite writes the lines (json_object): plain text rows, nothing to convert in Python
    if spec.name != "document":
        stmt = _select_changed(spec, office, recipient, full, spec.json_line())
        return [line for (line,) in session.connection().execute(stmt).cursor.fetchall()]
    stmt = _select_changed(spec, office, recipient, full, spec.json_line(), spec.table.c.id)
    rows = session.connection().execute(stmt).cursor.fetchall()
    # the object's closing brace gives way to the ids of the officials the document concerns
    subjects = _subjects(session, owner) if rows else {}
    return [f'{line[:-1]},"{SUBJECTS}":{_compact(subjects.get(row_id, []))}}}' for line, row_id in rows]


def _lines_on_server(
    session: Session, spec: TableSpec, office: Office, recipient: Recipient, full: bool, owner: str
) -> list[str]:
    """:func:`_lines` on PostgreSQL: the same bytes as SQLite's json_object writes (the package format does not
    depend on the sender's engine), the values as SQLite stores them: dates ``YYYY-MM-DD``, timestamps
    ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    t = spec.table
    stmt = _select_changed(spec, office, recipient, full, *(t.c[c] for c in spec.columns))
    rows = session.connection().execute(stmt).cursor.fetchall()
    subjects = _subjects(session, owner) if rows and spec.name == "document" else None
    lines = []
    for row in rows:
        values = {c: _as_stored(v) for c, v in zip(spec.columns, row, strict=True)}
        if subjects is not None:
            values[SUBJECTS] = subjects.get(values["id"], [])
        lines.append(_compact(values))
    return lines


def _as_stored(value: Any) -> Any:
    """A value as SQLite keeps it (SQLAlchemy's storage formats of Date and DateTime)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _manifest(
    office: Office,
    recipient: Recipient,
    sequence: int,
    stream: dict[int, str],
    full: bool,
    now: dt.datetime,
    counts: dict[str, int],
) -> dict[str, Any]:
    """The package's ``manifest.json``."""
    return {
        "format_version": package.FORMAT_VERSION,
        "kind": recipient.kind,
        "schema_version": HEAD_REVISION,
        "app_version": __version__,
        "office": office.office_code,
        "office_name": office.name,
        "install_id": office.install_id,
        "recipient_office": recipient.office_code,
        "recipient_install": recipient.install_id,
        "sequence": sequence,
        "previous_sha256": stream.get(sequence - 1),
        "stream_sha256": [stream.get(n) for n in range(1, sequence)],
        "full": full,
        "created_at": now.isoformat(timespec="seconds") + "Z",
        "counts": counts,
    }


def _record(
    session: Session,
    actor: Actor,
    recipient: Recipient,
    manifest: dict[str, Any],
    sha: str,
    file_name: str,
    now: dt.datetime,
) -> None:
    """Add the package to ``sync_package`` (direction ``sent``) and to the audit log."""
    sequence, full, counts = manifest["sequence"], manifest["full"], manifest["counts"]
    session.execute(
        insert(SyncPackage).values(
            direction="sent",
            kind=recipient.kind,
            sender_install=manifest["install_id"],
            sender_office=manifest["office"],
            recipient_install=recipient.install_id,
            recipient_office=recipient.office_code,
            sequence=sequence,
            previous_sha256=manifest["previous_sha256"],
            audit_head=None if manifest["audit_head"] is None else json.dumps(manifest["audit_head"], sort_keys=True),
            sha256=sha,
            full=int(full),
            counts=json.dumps(counts, sort_keys=True),
            app_version=__version__,
            schema_version=HEAD_REVISION,
            created_at=manifest["created_at"],
            file_name=file_name,
            recorded_at=now,
        )
    )
    audit.record(
        session,
        actor,
        "sync_export",
        "sync_package",
        None,
        new={"sequence": sequence, "recipient": recipient.office_code, "full": full, "counts": counts},
        summary=f"Paket sinkronisasi no. {sequence} untuk {recipient.name} ({sum(counts.values())} baris)",
    )


def history(ctx: ServiceContext, *, direction: str | None = None, limit: int = 500) -> list[PackageRow]:
    """The newest packages sent and received (or of one ``direction``), newest first."""
    stmt = select(SyncPackage).order_by(SyncPackage.id.desc()).limit(limit)
    if direction is not None:
        stmt = stmt.where(SyncPackage.direction == direction)
    with ctx.read() as session:
        return [
            PackageRow(
                p.direction,
                p.kind,
                p.sender_office,
                p.recipient_office,
                p.sequence,
                p.sha256,
                bool(p.full),
                json.loads(p.counts),
                None if p.result is None else json.loads(p.result),
                p.created_at,
                p.recorded_at,
                p.file_name,
            )
            for p in session.scalars(stmt)
        ]


@dataclass(frozen=True)
class Reminder:
    """Whether a kecamatan is due to export, and the reminder to show."""

    due: bool
    days_since: int | None  # None: never exported
    period_days: int
    message: str | None


def reminder(ctx: ServiceContext) -> Reminder:
    """Whether to remind a kecamatan to export (the last export is older than ``ekspor.pengingat_hari``).

    Uses this PC's date only to nag; no data decision depends on it.
    """
    period = int(settings.get(ctx, "ekspor.pengingat_hari"))
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None or office.role != "kecamatan":
            return Reminder(False, None, period, None)
        last = session.scalar(select(func.max(SyncPackage.recorded_at)).where(SyncPackage.direction == "sent"))
    if last is None:
        return Reminder(
            True, None, period, "Data belum pernah dikirim ke kabupaten. Buat paket sinkronisasi (menu Sinkronisasi)."
        )
    days = (ctx.today() - last.date()).days
    if days < period:
        return Reminder(False, days, period, None)
    return Reminder(
        True,
        days,
        period,
        f"Paket terakhir dikirim {days} hari lalu. Buat paket sinkronisasi baru untuk kabupaten.",
    )
