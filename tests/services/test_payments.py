"""Payments: the summary shown before recording agrees with what is recorded; voiding one month, a range or a
batch recomputes the status, keeps the row and the audit of both, and nothing counts a voided month."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import ContributionPayment, Enrollment
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import audit, enrollment, enrollment_checks, officials, payments
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError

from .test_enrollment import SENGON, _two_officials, status_of

M = YearMonth
STAFF = Actor("dewi", "Dewi", "operator")


def _registered(ctx: ServiceContext) -> tuple[str, str]:
    a, b = _two_officials(ctx)
    enrollment.register(ctx, SYSTEM, a, kpj="12345678901", start=dt.date(2026, 1, 5))
    enrollment.register(ctx, SYSTEM, b, kpj="12345678902", start=dt.date(2026, 6, 3))
    return a, b


def test_plan_counts_what_recording_then_records(ctx: ServiceContext) -> None:
    a, _ = _registered(ctx)
    payments.record_payments(ctx, SYSTEM, [a], start=M(2026, 1), end=M(2026, 3))
    shown = payments.plan_desa(ctx, SENGON, start=M(2026, 1), end=M(2026, 11))
    assert (shown.officials, shown.months_recorded, shown.total_amount) == (2, 8 + 6, 14 * 16_800)
    assert (shown.already_paid_officials, shown.months_already_paid) == (1, 3)
    assert (shown.before_start_officials, shown.months_before_start) == (1, 5)  # b starts in June
    assert shown.future_months == () and not shown.long_range
    assert shown.unusual
    assert "14 bulan iuran untuk 2 pengurus" in shown.summary() and "Rp 235.200" in shown.summary()
    warnings = " ".join(shown.warnings())
    assert "sudah tercatat membayar" in warnings and "sebelum tanggal mulai KPJ" in warnings

    done = payments.pay_desa(ctx, SYSTEM, SENGON, start=M(2026, 1), end=M(2026, 11))
    assert (done.enrollments, done.months_recorded, done.total_amount) == (
        shown.officials,
        shown.months_recorded,
        shown.total_amount,
    )
    assert done.months_already_paid == shown.months_already_paid


def test_plan_flags_a_long_range_and_future_months(ctx: ServiceContext) -> None:
    a, _ = _registered(ctx)
    usual = payments.plan(ctx, [a], start=M(2026, 1), end=M(2026, 11))
    assert not usual.unusual and usual.warnings() == ()
    # the trial's slip: one arrow key too far on the year
    slip = payments.plan(ctx, [a], start=M(2026, 1), end=M(2027, 11))
    assert slip.months == 23 and slip.long_range
    assert slip.future_months == tuple(M(2026, 12) + n for n in range(12))
    assert any("lebih dari 12 bulan" in w for w in slip.warnings())
    assert any("12 bulan belum tiba (Desember 2026 s.d. November 2027)" in w for w in slip.warnings())
    with pytest.raises(UserError, match="Paling banyak 36"):
        payments.plan(ctx, [a], start=M(2024, 1), end=M(2027, 1))
    with pytest.raises(UserError, match="sebelum bulan awal"):
        payments.plan(ctx, [a], start=M(2026, 3), end=M(2026, 2))


def test_plan_for_nobody_registered_is_refused(ctx: ServiceContext) -> None:
    _two_officials(ctx)
    with pytest.raises(UserError, match="Tidak ada pengurus terdaftar"):
        payments.plan_desa(ctx, SENGON, start=M(2026, 1), end=M(2026, 2))


def _live_months(ctx: ServiceContext, official_id: str) -> list[str]:
    return sorted(p.periode for p in payments.history(ctx, official_id))


def test_void_a_range_recomputes_the_status_and_keeps_the_row(ctx: ServiceContext) -> None:
    a, _ = _registered(ctx)
    payments.record_payments(ctx, SYSTEM, [a], start=M(2026, 1), end=M(2026, 11))
    assert status_of(ctx, a) == "aktif"

    preview = payments.void_preview(ctx, official_id=a, start=M(2026, 9), end=M(2026, 11))
    assert (preview.payments, preview.officials, preview.total_amount) == (3, 1, 3 * 16_800)
    assert _live_months(ctx, a)[-1] == "2026-11"  # a preview changes nothing

    result = payments.void_payments(
        ctx, STAFF, official_id=a, start=M(2026, 9), end=M(2026, 11), reason="  salah  bulan "
    )
    assert result == preview
    assert "3 bulan iuran 1 pengurus (September 2026 s.d. November 2026)" in result.summary()
    assert _live_months(ctx, a)[-1] == "2026-08"
    assert status_of(ctx, a) == "nonaktif"  # September to November unpaid on 24 November
    detail = officials.get(ctx, a)
    assert detail.enrollment is not None and detail.enrollment.paid_through == "2026-08"
    with ctx.read() as session:
        voided = session.scalars(select(ContributionPayment).where(ContributionPayment.voided_at.is_not(None))).all()
        assert sorted(p.periode for p in voided) == ["2026-09", "2026-10", "2026-11"]
        assert {(p.voided_by, p.void_reason, p.deleted_at == p.voided_at, p.row_version) for p in voided} == {
            ("dewi", "salah bulan", True, 2)
        }
    entries = [r for r in audit.recent(ctx) if r.entity == "enrollment"]
    assert [r.action for r in entries][:2] == ["void_payment", "pay"]  # the audit keeps both
    void = json.loads(entries[0].new_values or "{}")
    assert void["reason"] == "salah bulan" and void["paid_through"] == "2026-08"

    # the months can be recorded again (the unique month index only counts live rows)
    again = payments.record_payments(ctx, SYSTEM, [a], start=M(2026, 9), end=M(2026, 11))
    assert again.months_recorded == 3 and status_of(ctx, a) == "aktif"


def test_void_a_whole_batch_for_a_desa(ctx: ServiceContext) -> None:
    a, b = _registered(ctx)
    good = payments.pay_desa(ctx, SYSTEM, SENGON, start=M(2026, 1), end=M(2026, 11))
    slip = payments.pay_desa(ctx, SYSTEM, SENGON, start=M(2026, 12), end=M(2027, 11))
    assert slip.months_recorded == 24
    result = payments.void_payments(ctx, STAFF, batch_id=slip.batch_id, reason="salah tahun")
    assert (result.payments, result.officials, result.total_amount) == (24, 2, 24 * 16_800)
    assert _live_months(ctx, a)[-1] == _live_months(ctx, b)[-1] == "2026-11"
    with ctx.read() as session:
        assert session.scalar(select(Enrollment.paid_through).where(Enrollment.official_id == b)) == "2026-11"
        live = select(func.count()).where(ContributionPayment.deleted_at.is_(None))
        assert session.scalar(live) == good.months_recorded
    assert status_of(ctx, a) == status_of(ctx, b) == "aktif"
    with pytest.raises(UserError, match="Tidak ada iuran tercatat"):
        payments.void_payments(ctx, STAFF, batch_id=slip.batch_id, reason="dua kali")


def test_void_needs_a_reason_and_one_target(ctx: ServiceContext) -> None:
    a, _ = _registered(ctx)
    payments.record_payments(ctx, SYSTEM, [a], start=M(2026, 1), end=M(2026, 2))
    with pytest.raises(UserError, match="Alasan"):
        payments.void_payments(ctx, STAFF, official_id=a, reason=" ")
    with pytest.raises(UserError, match="satu pengurus atau satu batch"):
        payments.void_payments(ctx, STAFF, reason="x")
    with pytest.raises(UserError, match="sebelum bulan awal"):
        payments.void_payments(ctx, STAFF, official_id=a, start=M(2026, 2), end=M(2026, 1), reason="x")
    with pytest.raises(UserError, match="Tidak ada iuran"):
        payments.void_payments(ctx, STAFF, official_id=a, start=M(2026, 5), reason="x")
    assert _live_months(ctx, a) == ["2026-01", "2026-02"]


def test_start_date_before_submission_needs_confirmation(ctx: ServiceContext) -> None:
    a, b = _two_officials(ctx)
    enrollment.submit_desa(ctx, SYSTEM, SENGON, on=dt.date(2026, 10, 1))
    check = enrollment_checks.start_date_check(ctx, a, dt.date(2024, 1, 5))
    assert check.before_submission and check.needs_confirmation
    assert "lebih awal daripada tanggal pengajuan 1 Oktober 2026" in check.warnings[0]
    assert "Status hari ini menjadi Nonaktif: 35 bulan iuran sejak Januari 2024 belum dibayar." in check.warnings[0]
    with pytest.raises(UserError, match="Konfirmasi"):
        enrollment.register(ctx, SYSTEM, a, kpj="12345678901", start=dt.date(2024, 1, 5))
    assert status_of(ctx, a) == "diajukan"  # unchanged
    enrollment.register(ctx, SYSTEM, a, kpj="12345678901", start=dt.date(2024, 1, 5), confirmed=True)
    assert status_of(ctx, a) == "nonaktif"

    normal = enrollment_checks.start_date_check(ctx, b, dt.date(2026, 10, 20))
    assert not normal.needs_confirmation
    future = enrollment_checks.start_date_check(ctx, b, dt.date(2027, 1, 4))
    assert not future.before_submission and future.needs_confirmation
    assert "belum tiba" in future.warnings[0] and "berlaku mulai 4 Januari 2027" in future.warnings[0]
    enrollment.register(ctx, SYSTEM, b, kpj="12345678902", start=dt.date(2027, 1, 4))  # allowed: GUI/CLI ask
    assert status_of(ctx, b) == "diajukan"


def test_start_date_far_back_without_submission_warns(ctx: ServiceContext) -> None:
    a, _ = _two_officials(ctx)
    check = enrollment_checks.start_date_check(ctx, a, dt.date(2025, 2, 1))
    assert not check.before_submission
    assert "lebih dari setahun sebelum hari ini" in check.warnings[0]
    assert not enrollment_checks.start_date_check(ctx, a, dt.date(2026, 2, 1)).needs_confirmation
