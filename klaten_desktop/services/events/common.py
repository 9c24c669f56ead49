"""Labels and helpers shared by the events modules."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Event, EventParticipant, Office, Wilayah
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_rt
from klaten_desktop.services.errors import NotFoundError, UserError
from klaten_desktop.services.events.rows import (
    MAX_PLACE,
    MAX_SPEAKERS,
    MAX_TITLE,
    EventRow,
    Speaker,
)


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


def clean_text(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def clean_notes(text: str | None) -> str | None:
    if text is None:
        return None
    text = "\n".join(line.rstrip() for line in str(text).strip().splitlines())
    return text or None


def current_office(session: Session) -> Office:
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    return office


def kecamatan_of(session: Session, office: Office) -> str | None:
    if office.role != "kecamatan":
        return None
    return session.scalar(select(Wilayah.nama).where(Wilayah.kode == office.office_code))


def speakers_json(speakers: Sequence[Speaker] | None) -> str | None:
    if not speakers:
        return None
    return json.dumps([{"nama": s.nama, "peran": s.peran} for s in speakers], ensure_ascii=False)


def speakers_of(text: str | None) -> tuple[Speaker, ...]:
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    return tuple(Speaker(str(i.get("nama", "")), str(i.get("peran", "") or "")) for i in items if isinstance(i, dict))


def checked_speakers(speakers: Iterable[Speaker | tuple[str, str]] | None) -> tuple[Speaker, ...]:
    result: list[Speaker] = []
    for item in speakers or ():
        s = item if isinstance(item, Speaker) else Speaker(*item)
        nama, peran = clean_text(s.nama), clean_text(s.peran) or ""
        if nama is None:
            if peran:
                raise UserError("Nama narasumber wajib diisi.", field="speakers")
            continue
        result.append(Speaker(nama[:200], peran[:200]))
    if len(result) > MAX_SPEAKERS:
        raise UserError(f"Narasumber paling banyak {MAX_SPEAKERS} orang.", field="speakers")
    return tuple(result)


def check_event(title: str | None, place: str | None, starts_at: dt.datetime, ends_at: dt.datetime | None) -> None:
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


EVENT_COLUMNS = (
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


def event_rows(session: Session, *conditions: Any) -> list[EventRow]:
    office = current_office(session)
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
        select(*EVENT_COLUMNS, n_part, n_att, n_cert)
        .where(Event.deleted_at.is_(None), Event.office_code == office.office_code, *conditions)
        .order_by(Event.starts_at.desc(), Event.title)
    )
    return [
        EventRow(r[0], r[1], r[2], r[3], r[4], r[5], speakers_of(r[6]), r[7], r[9], r[10], r[11], r[8])
        for r in session.execute(stmt)
    ]


def live_event(session: Session, event_id: str) -> Event:
    office = current_office(session)
    row = session.get(Event, event_id)
    if row is None or row.deleted_at is not None or row.office_code != office.office_code:
        raise NotFoundError("Sosialisasi tidak ditemukan (mungkin sudah dihapus).")
    return row


def touch(row: Any, now: dt.datetime) -> None:
    """A changed row: next version, stamped ``now`` (``ctx.now()``)."""
    row.row_version += 1
    row.updated_at = now
