"""The registry of RT/RW officials: register, correct, replace, end a term, list and find."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace as dc_replace

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from klaten_desktop.db import dialects
from klaten_desktop.db.models import Enrollment, Office, Official, Wilayah, new_uuid
from klaten_desktop.domain.enums import CoverageStatus, EndReason, Jabatan, Sex
from klaten_desktop.domain.nik import normalize_nik
from klaten_desktop.domain.official_rules import FIELD_NAMES, OfficialFields
from klaten_desktop.domain.validation import CheckResult
from klaten_desktop.services import audit, coverage
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import NotFoundError, UserError
from klaten_desktop.services.official_checks import (
    check,
    column_values,
    integrity_message,
    normalized,
    raise_if_errors,
    same_slot,
)
from klaten_desktop.services.records import (
    EnrollmentData,
    OfficialDetail,
    OfficialRow,
    from_attributes,
    paid_since_registration,
)


def validate(ctx: ServiceContext, fields: OfficialFields, *, official_id: str | None = None) -> CheckResult:
    """All errors and warnings for ``fields``, including a duplicate NIK or an occupied position."""
    fields = normalized(fields)
    with ctx.read() as session:
        return check(session, fields, today=ctx.today(), official_id=official_id)


def _install_id(session: Session) -> str | None:
    office = session.get(Office, 1)
    return None if office is None else office.install_id


def _insert(session: Session, actor: Actor, fields: OfficialFields, *, today: dt.date) -> Official:
    values = column_values(fields)
    row = Official(
        id=new_uuid(),
        office_code=fields.desa_kode[:8] if fields.desa_kode else "",
        origin_install=_install_id(session),
        row_version=1,
        updated_at=session_now(session),
        term_status="menjabat",
        **values,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "official",
        row.id,
        new=dict(values),
        summary=f"Pengurus baru: {row.nama}",
    )
    return row


def register(ctx: ServiceContext, actor: Actor, fields: OfficialFields) -> OfficialDetail:
    """Add a serving official. Errors raise :class:`ValidationFailed`; warnings are allowed."""
    require(actor, Permission.registry)
    fields = normalized(fields)
    today = ctx.today()
    try:
        with ctx.write() as session:
            raise_if_errors(check(session, fields, today=today, official_id=None))
            row = _insert(session, actor, fields, today=today)
            official_id = row.id
    except IntegrityError as exc:
        raise integrity_message(exc) from exc
    return get(ctx, official_id)


def update_official(
    ctx: ServiceContext, actor: Actor, official_id: str, fields: OfficialFields, *, expected_version: int
) -> OfficialDetail:
    """Correct an official's data. ``expected_version`` is the ``row_version`` the form loaded: when someone saved
    the official since (another PC on the office's server, another window), :class:`StaleRecordError` names who
    and when, and nothing is written (never a silent overwrite)."""
    require(actor, Permission.registry)
    fields = normalized(fields)
    today = ctx.today()
    try:
        with ctx.write() as session:
            row = _live(session, official_id)
            if row.row_version != expected_version:
                raise audit.stale_record(session, "official", row.id, updated_at=row.updated_at)
            raise_if_errors(check(session, fields, today=today, official_id=official_id))
            new_values = column_values(fields)
            old_values = {k: getattr(row, k) for k in new_values}
            old_c, new_c = audit.changed(old_values, new_values)
            if new_c:
                for key, value in new_c.items():
                    setattr(row, key, value)
                if "desa_kode" in new_c and fields.desa_kode:
                    row.office_code = fields.desa_kode[:8]
                row.row_version += 1
                row.updated_at = ctx.now()
                row.origin_install = _install_id(session)
                audit.record(session, actor, "update", "official", row.id, old=old_c, new=new_c)
    except IntegrityError as exc:
        raise integrity_message(exc) from exc
    return get(ctx, official_id)


def _live(session: Session, official_id: str) -> Official:
    row = session.get(Official, official_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError("Data pengurus tidak ditemukan (mungkin sudah dihapus).")
    return row


def _end_open_enrollment(session: Session, actor: Actor, official_id: str, on: dt.date, reason: str) -> None:
    enrollment = session.scalars(
        select(Enrollment).where(
            Enrollment.official_id == official_id,
            Enrollment.deleted_at.is_(None),
            Enrollment.ended_on.is_(None),
        )
    ).first()
    if enrollment is None:
        return
    enrollment.ended_on = on
    enrollment.end_reason = reason
    enrollment.row_version += 1
    enrollment.updated_at = session_now(session)
    audit.record(session, actor, "end", "enrollment", enrollment.id, new={"ended_on": on, "end_reason": reason})


def end_term(
    ctx: ServiceContext,
    actor: Actor,
    official_id: str,
    *,
    on: dt.date,
    reason: EndReason,
    note: str | None = None,
) -> OfficialDetail:
    """End a term without a successor (death, resignation, end of term). Coverage becomes ``berakhir``."""
    require(actor, Permission.registry)
    with ctx.write() as session:
        row = _live(session, official_id)
        if row.term_status == "berakhir":
            raise UserError(f"Masa jabatan {row.nama} sudah berakhir.")
        if row.term_start is not None and on < row.term_start:
            raise UserError("Tanggal berakhir tidak boleh sebelum awal masa jabatan.", field="ended_on")
        _close_term(session, actor, row, on=on, reason=reason.value, note=note, replaced_by=None)
    return get(ctx, official_id)


def _close_term(
    session: Session,
    actor: Actor,
    row: Official,
    *,
    on: dt.date,
    reason: str,
    note: str | None,
    replaced_by: str | None,
) -> None:
    old = {"term_status": row.term_status, "ended_on": row.ended_on, "end_reason": row.end_reason}
    row.term_status = "berakhir"
    row.ended_on = on
    row.end_reason = reason
    row.end_note = note
    row.replaced_by_id = replaced_by
    if row.term_end is None or row.term_end > on:
        row.term_end = on
    row.row_version += 1
    row.updated_at = session_now(session)
    audit.record(
        session,
        actor,
        "end_term",
        "official",
        row.id,
        old=old,
        new={"term_status": "berakhir", "ended_on": on, "end_reason": reason, "replaced_by_id": replaced_by},
    )
    label = EndReason(reason).label if reason in EndReason.__members__ else reason
    _end_open_enrollment(session, actor, row.id, on, label)


def replace(
    ctx: ServiceContext,
    actor: Actor,
    old_id: str,
    *,
    on: dt.date,
    new: OfficialFields,
    reason: EndReason = EndReason.diganti,
) -> OfficialDetail:
    """ "Ganti pengurus": the new official takes the old one's slot from ``on``; the old term ends that day.

    Nothing is overwritten: the old row keeps its data, gets ``term_status = berakhir`` and points to its
    successor, and its open enrollment ends on the same date.
    """
    require(actor, Permission.registry)
    today = ctx.today()
    try:
        with ctx.write() as session:
            old = _live(session, old_id)
            if old.term_status == "berakhir":
                raise UserError(f"{old.nama} sudah tidak menjabat; tidak ada yang diganti.")
            if old.term_start is not None and on < old.term_start:
                raise UserError("Tanggal penggantian tidak boleh sebelum awal masa jabatan lama.", field="on")
            fields = normalized(
                dc_replace(
                    new,
                    desa_kode=old.desa_kode,
                    rw=old.rw,
                    rt=old.rt,
                    jabatan=Jabatan(old.jabatan),
                    term_start=new.term_start if new.term_start and new.term_start > on else on,
                )
            )
            # the slot frees up first, then the successor is checked and inserted
            new_id = new_uuid()
            _close_term(session, actor, old, on=on, reason=reason.value, note=None, replaced_by=None)
            session.flush()
            raise_if_errors(check(session, fields, today=today, official_id=None))
            row = _insert(session, actor, fields, today=today)
            new_id = row.id
            old.replaced_by_id = new_id
    except IntegrityError as exc:
        raise integrity_message(exc) from exc
    return get(ctx, new_id)


def delete(ctx: ServiceContext, actor: Actor, official_id: str) -> None:
    """Remove a record entered by mistake (kept as a tombstone so the deletion can travel)."""
    require(actor, Permission.registry)
    with ctx.write() as session:
        row = _live(session, official_id)
        now = ctx.now()
        row.deleted_at = now
        row.row_version += 1
        row.updated_at = now
        session.execute(
            update(Enrollment)
            .where(Enrollment.official_id == official_id, Enrollment.deleted_at.is_(None))
            .values(deleted_at=now, updated_at=now, row_version=Enrollment.row_version + 1)
        )
        audit.record(session, actor, "delete", "official", row.id, old={"nama": row.nama, "nik": row.nik})


# ---------------------------------------------------------------------------------------------- reading


def get(ctx: ServiceContext, official_id: str, *, on: dt.date | None = None) -> OfficialDetail:
    """One official with the coverage status on ``on`` and the deciding enrollment: the columns the list reads
    (``cov_*``, kept by the database's triggers), so the pane and the list never show two enrollments."""
    on = on or ctx.today()
    with ctx.read() as session:
        row = _live(session, official_id)
        desa = session.get(Wilayah, row.desa_kode)
        summary = session.execute(select(*coverage.STATUS_COLUMNS).where(Official.id == row.id)).one()
        status = coverage.StatusClassifier(on).row_status(summary)
        enrollment_id = summary[2]
        enrollment = None if enrollment_id is None else session.get(Enrollment, enrollment_id)
        return from_attributes(
            OfficialDetail,
            row,
            jenis_kelamin=Sex(row.jenis_kelamin),
            desa_nama=desa.nama if desa else row.desa_kode,
            jabatan=Jabatan(row.jabatan),
            status=CoverageStatus(status),
            enrollment=EnrollmentData.of(enrollment) if enrollment else None,
        )


def reveal_nik(ctx: ServiceContext, actor: Actor, official_id: str) -> str:
    """The full NIK of one official, shown on an explicit action ("Tampilkan NIK") to a role that may see it; the
    reveal is recorded in the audit log (``reveal_nik``, naming the row, never the NIK) before it is returned."""
    require(actor, Permission.reveal_nik)
    with ctx.read() as session:
        row = _live(session, official_id)
        row_id, nik = row.id, row.nik
    audit.record_reveal(ctx, actor, "official", row_id)
    return nik


def fields_of(detail: OfficialDetail) -> OfficialFields:
    """The editable fields of an official, as a form opens them."""
    return OfficialFields(**{name: getattr(detail, name) for name in FIELD_NAMES})


_LIST_COLUMNS = (
    Official.id,
    Official.nik,
    Official.nama,
    Official.jenis_kelamin,
    Official.tempat_lahir,
    Official.tanggal_lahir,
    Official.desa_kode,
    Wilayah.nama,
    Official.rw,
    Official.rt,
    Official.jabatan,
    Official.telepon,
    Official.term_start,
    Official.term_end,
    Official.row_version,
    *coverage.STATUS_COLUMNS,  # term_status, ended_on and the deciding enrollment's cov_* columns
    Enrollment.nomor_kpj,
)


#: Rows read from the cursor at a time. 1,000 rather than 5,000: the raw rows of a chunk are garbage once turned into
#: OfficialRows, and fewer at once leave fewer holes in the heap (measured at 100,000 officials: 3 MB less resident).
LIST_CHUNK = 1_000
FIRST_ROWS = 2_000  # more than a screen holds, sorted and searched at once


def list_rows(
    ctx: ServiceContext,
    *,
    on: dt.date | None = None,
    desa_kode: str | None = None,
    kecamatan_kode: str | None = None,
    serving_only: bool = False,
    official_ids: Sequence[str] | None = None,
    nik: str | None = None,
    first: Callable[[list[OfficialRow]], None] | None = None,
) -> list[OfficialRow]:
    """Every live official (serving and past), with coverage status on ``on``, by column select (see
    :func:`iter_rows`)."""
    return list(
        iter_rows(
            ctx,
            on=on,
            desa_kode=desa_kode,
            kecamatan_kode=kecamatan_kode,
            serving_only=serving_only,
            official_ids=official_ids,
            nik=nik,
            first=first,
        )
    )


def iter_rows(
    ctx: ServiceContext,
    *,
    on: dt.date | None = None,
    desa_kode: str | None = None,
    kecamatan_kode: str | None = None,
    serving_only: bool = False,
    official_ids: Sequence[str] | None = None,
    nik: str | None = None,
    first: Callable[[list[OfficialRow]], None] | None = None,
) -> Iterator[OfficialRow]:
    """Every live official (serving and past), with coverage status on ``on``, one at a time as read: whoever keeps
    them another way (the GUI's list, by column) never holds every row as a tuple.

    The rows are streamed in chunks and repeated strings (names, desa, jabatan, status) and dates are shared, so
    100,000 rows stay well inside the GUI's memory budget (buffering the whole result first kept ~60 MB more).
    ``first``: called once with a copy of the first :data:`FIRST_ROWS` rows as soon as they are read (the GUI
    shows them while the rest loads), when there are that many. The read ends when the last row is taken.
    """
    on = on or ctx.today()
    stmt = (
        select(*_LIST_COLUMNS)
        .join(Wilayah, Wilayah.kode == Official.desa_kode)
        # the deciding enrollment (the open one, else the one that ended last), as the database's triggers keep it
        .outerjoin(Enrollment, Enrollment.id == Official.cov_enrollment_id)
        .where(Official.deleted_at.is_(None))
        .order_by(Official.desa_kode, Official.rw, Official.rt, Official.jabatan, Official.term_status.desc())
    )
    if desa_kode is not None:
        stmt = stmt.where(Official.desa_kode == desa_kode)
    if kecamatan_kode is not None:
        stmt = stmt.where(Official.office_code == kecamatan_kode)
    if serving_only:
        stmt = stmt.where(Official.term_status == "menjabat")
    if official_ids is not None:
        stmt = stmt.where(Official.id.in_(list(official_ids)))
    if nik is not None:
        stmt = stmt.where(Official.nik == nik)
    classify = coverage.StatusClassifier(on).row_status
    shared: dict[str, str] = {}
    share = shared.setdefault
    days: dict[dt.date, dt.date] = {}  # dates shared too: 100,000 officials have ~20,000 distinct dates (~9 MB less)
    day = days.setdefault
    head: list[OfficialRow] | None = [] if first is not None else None
    count = 0
    with ctx.read() as session:
        result = dialects.stream_rows(session.connection(), stmt, LIST_CHUNK)
        for (
            oid, nik, nama, jk, tempat, tgl, desa, desa_nama, rw, rt, jabatan, telepon, t_start, t_end,
            version, t_status, t_ended, e_id, e_ended, e_sub, e_reg, e_paid, kpj,
        ) in result:  # fmt: skip
            status = classify((t_status, t_ended, e_id, e_ended, e_sub, e_reg, e_paid))
            paid = paid_since_registration(e_paid, e_reg)
            if paid is not None:
                paid = share(paid, paid)
            row = OfficialRow(
                oid, nik, share(nama, nama), share(jk, jk), None if tempat is None else share(tempat, tempat),
                None if tgl is None else day(tgl, tgl), share(desa, desa), share(desa_nama, desa_nama), rw, rt,
                share(jabatan, jabatan), telepon, None if t_start is None else day(t_start, t_start),
                None if t_end is None else day(t_end, t_end), share(t_status, t_status), status, kpj, paid, version,
            )  # fmt: skip
            count += 1
            if head is not None and first is not None:
                head.append(row)
                if count == FIRST_ROWS:
                    first(head)
                    head = None
            yield row
        if not ctx.on_server and count >= LIST_CHUNK:
            # the scan filled this connection's page cache (up to 32 MiB, db/engine.py) with pages read once
            session.execute(text("PRAGMA shrink_memory"))


def find_by_nik(ctx: ServiceContext, nik: str, *, on: dt.date | None = None) -> list[OfficialRow]:
    """Every live record with this NIK, serving ones first."""
    # one read: on a server, half the round trips of looking the ids up first (bench/bench_lists.py)
    rows = list_rows(ctx, on=on, nik=normalize_nik(nik))
    return sorted(rows, key=lambda r: r.term_status != "menjabat")


def serving_by_nik(ctx: ServiceContext, nik: str) -> OfficialRow:
    rows = [r for r in find_by_nik(ctx, nik) if r.term_status == "menjabat"]
    if not rows:
        raise NotFoundError("Tidak ada pengurus yang sedang menjabat dengan NIK tersebut.", field="nik")
    return rows[0]


def slot_history(
    ctx: ServiceContext, *, desa_kode: str, rw: int | None, rt: int | None, jabatan: Jabatan
) -> list[OfficialRow]:
    """Everyone who held this position, the current holder first, then by term start, newest first."""
    with ctx.read() as session:
        ids = list(
            session.scalars(
                select(Official.id).where(*same_slot(desa_kode, rw, rt, jabatan.value), Official.deleted_at.is_(None))
            )
        )
    rows = list_rows(ctx, official_ids=ids) if ids else []
    return sorted(
        rows,
        key=lambda r: (r.term_status != "menjabat", -(r.term_start or dt.date.min).toordinal()),
    )


def count_serving(ctx: ServiceContext) -> int:
    from sqlalchemy import func

    with ctx.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Official)
                .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
            )
            or 0
        )
