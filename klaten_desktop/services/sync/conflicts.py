"""Reviewing what sync could not decide alone.

- At the regency: versions that lost (``versi``), and corrections the kecamatan overrode (``koreksi_ditolak``).
  Accepting a losing version stores it as a regency correction, which goes back to the kecamatan in the
  next return package.
- At a kecamatan: corrections from the regency (``koreksi``). Accepting applies them as a local edit; refusing
  raises the local row's version so the kecamatan's own values win at the regency on the next export.

Either way the result is a new, higher ``row_version`` made by this installation: no clock is consulted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office
from klaten_desktop.db.models_sync import SyncConflict, SyncPending
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import NotFoundError, UserError
from klaten_desktop.services.sync.merge import write_subjects
from klaten_desktop.services.sync.tables import BY_NAME, SUBJECTS, TABLE_LABELS, TableSpec, content

KIND_LABELS = {
    "versi": "Versi kalah (disimpan untuk ditinjau)",
    "koreksi": "Koreksi dari kabupaten",
    "koreksi_ditolak": "Koreksi kabupaten tertimpa data kecamatan",
}


@dataclass(frozen=True)
class ConflictRow:
    id: int
    kind: str
    status: str
    table_name: str
    row_id: str
    office_code: str
    proposed_version: int
    proposed: dict[str, Any]  # the kept loser / the proposed correction (JSON form)
    current_version: int | None
    current: dict[str, Any] | None  # the row as it is now (JSON form), None when absent
    changed_fields: tuple[str, ...]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def table_label(self) -> str:
        return TABLE_LABELS[self.table_name]

    @property
    def title(self) -> str:
        """A short description for a list: the official's name, the document number, ..."""
        data = self.proposed
        for key in ("nama", "nomor", "title", "periode", "guest_name"):
            if data.get(key):
                return f"{self.table_label}: {data[key]}"
        return self.table_label


@dataclass(frozen=True)
class PendingRow:
    table_name: str
    row_id: str
    row_version: int
    office_code: str
    reason: str


def _current(session: Session, spec: TableSpec, row_id: str) -> dict[str, Any] | None:
    t = spec.table
    row = session.execute(select(*spec.select_columns()).where(t.c.id == row_id)).first()
    return None if row is None else spec.encode(row)


def _to_row(session: Session, c: SyncConflict) -> ConflictRow:
    spec = BY_NAME[c.table_name]
    proposed = json.loads(c.loser_json)
    current = _current(session, spec, c.row_id)
    fields = tuple(
        k
        for k in spec.columns
        if k not in ("row_version", "updated_at", "origin_install")
        and (current is None or current.get(k) != proposed.get(k))
    )
    return ConflictRow(
        id=c.id,
        kind=c.kind,
        status=c.status,
        table_name=c.table_name,
        row_id=c.row_id,
        office_code=c.office_code,
        proposed_version=c.loser_version,
        proposed=proposed,
        current_version=None if current is None else int(current["row_version"]),
        current=current,
        changed_fields=fields,
    )


def list_conflicts(ctx: ServiceContext, *, status: str | None = "terbuka", limit: int = 1000) -> list[ConflictRow]:
    stmt = select(SyncConflict).order_by(SyncConflict.office_code, SyncConflict.id).limit(limit)
    if status is not None:
        stmt = stmt.where(SyncConflict.status == status)
    with ctx.read() as session:
        return [_to_row(session, c) for c in session.scalars(stmt)]


def open_count(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return session.scalar(select(func.count()).where(SyncConflict.status == "terbuka")) or 0


def pending(ctx: ServiceContext) -> list[PendingRow]:
    """Received rows still waiting (for a parent row, or because a unique rule blocks them)."""
    with ctx.read() as session:
        return [
            PendingRow(t, r, v, o, reason)
            for t, r, v, o, reason in session.execute(
                select(
                    SyncPending.table_name,
                    SyncPending.row_id,
                    SyncPending.row_version,
                    SyncPending.office_code,
                    SyncPending.reason,
                ).order_by(SyncPending.office_code, SyncPending.table_name)
            )
        ]


def _load(session: Session, conflict_id: int) -> SyncConflict:
    c = session.get(SyncConflict, conflict_id)
    if c is None:
        raise NotFoundError(f"Konflik nomor {conflict_id} tidak ditemukan.")
    if c.status != "terbuka":
        raise UserError(f"Konflik nomor {conflict_id} sudah diputuskan ({c.status}).")
    return c


def accept(ctx: ServiceContext, actor: Actor, conflict_id: int) -> ConflictRow:
    """Make the kept/proposed version the current one, as a new version made here."""
    require(actor, Permission.sync)
    with ctx.write() as session:
        c = _load(session, conflict_id)
        spec = BY_NAME[c.table_name]
        me = _install(session)
        obj = json.loads(c.loser_json)
        proposed = spec.decode(obj)
        t = spec.table
        current_version = session.scalar(select(t.c.row_version).where(t.c.id == c.row_id))
        version = max(int(current_version or 0), c.loser_version) + 1
        values = {
            **spec.to_python(content(proposed)),
            "row_version": version,
            "origin_install": me,
            "updated_at": ctx.now(),
        }
        try:
            with session.begin_nested():
                if current_version is None:
                    session.execute(insert(t).values(**values))
                else:
                    session.execute(update(t).where(t.c.id == c.row_id).values(**values))
                if spec.name == "document" and SUBJECTS in obj:
                    write_subjects(session, [{"id": c.row_id, SUBJECTS: obj[SUBJECTS]}])
        except IntegrityError:
            raise UserError(
                "Versi ini tidak dapat dipakai karena bertentangan dengan data lain "
                "(NIK atau jabatan yang sama masih dipakai, atau data induknya tidak ada)."
            ) from None
        c.status = "diterima"
        c.resolved_by = actor.username
        audit.record(
            session,
            actor,
            "sync_accept",
            c.table_name,
            c.row_id,
            new={"conflict": c.id, "kind": c.kind, "row_version": version},
            summary=f"Konflik sinkronisasi no. {c.id} diterima",
        )
        session.flush()
        return _to_row(session, c)


def refuse(ctx: ServiceContext, actor: Actor, conflict_id: int) -> ConflictRow:
    """Keep the current row. A refused correction raises the local version so the refusal reaches the regency."""
    require(actor, Permission.sync)
    with ctx.write() as session:
        c = _load(session, conflict_id)
        spec = BY_NAME[c.table_name]
        t = spec.table
        if c.kind == "koreksi":
            current_version = session.scalar(select(t.c.row_version).where(t.c.id == c.row_id))
            if current_version is not None:
                version = max(int(current_version), c.loser_version) + 1
                session.execute(
                    update(t)
                    .where(t.c.id == c.row_id)
                    .values(row_version=version, origin_install=_install(session), updated_at=ctx.now())
                )
        c.status = "ditolak"
        c.resolved_by = actor.username
        audit.record(
            session,
            actor,
            "sync_refuse",
            c.table_name,
            c.row_id,
            new={"conflict": c.id, "kind": c.kind},
            summary=f"Konflik sinkronisasi no. {c.id} ditolak",
        )
        session.flush()
        return _to_row(session, c)


def _install(session: Session) -> str:
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur (init).")
    return office.install_id
