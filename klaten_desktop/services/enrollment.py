"""Membership in BPJS Ketenagakerjaan: submit, register the KPJ, end (contributions: services/payments.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import ContributionPayment, Enrollment, Office, Official, new_uuid
from klaten_desktop.domain.coverage import insured_rule_on, paid_through_from_months
from klaten_desktop.domain.enums import FundingSource, Jabatan, Program, format_programs
from klaten_desktop.domain.kpj import check_kpj, check_start_date, normalize_kpj
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import audit, coverage
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import NotFoundError, UserError, ValidationFailed
from klaten_desktop.services.records import EnrollmentData
from klaten_desktop.services.tariffs import Defaults


@dataclass(frozen=True)
class SubmitResult:
    submitted: int
    already: int
    official_ids: tuple[str, ...]
    not_insured: tuple[str, ...] = ()  # "Nama (Sekretaris)": a post the ADD does not pay for on that day
    on: dt.date | None = None  # the submission date (the date of their surat pengantar)


def _serving(session: Session, official_id: str) -> Official:
    row = session.get(Official, official_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError("Data pengurus tidak ditemukan.")
    if row.term_status != "menjabat":
        raise UserError(f"{row.nama} sudah tidak menjabat; kepesertaannya tidak dapat diubah.")
    return row


def open_enrollment(session: Session, official_id: str) -> Enrollment | None:
    return session.scalars(
        select(Enrollment).where(
            Enrollment.official_id == official_id,
            Enrollment.deleted_at.is_(None),
            Enrollment.ended_on.is_(None),
        )
    ).first()


def install_id(session: Session) -> str | None:
    office = session.get(Office, 1)
    return office.install_id if office else None


def touch(row: Enrollment | Official, now: dt.datetime) -> None:
    row.row_version += 1
    row.updated_at = now


def _new_enrollment(
    session: Session,
    official: Official,
    defaults: Defaults,
    *,
    on: dt.date,
    funding: FundingSource | None,
    programs: frozenset[Program] | None,
    declared_income: int | None,
    tariff_code: str | None,
) -> Enrollment:
    code, amount = defaults.amount(on, tariff_code=tariff_code, programs=programs, declared_income=declared_income)
    row = Enrollment(
        id=new_uuid(),
        official_id=official.id,
        office_code=official.office_code,
        origin_install=install_id(session),
        row_version=1,
        updated_at=session_now(session),
        programs=format_programs(programs or defaults.programs),
        declared_income=declared_income,
        tariff_code=code,
        monthly_amount=amount,
        funding_source=(funding or defaults.funding).value,
    )
    session.add(row)
    return row


def submit(
    ctx: ServiceContext,
    actor: Actor,
    official_ids: Sequence[str],
    *,
    on: dt.date | None = None,
    funding: FundingSource | None = None,
) -> SubmitResult:
    """Mark officials as submitted to the BPJS branch (an enrollment with no KPJ yet)."""
    require(actor, Permission.enrollment)
    on = on or ctx.today()
    defaults = Defaults(ctx)
    submitted: list[str] = []
    skipped: list[str] = []
    already = 0
    with ctx.write() as session:
        rule = insured_rule_on(coverage.insured_rules(session), on)
        for official_id in official_ids:
            official = _serving(session, official_id)
            if open_enrollment(session, official_id) is not None:
                already += 1
                continue
            if official.jabatan not in rule.posts:
                skipped.append(f"{official.nama} ({Jabatan(official.jabatan).label})")
                continue
            row = _new_enrollment(
                session,
                official,
                defaults,
                on=on,
                funding=funding,
                programs=None,
                declared_income=None,
                tariff_code=None,
            )
            row.submitted_on = on
            session.flush()
            submitted.append(official_id)
            audit.record(
                session,
                actor,
                "submit",
                "enrollment",
                row.id,
                new={"official_id": official_id, "submitted_on": on, "monthly_amount": row.monthly_amount},
            )
        if skipped and not submitted and not already:
            raise UserError(coverage.not_insured_message(skipped, rule.label))
    return SubmitResult(len(submitted), already, tuple(submitted), tuple(skipped), on)


def submit_many(
    session: Session,
    actor: Actor,
    official_ids: Sequence[str],
    *,
    on: dt.date,
    defaults: Defaults,
    now: dt.datetime,
    summary: str,
) -> int:
    """Submit many officials inside the caller's write transaction (e.g. with the surat pengantar that submits
    them): an enrollment without KPJ for each one who has no open enrollment yet, written in one batch and
    audited. Only officials in a post insured on ``on`` are submitted. Returns how many were submitted."""
    require(actor, Permission.enrollment)
    code, amount = defaults.amount(on)
    programs = format_programs(defaults.programs)
    install = session.scalar(select(Office.install_id))
    ids = list(
        session.scalars(
            select(Official.id).where(
                Official.id.in_(list(dict.fromkeys(official_ids))),
                coverage.insured(coverage.insured_posts(session, on)),
            )
        )
    )
    ids.sort(key={oid: i for i, oid in enumerate(official_ids)}.__getitem__)
    already = set(
        session.scalars(
            select(Enrollment.official_id).where(
                Enrollment.official_id.in_(ids), Enrollment.deleted_at.is_(None), Enrollment.ended_on.is_(None)
            )
        )
    )
    offices = dict(
        session.execute(select(Official.id, Official.office_code).where(Official.id.in_(ids))).tuples().all()
    )
    values = [
        {
            "id": new_uuid(),
            "row_version": 1,
            "updated_at": now,
            "office_code": offices[oid],
            "origin_install": install,
            "official_id": oid,
            "programs": programs,
            "tariff_code": code,
            "monthly_amount": amount,
            "funding_source": defaults.funding.value,
            "submitted_on": on,
        }
        for oid in ids
        if oid not in already
    ]
    if values:
        session.execute(insert(Enrollment), values)
        audit.record_many(
            session,
            actor,
            "submit",
            "enrollment",
            [
                (str(v["id"]), None, {"official_id": v["official_id"], "submitted_on": on, "monthly_amount": amount})
                for v in values
            ],
            summary=summary,
        )
    return len(values)


def serving_ids(ctx: ServiceContext, desa_kode: str) -> list[str]:
    with ctx.read() as session:
        return list(
            session.scalars(
                select(Official.id)
                .where(
                    Official.desa_kode == desa_kode,
                    Official.deleted_at.is_(None),
                    Official.term_status == "menjabat",
                )
                .order_by(Official.rw, Official.rt, Official.jabatan)
            )
        )


def submit_desa(ctx: ServiceContext, actor: Actor, desa_kode: str, *, on: dt.date | None = None) -> SubmitResult:
    """Submit every serving official of a desa who has no enrollment yet."""
    require(actor, Permission.enrollment)
    ids = serving_ids(ctx, desa_kode)
    if not ids:
        raise UserError(f"Tidak ada pengurus yang menjabat di desa {desa_kode}.", field="desa_kode")
    return submit(ctx, actor, ids, on=on)


def register(
    ctx: ServiceContext,
    actor: Actor,
    official_id: str,
    *,
    kpj: str,
    start: dt.date,
    funding: FundingSource | None = None,
    programs: frozenset[Program] | None = None,
    declared_income: int | None = None,
    tariff_code: str | None = None,
    confirmed: bool = False,
) -> EnrollmentData:
    """Record the KPJ the branch issued; coverage starts on ``start``. A KPJ that is not 11 digits is allowed
    (a warning in the form); an empty or non-numeric one, or one another official holds, is refused. A start
    before the submission is refused unless ``confirmed`` (services/enrollment_checks.py says why first)."""
    require(actor, Permission.enrollment)
    defaults = Defaults(ctx)
    with ctx.write() as session:
        row = open_enrollment(session, official_id)
        if not confirmed and row is not None and row.submitted_on is not None and start < row.submitted_on:
            check = check_start_date(start, submitted_on=row.submitted_on, today=ctx.today())
            raise UserError(f"{check.warnings[0]} Konfirmasi dahulu bila memang benar.", field="start")
        return register_in(
            session,
            actor,
            official_id,
            kpj=kpj,
            start=start,
            defaults=defaults,
            funding=funding,
            programs=programs,
            declared_income=declared_income,
            tariff_code=tariff_code,
        )


def register_in(
    session: Session,
    actor: Actor,
    official_id: str,
    *,
    kpj: str,
    start: dt.date,
    defaults: Defaults,
    funding: FundingSource | None = None,
    programs: frozenset[Program] | None = None,
    declared_income: int | None = None,
    tariff_code: str | None = None,
) -> EnrollmentData:
    """:func:`register` inside the caller's write transaction (the KPJ list of the branch registers many
    officials in one transaction: all or none)."""
    kpj = normalize_kpj(kpj)
    result = check_kpj(kpj)
    if result.errors:
        raise ValidationFailed(result.errors[0].message, result.errors)
    official = _serving(session, official_id)
    clash = session.execute(
        select(Official.nama)
        .join(Enrollment, Enrollment.official_id == Official.id)
        .where(
            Enrollment.nomor_kpj == kpj,
            Enrollment.deleted_at.is_(None),
            Enrollment.ended_on.is_(None),
            Enrollment.official_id != official_id,
        )
    ).first()
    if clash is not None:
        raise UserError(f"Nomor KPJ {kpj} sudah dipakai oleh {clash[0]}.", field="nomor_kpj")
    row = open_enrollment(session, official_id)
    old = None
    if row is None:
        row = _new_enrollment(
            session,
            official,
            defaults,
            on=start,
            funding=funding,
            programs=programs,
            declared_income=declared_income,
            tariff_code=tariff_code,
        )
    else:
        old = {"nomor_kpj": row.nomor_kpj, "registered_on": row.registered_on}
        touch(row, session_now(session))
        if funding is not None:
            row.funding_source = funding.value
        if programs is not None or declared_income is not None or tariff_code is not None:
            code, amount = defaults.amount(
                start,
                tariff_code=tariff_code or row.tariff_code,
                programs=programs,
                declared_income=declared_income,
            )
            row.tariff_code, row.monthly_amount = code, amount
            if programs is not None:
                row.programs = format_programs(programs)
            row.declared_income = declared_income
    row.nomor_kpj = kpj
    row.registered_on = start
    session.flush()
    recompute_paid_through(session, row)
    audit.record(
        session,
        actor,
        "register",
        "enrollment",
        row.id,
        old=old,
        new={"nomor_kpj": kpj, "registered_on": start, "official_id": official_id},
    )
    return EnrollmentData.of(row)


def recompute_paid_through(session: Session, row: Enrollment) -> None:
    if row.registered_on is None:
        row.paid_through = None
        return
    start = YearMonth.of(row.registered_on)
    months = [
        YearMonth.parse(p)
        for p in session.scalars(
            select(ContributionPayment.periode).where(
                ContributionPayment.enrollment_id == row.id, ContributionPayment.deleted_at.is_(None)
            )
        )
    ]
    paid = paid_through_from_months(start, months)
    row.paid_through = str(paid if paid is not None else start.prev())


def end(ctx: ServiceContext, actor: Actor, official_id: str, *, on: dt.date, reason: str) -> EnrollmentData:
    """End the open enrollment (the official stays in the registry)."""
    require(actor, Permission.enrollment)
    reason = " ".join((reason or "").split())
    if not reason:
        raise UserError("Alasan mengakhiri kepesertaan wajib diisi.", field="reason")
    with ctx.write() as session:
        row = open_enrollment(session, official_id)
        if row is None:
            raise UserError("Pengurus ini tidak memiliki kepesertaan yang berjalan.")
        if (row.submitted_on and on < row.submitted_on) or (row.registered_on and on < row.registered_on):
            raise UserError("Tanggal berakhir tidak boleh sebelum tanggal pengajuan/pendaftaran.", field="on")
        row.ended_on = on
        row.end_reason = reason
        touch(row, ctx.now())
        audit.record(session, actor, "end", "enrollment", row.id, new={"ended_on": on, "end_reason": reason})
        return EnrollmentData.of(row)
