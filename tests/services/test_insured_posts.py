"""Who is insured from the ADD (Perbup Klaten 9/2022: Ketua RT and Ketua RW): other posts stay in the registry but
are not submitted, billed or counted unless the office turns that on from a date (services/coverage_settings.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import coverage_settings, dashboard, enrollment, officials, payments, recap, worklists
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError

from .test_officials import NIK_OTHER, fields

SENGON = "33.10.01.2001"
RUPIAH = 16_800


def _ketua_and_sekretaris(ctx: ServiceContext) -> tuple[str, str]:
    ketua = officials.register(ctx, SYSTEM, fields()).id
    sekretaris = officials.register(
        ctx,
        SYSTEM,
        fields(
            nik=NIK_OTHER, nama="Joko Santoso", tanggal_lahir=dt.date(1980, 9, 23), jabatan=Jabatan.sekretaris, rt=None
        ),
    ).id
    return ketua, sekretaris


def test_sekretaris_is_not_submitted_billed_or_counted_by_default(ctx: ServiceContext) -> None:
    ketua, sekretaris = _ketua_and_sekretaris(ctx)
    result = enrollment.submit_desa(ctx, SYSTEM, SENGON, on=dt.date(2026, 3, 2))
    assert (result.submitted, result.official_ids, result.not_insured) == (1, (ketua,), ("Joko Santoso (Sekretaris)",))
    with pytest.raises(UserError) as refused:
        enrollment.submit(ctx, SYSTEM, [sekretaris], on=dt.date(2026, 3, 2))
    assert "Joko Santoso (Sekretaris) tidak diajukan" in refused.value.message
    assert "Perbup Klaten 9/2022 yang ditanggung dari ADD hanya Ketua RT dan Ketua RW" in refused.value.message

    # the registry may still hold a KPJ for the sekretaris (paid by someone else): the ADD is not billed for it
    enrollment.register(ctx, SYSTEM, ketua, kpj="12345678901", start=dt.date(2026, 3, 10))
    enrollment.register(ctx, SYSTEM, sekretaris, kpj="12345678902", start=dt.date(2026, 3, 10))
    paid = payments.pay_desa(ctx, SYSTEM, SENGON, start=YearMonth(2026, 3), end=YearMonth(2026, 11))
    assert (paid.enrollments, paid.months_recorded, paid.total_amount) == (1, 9, 9 * RUPIAH)
    add = recap.add_contributions(ctx, YearMonth(2026, 1), YearMonth(2026, 12), kecamatan_kode="33.10.01")
    assert add.per_desa[SENGON] == (1, 10 * RUPIAH)

    figures = dashboard.figures(ctx)
    assert (figures.total.pengurus, figures.total.aktif, figures.total.nonaktif) == (1, 1, 0)
    assert all(p.counts.pengurus <= 1 for p in dashboard.trend(ctx))
    counts = worklists.counts(ctx)
    assert (counts["belum_terdaftar"], counts["iuran_bulan_ini"], counts["akan_nonaktif"]) == (0, 0, 0)


def test_other_posts_count_from_the_date_the_office_sets(ctx: ServiceContext) -> None:
    ketua, sekretaris = _ketua_and_sekretaris(ctx)
    ani = Actor("ani", "Ani", "admin")
    with pytest.raises(UserError, match="Dasar pengaturan wajib diisi"):
        coverage_settings.set_other_posts(ctx, ani, other_posts=True, valid_from=dt.date(2026, 6, 1), source=" ")
    rule = coverage_settings.set_other_posts(
        ctx, ani, other_posts=True, valid_from=dt.date(2026, 6, 1), source="Keputusan Kepala Desa Sengon 5/2026"
    )
    assert (rule.set_by, rule.source, rule.set_at is not None) == ("ani", "Keputusan Kepala Desa Sengon 5/2026", True)
    builtin, own = coverage_settings.rules(ctx)
    assert builtin.source.startswith("Peraturan Bupati Klaten Nomor 9 Tahun 2022") and not builtin.other_posts
    assert own == rule
    assert coverage_settings.rule_on(ctx, dt.date(2026, 5, 31)).label == "Ketua RT dan Ketua RW"
    assert "Sekretaris, Bendahara" in coverage_settings.rule_on(ctx, dt.date(2026, 6, 1)).label

    with pytest.raises(UserError, match="Joko Santoso"):
        enrollment.submit(ctx, SYSTEM, [sekretaris], on=dt.date(2026, 5, 20))
    assert enrollment.submit(ctx, SYSTEM, [ketua, sekretaris], on=dt.date(2026, 6, 2)).submitted == 2
    for oid, kpj in ((ketua, "12345678901"), (sekretaris, "12345678902")):
        enrollment.register(ctx, SYSTEM, oid, kpj=kpj, start=dt.date(2026, 6, 10))
    paid = payments.pay_desa(ctx, SYSTEM, SENGON, start=YearMonth(2026, 6), end=YearMonth(2026, 11))
    assert (paid.enrollments, paid.months_recorded) == (2, 12)
    add = recap.add_contributions(ctx, YearMonth(2026, 1), YearMonth(2026, 12), kecamatan_kode="33.10.01")
    assert add.per_desa[SENGON] == (2, 14 * RUPIAH)

    assert dashboard.figures(ctx, on=dt.date(2026, 5, 31)).total.pengurus == 1
    assert dashboard.figures(ctx).total.aktif == 2
    by_month = {p.month: p.counts.pengurus for p in dashboard.trend(ctx)}
    assert (by_month[YearMonth(2026, 5)], by_month[YearMonth(2026, 6)]) == (1, 2)

    # switched back from a later date: no longer counted from then on
    coverage_settings.set_other_posts(ctx, ani, other_posts=False, valid_from=dt.date(2026, 11, 1), source="SK 9/2026")
    assert dashboard.figures(ctx).total.pengurus == 1
