"""Worklists: who needs something done today, each with the next action at hand.

Each worklist is a SQL query for the officials concerned; the rows carry a short Indonesian note ("diajukan
12 Oktober 2026, 43 hari lalu") and the worklist names its next action (``ajukan``, ``catat_kpj``,
``catat_pembayaran``, ``ganti_pengurus``, ``undang_sosialisasi``, ``periksa``) for the GUI to start: each opens
the section where that action is at hand, showing exactly the worklist's officials. Only live rows count; all lists but
the two conflict lists look at serving officials only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, false, func, literal_column, select, tuple_
from sqlalchemy.orm import Session

from klaten_desktop.db import dialects
from klaten_desktop.db.models import Enrollment, EventParticipant, Office, Official, Wilayah
from klaten_desktop.domain.coverage import nonaktif_from
from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_date, format_number, format_rt_rw
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import StatusClassifier, insured, insured_posts, lapsing_months

KPJ_WAIT_DAYS = 30
LAPSE_WITHIN_DAYS = 30
TERM_WITHIN_DAYS = 60

ACTION_LABELS = {
    "ajukan": "Ajukan ke BPJS",
    "catat_kpj": "Catat nomor KPJ",
    "catat_pembayaran": "Catat pembayaran iuran",
    "ganti_pengurus": "Ganti atau akhiri masa jabatan",
    "undang_sosialisasi": "Undang ke sosialisasi",
    "periksa": "Buka data untuk diperiksa",
}


class WorklistRow(NamedTuple):
    official_id: str
    nama: str
    desa_kode: str
    desa_nama: str
    rt_rw: str
    jabatan: str
    keterangan: str


@dataclass(frozen=True)
class Worklist:
    key: str
    title: str
    description: str
    action: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


WORKLISTS: tuple[Worklist, ...] = (
    Worklist(
        "belum_terdaftar",
        "Perlu didaftarkan",
        "Pengurus menjabat tanpa kepesertaan berjalan: belum diajukan, atau kepesertaannya sudah diakhiri.",
        "ajukan",
    ),
    Worklist(
        "kpj_terlambat",
        "Diajukan, belum ada KPJ > 30 hari",
        "Pengajuan lebih dari 30 hari lalu yang belum mendapat nomor KPJ.",
        "catat_kpj",
    ),
    Worklist(
        "iuran_bulan_ini",
        "Iuran bulan ini belum dibayar",
        "Peserta terdaftar yang iuran bulan berjalan belum dibayar setelah tanggal 15.",
        "catat_pembayaran",
    ),
    Worklist(
        "akan_nonaktif",
        "Akan nonaktif dalam 30 hari",
        "Peserta yang perlindungannya terhenti dalam 30 hari bila iuran tidak dibayar.",
        "catat_pembayaran",
    ),
    Worklist(
        "masa_jabatan",
        "Masa jabatan berakhir dalam 60 hari",
        "Pengurus yang masa jabatannya berakhir dalam 60 hari atau sudah lewat tetapi belum diganti.",
        "ganti_pengurus",
    ),
    Worklist(
        "belum_sosialisasi",
        "Belum pernah ikut sosialisasi",
        "Pengurus menjabat yang belum tercatat hadir pada sosialisasi mana pun.",
        "undang_sosialisasi",
    ),
    Worklist(
        "nik_ganda",
        "NIK tercatat di dua tempat",
        "NIK yang sama dipakai dua pengurus menjabat (atau di dua kecamatan).",
        "periksa",
    ),
    Worklist(
        "jabatan_ganda",
        "Satu jabatan dipegang dua orang",
        "Jabatan RT/RW yang tercatat memiliki dua pemegang menjabat.",
        "periksa",
    ),
)
BY_KEY = {w.key: w for w in WORKLISTS}

_Query = Select[tuple[Any, ...]]
_Note = Callable[[tuple[Any, ...]], str]


def _base(*extra: Any) -> _Query:
    stmt = select(
        Official.id,
        Official.nama,
        Official.desa_kode,
        Wilayah.nama,
        Official.rt,
        Official.rw,
        Official.jabatan,
        *extra,
    ).join(Wilayah, Wilayah.kode == Official.desa_kode)
    return stmt.where(Official.deleted_at.is_(None))


def _serving(stmt: _Query) -> _Query:
    return stmt.where(Official.term_status == "menjabat")


def _open_enrollment() -> Any:
    """The official's deciding enrollment (the list's and the dashboard's), when it is open."""
    return and_(Enrollment.id == Official.cov_enrollment_id, Official.cov_ended_on.is_(None))


def _office_code(session: Session) -> str | None:
    """The kecamatan whose officials the lists hold (None at the regency: all of them)."""
    office = session.get(Office, 1)
    return office.office_code if office is not None and office.role == "kecamatan" else None


def _scope(session: Session, stmt: _Query) -> _Query:
    office_code = _office_code(session)
    return stmt if office_code is None else stmt.where(Official.office_code == office_code)


def _days_ago(d: dt.date, today: dt.date) -> str:
    n = (today - d).days
    return "hari ini" if n == 0 else f"{format_number(n)} hari lalu"


@dataclass(frozen=True)
class _Deciding:
    """The columns of an official's open deciding enrollment the four enrollment lists read, from one of two
    sources that agree: the outer-joined ``enrollment`` row (the lists' rows) or the coverage summary kept on
    the official row (``cov_*``, triggers of revision 0002: the counts, from the index ``ix_official_worklists``
    alone). ``present``: the official has an open deciding enrollment. ``nomor_kpj``: None where the source has
    no KPJ number (the summary: :func:`counts` subtracts the few waiting officials who have one)."""

    present: Any
    submitted_on: Any
    registered_on: Any
    paid_through: Any
    nomor_kpj: Any


JOINED = _Deciding(
    Enrollment.id.is_not(None),
    Enrollment.submitted_on,
    Enrollment.registered_on,
    Enrollment.paid_through,
    Enrollment.nomor_kpj,
)
SUMMARY = _Deciding(
    # an official without a deciding enrollment has every cov_* column NULL (services/coverage.py), which each
    # list's condition reads as the joined row's absence: belum_terdaftar holds him by the NULL dates, the three
    # others need a date only an enrollment has; so "open" alone says it, as the dashboard's status rule reads it
    Official.cov_ended_on.is_(None),
    Official.cov_submitted_on,
    Official.cov_registered_on,
    Official.cov_paid_through,
    None,
)


def _enrollment_condition(key: str, today: dt.date, posts: frozenset[str], e: _Deciding = JOINED) -> Any:
    """For the four lists over the open enrollment: the condition, or None for other lists. Only officials in
    insured ``posts`` are to be submitted or billed (services/coverage.py). Each condition tests its rarest part
    first and the post (true of most officials) last: the counts evaluate them on every serving official, and
    SQLite stops at the first false part (100,000 officials: 29 ms instead of 42 for the five lists)."""
    condition = _enrollment_only(key, today, e)
    return None if condition is None else and_(condition, insured(posts))


def _enrollment_only(key: str, today: dt.date, e: _Deciding) -> Any:
    # a comparison with a NULL date or month is not true: "registered by today" holds only a registration date
    registered = and_(e.registered_on <= today, e.present)
    thresholds = StatusClassifier(today)
    if key == "belum_terdaftar":
        return ~e.present | and_(e.submitted_on.is_(None), e.registered_on.is_(None))
    if key == "kpj_terlambat":
        return and_(
            e.submitted_on <= today - dt.timedelta(days=KPJ_WAIT_DAYS),
            e.registered_on.is_(None),
            e.present,
            *([] if e.nomor_kpj is None else [e.nomor_kpj.is_(None)]),
        )
    if key == "iuran_bulan_ini":
        # nothing is overdue for this month before its due date has passed
        if thresholds.newest_due != YearMonth.of(today):
            return false()
        return and_(e.paid_through < thresholds.aktif_min, registered)
    if key == "akan_nonaktif":
        return and_(e.paid_through.in_(lapsing_months(today, LAPSE_WITHIN_DAYS)), registered)
    return None


ENROLLMENT_LISTS = ("belum_terdaftar", "kpj_terlambat", "iuran_bulan_ini", "akan_nonaktif")
_NOTE_COLUMN = {
    "belum_terdaftar": Enrollment.id,
    "kpj_terlambat": Enrollment.submitted_on,
    "iuran_bulan_ini": Enrollment.paid_through,
    "akan_nonaktif": Enrollment.paid_through,
}


def _enrollment_query(key: str, today: dt.date, posts: frozenset[str]) -> tuple[_Query, _Note]:
    """One of the four lists over the open enrollment, with the note its enrollment column words."""
    stmt = _serving(_base(_NOTE_COLUMN[key])).outerjoin(Enrollment, _open_enrollment())
    stmt = stmt.where(_enrollment_condition(key, today, posts))
    if key == "belum_terdaftar":
        return stmt, lambda r: "Belum ada kepesertaan" if r[7] is None else "Kepesertaan belum diajukan"
    if key == "kpj_terlambat":
        return stmt, lambda r: f"Diajukan {format_date(r[7])}, {_days_ago(r[7], today)}"
    if key == "iuran_bulan_ini":
        current = YearMonth.of(today)
        return stmt, lambda r: _paid_note(r[7], current)
    return (
        stmt,
        lambda r: (
            f"Nonaktif mulai {format_date(nonaktif_from(YearMonth.parse(r[7])))}; "
            f"dibayar sampai {YearMonth.parse(r[7]).label()}"
        ),
    )


def _term_ending(today: dt.date) -> Any:
    """Serving officials whose term ends within TERM_WITHIN_DAYS (or has ended without a successor)."""
    return Official.term_end <= today + dt.timedelta(days=TERM_WITHIN_DAYS)  # not true of a NULL term end


def _term_ending_query(today: dt.date) -> tuple[_Query, _Note]:
    stmt = _serving(_base(Official.term_end)).where(_term_ending(today))
    return (
        stmt,
        lambda r: (
            f"Masa jabatan berakhir {format_date(r[7])}"
            if r[7] >= today
            else f"Masa jabatan berakhir {format_date(r[7])} (sudah lewat, belum diganti)"
        ),
    )


def _attendance() -> Any:
    """A live record of presence at a socialisation event (of the official it is joined to)."""
    return and_(EventParticipant.deleted_at.is_(None), EventParticipant.attended == 1)


def _not_socialised() -> Any:
    """Serving officials never recorded as present at a socialisation event."""
    return ~select(EventParticipant.id).where(EventParticipant.official_id == Official.id, _attendance()).exists()


def _not_socialised_query() -> tuple[_Query, _Note]:
    return _serving(_base()).where(_not_socialised()), lambda r: "Belum tercatat hadir sosialisasi"


def _duplicate_nik() -> Any:
    """Serving officials whose NIK another serving official also has (across offices, at the regency)."""
    # candidates first: NIKs on more than one row of any kind, from one scan of the NIK index alone (re-elections
    # and ended terms make a few); the serving rows of only those are then read
    repeated = select(Official.nik).group_by(Official.nik).having(func.count() > 1)
    dup = (
        select(Official.nik)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat", Official.nik.in_(repeated))
        .group_by(Official.nik)
        .having(func.count() > 1)
    )
    return Official.nik.in_(dup)


def _duplicate_nik_query() -> tuple[_Query, _Note]:
    stmt = _serving(_base(Official.nik, Official.office_code)).where(_duplicate_nik())
    return stmt, lambda r: f"NIK sama dengan pengurus lain (kecamatan {r[8]})"


def _duplicate_slot() -> Any:
    """Serving officials holding a single-holder position someone else serving also holds."""
    zero: Any = literal_column("0")  # written out: the expressions of the slot index (uq_official_slot_serving)
    rw0, rt0 = func.coalesce(Official.rw, zero), func.coalesce(Official.rt, zero)
    slots = (
        select(Official.desa_kode, rw0, rt0, Official.jabatan)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat", Official.jabatan != "lainnya")
        .group_by(Official.desa_kode, rw0, rt0, Official.jabatan)
        .having(func.count() > 1)
    )
    return tuple_(Official.desa_kode, rw0, rt0, Official.jabatan).in_(slots)


def _duplicate_slot_query() -> tuple[_Query, _Note]:
    stmt = _serving(_base(Official.term_start)).where(_duplicate_slot())
    return (
        stmt,
        lambda r: (
            f"Jabatan yang sama dipegang pengurus lain; menjabat sejak {format_date(r[7])}"
            if r[7]
            else "Jabatan yang sama dipegang pengurus lain"
        ),
    )


def _query(key: str, today: dt.date, posts: frozenset[str]) -> tuple[_Query, _Note]:
    """The SQL of one worklist and how to word each row's note."""
    if key in ENROLLMENT_LISTS:
        return _enrollment_query(key, today, posts)
    if key == "masa_jabatan":
        return _term_ending_query(today)
    if key == "belum_sosialisasi":
        return _not_socialised_query()
    if key == "nik_ganda":
        return _duplicate_nik_query()
    if key == "jabatan_ganda":
        return _duplicate_slot_query()
    raise KeyError(key)


def _paid_note(paid_through: str, current: YearMonth) -> str:
    paid = YearMonth.parse(paid_through)
    unpaid = current - paid
    return f"Dibayar sampai {paid.label()}; {unpaid} bulan belum dibayar"


def rows(ctx: ServiceContext, key: str, *, today: dt.date | None = None) -> list[WorklistRow]:
    """The officials of one worklist, ordered by desa, RW, RT."""
    if key not in BY_KEY:
        raise KeyError(key)
    today = today or ctx.today()
    with ctx.read() as session:
        stmt, note = _query(key, today, insured_posts(session, today))
        stmt = _scope(session, stmt).order_by(Official.desa_kode, Official.rw, Official.rt, Official.nama)
        result = [
            WorklistRow(r[0], r[1], r[2], r[3], format_rt_rw(r[4], r[5]), Jabatan(r[6]).label, note(tuple(r)))
            for r in session.execute(stmt)
        ]
    return result


ROW_LISTS = (*ENROLLMENT_LISTS, "masa_jabatan")


def _kpj_recorded(today: dt.date, posts: frozenset[str], *where: Any) -> Any:
    """How many officials ``where`` holds among those kpj_terlambat's summary condition holds whose deciding
    enrollment has a KPJ number after all: few or none (recording a KPJ also sets the registration date), read
    from the index of such enrollments (ix_enrollment_kpj_unregistered), each looking up its official."""
    official = (
        select(Official.id)
        .where(
            Official.id == Enrollment.official_id,
            Official.cov_enrollment_id == Enrollment.id,
            _enrollment_condition("kpj_terlambat", today, posts, SUMMARY),
            *where,
        )
        .correlate(Enrollment)
        .exists()
    )
    return (
        select(func.count())
        .select_from(Enrollment)
        .where(
            Enrollment.deleted_at.is_(None),
            Enrollment.ended_on.is_(None),
            Enrollment.registered_on.is_(None),
            Enrollment.nomor_kpj.is_not(None),
            official,
        )
        .correlate(None)
        .scalar_subquery()
    )


def _held_twice(key: tuple[Any, ...], counted: Any, *where: Any) -> Any:
    """How many officials ``counted`` holds among the serving officials ``where`` holds whose ``key`` another of
    them also has: the sum over the keys held more than once (grouped in the order of an index on ``key``)."""
    held = (
        select(counted.label("n"))
        .select_from(Official)
        .where(*where)
        .group_by(*key)
        .having(func.count() > 1)
        .correlate(None)
        .subquery()
    )
    return select(func.coalesce(func.sum(held.c.n), 0)).scalar_subquery()


def counts(ctx: ServiceContext, *, today: dt.date | None = None) -> dict[str, int]:
    """How many officials each worklist holds (the officials :func:`rows` lists; tests/dashboard/
    test_worklist_counts.py compares them), in one statement (:func:`_counts_statement`)."""
    today = today or ctx.today()
    with ctx.read() as session:
        dialects.plan_for_cached_data(session)
        stmt = _counts_statement(today, insured_posts(session, today), _office_code(session))
        row = session.execute(stmt).one()
    return {w.key: int(value) for w, value in zip(WORKLISTS, row, strict=True)}


@lru_cache(maxsize=8)
def _counts_statement(today: dt.date, posts: frozenset[str], scope: str | None) -> _Query:
    """The counts' statement for a day, the insured posts and the office's scope (kept: Beranda asks again on every
    refresh, and building it costs more than running it on a small registry). It reads the serving officials'
    covering index ``ix_official_worklists`` (revision 0009) and no table row: the five lists decided by the
    official row (the enrollment lists from its coverage summary) in one pass over it, the officials holding a
    position twice by grouping it in its order, the NIKs held twice from ix_official_serving_nik, and the two small sets
    subtracted (the attendances; the waiting submissions that have a KPJ number)."""
    serving = (Official.deleted_at.is_(None), Official.term_status == "menjabat")  # the index's condition
    in_scope = (Official.office_code == scope,) if scope is not None else ()
    counted = func.count().filter(*in_scope) if in_scope else func.count()

    on_rows = {
        "masa_jabatan": _term_ending(today),
        **{key: _enrollment_condition(key, today, posts, SUMMARY) for key in ENROLLMENT_LISTS},
    }
    # the attendances (few) each looking up their official
    counted_official = (
        select(Official.id)
        .where(Official.id == EventParticipant.official_id, *serving, *in_scope)
        .correlate(EventParticipant)
        .exists()
    )
    attended = (
        select(func.count(func.distinct(EventParticipant.official_id)))
        .where(_attendance(), counted_official)
        .correlate(None)
        .scalar_subquery()
    )
    columns: dict[str, Any] = {key: func.count().filter(on_rows[key]) for key in ROW_LISTS}
    columns["kpj_terlambat"] = columns["kpj_terlambat"] - _kpj_recorded(today, posts, *serving, *in_scope)
    columns["belum_sosialisasi"] = func.count() - attended
    # in the order of ix_official_serving_nik
    columns["nik_ganda"] = _held_twice((Official.nik,), counted, *serving)
    # the position as the unique index uq_official_slot_serving writes it, coalesce(rw, 0) and coalesce(rt, 0),
    # groups alike by the bare columns (RT and RW are 1 to 999 or NULL), in the order of ix_official_worklists
    slot = (Official.desa_kode, Official.rw, Official.rt, Official.jabatan)
    columns["jabatan_ganda"] = _held_twice(slot, counted, *serving, Official.jabatan != "lainnya")
    stmt = select(*(columns[w.key].label(w.key) for w in WORKLISTS)).select_from(Official)
    return stmt.where(*serving, *in_scope)


@dataclass(frozen=True)
class Notice:
    key: str  # a worklist key, or "ekspor" for the sync reminder
    text: str


def notices_today(
    ctx: ServiceContext, *, export_message: str | None = None, precounted: dict[str, int] | None = None
) -> list[Notice]:
    """What needs attention today, shortest first: lapsing coverage, unpaid contributions, overdue KPJ, terms.

    ``export_message``: the sync reminder's text (``services.sync.export.reminder``) when an export is overdue;
    the caller passes it so this module does not depend on the sync feature. ``precounted``: the result of
    :func:`counts` when the caller already has it (one pass over the officials).
    """
    n = precounted if precounted is not None else counts(ctx)
    notices: list[Notice] = []
    if n["akan_nonaktif"]:
        notices.append(
            Notice(
                "akan_nonaktif",
                f"{format_number(n['akan_nonaktif'])} peserta akan nonaktif dalam 30 hari bila iuran tidak dibayar.",
            )
        )
    if n["iuran_bulan_ini"]:
        notices.append(
            Notice(
                "iuran_bulan_ini",
                f"{format_number(n['iuran_bulan_ini'])} peserta belum membayar iuran bulan ini (batas tanggal 15).",
            )
        )
    if n["kpj_terlambat"]:
        notices.append(
            Notice(
                "kpj_terlambat",
                f"{format_number(n['kpj_terlambat'])} pengajuan lebih dari 30 hari belum mendapat nomor KPJ.",
            )
        )
    if n["masa_jabatan"]:
        notices.append(
            Notice(
                "masa_jabatan",
                f"{format_number(n['masa_jabatan'])} pengurus masa jabatannya berakhir dalam 60 hari.",
            )
        )
    if n["nik_ganda"] or n["jabatan_ganda"]:
        notices.append(
            Notice(
                "nik_ganda" if n["nik_ganda"] else "jabatan_ganda",
                f"{format_number(n['nik_ganda'] + n['jabatan_ganda'])} data pengurus bertentangan "
                "(NIK ganda atau jabatan ganda) perlu diperiksa.",
            )
        )
    if export_message:
        notices.append(Notice("ekspor", export_message))
    return notices
