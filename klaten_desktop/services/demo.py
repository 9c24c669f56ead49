"""Demo data: synthetic officials (never real people) for trying the app and for benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select

from klaten_desktop.db.models import ContributionPayment, Enrollment, Office, Official, Wilayah, new_uuids, utcnow
from klaten_desktop.domain.demo_data import generate_demo
from klaten_desktop.domain.enums import format_programs
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.domain.wilayah import Wilayah as DomainWilayah
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report
from klaten_desktop.services import audit
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
    if n < 1 or n > 500_000:
        raise UserError("Jumlah pengurus contoh harus antara 1 dan 500.000.")
    today = ctx.today()
    defaults = Defaults(ctx)
    code, amount = defaults.amount(today)
    programs = format_programs(defaults.programs)
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
    people = generate_demo(desa, n, today=today, seed=seed)
    now = utcnow()
    officials: list[dict[str, object]] = []
    enrollments: list[dict[str, object]] = []
    payments: list[dict[str, object]] = []
    ids = iter(new_uuids(len(people) * 2))
    for person in people:
        oid = next(ids)
        officials.append(
            {
                "id": oid,
                "row_version": 1,
                "updated_at": now,
                "office_code": person.desa_kode[:8],
                "origin_install": install,
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
        )
        e = person.enrollment
        if e is None:
            continue
        eid = next(ids)
        paid_through = None
        if e.registered_on is not None:
            start = YearMonth.of(e.registered_on)
            paid_through = str(e.paid_through if e.paid_through is not None else start.prev())
            if with_payments and e.paid_through is not None:
                for month in month_range(start, e.paid_through):
                    payments.append(
                        {
                            "id": "",
                            "row_version": 1,
                            "updated_at": now,
                            "office_code": person.desa_kode[:8],
                            "origin_install": install,
                            "enrollment_id": eid,
                            "periode": str(month),
                            "amount": amount,
                            "paid_on": min(month.due_date(), today),
                            "batch_id": None,
                            "reference": "data contoh",
                        }
                    )
        enrollments.append(
            {
                "id": eid,
                "row_version": 1,
                "updated_at": now,
                "office_code": person.desa_kode[:8],
                "origin_install": install,
                "official_id": oid,
                "nomor_kpj": e.nomor_kpj,
                "programs": programs,
                "declared_income": None,
                "tariff_code": code,
                "monthly_amount": amount,
                "funding_source": e.funding.value,
                "submitted_on": e.submitted_on,
                "registered_on": e.registered_on,
                "ended_on": e.ended_on,
                "end_reason": "Data contoh: kepesertaan diakhiri" if e.ended_on else None,
                "paid_through": paid_through,
            }
        )
    for payment, pid in zip(payments, new_uuids(len(payments)), strict=True):
        payment["id"] = pid
    total = len(officials) + len(enrollments) + len(payments)
    done = 0
    with ctx.write() as session:
        for table, rows in ((Official, officials), (Enrollment, enrollments), (ContributionPayment, payments)):
            for i in range(0, len(rows), CHUNK):
                chunk = rows[i : i + CHUNK]
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
            new={"officials": len(officials), "enrollments": len(enrollments), "payments": len(payments)},
            summary=f"Data contoh dibuat: {len(officials)} pengurus",
        )
    return DemoResult(len(officials), len(enrollments), len(payments))
