"""Enrollment and contributions: statuses follow the payment rule as payments are recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import enrollment, officials, payments
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError, ValidationFailed

from .test_officials import NIK_OTHER, NIK_WOMAN, fields

SENGON = "33.10.01.2001"


def _two_officials(ctx: ServiceContext) -> tuple[str, str]:
    a = officials.register(ctx, SYSTEM, fields())
    b = officials.register(
        ctx, SYSTEM, fields(nik=NIK_OTHER, nama="Joko Santoso", tanggal_lahir=dt.date(1980, 9, 23), rt=4)
    )
    return a.id, b.id


def status_of(ctx: ServiceContext, official_id: str, on: dt.date | None = None) -> str:
    return officials.get(ctx, official_id, on=on).status.value


def test_submit_register_pay_and_lapse(ctx: ServiceContext) -> None:
    a, b = _two_officials(ctx)
    result = enrollment.submit_desa(ctx, SYSTEM, SENGON, on=dt.date(2026, 3, 2))
    assert (result.submitted, result.already) == (2, 0)
    assert status_of(ctx, a) == "diajukan"
    assert enrollment.submit_desa(ctx, SYSTEM, SENGON).submitted == 0  # idempotent

    data = enrollment.register(ctx, SYSTEM, a, kpj="123-4567-8901", start=dt.date(2026, 3, 10))
    assert data.nomor_kpj == "12345678901"
    assert data.monthly_amount == 16_800  # default BPU tariff JKK 10.000 + JKM 6.800
    assert data.paid_through == "2026-02"  # nothing paid yet: March is owed
    assert status_of(ctx, a, on=dt.date(2026, 3, 12)) == "aktif"
    assert status_of(ctx, a, on=dt.date(2026, 3, 16)) == "menunggak"

    paid = payments.pay_desa(ctx, SYSTEM, SENGON, start=YearMonth(2026, 3), end=YearMonth(2026, 3))
    assert (paid.enrollments, paid.months_recorded, paid.not_registered, paid.total_amount) == (1, 1, 1, 16_800)
    # the example: paid through 2026-03
    assert status_of(ctx, a, on=dt.date(2026, 4, 10)) == "aktif"
    assert status_of(ctx, a, on=dt.date(2026, 4, 16)) == "menunggak"
    assert status_of(ctx, a, on=dt.date(2026, 6, 20)) == "nonaktif"
    assert status_of(ctx, b) == "diajukan"

    again = payments.pay_desa(ctx, SYSTEM, SENGON, start=YearMonth(2026, 3), end=YearMonth(2026, 11))
    assert again.months_recorded == 8 and again.months_already_paid == 1
    assert status_of(ctx, a) == "aktif"
    assert [p.periode for p in payments.history(ctx, a)][:2] == ["2026-11", "2026-10"]


def test_gap_in_payments_keeps_paid_through_at_the_gap(ctx: ServiceContext) -> None:
    a, _ = _two_officials(ctx)
    enrollment.register(ctx, SYSTEM, a, kpj="12345678901", start=dt.date(2026, 1, 5))
    payments.record_payments(ctx, SYSTEM, [a], start=YearMonth(2026, 1), end=YearMonth(2026, 2))
    payments.record_payments(ctx, SYSTEM, [a], start=YearMonth(2026, 4), end=YearMonth(2026, 11))
    detail = officials.get(ctx, a)
    assert detail.enrollment is not None and detail.enrollment.paid_through == "2026-02"
    assert detail.status.value == "nonaktif"  # March never paid: three months and more behind
    payments.record_payments(ctx, SYSTEM, [a], start=YearMonth(2026, 3), end=YearMonth(2026, 3))
    assert status_of(ctx, a) == "aktif"


def test_kpj_rules(ctx: ServiceContext) -> None:
    a, b = _two_officials(ctx)
    with pytest.raises(ValidationFailed):
        enrollment.register(ctx, SYSTEM, a, kpj="12AB", start=dt.date(2026, 1, 1))
    short = enrollment.register(ctx, SYSTEM, a, kpj="1234567", start=dt.date(2026, 1, 1))  # warning only
    assert short.nomor_kpj == "1234567"
    with pytest.raises(UserError, match="sudah dipakai"):
        enrollment.register(ctx, SYSTEM, b, kpj="1234567", start=dt.date(2026, 1, 1))


def test_end_enrollment_needs_a_reason(ctx: ServiceContext) -> None:
    a, _ = _two_officials(ctx)
    enrollment.register(ctx, SYSTEM, a, kpj="12345678901", start=dt.date(2026, 1, 5))
    with pytest.raises(UserError, match="Alasan"):
        enrollment.end(ctx, SYSTEM, a, on=dt.date(2026, 11, 1), reason="  ")
    ended = enrollment.end(ctx, SYSTEM, a, on=dt.date(2026, 11, 1), reason="Pindah ke BPJS PU")
    assert ended.ended_on == dt.date(2026, 11, 1)
    assert status_of(ctx, a) == "berakhir"
    # a new enrollment may start afterwards; the open one wins in lists
    enrollment.register(ctx, SYSTEM, a, kpj="12345678902", start=dt.date(2026, 11, 2))
    row = next(r for r in officials.list_rows(ctx) if r.id == a)
    assert row.nomor_kpj == "12345678902" and row.status == "menunggak"


def test_payments_for_nobody_registered_is_a_user_error(ctx: ServiceContext) -> None:
    _two_officials(ctx)
    with pytest.raises(UserError, match="Tidak ada pengurus terdaftar"):
        payments.pay_desa(ctx, SYSTEM, SENGON, start=YearMonth(2026, 1), end=YearMonth(2026, 2))
    with pytest.raises(UserError, match="sebelum bulan awal"):
        payments.pay_desa(ctx, SYSTEM, SENGON, start=YearMonth(2026, 3), end=YearMonth(2026, 2))


def test_woman_nik_fixture_is_valid(ctx: ServiceContext) -> None:
    assert officials.validate(ctx, fields(nik=NIK_WOMAN, jenis_kelamin=None, tanggal_lahir=None)).ok
