"""The UMK table as an office setting (``tarif.umk``) and enrollments priced on it: each month on the UMK of its
year, a missing year refused by name with nothing written, the ended fixed tariff's enrollments unchanged."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from klaten_desktop.domain.enums import FundingSource, Program
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import audit, enrollment, officials, payments, settings, tariff_settings, tariffs
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError

from .test_officials import fields

JKK_JKM = frozenset({Program.JKK, Program.JKM})
# test figures, not Klaten's: only the 2023 UMK is sourced (domain/umk.py)
UMK_2024_SEN = 230_000_050  # Rp 2.300.000,50: 0,54 % = Rp 12.420,0027 -> Rp 12.420


def test_umk_table_defaults_then_office_years(ctx: ServiceContext) -> None:
    rows = tariff_settings.umk_rows(ctx)
    assert [(r.entry.year, r.entry.amount_sen, r.builtin) for r in rows] == [(2023, 215_232_294, True)]
    tariff_settings.set_umk(ctx, SYSTEM, 2024, UMK_2024_SEN, "  SK   Gubernur (contoh uji) ")
    tariff_settings.set_umk(ctx, SYSTEM, 2023, 215_232_200, "koreksi kantor")
    assert settings.get(ctx, "tarif.umk") == [
        {"tahun": 2023, "umk_sen": 215_232_200, "sumber": "koreksi kantor"},
        {"tahun": 2024, "umk_sen": UMK_2024_SEN, "sumber": "SK Gubernur (contoh uji)"},
    ]
    rows = tariff_settings.umk_rows(ctx)
    assert [(r.entry.year, r.builtin, r.replaces_builtin) for r in rows] == [(2023, False, True), (2024, False, False)]
    last = audit.recent(ctx, limit=1)[0]
    assert (last.action, last.entity, last.entity_id) == ("create", "umk", "2023")
    tariff_settings.set_umk(ctx, SYSTEM, 2024, UMK_2024_SEN + 1, "SK")
    assert audit.recent(ctx, limit=1)[0].action == "update"

    tariff_settings.remove_umk(ctx, SYSTEM, 2023)  # the default comes back
    assert [(r.entry.year, r.entry.amount_sen, r.builtin) for r in tariff_settings.umk_rows(ctx)] == [
        (2023, 215_232_294, True),
        (2024, UMK_2024_SEN + 1, False),
    ]
    with pytest.raises(UserError, match="nilai bawaan"):
        tariff_settings.remove_umk(ctx, SYSTEM, 2023)
    with pytest.raises(UserError, match="tidak ada"):
        tariff_settings.remove_umk(ctx, SYSTEM, 2031)


@pytest.mark.parametrize(
    ("year", "amount", "source", "field"),
    [(1999, 1, "SK", "year"), (2024, 0, "SK", "amount"), (2024, 1, "  ", "source")],
)
def test_bad_umk_refused_unchanged(ctx: ServiceContext, year: int, amount: int, source: str, field: str) -> None:
    with pytest.raises(UserError) as caught:
        tariff_settings.set_umk(ctx, SYSTEM, year, amount, source)
    assert caught.value.field == field
    assert settings.get(ctx, "tarif.umk") == []


def _umk_enrollment(ctx: ServiceContext, start: dt.date) -> str:
    tariff_settings.set_defaults(ctx, SYSTEM, tariff_code="KLATEN-UMK", programs=JKK_JKM, funding=FundingSource.ADD)
    official = officials.register(ctx, SYSTEM, fields())
    enrollment.register(ctx, SYSTEM, official.id, kpj="12345678901", start=start)
    return official.id


def test_enrollment_priced_on_the_umk_of_each_month(ctx: ServiceContext) -> None:
    tariff_settings.set_umk(ctx, SYSTEM, 2024, UMK_2024_SEN, "contoh uji")
    official_id = _umk_enrollment(ctx, dt.date(2024, 1, 2))
    assert payments.history(ctx, official_id) == []
    before = settings.get_all(ctx)

    with pytest.raises(UserError, match="UMK Kabupaten Klaten tahun 2025 belum diisi"):
        payments.record_payments(ctx, SYSTEM, [official_id], start=YearMonth(2024, 11), end=YearMonth(2025, 2))
    assert payments.history(ctx, official_id) == []  # nothing recorded, not even 2024's months
    assert settings.get_all(ctx) == before

    tariff_settings.set_umk(ctx, SYSTEM, 2025, 240_000_000, "contoh uji")  # 0,54 % = Rp 12.960
    result = payments.record_payments(ctx, SYSTEM, [official_id], start=YearMonth(2024, 11), end=YearMonth(2025, 2))
    assert result.total_amount == 2 * 12_420 + 2 * 12_960
    paid = {p.periode: p.amount for p in payments.history(ctx, official_id)}
    assert paid == {"2024-11": 12_420, "2024-12": 12_420, "2025-01": 12_960, "2025-02": 12_960}

    figure = tariffs.Defaults(ctx).figure(
        tariff_code="KLATEN-UMK", programs="JKK,JKM", recorded_amount=0, month=YearMonth(2023, 5)
    )
    assert (figure.amount, figure.basis) == (11_623, "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623")


def test_submission_needs_the_umk_of_its_year(ctx: ServiceContext) -> None:
    tariff_settings.set_defaults(ctx, SYSTEM, tariff_code="KLATEN-UMK", programs=JKK_JKM, funding=FundingSource.ADD)
    official = officials.register(ctx, SYSTEM, fields())
    year = ctx.today().year
    with pytest.raises(UserError, match=f"tahun {year} belum diisi"):
        enrollment.submit(ctx, SYSTEM, [official.id])
    assert payments.history(ctx, official.id) == []
    tariff_settings.set_umk(ctx, SYSTEM, year, UMK_2024_SEN, "contoh uji")
    assert enrollment.submit(ctx, SYSTEM, [official.id]).submitted == 1


def test_enrollment_under_the_ended_fixed_tariff_keeps_its_amount(ctx: ServiceContext) -> None:
    tariff_settings.set_defaults(
        ctx, SYSTEM, tariff_code="KLATEN-TETAP-2022", programs=JKK_JKM, funding=FundingSource.ADD
    )
    official = officials.register(ctx, SYSTEM, dataclasses.replace(fields(), term_start=dt.date(2023, 1, 1)))
    data = enrollment.register(ctx, SYSTEM, official.id, kpj="12345678901", start=dt.date(2023, 6, 1))
    assert (data.tariff_code, data.monthly_amount) == ("KLATEN-TETAP-2022", 11_623)
    payments.record_payments(ctx, SYSTEM, [official.id], start=YearMonth(2023, 12), end=YearMonth(2024, 2))
    assert {p.amount for p in payments.history(ctx, official.id)} == {11_623}
    with pytest.raises(UserError, match="Tidak ada tarif 'KLATEN-TETAP-2022'"):
        tariffs.Defaults(ctx).amount(dt.date(2024, 1, 1))  # no new enrollment under it after its end
