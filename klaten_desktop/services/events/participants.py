"""Participants: candidates from the registry, adding officials and guests, removing, listing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Event, EventParticipant, Office, Official, Wilayah, new_uuids
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.services import audit
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events.common import (
    clean_text,
    current_office,
    jabatan_short,
    kecamatan_of,
    live_event,
    peran_long,
)
from klaten_desktop.services.events.rows import (
    CandidateRow,
    ParticipantRow,
)


def _candidate_stmt(
    office: Office,
    *,
    desa_kode: str | None,
    rw: int | None,
    jabatan: Sequence[str] | None,
    search: str | None,
    official_ids: Sequence[str] | None = None,
) -> Any:
    stmt = (
        select(
            Official.id,
            Official.nama,
            Official.jabatan,
            Official.jabatan_lain,
            Official.desa_kode,
            Wilayah.nama,
            Official.rw,
            Official.rt,
        )
        .join(Wilayah, Wilayah.kode == Official.desa_kode)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
        .order_by(Official.desa_kode, Official.rw, Official.rt, Official.jabatan, Official.nama)
    )
    if office.role == "kecamatan":
        stmt = stmt.where(Official.office_code == office.office_code)
    if desa_kode:
        stmt = stmt.where(Official.desa_kode == desa_kode)
    if rw is not None:
        stmt = stmt.where(Official.rw == rw)
    if jabatan:
        stmt = stmt.where(Official.jabatan.in_(list(jabatan)))
    if official_ids is not None:  # a worklist's officials (Beranda: "Belum pernah ikut sosialisasi")
        stmt = stmt.where(Official.id.in_(list(official_ids)))
    text = clean_text(search)
    if text:
        digits = re.sub(r"\D", "", text)
        conds = [Official.nama.ilike(f"%{text}%")]
        if len(digits) >= 4:
            conds.append(Official.nik.like(f"%{digits}%"))
        stmt = stmt.where(or_(*conds))
    return stmt


def candidates(
    ctx: ServiceContext,
    *,
    desa_kode: str | None = None,
    rw: int | None = None,
    jabatan: Sequence[str] | None = None,
    search: str | None = None,
    exclude_event: str | None = None,
    official_ids: Sequence[str] | None = None,
) -> list[CandidateRow]:
    """Serving officials matching the filters (name or NIK digits in ``search``; only ``official_ids`` when given),
    minus those already invited."""
    with ctx.read() as session:
        office = current_office(session)
        stmt = _candidate_stmt(
            office, desa_kode=desa_kode, rw=rw, jabatan=jabatan, search=search, official_ids=official_ids
        )
        if exclude_event:
            stmt = stmt.where(
                ~exists().where(
                    EventParticipant.event_id == exclude_event,
                    EventParticipant.official_id == Official.id,
                    EventParticipant.deleted_at.is_(None),
                )
            )
        return [
            CandidateRow(r[0], r[1], jabatan_short(r[2], r[3], r[7], r[6]), r[4], r[5], r[6], r[7])
            for r in session.execute(stmt)
        ]


def insert_participants(
    session: Session, actor: Actor, event: Event, official_ids: Sequence[str], *, attended: bool = False
) -> list[str]:
    """Invite officials not yet on the list; returns the ids of the new participant rows."""
    existing = set(
        session.scalars(
            select(EventParticipant.official_id).where(
                EventParticipant.event_id == event.id,
                EventParticipant.official_id.in_(list(official_ids)),
                EventParticipant.deleted_at.is_(None),
            )
        )
    )
    fresh = list(dict.fromkeys(oid for oid in official_ids if oid not in existing))
    if not fresh:
        return []
    install = session.scalar(select(Office.install_id))
    ids = new_uuids(len(fresh))
    now = session_now(session)
    session.execute(
        insert(EventParticipant),
        [
            {
                "id": pid,
                "row_version": 1,
                "updated_at": now,
                "office_code": event.office_code,
                "origin_install": install,
                "event_id": event.id,
                "official_id": oid,
                "attended": 1 if attended else 0,
            }
            for pid, oid in zip(ids, fresh, strict=True)
        ],
    )
    audit.record_many(
        session,
        actor,
        "add_participant",
        "event_participant",
        [
            (pid, None, {"event_id": event.id, "official_id": oid, "attended": attended})
            for pid, oid in zip(ids, fresh, strict=True)
        ],
        summary=f"{len(fresh)} peserta ditambahkan ke {event.title}",
    )
    return ids


def add_participants(ctx: ServiceContext, actor: Actor, event_id: str, official_ids: Sequence[str]) -> int:
    """Invite these officials (serving, of this office); those already invited are skipped. Returns how many."""
    if not official_ids:
        raise UserError("Pilih pengurus yang akan diundang.")
    with ctx.write() as session:
        event = live_event(session, event_id)
        office = current_office(session)
        stmt = select(Official.id).where(
            Official.id.in_(list(official_ids)), Official.deleted_at.is_(None), Official.term_status == "menjabat"
        )
        if office.role == "kecamatan":
            stmt = stmt.where(Official.office_code == office.office_code)
        valid = set(session.scalars(stmt))
        unknown = [oid for oid in official_ids if oid not in valid]
        if unknown:
            raise UserError(f"{len(unknown)} pengurus yang dipilih tidak ditemukan atau sudah tidak menjabat.")
        return len(insert_participants(session, actor, event, list(official_ids)))


def add_from_registry(
    ctx: ServiceContext,
    actor: Actor,
    event_id: str,
    *,
    desa_kode: str | None = None,
    rw: int | None = None,
    jabatan: Sequence[str] | None = None,
    search: str | None = None,
    official_ids: Sequence[str] | None = None,
) -> int:
    """Invite every serving official matching the filters (e.g. all Ketua RT of one desa, or a worklist's
    ``official_ids``). Returns how many."""
    if desa_kode is not None:
        with ctx.read() as session:
            if session.get(Wilayah, desa_kode) is None:
                raise UserError(f"Kode desa {desa_kode} tidak ada dalam daftar wilayah.", field="desa")
    with ctx.write() as session:
        event = live_event(session, event_id)
        office = current_office(session)
        stmt = _candidate_stmt(
            office, desa_kode=desa_kode, rw=rw, jabatan=jabatan, search=search, official_ids=official_ids
        )
        ids = [r[0] for r in session.execute(stmt)]
        if not ids:
            raise UserError("Tidak ada pengurus yang menjabat sesuai pilihan itu.")
        return len(insert_participants(session, actor, event, ids))


def add_guest(
    ctx: ServiceContext,
    actor: Actor,
    event_id: str,
    *,
    nama: str,
    peran: str | None = None,
    asal: str | None = None,
    attended: bool = False,
) -> ParticipantRow:
    """A participant who is not in the registry (a kepala desa, a BPJS officer, a PKK member, ...)."""
    clean = clean_text(nama)
    if clean is None:
        raise UserError("Nama tamu wajib diisi.", field="nama")
    with ctx.write() as session:
        event = live_event(session, event_id)
        row = EventParticipant(
            office_code=event.office_code,
            origin_install=session.scalar(select(Office.install_id)),
            event_id=event.id,
            official_id=None,
            guest_name=clean[:200],
            guest_role=(clean_text(peran) or "")[:200] or None,
            guest_origin=(clean_text(asal) or "")[:200] or None,
            attended=1 if attended else 0,
            row_version=1,
            updated_at=ctx.now(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "add_guest",
            "event_participant",
            row.id,
            new={"event_id": event.id, "guest_name": row.guest_name, "guest_role": row.guest_role},
        )
        return participant_rows(session, event.id, EventParticipant.id == row.id)[0]


def remove_participants(ctx: ServiceContext, actor: Actor, event_id: str, participant_ids: Sequence[str]) -> int:
    """Take participants off the list (refused for those who already have a certificate)."""
    if not participant_ids:
        raise UserError("Pilih peserta yang akan dihapus dari daftar.")
    with ctx.write() as session:
        live_event(session, event_id)
        certified = session.scalar(
            select(func.count()).where(
                EventCertificate.participant_id.in_(list(participant_ids)), EventCertificate.deleted_at.is_(None)
            )
        )
        if certified:
            raise UserError(f"{certified} peserta yang dipilih sudah menerima sertifikat dan tidak dapat dihapus.")
        now = ctx.now()
        result = session.execute(
            update(EventParticipant)
            .where(
                EventParticipant.id.in_(list(participant_ids)),
                EventParticipant.event_id == event_id,
                EventParticipant.deleted_at.is_(None),
            )
            .values(deleted_at=now, updated_at=now, row_version=EventParticipant.row_version + 1)
        )
        audit.record_many(
            session,
            actor,
            "remove_participant",
            "event_participant",
            [(pid, {"event_id": event_id}, None) for pid in participant_ids],
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _participants_query(event_id: str, conditions: tuple[Any, ...]) -> Select[tuple[Any, ...]]:
    """An event's live participants with their official, desa and certificate: officials by desa, RW, RT and
    jabatan first, guests last."""
    return (
        select(
            EventParticipant.id,
            EventParticipant.official_id,
            EventParticipant.guest_name,
            EventParticipant.guest_role,
            EventParticipant.guest_origin,
            EventParticipant.attended,
            Official.nik,
            Official.nama,
            Official.jabatan,
            Official.jabatan_lain,
            Official.rt,
            Official.rw,
            Official.desa_kode,
            Wilayah.nama,
            Wilayah.tingkat,
            Wilayah.kode_induk,
            EventCertificate.certificate_nomor,
        )
        .outerjoin(Official, Official.id == EventParticipant.official_id)
        .outerjoin(Wilayah, Wilayah.kode == Official.desa_kode)
        .outerjoin(
            EventCertificate,
            and_(EventCertificate.participant_id == EventParticipant.id, EventCertificate.deleted_at.is_(None)),
        )
        .where(EventParticipant.event_id == event_id, EventParticipant.deleted_at.is_(None), *conditions)
        .order_by(
            EventParticipant.official_id.is_(None),
            Official.desa_kode,
            Official.rw,
            Official.rt,
            Official.jabatan,
            Official.nama,
            EventParticipant.guest_name,
        )
    )


def _guest_row(r: Any, event_id: str) -> ParticipantRow:
    """A guest as a participant row: the role typed for them ("Tamu" when none), their origin as the desa."""
    role = r[3] or "Tamu"
    return ParticipantRow(
        id=r[0],
        event_id=event_id,
        official_id=None,
        nik=None,
        nama=r[2] or "",
        jabatan=role,
        peran=role,
        desa_kode=None,
        desa_nama=r[4] or "",
        attended=bool(r[5]),
        certificate_nomor=r[16],
    )


def _official_row(r: Any, event_id: str, kecamatan: str | None) -> ParticipantRow:
    """An official as a participant row, the short jabatan for lists and the long role for certificates."""
    return ParticipantRow(
        id=r[0],
        event_id=event_id,
        official_id=r[1],
        nik=r[6],
        nama=r[7],
        jabatan=jabatan_short(r[8], r[9], r[10], r[11]),
        peran=peran_long(r[8], r[9], r[10], r[11], r[13], r[14], kecamatan),
        desa_kode=r[12],
        desa_nama=r[13],
        attended=bool(r[5]),
        certificate_nomor=r[16],
    )


def participant_rows(session: Session, event_id: str, *conditions: Any) -> list[ParticipantRow]:
    """An event's participants as rows; each official's role names their kecamatan (the office's own, or at the
    regency the desa's parent, looked up once per kecamatan)."""
    kec = kecamatan_of(session, current_office(session))
    kec_names: dict[str, str] = {}
    rows: list[ParticipantRow] = []
    for r in session.execute(_participants_query(event_id, conditions)):
        if r[1] is None:
            rows.append(_guest_row(r, event_id))
            continue
        own_kec = kec
        if own_kec is None and r[15]:
            if r[15] not in kec_names:
                kec_names[r[15]] = session.scalar(select(Wilayah.nama).where(Wilayah.kode == r[15])) or ""
            own_kec = kec_names[r[15]]
        rows.append(_official_row(r, event_id, own_kec))
    return rows


def participants(
    ctx: ServiceContext, event_id: str, *, desa_kode: str | None = None, attended_only: bool = False
) -> list[ParticipantRow]:
    """The list in sheet order: officials by desa, RW, RT; guests last."""
    conditions: list[Any] = []
    if desa_kode is not None:
        conditions.append(Official.desa_kode == desa_kode)
    if attended_only:
        conditions.append(EventParticipant.attended == 1)
    with ctx.read() as session:
        live_event(session, event_id)
        return participant_rows(session, event_id, *conditions)
