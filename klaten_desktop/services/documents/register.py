"""The numbering register: every document number (letters, certificates) given out, reserved or voided, per
office and year.

A number is taken inside a write transaction (``BEGIN IMMEDIATE``): the sequence row is incremented and the
register entry inserted under its unique index in the same transaction, so two people (or two processes)
issuing at the same moment never get the same number, and a number is never reused. The sequence restarts
on 1 January because the year is part of its key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, NumberSequence, Office, RegisterEntry, new_uuid
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import letterhead
from klaten_desktop.services.errors import NotFoundError, UserError

MAX_RESERVE = 100
STATE_LABELS = {"issued": "Terbit", "reserved": "Dicadangkan", "voided": "Dibatalkan"}


@dataclass(frozen=True)
class TakenNumber:
    entry_id: str
    number: int
    nomor: str


@dataclass(frozen=True)
class RegisterRow:
    id: str
    year: int
    sequence: str
    number: int
    nomor: str
    kind: str
    state: str
    issued_on: dt.date
    note: str | None
    document_id: str | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True)
class GapReport:
    year: int
    # (sequence, number) pairs below the last number given out that have no register entry
    missing: tuple[tuple[str, int], ...]
    # numbers reserved for letters made outside the app and not yet marked as used or voided
    reserved_open: tuple[RegisterRow, ...]
    last_numbers: dict[str, int]

    @property
    def clean(self) -> bool:
        return not self.missing and not self.reserved_open


def _office(session: Session) -> Office:
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    return office


def advance_sequence(session: Session, office_code: str, year: int, sequence: str, count: int) -> int:
    """Move a numbering sequence on by ``count`` inside the caller's write transaction (BEGIN IMMEDIATE, so two
    processes never get the same numbers) and return the first of the numbers now owned by the caller.

    A sequence starts each year at the highest number already in the register for it (e.g. synced in), never
    below, so a number is never given twice.
    """
    key = (office_code, year, sequence)
    row = session.get(NumberSequence, key)
    if row is None:
        highest = session.scalar(
            select(func.max(RegisterEntry.number)).where(
                RegisterEntry.office_code == office_code,
                RegisterEntry.year == year,
                RegisterEntry.sequence == sequence,
            )
        )
        row = NumberSequence(office_code=office_code, year=year, sequence=sequence, last_number=highest or 0)
        session.add(row)
        session.flush()
    first = row.last_number + 1
    session.execute(
        update(NumberSequence)
        .where(
            NumberSequence.office_code == office_code, NumberSequence.year == year, NumberSequence.sequence == sequence
        )
        .values(last_number=NumberSequence.last_number + count)
    )
    session.expire(row)
    return first


@dataclass(frozen=True)
class Numbering:
    """A numbering sequence of the register and how its numbers are written (``format(number) -> nomor``)."""

    sequence: str
    kind: str
    format: Callable[[int], str]


def letter_numbering(settings: letterhead.LetterSettings, kind: str, on: dt.date) -> Numbering:
    """How letters of ``kind`` dated ``on`` are numbered (the office's numbering format and sequences)."""
    klasifikasi = settings.klasifikasi_for(kind)
    kode_unit = settings.kode_unit or ""

    def nomor(number: int) -> str:
        return letterhead.format_nomor(
            settings.format_nomor,
            kode_klasifikasi=klasifikasi,
            nomor=number,
            kode_unit=kode_unit,
            tahun=on.year,
            bulan=on.month,
        )

    return Numbering(settings.sequence_for(kind), kind, nomor)


def next_number(session: Session, office_code: str, year: int, sequence: str) -> int:
    """The number :func:`advance_sequence` would give next (read only: for drafting before the write)."""
    last = session.scalar(
        select(NumberSequence.last_number).where(
            NumberSequence.office_code == office_code,
            NumberSequence.year == year,
            NumberSequence.sequence == sequence,
        )
    )
    if last is None:
        last = session.scalar(
            select(func.max(RegisterEntry.number)).where(
                RegisterEntry.office_code == office_code,
                RegisterEntry.year == year,
                RegisterEntry.sequence == sequence,
            )
        )
    return (last or 0) + 1


def record_entries(
    session: Session,
    office: Office | tuple[str, str],
    numbering: Numbering,
    first: int,
    count: int,
    *,
    on: dt.date,
    now: dt.datetime,
    state: str = "issued",
    note: str | None = None,
) -> list[TakenNumber]:
    """Insert the register entries of ``count`` numbers from ``first`` (already owned through
    :func:`advance_sequence`, in the caller's write transaction)."""
    office_code, install = (office.office_code, office.install_id) if isinstance(office, Office) else office
    taken = [TakenNumber(new_uuid(), n, numbering.format(n)) for n in range(first, first + count)]
    session.execute(
        insert(RegisterEntry),
        [
            {
                "id": t.entry_id,
                "row_version": 1,
                "updated_at": now,
                "office_code": office_code,
                "origin_install": install,
                "year": on.year,
                "sequence": numbering.sequence,
                "number": t.number,
                "nomor": t.nomor,
                "kind": numbering.kind,
                "state": state,
                "issued_on": on,
                "note": note,
            }
            for t in taken
        ],
    )
    return taken


def take(
    session: Session,
    *,
    kind: str,
    count: int,
    on: dt.date,
    now: dt.datetime,
    state: str = "issued",
    note: str | None = None,
) -> list[TakenNumber]:
    """Give out ``count`` consecutive letter numbers of ``kind`` dated ``on`` (call inside ``ctx.write()``)."""
    office = _office(session)
    numbering = letter_numbering(letterhead.load(session), kind, on)
    first = advance_sequence(session, office.office_code, on.year, numbering.sequence, count)
    return record_entries(session, office, numbering, first, count, on=on, now=now, state=state, note=note)


_COLUMNS = (
    RegisterEntry.id,
    RegisterEntry.year,
    RegisterEntry.sequence,
    RegisterEntry.number,
    RegisterEntry.nomor,
    RegisterEntry.kind,
    RegisterEntry.state,
    RegisterEntry.issued_on,
    RegisterEntry.note,
    Document.id,
)


def _rows(session: Session, *conditions: object) -> list[RegisterRow]:
    stmt = (
        select(*_COLUMNS)
        .outerjoin(Document, Document.register_entry_id == RegisterEntry.id)
        .where(RegisterEntry.deleted_at.is_(None), *conditions)  # type: ignore[arg-type]
        .order_by(RegisterEntry.year, RegisterEntry.sequence, RegisterEntry.number)
    )
    return [RegisterRow(*r) for r in session.execute(stmt)]


def entries(ctx: ServiceContext, *, year: int | None = None, kind: str | None = None) -> list[RegisterRow]:
    """The register, in number order."""
    conditions: list[object] = []
    if year is not None:
        conditions.append(RegisterEntry.year == year)
    if kind is not None:
        conditions.append(RegisterEntry.kind == kind)
    with ctx.read() as session:
        return _rows(session, *conditions)


def reserve(
    ctx: ServiceContext, actor: Actor, kind: str, *, count: int = 1, note: str, on: dt.date | None = None
) -> list[RegisterRow]:
    """Reserve numbers for letters made outside the app (the note says what for)."""
    require(actor, Permission.letters)
    note = " ".join((note or "").split())
    if not note:
        raise UserError("Keterangan pencadangan wajib diisi (untuk surat apa nomor ini).", field="note")
    if not 1 <= count <= MAX_RESERVE:
        raise UserError(f"Jumlah nomor yang dicadangkan harus 1 sampai {MAX_RESERVE}.", field="count")
    on = on or ctx.today()
    with ctx.write() as session:
        taken = take(session, kind=kind, count=count, on=on, now=ctx.now(), state="reserved", note=note)
        audit.record_many(
            session,
            actor,
            "reserve",
            "register_entry",
            [(t.entry_id, None, {"nomor": t.nomor, "kind": kind, "note": note}) for t in taken],
            summary=f"{count} nomor surat dicadangkan",
        )
        return _rows(session, RegisterEntry.id.in_([t.entry_id for t in taken]))


def _entry(session: Session, nomor_or_id: str) -> RegisterEntry:
    office = _office(session)
    row = session.scalars(
        select(RegisterEntry).where(
            (RegisterEntry.id == nomor_or_id) | (RegisterEntry.nomor == nomor_or_id.strip()),
            RegisterEntry.office_code == office.office_code,
            RegisterEntry.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFoundError(f"Nomor surat {nomor_or_id} tidak ada dalam register.")
    return row


def _touch(row: RegisterEntry, now: dt.datetime) -> None:
    row.row_version += 1
    row.updated_at = now


def use_reserved(ctx: ServiceContext, actor: Actor, nomor_or_id: str, *, note: str | None = None) -> RegisterRow:
    """Record that a reserved number was used for a letter made outside the app."""
    require(actor, Permission.letters)
    with ctx.write() as session:
        row = _entry(session, nomor_or_id)
        if row.state != "reserved":
            raise UserError(f"Nomor {row.nomor} tidak berstatus dicadangkan ({STATE_LABELS[row.state].lower()}).")
        old = {"state": row.state, "note": row.note}
        row.state = "issued"
        if note:
            row.note = f"{row.note or ''} | {' '.join(note.split())}".strip(" |")
        _touch(row, ctx.now())
        audit.record(
            session, actor, "use", "register_entry", row.id, old=old, new={"state": "issued", "note": row.note}
        )
        session.flush()
        return _rows(session, RegisterEntry.id == row.id)[0]


def void(ctx: ServiceContext, actor: Actor, nomor_or_id: str, *, reason: str) -> RegisterRow:
    """Void a number (issued or reserved). It is never given out again; its letter no longer verifies."""
    require(actor, Permission.letters)
    reason = " ".join((reason or "").split())
    if not reason:
        raise UserError("Alasan pembatalan nomor wajib diisi.", field="reason")
    with ctx.write() as session:
        row = _entry(session, nomor_or_id)
        if row.state == "voided":
            raise UserError(f"Nomor {row.nomor} sudah dibatalkan sebelumnya.")
        old = {"state": row.state, "note": row.note}
        row.state = "voided"
        row.note = f"Dibatalkan: {reason}" + (f" (semula: {old['note']})" if old["note"] else "")
        _touch(row, ctx.now())
        audit.record(
            session, actor, "void", "register_entry", row.id, old=old, new={"state": "voided", "reason": reason}
        )
        session.flush()
        return _rows(session, RegisterEntry.id == row.id)[0]


def gap_report(ctx: ServiceContext, year: int | None = None) -> GapReport:
    """Numbers missing from the register (up to the last one given out) and reservations still open."""
    year = year or ctx.today().year
    with ctx.read() as session:
        office = _office(session)
        last = dict(
            session.execute(
                select(NumberSequence.sequence, NumberSequence.last_number).where(
                    NumberSequence.office_code == office.office_code, NumberSequence.year == year
                )
            )
            .tuples()
            .all()
        )
        present: dict[str, set[int]] = {}
        for sequence, number in session.execute(
            select(RegisterEntry.sequence, RegisterEntry.number).where(
                RegisterEntry.office_code == office.office_code,
                RegisterEntry.year == year,
                RegisterEntry.deleted_at.is_(None),
            )
        ):
            present.setdefault(sequence, set()).add(number)
            last[sequence] = max(last.get(sequence, 0), number)
        missing = tuple(
            (sequence, n)
            for sequence in sorted(last)
            for n in range(1, last[sequence] + 1)
            if n not in present.get(sequence, set())
        )
        reserved = tuple(
            _rows(
                session,
                RegisterEntry.office_code == office.office_code,
                RegisterEntry.year == year,
                RegisterEntry.state == "reserved",
            )
        )
    return GapReport(year, missing, reserved, last)
