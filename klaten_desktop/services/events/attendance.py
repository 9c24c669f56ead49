"""Attendance: ticked, all at once, by NIK, or imported from the signed attendance list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Event, EventParticipant, Official, Wilayah
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.domain.nik import normalize_nik
from klaten_desktop.runtime.work import Progress, report
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events.common import (
    current_office,
    live_event,
)
from klaten_desktop.services.events.participants import (
    insert_participants,
)
from klaten_desktop.services.events.rows import (
    ABSENT_WORDS,
    PRESENCE_HEADERS,
    AttendResult,
)


def set_attendance(
    ctx: ServiceContext, actor: Actor, event_id: str, participant_ids: Sequence[str], attended: bool
) -> int:
    """Tick (or untick) attendance; returns how many rows changed."""
    require(actor, Permission.events)
    with ctx.write() as session:
        live_event(session, event_id)
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
        .values(attended=target, updated_at=session_now(session), row_version=EventParticipant.row_version + 1)
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
    require(actor, Permission.events)
    with ctx.write() as session:
        live_event(session, event_id)
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
    require(actor, Permission.events)
    if not niks:
        raise UserError("Isi NIK peserta yang hadir.")
    wanted = [normalize_nik(str(n)) for n in niks]
    with ctx.write() as session:
        event = live_event(session, event_id)
        marked, already, added, missing = _attend_matches(
            session, actor, event, [(nik, None, None, nik) for nik in wanted]
        )
    return AttendResult(marked, already, added, tuple(_mask(m) for m in missing))


def _attend_matches(
    session: Session, actor: Actor, event: Event, wanted: Sequence[tuple[str | None, str | None, str | None, str]]
) -> tuple[int, int, int, list[str]]:
    """``wanted``: (nik, name, desa text, label for "not found"). Match participants first, then the registry."""
    office = current_office(session)
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
    added = len(insert_participants(session, actor, event, to_add, attended=True)) if to_add else 0
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
    require(actor, Permission.events)
    from klaten_desktop.services.imports.cells import cell_text, is_blank_row, is_footer_row
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
        if offset % 200 == 0:
            report(progress, offset, len(data))
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
    report(progress, len(data), len(data))
    if not wanted and not absent:
        raise UserError(f"Tidak ada baris peserta di {table.source}.")
    with ctx.write() as session:
        event = live_event(session, event_id)
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
