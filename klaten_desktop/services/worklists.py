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
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, false, func, literal, select
from sqlalchemy.orm import Session

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


def _base(*extra: Any, names: bool = True) -> _Query:
    stmt = select(
        Official.id,
        Official.nama,
        Official.desa_kode,
        Wilayah.nama if names else literal(""),
        Official.rt,
        Official.rw,
        Official.jabatan,
        *extra,
    )
    if names:
        stmt = stmt.join(Wilayah, Wilayah.kode == Official.desa_kode)
    return stmt.where(Official.deleted_at.is_(None))


def _serving(stmt: _Query) -> _Query:
    return stmt.where(Official.term_status == "menjabat")


def _open_enrollment() -> Any:
    """The official's deciding enrollment (the list's and the dashboard's), when it is open."""
    return and_(Enrollment.id == Official.cov_enrollment_id, Official.cov_ended_on.is_(None))


def _scope(session: Session, stmt: _Query) -> _Query:
    office = session.get(Office, 1)
    if office is not None and office.role == "kecamatan":
        stmt = stmt.where(Official.office_code == office.office_code)
    return stmt


def _days_ago(d: dt.date, today: dt.date) -> str:
    n = (today - d).days
    return "hari ini" if n == 0 else f"{format_number(n)} hari lalu"


def _enrollment_condition(key: str, today: dt.date, posts: frozenset[str]) -> Any:
    """For the four lists over the open enrollment (outer-joined): the condition, or None for other lists. Only
    officials in insured ``posts`` are to be submitted or billed (services/coverage.py)."""
    condition = _enrollment_only(key, today)
    return None if condition is None else and_(insured(posts), condition)


def _enrollment_only(key: str, today: dt.date) -> Any:
    registered = and_(Enrollment.registered_on.is_not(None), Enrollment.registered_on <= today)
    thresholds = StatusClassifier(today)
    if key == "belum_terdaftar":
        return (Enrollment.id.is_(None)) | (and_(Enrollment.submitted_on.is_(None), Enrollment.registered_on.is_(None)))
    if key == "kpj_terlambat":
        return and_(
            Enrollment.nomor_kpj.is_(None),
            Enrollment.registered_on.is_(None),
            Enrollment.submitted_on.is_not(None),
            Enrollment.submitted_on <= today - dt.timedelta(days=KPJ_WAIT_DAYS),
        )
    if key == "iuran_bulan_ini":
        # nothing is overdue for this month before its due date has passed
        if thresholds.newest_due != YearMonth.of(today):
            return and_(registered, false())
        return and_(registered, Enrollment.paid_through < thresholds.aktif_min)
    if key == "akan_nonaktif":
        return and_(registered, Enrollment.paid_through.in_(lapsing_months(today, LAPSE_WITHIN_DAYS)))
    return None


ENROLLMENT_LISTS = ("belum_terdaftar", "kpj_terlambat", "iuran_bulan_ini", "akan_nonaktif")
_NOTE_COLUMN = {
    "belum_terdaftar": Enrollment.id,
    "kpj_terlambat": Enrollment.submitted_on,
    "iuran_bulan_ini": Enrollment.paid_through,
    "akan_nonaktif": Enrollment.paid_through,
}


def _enrollment_query(key: str, today: dt.date, names: bool, posts: frozenset[str]) -> tuple[_Query, _Note]:
    """One of the four lists over the open enrollment, with the note its enrollment column words."""
    stmt = _serving(_base(_NOTE_COLUMN[key], names=names)).outerjoin(Enrollment, _open_enrollment())
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


def _term_ending_query(today: dt.date, names: bool) -> tuple[_Query, _Note]:
    """Serving officials whose term ends within TERM_WITHIN_DAYS (or has ended without a successor)."""
    limit = today + dt.timedelta(days=TERM_WITHIN_DAYS)
    stmt = _serving(_base(Official.term_end, names=names)).where(
        Official.term_end.is_not(None), Official.term_end <= limit
    )
    return (
        stmt,
        lambda r: (
            f"Masa jabatan berakhir {format_date(r[7])}"
            if r[7] >= today
            else f"Masa jabatan berakhir {format_date(r[7])} (sudah lewat, belum diganti)"
        ),
    )


def _not_socialised_query(names: bool) -> tuple[_Query, _Note]:
    """Serving officials never recorded as present at a socialisation event."""
    attended = (
        select(EventParticipant.id)
        .where(
            EventParticipant.official_id == Official.id,
            EventParticipant.deleted_at.is_(None),
            EventParticipant.attended == 1,
        )
        .exists()
    )
    return _serving(_base(names=names)).where(~attended), lambda r: "Belum tercatat hadir sosialisasi"


def _duplicate_nik_query(names: bool) -> tuple[_Query, _Note]:
    """Serving officials whose NIK another serving official also has (across offices, at the regency)."""
    dup = (
        select(Official.nik)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
        .group_by(Official.nik)
        .having(func.count() > 1)
    )
    stmt = _serving(_base(Official.nik, Official.office_code, names=names)).where(Official.nik.in_(dup))
    return stmt, lambda r: f"NIK sama dengan pengurus lain (kecamatan {r[8]})"


def _duplicate_slot_query(names: bool) -> tuple[_Query, _Note]:
    """Serving officials holding a single-holder position someone else serving also holds."""
    rw0, rt0 = func.coalesce(Official.rw, 0), func.coalesce(Official.rt, 0)
    slots = (
        select(Official.desa_kode, rw0.label("rw0"), rt0.label("rt0"), Official.jabatan)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat", Official.jabatan != "lainnya")
        .group_by(Official.desa_kode, rw0, rt0, Official.jabatan)
        .having(func.count() > 1)
        .subquery()
    )
    stmt = _serving(_base(Official.term_start, names=names)).join(
        slots,
        and_(
            slots.c.desa_kode == Official.desa_kode,
            slots.c.rw0 == rw0,
            slots.c.rt0 == rt0,
            slots.c.jabatan == Official.jabatan,
        ),
    )
    return (
        stmt,
        lambda r: (
            f"Jabatan yang sama dipegang pengurus lain; menjabat sejak {format_date(r[7])}"
            if r[7]
            else "Jabatan yang sama dipegang pengurus lain"
        ),
    )


def _query(key: str, today: dt.date, posts: frozenset[str], *, names: bool = True) -> tuple[_Query, _Note]:
    """The SQL of one worklist and how to word each row's note (``names=False``: no desa name, for counting)."""
    if key in ENROLLMENT_LISTS:
        return _enrollment_query(key, today, names, posts)
    if key == "masa_jabatan":
        return _term_ending_query(today, names)
    if key == "belum_sosialisasi":
        return _not_socialised_query(names)
    if key == "nik_ganda":
        return _duplicate_nik_query(names)
    if key == "jabatan_ganda":
        return _duplicate_slot_query(names)
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


def counts(ctx: ServiceContext, *, today: dt.date | None = None) -> dict[str, int]:
    """How many officials each worklist holds (the four enrollment lists in one pass over the join)."""
    today = today or ctx.today()
    result: dict[str, int] = {}
    with ctx.read() as session:
        posts = insured_posts(session, today)
        sums = [
            func.sum(case((_enrollment_condition(key, today, posts), 1), else_=0)).label(key)
            for key in ENROLLMENT_LISTS
        ]
        joined = _serving(select(*sums).select_from(Official).where(Official.deleted_at.is_(None))).outerjoin(
            Enrollment, _open_enrollment()
        )
        row = session.execute(_scope(session, joined)).one()
        for key, value in zip(ENROLLMENT_LISTS, row, strict=True):
            result[key] = int(value or 0)
        for worklist in WORKLISTS:
            if worklist.key in result:
                continue
            stmt, _ = _query(worklist.key, today, posts, names=False)
            stmt = _scope(session, stmt)
            result[worklist.key] = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    return {w.key: result[w.key] for w in WORKLISTS}


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
    :func:`counts` when the caller already has it (counting takes about a second over 100,000 officials).
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
