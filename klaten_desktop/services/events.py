"""Socialization events ("sosialisasi"): the event, its speakers, participants from the registry and guests,
attendance (ticked, by NIK, or imported from the signed attendance list), and each official's history.

Certificates are issued by :mod:`klaten_desktop.services.certificates`; the attendance sheet's data is built
here (:func:`attendance_sheet`) and drawn by :mod:`klaten_desktop.reports.attendance_pdf`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Event, EventParticipant, Office, Official, Wilayah, new_uuids, utcnow
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_date, format_rt
from klaten_desktop.domain.nik import normalize_nik
from klaten_desktop.services import audit
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import NotFoundError, UserError

Progress = Callable[[int, int], None]
MAX_TITLE = 300
MAX_PLACE = 300
MAX_SPEAKERS = 10
ABSENT_WORDS = frozenset({"tidak", "tidakhadir", "tdkhadir", "absen", "alpa", "izin", "ijin", "sakit", "0", "-", "no"})
PRESENCE_HEADERS = frozenset({"hadir", "kehadiran", "ttd", "tandatangan", "paraf", "tt", "presensi", "absensi"})


@dataclass(frozen=True)
class Speaker:
    nama: str
    peran: str = ""

    @property
    def label(self) -> str:
        return f"{self.nama} ({self.peran})" if self.peran else self.nama


@dataclass(frozen=True)
class EventRow:
    id: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    organiser: str | None
    speakers: tuple[Speaker, ...]
    notes: str | None
    participants: int
    attended: int
    certificates: int
    row_version: int

    @property
    def date_label(self) -> str:
        return format_date(self.starts_at.date())

    @property
    def has_time(self) -> bool:
        """False when only the date is known (created without a time: midnight and no end)."""
        return not (self.starts_at.hour == 0 and self.starts_at.minute == 0 and self.ends_at is None)

    @property
    def time_label(self) -> str:
        """ "09.00–12.00 WIB", "09.00 WIB – selesai", or "" when only the date is known."""
        if not self.has_time:
            return ""
        start = f"{self.starts_at.hour:02d}.{self.starts_at.minute:02d}"
        if self.ends_at is None:
            return f"{start} WIB – selesai"
        end = f"{self.ends_at.hour:02d}.{self.ends_at.minute:02d}"
        if self.ends_at.date() != self.starts_at.date():
            return f"{start} WIB – {format_date(self.ends_at.date())} {end} WIB"
        return f"{start}–{end} WIB"


@dataclass(frozen=True)
class ParticipantRow:
    id: str
    event_id: str
    official_id: str | None
    nik: str | None
    nama: str
    jabatan: str  # short: "Ketua RT 003/002", or a guest's role
    peran: str  # long, for certificates: "Ketua RT 003 / RW 002, Desa Sengon, Kecamatan Prambanan"
    desa_kode: str | None
    desa_nama: str  # "Sengon", or a guest's origin
    attended: bool
    certificate_nomor: str | None

    @property
    def is_guest(self) -> bool:
        return self.official_id is None

    @property
    def hadir_label(self) -> str:
        return "Hadir" if self.attended else "Belum hadir"


@dataclass(frozen=True)
class CandidateRow:
    """A serving official who can be invited."""

    id: str
    nama: str
    jabatan: str
    desa_kode: str
    desa_nama: str
    rw: int | None
    rt: int | None


@dataclass(frozen=True)
class HistoryRow:
    event_id: str
    title: str
    starts_at: dt.datetime
    place: str
    attended: bool
    certificate_nomor: str | None

    @property
    def date_label(self) -> str:
        return format_date(self.starts_at.date())


@dataclass(frozen=True)
class AttendResult:
    marked: int
    already: int
    added: int  # officials who attended without being on the list (added as participants)
    not_found: tuple[str, ...]  # what could not be matched, as typed (NIK masked) or "baris N: nama"


# ---------------------------------------------------------------------------------------------- labels


def jabatan_short(jabatan: str, jabatan_lain: str | None, rt: int | None, rw: int | None) -> str:
    """ "Ketua RT 003/002", "Ketua RW 002", "Sekretaris RW 004"."""
    label = jabatan_lain if jabatan == Jabatan.lainnya and jabatan_lain else Jabatan(jabatan).label
    if rt is not None:
        return f"{label} {format_rt(rt)}/{format_rt(rw) or '-'}"
    if rw is not None:
        return f"{label} {format_rt(rw)}" if jabatan == Jabatan.ketua_rw else f"{label} RW {format_rt(rw)}"
    return label


def peran_long(
    jabatan: str, jabatan_lain: str | None, rt: int | None, rw: int | None, desa: str, tingkat: str, kec: str | None
) -> str:
    """ "Ketua RT 003 / RW 002, Desa Sengon, Kecamatan Prambanan"."""
    label = jabatan_lain if jabatan == Jabatan.lainnya and jabatan_lain else Jabatan(jabatan).label
    if rt is not None:
        label = f"{label} {format_rt(rt)}" if jabatan == Jabatan.ketua_rt else f"{label} RT {format_rt(rt)}"
        if rw is not None:
            label += f" / RW {format_rt(rw)}"
    elif rw is not None:
        label = f"{label} {format_rt(rw)}" if jabatan == Jabatan.ketua_rw else f"{label} RW {format_rt(rw)}"
    place = f"{'Kelurahan' if tingkat == 'kelurahan' else 'Desa'} {desa}"
    return ", ".join(p for p in (label, place, f"Kecamatan {kec}" if kec else "") if p)


# ---------------------------------------------------------------------------------------------- helpers


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def _clean_notes(text: str | None) -> str | None:
    if text is None:
        return None
    text = "\n".join(line.rstrip() for line in str(text).strip().splitlines())
    return text or None


def _office(session: Session) -> Office:
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    return office


def _kecamatan_of(session: Session, office: Office) -> str | None:
    if office.role != "kecamatan":
        return None
    return session.scalar(select(Wilayah.nama).where(Wilayah.kode == office.office_code))


def _speakers_json(speakers: Sequence[Speaker] | None) -> str | None:
    if not speakers:
        return None
    return json.dumps([{"nama": s.nama, "peran": s.peran} for s in speakers], ensure_ascii=False)


def _speakers_of(text: str | None) -> tuple[Speaker, ...]:
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    return tuple(Speaker(str(i.get("nama", "")), str(i.get("peran", "") or "")) for i in items if isinstance(i, dict))


def _checked_speakers(speakers: Iterable[Speaker | tuple[str, str]] | None) -> tuple[Speaker, ...]:
    result: list[Speaker] = []
    for item in speakers or ():
        s = item if isinstance(item, Speaker) else Speaker(*item)
        nama, peran = _clean(s.nama), _clean(s.peran) or ""
        if nama is None:
            if peran:
                raise UserError("Nama narasumber wajib diisi.", field="speakers")
            continue
        result.append(Speaker(nama[:200], peran[:200]))
    if len(result) > MAX_SPEAKERS:
        raise UserError(f"Narasumber paling banyak {MAX_SPEAKERS} orang.", field="speakers")
    return tuple(result)


def _check_event(title: str | None, place: str | None, starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
    if not title:
        raise UserError("Judul sosialisasi wajib diisi.", field="title")
    if len(title) > MAX_TITLE:
        raise UserError(f"Judul sosialisasi paling panjang {MAX_TITLE} huruf.", field="title")
    if not place:
        raise UserError("Tempat sosialisasi wajib diisi.", field="place")
    if len(place) > MAX_PLACE:
        raise UserError(f"Tempat sosialisasi paling panjang {MAX_PLACE} huruf.", field="place")
    if ends_at is not None and ends_at <= starts_at:
        raise UserError("Waktu selesai harus sesudah waktu mulai.", field="ends_at")
    if not 2000 <= starts_at.year <= 2100:
        raise UserError("Tanggal sosialisasi tidak masuk akal.", field="starts_at")


_EVENT_COLUMNS = (
    Event.id,
    Event.title,
    Event.starts_at,
    Event.ends_at,
    Event.place,
    Event.organiser,
    Event.speakers,
    Event.notes,
    Event.row_version,
)


def _event_rows(session: Session, *conditions: Any) -> list[EventRow]:
    office = _office(session)
    live_p = and_(EventParticipant.event_id == Event.id, EventParticipant.deleted_at.is_(None))
    n_part = select(func.count()).where(live_p).correlate(Event).scalar_subquery()
    n_att = select(func.count()).where(live_p, EventParticipant.attended == 1).correlate(Event).scalar_subquery()
    n_cert = (
        select(func.count())
        .where(EventCertificate.event_id == Event.id, EventCertificate.deleted_at.is_(None))
        .correlate(Event)
        .scalar_subquery()
    )
    stmt = (
        select(*_EVENT_COLUMNS, n_part, n_att, n_cert)
        .where(Event.deleted_at.is_(None), Event.office_code == office.office_code, *conditions)
        .order_by(Event.starts_at.desc(), Event.title)
    )
    return [
        EventRow(r[0], r[1], r[2], r[3], r[4], r[5], _speakers_of(r[6]), r[7], r[9], r[10], r[11], r[8])
        for r in session.execute(stmt)
    ]


def _live_event(session: Session, event_id: str) -> Event:
    office = _office(session)
    row = session.get(Event, event_id)
    if row is None or row.deleted_at is not None or row.office_code != office.office_code:
        raise NotFoundError("Sosialisasi tidak ditemukan (mungkin sudah dihapus).")
    return row


def _touch(row: Any) -> None:
    row.row_version += 1
    row.updated_at = utcnow()


# ---------------------------------------------------------------------------------------------- events


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
    clean_title, clean_place = _clean(title), _clean(place)
    _check_event(clean_title, clean_place, starts_at, ends_at)
    checked = _checked_speakers(speakers)
    with ctx.write() as session:
        office = _office(session)
        row = Event(
            office_code=office.office_code,
            origin_install=office.install_id,
            title=clean_title,
            starts_at=starts_at,
            ends_at=ends_at,
            place=clean_place,
            organiser=_clean(organiser),
            speakers=_speakers_json(checked),
            notes=_clean_notes(notes),
            row_version=1,
            updated_at=utcnow(),
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
        return _event_rows(session, Event.id == row.id)[0]


_UPDATABLE = frozenset({"title", "starts_at", "ends_at", "place", "organiser", "speakers", "notes"})


def update_event(ctx: ServiceContext, actor: Actor, event_id: str, **changes: Any) -> EventRow:
    """Change the event's details (any of title, starts_at, ends_at, place, organiser, speakers, notes)."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"unknown event fields: {sorted(unknown)}")
    with ctx.write() as session:
        row = _live_event(session, event_id)
        old = {k: getattr(row, k) for k in changes}
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("title", "place", "organiser"):
                values[key] = _clean(value)
            elif key == "notes":
                values[key] = _clean_notes(value)
            elif key == "speakers":
                values[key] = _speakers_json(_checked_speakers(value))
            else:
                values[key] = value
        merged = {k: values.get(k, getattr(row, k)) for k in ("title", "place", "starts_at", "ends_at")}
        _check_event(merged["title"], merged["place"], merged["starts_at"], merged["ends_at"])
        old_c, new_c = audit.changed(old, values)
        if new_c:
            for key, value in new_c.items():
                setattr(row, key, value)
            _touch(row)
            audit.record(session, actor, "update", "event", row.id, old=old_c, new=new_c)
        session.flush()
        return _event_rows(session, Event.id == row.id)[0]


def delete_event(ctx: ServiceContext, actor: Actor, event_id: str) -> None:
    """Remove an event made by mistake (refused once certificates were issued for it)."""
    with ctx.write() as session:
        row = _live_event(session, event_id)
        issued = session.scalar(
            select(func.count()).where(EventCertificate.event_id == event_id, EventCertificate.deleted_at.is_(None))
        )
        if issued:
            raise UserError(
                f"Sosialisasi ini sudah memiliki {issued} sertifikat bernomor dan tidak dapat dihapus. "
                "Ubah datanya bila ada yang keliru."
            )
        now = utcnow()
        session.execute(
            update(EventParticipant)
            .where(EventParticipant.event_id == event_id, EventParticipant.deleted_at.is_(None))
            .values(deleted_at=now, updated_at=now, row_version=EventParticipant.row_version + 1)
        )
        row.deleted_at = now
        _touch(row)
        audit.record(session, actor, "delete", "event", row.id, old={"title": row.title, "starts_at": row.starts_at})


def list_events(ctx: ServiceContext, *, search: str | None = None) -> list[EventRow]:
    """This office's events, newest first."""
    conditions = []
    text = _clean(search)
    if text:
        like = f"%{text}%"
        conditions.append(or_(Event.title.ilike(like), Event.place.ilike(like)))
    with ctx.read() as session:
        return _event_rows(session, *conditions)


def get(ctx: ServiceContext, event_id: str) -> EventRow:
    with ctx.read() as session:
        _live_event(session, event_id)
        return _event_rows(session, Event.id == event_id)[0]


# ---------------------------------------------------------------------------------------------- participants


def _candidate_stmt(
    office: Office,
    *,
    desa_kode: str | None,
    rw: int | None,
    jabatan: Sequence[str] | None,
    search: str | None,
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
    text = _clean(search)
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
) -> list[CandidateRow]:
    """Serving officials matching the filters (name or NIK digits in ``search``), minus those already invited."""
    with ctx.read() as session:
        office = _office(session)
        stmt = _candidate_stmt(office, desa_kode=desa_kode, rw=rw, jabatan=jabatan, search=search)
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


def _insert_participants(
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
    now = utcnow()
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
        event = _live_event(session, event_id)
        office = _office(session)
        stmt = select(Official.id).where(
            Official.id.in_(list(official_ids)), Official.deleted_at.is_(None), Official.term_status == "menjabat"
        )
        if office.role == "kecamatan":
            stmt = stmt.where(Official.office_code == office.office_code)
        valid = set(session.scalars(stmt))
        unknown = [oid for oid in official_ids if oid not in valid]
        if unknown:
            raise UserError(f"{len(unknown)} pengurus yang dipilih tidak ditemukan atau sudah tidak menjabat.")
        return len(_insert_participants(session, actor, event, list(official_ids)))


def add_from_registry(
    ctx: ServiceContext,
    actor: Actor,
    event_id: str,
    *,
    desa_kode: str | None = None,
    rw: int | None = None,
    jabatan: Sequence[str] | None = None,
    search: str | None = None,
) -> int:
    """Invite every serving official matching the filters (e.g. all Ketua RT of one desa). Returns how many."""
    if desa_kode is not None:
        with ctx.read() as session:
            if session.get(Wilayah, desa_kode) is None:
                raise UserError(f"Kode desa {desa_kode} tidak ada dalam daftar wilayah.", field="desa")
    with ctx.write() as session:
        event = _live_event(session, event_id)
        office = _office(session)
        stmt = _candidate_stmt(office, desa_kode=desa_kode, rw=rw, jabatan=jabatan, search=search)
        ids = [r[0] for r in session.execute(stmt)]
        if not ids:
            raise UserError("Tidak ada pengurus yang menjabat sesuai pilihan itu.")
        return len(_insert_participants(session, actor, event, ids))


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
    clean = _clean(nama)
    if clean is None:
        raise UserError("Nama tamu wajib diisi.", field="nama")
    with ctx.write() as session:
        event = _live_event(session, event_id)
        row = EventParticipant(
            office_code=event.office_code,
            origin_install=session.scalar(select(Office.install_id)),
            event_id=event.id,
            official_id=None,
            guest_name=clean[:200],
            guest_role=(_clean(peran) or "")[:200] or None,
            guest_origin=(_clean(asal) or "")[:200] or None,
            attended=1 if attended else 0,
            row_version=1,
            updated_at=utcnow(),
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
        return _participants(session, event.id, EventParticipant.id == row.id)[0]


def remove_participants(ctx: ServiceContext, actor: Actor, event_id: str, participant_ids: Sequence[str]) -> int:
    """Take participants off the list (refused for those who already have a certificate)."""
    if not participant_ids:
        raise UserError("Pilih peserta yang akan dihapus dari daftar.")
    with ctx.write() as session:
        _live_event(session, event_id)
        certified = session.scalar(
            select(func.count()).where(
                EventCertificate.participant_id.in_(list(participant_ids)), EventCertificate.deleted_at.is_(None)
            )
        )
        if certified:
            raise UserError(f"{certified} peserta yang dipilih sudah menerima sertifikat dan tidak dapat dihapus.")
        now = utcnow()
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


def _participants(session: Session, event_id: str, *conditions: Any) -> list[ParticipantRow]:
    office = _office(session)
    kec = _kecamatan_of(session, office)
    stmt = (
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
    kec_names: dict[str, str] = {}
    rows: list[ParticipantRow] = []
    for r in session.execute(stmt):
        if r[1] is None:
            rows.append(
                ParticipantRow(
                    r[0],
                    event_id,
                    None,
                    None,
                    r[2] or "",
                    r[3] or "Tamu",
                    r[3] or "Tamu",
                    None,
                    r[4] or "",
                    bool(r[5]),
                    r[16],
                )
            )
            continue
        own_kec = kec
        if own_kec is None and r[15]:
            if r[15] not in kec_names:
                kec_names[r[15]] = session.scalar(select(Wilayah.nama).where(Wilayah.kode == r[15])) or ""
            own_kec = kec_names[r[15]]
        rows.append(
            ParticipantRow(
                r[0],
                event_id,
                r[1],
                r[6],
                r[7],
                jabatan_short(r[8], r[9], r[10], r[11]),
                peran_long(r[8], r[9], r[10], r[11], r[13], r[14], own_kec),
                r[12],
                r[13],
                bool(r[5]),
                r[16],
            )
        )
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
        _live_event(session, event_id)
        return _participants(session, event_id, *conditions)


# ---------------------------------------------------------------------------------------------- attendance


def set_attendance(
    ctx: ServiceContext, actor: Actor, event_id: str, participant_ids: Sequence[str], attended: bool
) -> int:
    """Tick (or untick) attendance; returns how many rows changed."""
    with ctx.write() as session:
        _live_event(session, event_id)
        return _set_attended(session, actor, event_id, participant_ids, attended)


def _set_attended(session: Session, actor: Actor, event_id: str, participant_ids: Sequence[str], attended: bool) -> int:
    target = 1 if attended else 0
    ids = list(
        session.scalars(
            select(EventParticipant.id).where(
                EventParticipant.id.in_(list(participant_ids)),
                EventParticipant.event_id == event_id,
                EventParticipant.deleted_at.is_(None),
                EventParticipant.attended != target,
            )
        )
    )
    if not ids:
        return 0
    if not attended:
        certified = session.scalar(
            select(func.count()).where(EventCertificate.participant_id.in_(ids), EventCertificate.deleted_at.is_(None))
        )
        if certified:
            raise UserError(
                f"{certified} peserta yang dipilih sudah menerima sertifikat; kehadirannya tidak dapat dibatalkan."
            )
    session.execute(
        update(EventParticipant)
        .where(EventParticipant.id.in_(ids))
        .values(attended=target, updated_at=utcnow(), row_version=EventParticipant.row_version + 1)
    )
    audit.record_many(
        session,
        actor,
        "attend" if attended else "unattend",
        "event_participant",
        [(pid, {"attended": 1 - target}, {"attended": target}) for pid in ids],
    )
    return len(ids)


def attend_all(ctx: ServiceContext, actor: Actor, event_id: str) -> int:
    """Everyone on the list attended."""
    with ctx.write() as session:
        _live_event(session, event_id)
        ids = list(
            session.scalars(
                select(EventParticipant.id).where(
                    EventParticipant.event_id == event_id, EventParticipant.deleted_at.is_(None)
                )
            )
        )
        if not ids:
            raise UserError("Daftar peserta masih kosong; tambahkan peserta terlebih dahulu.")
        return _set_attended(session, actor, event_id, ids, True)


def _mask(nik: str) -> str:
    return nik[:6] + "******" + nik[-4:] if len(nik) == 16 else "NIK tidak sah"


def attend_by_nik(ctx: ServiceContext, actor: Actor, event_id: str, niks: Sequence[str]) -> AttendResult:
    """Mark attendance by NIK. A serving official of this office not on the list is added as attended."""
    if not niks:
        raise UserError("Isi NIK peserta yang hadir.")
    wanted = [normalize_nik(str(n)) for n in niks]
    with ctx.write() as session:
        event = _live_event(session, event_id)
        marked, already, added, missing = _attend_matches(
            session, actor, event, [(nik, None, None, nik) for nik in wanted]
        )
    return AttendResult(marked, already, added, tuple(_mask(m) for m in missing))


def _attend_matches(
    session: Session, actor: Actor, event: Event, wanted: Sequence[tuple[str | None, str | None, str | None, str]]
) -> tuple[int, int, int, list[str]]:
    """``wanted``: (nik, name, desa text, label for "not found"). Match participants first, then the registry."""
    office = _office(session)
    listed = session.execute(
        select(
            EventParticipant.id,
            EventParticipant.attended,
            Official.id,
            Official.nik,
            Official.nama,
            Official.desa_kode,
            Wilayah.nama,
            EventParticipant.guest_name,
        )
        .outerjoin(Official, Official.id == EventParticipant.official_id)
        .outerjoin(Wilayah, Wilayah.kode == Official.desa_kode)
        .where(EventParticipant.event_id == event.id, EventParticipant.deleted_at.is_(None))
    ).all()
    by_nik = {r[3]: r for r in listed if r[3]}
    by_name: dict[str, list[Any]] = {}
    for r in listed:
        by_name.setdefault(_name_key(r[4] or r[7] or ""), []).append(r)
    reg_stmt = (
        select(Official.id, Official.nik, Official.nama, Official.desa_kode, Wilayah.nama)
        .join(Wilayah, Wilayah.kode == Official.desa_kode)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
    )
    if office.role == "kecamatan":
        reg_stmt = reg_stmt.where(Official.office_code == office.office_code)
    niks = [w[0] for w in wanted if w[0]]
    registry_by_nik = {r[1]: r for r in session.execute(reg_stmt.where(Official.nik.in_(niks)))} if niks else {}
    names = [w for w in wanted if not w[0] and w[1]]
    registry_by_name: dict[str, list[Any]] = {}
    if names:
        for reg in session.execute(reg_stmt):
            registry_by_name.setdefault(_name_key(reg[2]), []).append(reg)
    to_mark: list[str] = []
    to_add: list[str] = []
    already = 0
    missing: list[str] = []
    for nik, nama, desa, label in wanted:
        hit = None
        if nik:
            hit = by_nik.get(nik)
        elif nama:
            hit = _pick(by_name.get(_name_key(nama), []), desa, 6)
        if hit is not None:
            if hit[1]:
                already += 1
            elif hit[0] not in to_mark:
                to_mark.append(hit[0])
            else:
                already += 1
            continue
        official = registry_by_nik.get(nik) if nik else _pick(registry_by_name.get(_name_key(nama or ""), []), desa, 4)
        if official is not None and official[0] not in to_add:
            to_add.append(official[0])
        elif official is None:
            missing.append(label)
    marked = _set_attended(session, actor, event.id, to_mark, True) if to_mark else 0
    added = len(_insert_participants(session, actor, event, to_add, attended=True)) if to_add else 0
    return marked, already, added, missing


def _name_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _desa_key(text: str | None) -> str:
    if not text:
        return ""
    text = re.sub(r"^(desa|ds|kelurahan|kel)\b\.?\s*", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _pick(rows: Sequence[Any], desa: str | None, desa_name_index: int) -> Any | None:
    """One row by name, narrowed by desa when given; None when it stays ambiguous."""
    if desa:
        key = _desa_key(desa)
        rows = [r for r in rows if _desa_key(r[desa_name_index]) == key or r[desa_name_index - 1] == desa.strip()]
    return rows[0] if len(rows) == 1 else None


@dataclass(frozen=True)
class AttendanceImport:
    rows: int  # data rows read from the sheet
    marked: int
    already: int
    added: int
    absent: int  # rows whose presence column says absent
    not_found: tuple[str, ...]  # "baris 7: Nama (Desa)"


def import_attendance(
    ctx: ServiceContext, actor: Actor, event_id: str, path: Path, *, progress: Progress | None = None
) -> AttendanceImport:
    """Read the attendance list spreadsheet (the importer's tolerant reading: header found anywhere in the
    first rows, NIK/Nama/Desa columns by their many names) and mark who attended, by NIK or by name and desa.

    A column "Hadir"/"Tanda tangan"/"Paraf", when present, decides per row (blank or "tidak"/"izin" = absent);
    without one, every listed person attended.
    """
    from klaten_desktop.domain.import_rules import cell_text, is_blank_row, is_footer_row
    from klaten_desktop.services.imports.header import detect_mapping
    from klaten_desktop.services.imports.reader import read_workbook

    table = read_workbook(path)
    mapping = detect_mapping(table)
    col_nik, col_nama = mapping.column_of("nik"), mapping.column_of("nama")
    col_desa = mapping.column_of("desa")
    if col_desa is None:
        col_desa = mapping.column_of("kode_desa")
    if col_nik is None and col_nama is None:
        raise UserError(f"Kolom NIK atau Nama tidak ditemukan di {table.source}.")
    presence = next(
        (i for i, label in enumerate(mapping.labels) if re.sub(r"[^a-z]", "", label.lower()) in PRESENCE_HEADERS),
        None,
    )
    wanted: list[tuple[str | None, str | None, str | None, str]] = []
    absent = 0
    data = table.rows[mapping.data_start :]
    for offset, cells in enumerate(data):
        if progress is not None and offset % 200 == 0:
            progress(offset, len(data))
        if is_blank_row(cells):
            continue
        if is_footer_row([c for i, c in enumerate(cells) if i != presence]):
            break  # "Mengetahui", "Camat ...", "Jumlah": the signature block under the list ("ttd" marks stay)

        def cell(i: int | None, row: tuple[object, ...] = cells) -> str | None:
            return cell_text(row[i]) if i is not None and i < len(row) else None

        nik_text = cell(col_nik)
        nik = normalize_nik(nik_text) if nik_text else None
        nik = nik if nik and len(nik) == 16 and nik.isdigit() else None
        nama = cell(col_nama)
        if nik is None and nama is None:
            continue
        if presence is not None:
            mark = cell(presence)
            if mark is None or re.sub(r"[^a-z0-9\-]", "", mark.lower()) in ABSENT_WORDS:
                absent += 1
                continue
        desa = cell(col_desa)
        sheet_row = table.sheet_row(mapping.data_start + offset)
        label = f"baris {sheet_row}: {nama or 'tanpa nama'}" + (f" ({desa})" if desa else "")
        wanted.append((nik, nama, desa, label))
    if progress is not None:
        progress(len(data), len(data))
    if not wanted and not absent:
        raise UserError(f"Tidak ada baris peserta di {table.source}.")
    with ctx.write() as session:
        event = _live_event(session, event_id)
        marked, already, added, missing = _attend_matches(session, actor, event, wanted)
        audit.record(
            session,
            actor,
            "import_attendance",
            "event",
            event.id,
            new={"file": table.source, "marked": marked, "added": added, "not_found": len(missing)},
            summary=f"Daftar hadir diimpor dari {table.source}",
        )
    return AttendanceImport(len(wanted) + absent, marked, already, added, absent, tuple(missing))


# ---------------------------------------------------------------------------------------------- officials


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
        office = _office(session)
        stmt = select(Official.id).where(
            Official.deleted_at.is_(None), Official.term_status == "menjabat", ~attended.exists()
        )
        if office.role == "kecamatan":
            stmt = stmt.where(Official.office_code == office.office_code)
        return set(session.scalars(stmt))


# ---------------------------------------------------------------------------------------------- sheet


def attendance_sheet(
    ctx: ServiceContext,
    event_id: str,
    *,
    desa_kode: str | None = None,
    per_desa: bool = False,
    paper: str | None = None,
) -> dict[str, Any]:
    """The daftar hadir as plain data for :func:`klaten_desktop.reports.attendance_pdf.render_attendance`.

    The whole event in one numbered list, or only ``desa_kode``; with ``per_desa`` every desa (and the guests)
    gets its own pages and numbering, so each desa's sheet can be handed round separately.
    """
    if paper is not None and paper not in ("A4", "F4"):
        raise UserError("Ukuran kertas harus A4 atau F4.", field="paper")
    from klaten_desktop.services.letters import config

    event = get(ctx, event_id)
    rows = participants(ctx, event_id, desa_kode=desa_kode)
    if not rows:
        where = " untuk desa itu" if desa_kode else ""
        raise UserError(f"Belum ada peserta{where}; tambahkan peserta terlebih dahulu.")
    with ctx.read() as session:
        office = _office(session)
        kec = _kecamatan_of(session, office)
        settings = config.load(session)
        logo = config.images(session, {settings.logo}) if settings.logo else {}
        office_name, address, phone, email = office.name, office.address, office.phone, office.email
    sections: list[dict[str, Any]] = []
    for p in rows:
        title = "Tamu undangan" if p.is_guest else f"Desa {p.desa_nama}"
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "rows": []})
        sections[-1]["rows"].append([p.nama, p.jabatan, p.desa_nama])
    contact = ", ".join(x for x in (f"Telepon {phone}" if phone else "", f"Pos-el {email}" if email else "") if x)
    return {
        "kop": {
            "instansi": "PEMERINTAH KABUPATEN KLATEN",
            "unit": f"KECAMATAN {kec.upper()}" if kec else office_name.upper(),
            "lines": [line for line in (address or "", contact) if line],
        },
        "logo": next(iter(logo.values()), None),
        "title": "DAFTAR HADIR",
        "event": event.title,
        "hari_tanggal": f"{weekday_name(event.starts_at.date())}, {event.date_label}",
        "waktu": event.time_label,
        "tempat": event.place,
        "penyelenggara": event.organiser or office_name,
        "paper": paper or settings.kertas,
        "sections": sections,
        "per_desa": per_desa,
    }


_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def weekday_name(d: dt.date) -> str:
    return _DAYS[d.weekday()]


class SheetRenderer(Protocol):
    """``klaten_desktop.reports.attendance_pdf.render_attendance``."""

    def __call__(
        self, sheet: Mapping[str, Any], *, progress: Progress | None = ..., cancelled: Callable[[], bool] | None = ...
    ) -> _Rendered | None: ...


class _Rendered(Protocol):
    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...


@dataclass(frozen=True)
class SheetResult:
    path: Path
    pages: int
    participants: int


def print_attendance_sheet(
    ctx: ServiceContext,
    event_id: str,
    *,
    render: SheetRenderer,
    out: Path,
    desa_kode: str | None = None,
    per_desa: bool = False,
    paper: str | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> SheetResult:
    """Draw the daftar hadir with ``render`` and write it to ``out`` (temporary file, then one rename)."""
    from klaten_desktop.services.letters.files import write_atomic

    sheet = attendance_sheet(ctx, event_id, desa_kode=desa_kode, per_desa=per_desa, paper=paper)
    rendered = render(sheet, progress=progress, cancelled=cancelled)
    if rendered is None:
        raise UserError("Pembuatan daftar hadir dibatalkan.")
    write_atomic(out, rendered.pdf)
    return SheetResult(Path(out), rendered.pages, sum(len(s["rows"]) for s in sheet["sections"]))
