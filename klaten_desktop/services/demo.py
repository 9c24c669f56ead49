"""Demo data: synthetic officials (never real people) for trying the app and for benchmarks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from klaten_desktop.db import dialects
from klaten_desktop.db.models import ContributionPayment, Enrollment, Office, Official, Wilayah, new_uuids
from klaten_desktop.domain.demo_data import DemoEnrollment, DemoOfficial, generate_demo
from klaten_desktop.domain.enums import format_programs
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.domain.wilayah import Wilayah as DomainWilayah
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.tariffs import Defaults

CHUNK = 5_000
CANCELLED = "Pembuatan data contoh dibatalkan; tidak ada data yang berubah."


@dataclass(frozen=True)
class DemoResult:
    officials: int
    enrollments: int
    payments: int


@dataclass(frozen=True)
class _Setting:
    """What every demo row shares: the office's install, the moment, today and the default tariff."""

    install: str | None
    now: dt.datetime
    today: dt.date
    tariff_code: str
    amount: int
    programs: str


@dataclass
class _Rows:
    """The column values to insert, table by table."""

    officials: list[dict[str, object]] = field(default_factory=list)
    enrollments: list[dict[str, object]] = field(default_factory=list)
    payments: list[dict[str, object]] = field(default_factory=list)


def _office_desa(ctx: ServiceContext) -> tuple[list[DomainWilayah], str | None]:
    """The desa demo officials are spread over and the office's install id; refused before ``init`` and on a
    registry that already holds officials."""
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None:
            raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
        stmt = select(Wilayah.kode, Wilayah.nama, Wilayah.tingkat, Wilayah.kode_induk).where(
            Wilayah.tingkat.in_(("desa", "kelurahan"))
        )
        if office.role == "kecamatan":
            stmt = stmt.where(Wilayah.kode_induk == office.office_code)
        desa = [DomainWilayah(*r) for r in session.execute(stmt.order_by(Wilayah.kode))]
        existing = session.scalar(select(Official.id).where(Official.deleted_at.is_(None)).limit(1))
        install = office.install_id
    if existing is not None:
        raise UserError("Data contoh hanya dapat dibuat pada basis data yang belum berisi pengurus.")
    return desa, install


def _official_values(person: DemoOfficial, oid: str, setting: _Setting) -> dict[str, object]:
    """The ``official`` row of one demo person, serving."""
    return {
        "id": oid,
        "row_version": 1,
        "updated_at": setting.now,
        "office_code": person.desa_kode[:8],
        "origin_install": setting.install,
        "nik": person.nik,
        "nama": person.nama,
        "tempat_lahir": person.tempat_lahir,
        "tanggal_lahir": person.tanggal_lahir,
        "jenis_kelamin": person.jenis_kelamin.value,
        "alamat": person.alamat,
        "desa_kode": person.desa_kode,
        "rw": person.rw,
        "rt": person.rt,
        "jabatan": person.jabatan.value,
        "term_start": person.term_start,
        "term_end": person.term_end,
        "sk_nomor": person.sk_nomor,
        "sk_tanggal": person.sk_tanggal,
        "telepon": person.telepon,
        "term_status": "menjabat",
    }


def _enrollment_values(
    person: DemoOfficial, e: DemoEnrollment, ids: tuple[str, str], paid_through: str | None, setting: _Setting
) -> dict[str, object]:
    """The ``enrollment`` row of one demo person (``ids``: the enrollment's own and its official's)."""
    eid, oid = ids
    return {
        "id": eid,
        "row_version": 1,
        "updated_at": setting.now,
        "office_code": person.desa_kode[:8],
        "origin_install": setting.install,
        "official_id": oid,
        "nomor_kpj": e.nomor_kpj,
        "programs": setting.programs,
        "declared_income": None,
        "tariff_code": setting.tariff_code,
        "monthly_amount": setting.amount,
        "funding_source": e.funding.value,
        "submitted_on": e.submitted_on,
        "registered_on": e.registered_on,
        "ended_on": e.ended_on,
        "end_reason": "Data contoh: kepesertaan diakhiri" if e.ended_on else None,
        "paid_through": paid_through,
    }


def _payment_values(
    person: DemoOfficial, eid: str, months: list[YearMonth], setting: _Setting
) -> list[dict[str, object]]:
    """One paid contribution a month (ids are given later, in one batch)."""
    return [
        {
            "id": "",
            "row_version": 1,
            "updated_at": setting.now,
            "office_code": person.desa_kode[:8],
            "origin_install": setting.install,
            "enrollment_id": eid,
            "periode": str(month),
            "amount": setting.amount,
            "paid_on": min(month.due_date(), setting.today),
            "batch_id": None,
            "reference": "data contoh",
        }
        for month in months
    ]


def _demo_rows(people: list[DemoOfficial], setting: _Setting, *, with_payments: bool) -> _Rows:
    """Every row the demo people make: their officials, enrollments and (optionally) paid months."""
    rows = _Rows()
    ids = iter(new_uuids(len(people) * 2))
    for person in people:
        oid = next(ids)
        rows.officials.append(_official_values(person, oid, setting))
        e = person.enrollment
        if e is None:
            continue
        eid = next(ids)
        paid_through = None
        if e.registered_on is not None:
            start = YearMonth.of(e.registered_on)
            paid_through = str(e.paid_through if e.paid_through is not None else start.prev())
            if with_payments and e.paid_through is not None:
                rows.payments += _payment_values(person, eid, month_range(start, e.paid_through), setting)
        rows.enrollments.append(_enrollment_values(person, e, (eid, oid), paid_through, setting))
    for payment, pid in zip(rows.payments, new_uuids(len(rows.payments)), strict=True):
        payment["id"] = pid
    return rows


def _write(
    ctx: ServiceContext, actor: Actor, rows: _Rows, progress: Progress | None, cancelled: CancelCheck | None
) -> None:
    """Insert the rows in chunks inside one transaction, audited; a cancel leaves nothing behind."""
    total = len(rows.officials) + len(rows.enrollments) + len(rows.payments)
    done = 0
    tables = ((Official, rows.officials), (Enrollment, rows.enrollments), (ContributionPayment, rows.payments))
    with ctx.write() as session:
        for table, values in tables:
            for i in range(0, len(values), CHUNK):
                chunk = values[i : i + CHUNK]
                check(cancelled, CANCELLED)  # out of ctx.write(): everything written so far is rolled back
                session.connection().execute(insert(table), chunk)
                done += len(chunk)
                report(progress, done, total)
        check(cancelled, CANCELLED)  # also a cancel during the last chunk: nothing is kept
        audit.record(
            session,
            actor,
            "demo",
            "official",
            None,
            new={
                "pengurus": len(rows.officials),
                "kepesertaan": len(rows.enrollments),
                "iuran": len(rows.payments),
            },
            summary=f"Data contoh dibuat: {len(rows.officials)} pengurus",
        )
        dialects.refresh_statistics(session.connection(), {table.__tablename__: len(v) for table, v in tables})


def populate(
    ctx: ServiceContext,
    actor: Actor,
    n: int,
    *,
    seed: int = 2026,
    with_payments: bool = True,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> DemoResult:
    """Add ``n`` synthetic officials spread over the office's desa (all of Klaten for the regency).

    Refused when the registry already holds officials, so demo data never mixes with real records. A cancel
    (checked between chunks, inside the one write transaction) leaves the database as it was.
    """
    require(actor, Permission.maintenance)
    if n < 1 or n > 500_000:
        raise UserError("Jumlah pengurus contoh harus antara 1 dan 500.000.")
    today = ctx.today()
    defaults = Defaults(ctx)
    code, amount = defaults.amount(today)
    programs = format_programs(defaults.programs)
    desa, install = _office_desa(ctx)
    people = generate_demo(desa, n, today=today, seed=seed)
    setting = _Setting(install, ctx.now(), today, code, amount, programs)
    rows = _demo_rows(people, setting, with_payments=with_payments)
    _write(ctx, actor, rows, progress, cancelled)
    return DemoResult(len(rows.officials), len(rows.enrollments), len(rows.payments))
