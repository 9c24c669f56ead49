"""Contributions (iuran): recording them for registered enrollments in one transaction (:func:`record_payments`,
:func:`pay_desa` for a desa paying from the ADD), the summary to confirm first (what :func:`record_payments` would
record and what is unusual about it), the history of an official's payments, and voiding payments recorded by
mistake (one month, a range, or a whole batch) with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import ContributionPayment, Enrollment, Official, new_uuid
from klaten_desktop.domain.coverage import InsuredPostsRule
from klaten_desktop.domain.formatting import format_number, format_rupiah
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.services import audit, coverage, enrollment
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.records import PaymentData
from klaten_desktop.services.tariffs import Defaults

# A range longer than this many months is unusual (a year's contributions at most, as desas pay from the ADD).
USUAL_MAX_MONTHS = 12
MAX_MONTHS_PER_BATCH = 36


@dataclass(frozen=True)
class PaymentResult:
    enrollments: int
    months_recorded: int
    months_already_paid: int
    not_registered: int
    total_amount: int
    batch_id: str


@dataclass(frozen=True)
class _Batch:
    """What the payments of one call share: the batch id, the day paid, the reference and the office's install."""

    id: str
    paid_on: dt.date
    reference: str | None
    install: str | None


def paid_months(session: Session, enrollment_id: str) -> set[str]:
    """The months (``YYYY-MM``) already recorded as paid for an enrollment."""
    return set(
        session.scalars(
            select(ContributionPayment.periode).where(
                ContributionPayment.enrollment_id == enrollment_id, ContributionPayment.deleted_at.is_(None)
            )
        )
    )


def month_amounts(defaults: Defaults, row: Enrollment, months: Sequence[YearMonth]) -> dict[YearMonth, int]:
    """Each month's contribution of ``row`` (services/tariffs.py: a UMK tariff on the UMK of the month's year,
    any other the monthly amount recorded on the enrollment)."""
    return {
        m: defaults.figure(
            tariff_code=row.tariff_code, programs=row.programs, recorded_amount=row.monthly_amount, month=m
        ).amount
        for m in months
    }


def _pay_months(
    ctx: ServiceContext,
    session: Session,
    actor: Actor,
    row: Enrollment,
    amounts: dict[YearMonth, int],
    batch: _Batch,
) -> None:
    """Insert one contribution a month for ``row`` at the month's amount, move its ``paid_through``, audited."""
    months = list(amounts)
    now = ctx.now()
    session.execute(
        insert(ContributionPayment),
        [
            {
                "id": new_uuid(),
                "row_version": 1,
                "updated_at": now,
                "office_code": row.office_code,
                "origin_install": batch.install,
                "enrollment_id": row.id,
                "periode": str(m),
                "amount": amounts[m],
                "paid_on": batch.paid_on,
                "batch_id": batch.id,
                "reference": batch.reference,
            }
            for m in months
        ],
    )
    old_paid = row.paid_through
    enrollment.recompute_paid_through(session, row)
    enrollment.touch(row, ctx.now())
    audit.record(
        session,
        actor,
        "pay",
        "enrollment",
        row.id,
        old={"paid_through": old_paid},
        new={"paid_through": row.paid_through, "months": [str(m) for m in months], "batch_id": batch.id},
    )


def months_of_batch(start: YearMonth, end: YearMonth) -> list[YearMonth]:
    """The months ``start``..``end`` of one recording; a reversed or too long range is refused."""
    if end < start:
        raise UserError("Bulan akhir tidak boleh sebelum bulan awal.", field="end")
    months = month_range(start, end)
    if len(months) > MAX_MONTHS_PER_BATCH:
        raise UserError(f"Paling banyak {MAX_MONTHS_PER_BATCH} bulan sekali catat.", field="end")
    return months


def months_to_record(
    session: Session,
    row: Enrollment,
    months: list[YearMonth],
    existing: set[str],
    rules: Sequence[InsuredPostsRule] | None,
) -> list[YearMonth]:
    """The months of ``months`` that :func:`record_payments` records for a registered enrollment: not yet paid, not
    before the KPJ start, and (``rules`` given: a desa paying from the ADD) in which the post is insured."""
    assert row.registered_on is not None
    registered_month = YearMonth.of(row.registered_on)
    new_months = [m for m in months if str(m) not in existing and m >= registered_month]
    if rules is not None:
        post = session.scalar(select(Official.jabatan).where(Official.id == row.official_id))
        new_months = [m for m in new_months if post in coverage.posts_on(rules, m.last_day())]
    return new_months


def record_payments(
    ctx: ServiceContext,
    actor: Actor,
    official_ids: Sequence[str],
    *,
    start: YearMonth,
    end: YearMonth,
    paid_on: dt.date | None = None,
    reference: str | None = None,
    insured_only: bool = False,
) -> PaymentResult:
    """Record contributions for each month from ``start`` to ``end`` for the given officials' open,
    registered enrollments, in one transaction. Months already paid are left alone. ``insured_only`` (a desa
    paying from the ADD): only the months in which the official's post is insured (services/coverage.py)."""
    require(actor, Permission.enrollment)
    months = months_of_batch(start, end)
    paid_on = paid_on or ctx.today()
    batch_id = new_uuid()
    defaults = Defaults(ctx)
    recorded = already = not_registered = total = enrollments = 0
    with ctx.write() as session:
        batch = _Batch(batch_id, paid_on, reference, enrollment.install_id(session))
        rules = coverage.insured_rules(session)
        for official_id in official_ids:
            row = enrollment.open_enrollment(session, official_id)
            if row is None or row.registered_on is None:
                not_registered += 1
                continue
            existing = paid_months(session, row.id)
            new_months = months_to_record(session, row, months, existing, rules if insured_only else None)
            already += sum(1 for m in months if str(m) in existing)
            if not new_months:
                continue
            amounts = month_amounts(defaults, row, new_months)
            _pay_months(ctx, session, actor, row, amounts, batch)
            enrollments += 1
            recorded += len(new_months)
            total += sum(amounts.values())
    if recorded == 0 and not_registered == len(official_ids):
        raise UserError("Tidak ada pengurus terdaftar (ber-KPJ) yang dapat dicatat iurannya.")
    return PaymentResult(enrollments, recorded, already, not_registered, total, batch_id)


def pay_desa(
    ctx: ServiceContext,
    actor: Actor,
    desa_kode: str,
    *,
    start: YearMonth,
    end: YearMonth,
    paid_on: dt.date | None = None,
    reference: str | None = None,
) -> PaymentResult:
    """A desa pays from the ADD for all its registered officials in insured posts for a range of months."""
    require(actor, Permission.enrollment)
    ids = enrollment.serving_ids(ctx, desa_kode)
    if not ids:
        raise UserError(f"Tidak ada pengurus yang menjabat di desa {desa_kode}.", field="desa_kode")
    return record_payments(
        ctx, actor, ids, start=start, end=end, paid_on=paid_on, reference=reference, insured_only=True
    )


@dataclass(frozen=True)
class PaymentPlan:
    """What recording ``start``..``end`` would do, computed by the rule :func:`record_payments` uses."""

    start: YearMonth
    end: YearMonth
    officials: int  # officials who get at least one month recorded
    months_recorded: int  # official-months recorded
    total_amount: int
    not_registered: int  # officials without an open enrollment with a KPJ (skipped)
    already_paid_officials: int  # officials already paid for some of the months
    months_already_paid: int
    before_start_officials: int  # officials whose KPJ starts after some of the months (those months are skipped)
    months_before_start: int
    future_months: tuple[YearMonth, ...]  # months of the range after the current month

    @property
    def months(self) -> int:
        return len(month_range(self.start, self.end))

    @property
    def long_range(self) -> bool:
        return self.months > USUAL_MAX_MONTHS

    @property
    def unusual(self) -> bool:
        """Anything a person must confirm explicitly before recording."""
        return bool(self.long_range or self.future_months or self.months_before_start or self.months_already_paid)

    def summary(self) -> str:
        period = self.start.label() if self.start == self.end else f"{self.start.label()} s.d. {self.end.label()}"
        text = (
            f"{format_number(self.months_recorded)} bulan iuran untuk {format_number(self.officials)} pengurus, "
            f"{period} ({format_number(self.months)} bulan), jumlah {format_rupiah(self.total_amount)}."
        )
        if self.not_registered:
            text += f" {format_number(self.not_registered)} pengurus belum ber-KPJ dan dilewati."
        return text

    def warnings(self) -> tuple[str, ...]:
        """The unusual points, one sentence each (empty when nothing is unusual)."""
        found: list[str] = []
        if self.long_range:
            found.append(
                f"Rentang {format_number(self.months)} bulan, lebih dari {USUAL_MAX_MONTHS} bulan. "
                "Periksa bulan awal dan bulan akhir."
            )
        if self.future_months:
            first, last = self.future_months[0], self.future_months[-1]
            span = first.label() if first == last else f"{first.label()} s.d. {last.label()}"
            found.append(f"{format_number(len(self.future_months))} bulan belum tiba ({span}).")
        if self.months_before_start:
            found.append(
                f"{format_number(self.before_start_officials)} pengurus baru ber-KPJ setelah sebagian bulan ini; "
                f"{format_number(self.months_before_start)} bulan sebelum tanggal mulai KPJ tidak dicatat."
            )
        if self.months_already_paid:
            found.append(
                f"{format_number(self.already_paid_officials)} pengurus sudah tercatat membayar sebagian bulan ini "
                f"({format_number(self.months_already_paid)} bulan); bulan itu tidak dicatat dua kali."
            )
        return tuple(found)


def plan(
    ctx: ServiceContext,
    official_ids: Sequence[str],
    *,
    start: YearMonth,
    end: YearMonth,
    insured_only: bool = False,
) -> PaymentPlan:
    """The summary of recording ``start``..``end`` for these officials; nothing is written. Refuses what
    :func:`record_payments` refuses (a reversed or too long range, nobody registered)."""
    months = months_of_batch(start, end)
    defaults = Defaults(ctx)
    counts = dict.fromkeys(("officials", "recorded", "total", "missing", "paid_n", "paid", "early_n", "early"), 0)
    with ctx.read() as session:
        rules = coverage.insured_rules(session) if insured_only else None
        for official_id in official_ids:
            row = enrollment.open_enrollment(session, official_id)
            if row is None or row.registered_on is None:
                counts["missing"] += 1
                continue
            existing = paid_months(session, row.id)
            new = months_to_record(session, row, months, existing, rules)
            paid = sum(1 for m in months if str(m) in existing)
            early = sum(1 for m in months if m < YearMonth.of(row.registered_on) and str(m) not in existing)
            counts["officials"] += bool(new)
            counts["recorded"] += len(new)
            counts["total"] += sum(month_amounts(defaults, row, new).values())
            counts["paid_n"] += bool(paid)
            counts["paid"] += paid
            counts["early_n"] += bool(early)
            counts["early"] += early
    if counts["missing"] == len(official_ids):
        raise UserError("Tidak ada pengurus terdaftar (ber-KPJ) yang dapat dicatat iurannya.")
    current = YearMonth.of(ctx.today())
    return PaymentPlan(
        start,
        end,
        counts["officials"],
        counts["recorded"],
        counts["total"],
        counts["missing"],
        counts["paid_n"],
        counts["paid"],
        counts["early_n"],
        counts["early"],
        tuple(m for m in months if m > current),
    )


def plan_desa(ctx: ServiceContext, desa_kode: str, *, start: YearMonth, end: YearMonth) -> PaymentPlan:
    """The summary of :func:`pay_desa` for the same desa and months."""
    ids = enrollment.serving_ids(ctx, desa_kode)
    if not ids:
        raise UserError(f"Tidak ada pengurus yang menjabat di desa {desa_kode}.", field="desa_kode")
    return plan(ctx, ids, start=start, end=end, insured_only=True)


def history(ctx: ServiceContext, official_id: str) -> list[PaymentData]:
    """All contributions recorded for the official's enrollments, newest month first (voided ones left out)."""
    with ctx.read() as session:
        rows = session.execute(
            select(
                ContributionPayment.periode,
                ContributionPayment.amount,
                ContributionPayment.paid_on,
                ContributionPayment.batch_id,
                ContributionPayment.reference,
            )
            .join(Enrollment, Enrollment.id == ContributionPayment.enrollment_id)
            .where(Enrollment.official_id == official_id, ContributionPayment.deleted_at.is_(None))
            .order_by(ContributionPayment.periode.desc())
        )
        return [PaymentData(*r) for r in rows]


# ------------------------------------------------------------------------------------------------ voiding


@dataclass(frozen=True)
class VoidResult:
    """Payments voided (or, from :func:`void_preview`, that would be)."""

    payments: int
    officials: int
    total_amount: int
    first_month: YearMonth
    last_month: YearMonth

    def summary(self) -> str:
        first, last = self.first_month.label(), self.last_month.label()
        period = first if first == last else f"{first} s.d. {last}"
        return (
            f"{format_number(self.payments)} bulan iuran {format_number(self.officials)} pengurus ({period}), "
            f"jumlah {format_rupiah(self.total_amount)}"
        )


_Target = tuple[str, str, str, int, str]


def _void_targets(
    session: Session,
    *,
    official_id: str | None,
    batch_id: str | None,
    start: YearMonth | None,
    end: YearMonth | None,
) -> list[_Target]:
    """(payment id, enrollment id, month, amount, official id) of the live payments chosen."""
    if (official_id is None) == (batch_id is None):
        raise UserError("Pilih satu pengurus atau satu batch pembayaran.")
    if start is not None and end is not None and end < start:
        raise UserError("Bulan akhir tidak boleh sebelum bulan awal.", field="end")
    p = ContributionPayment
    query = (
        select(p.id, p.enrollment_id, p.periode, p.amount, Enrollment.official_id)
        .join(Enrollment, Enrollment.id == p.enrollment_id)
        .where(p.deleted_at.is_(None))
        .order_by(p.periode, p.id)
    )
    if official_id is not None:
        query = query.where(Enrollment.official_id == official_id)
    else:
        query = query.where(p.batch_id == batch_id)
    if start is not None:
        query = query.where(p.periode >= str(start))
    if end is not None:
        query = query.where(p.periode <= str(end))
    rows: list[_Target] = [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(query)]
    if not rows:
        raise UserError("Tidak ada iuran tercatat yang cocok untuk dibatalkan.")
    return rows


def _result(rows: list[_Target]) -> VoidResult:
    months = sorted({r[2] for r in rows})
    return VoidResult(
        len(rows),
        len({r[4] for r in rows}),
        sum(r[3] for r in rows),
        YearMonth.parse(months[0]),
        YearMonth.parse(months[-1]),
    )


def void_preview(
    ctx: ServiceContext,
    *,
    official_id: str | None = None,
    batch_id: str | None = None,
    start: YearMonth | None = None,
    end: YearMonth | None = None,
) -> VoidResult:
    """What :func:`void_payments` would void; nothing is written."""
    with ctx.read() as session:
        return _result(_void_targets(session, official_id=official_id, batch_id=batch_id, start=start, end=end))


def void_payments(
    ctx: ServiceContext,
    actor: Actor,
    *,
    reason: str,
    official_id: str | None = None,
    batch_id: str | None = None,
    start: YearMonth | None = None,
    end: YearMonth | None = None,
) -> VoidResult:
    """Void the live payments of one official or of one batch (optionally only the months ``start``..``end``):
    each row keeps what was recorded and gets who voided it, when and why, and becomes a tombstone, so no count
    of payments, coverage, recap, letter or sync package takes it as paid; each enrollment's ``paid_through``
    is recomputed (the coverage triggers follow) and the void is audited beside the payment."""
    require(actor, Permission.enrollment)
    reason = " ".join((reason or "").split())
    if not reason:
        raise UserError("Alasan pembatalan wajib diisi.", field="reason")
    now = ctx.now()
    p = ContributionPayment
    with ctx.write() as session:
        rows = _void_targets(session, official_id=official_id, batch_id=batch_id, start=start, end=end)
        by_enrollment: dict[str, list[str]] = {}
        for _pid, eid, month, _amount, _oid in rows:
            by_enrollment.setdefault(eid, []).append(month)
        ids = [r[0] for r in rows]
        for chunk in range(0, len(ids), 500):
            session.execute(
                update(p)
                .where(p.id.in_(ids[chunk : chunk + 500]), p.deleted_at.is_(None))
                .values(
                    voided_at=now,
                    voided_by=actor.username,
                    void_reason=reason,
                    deleted_at=now,
                    row_version=p.row_version + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
        for eid, months in by_enrollment.items():
            row = session.get(Enrollment, eid)
            assert row is not None
            old_paid = row.paid_through
            enrollment.recompute_paid_through(session, row)
            row.row_version += 1
            row.updated_at = now
            audit.record(
                session,
                actor,
                "void_payment",
                "enrollment",
                eid,
                old={"paid_through": old_paid, "months": months},
                new={"paid_through": row.paid_through, "batch_id": batch_id, "reason": reason},
            )
    return _result(rows)
