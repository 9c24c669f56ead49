"""Office tariffs and enrollment defaults: added, ended, chosen as default, audited, used by new enrollments."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from klaten_desktop.domain.enums import FundingSource, Program
from klaten_desktop.domain.tariffs import Tariff, TariffBasis
from klaten_desktop.services import audit, enrollment, officials, settings, tariff_settings, tariffs
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError

from .test_officials import fields

JKK_JKM = frozenset({Program.JKK, Program.JKM})


def _tetap(code: str = "KLATEN-TETAP-2027", start: dt.date = dt.date(2027, 1, 1)) -> Tariff:
    return Tariff(code, "Iuran tetap 2027", TariffBasis.TETAP, start, None, fixed_amount=11_623)


def test_rows_mark_builtin_tariffs_and_show_monthly_amounts(ctx: ServiceContext) -> None:
    rows = tariff_settings.rows(ctx)
    year = ctx.today().year
    assert [(r.tariff.code, r.builtin, r.monthly, r.monthly_note) for r in rows] == [
        ("BPU-PP82-2019", True, 16_800, ""),
        ("KLATEN-TETAP-2022", True, 11_623, ""),
        ("KLATEN-UMK", True, None, f"UMK {year} belum diisi"),
    ]
    assert tariff_settings.defaults(ctx) == tariff_settings.TariffDefaults("BPU-PP82-2019", JKK_JKM, FundingSource.ADD)


def test_add_tariff_make_default_and_enroll(ctx: ServiceContext) -> None:
    added = tariff_settings.add_tariff(ctx, SYSTEM, _tetap())
    assert added.monthly == 11_623 and not added.builtin
    stored = settings.get(ctx, "tarif.tambahan")
    assert stored[0]["valid_from"] == "2027-01-01" and stored[0]["basis"] == "tetap"
    assert tariffs.all_tariffs(ctx)[-1] == _tetap()

    tariff_settings.set_defaults(
        ctx, SYSTEM, tariff_code="KLATEN-TETAP-2027", programs=JKK_JKM, funding=FundingSource.APBDES
    )
    defaults = tariffs.Defaults(ctx)
    assert defaults.amount(dt.date(2027, 2, 1)) == ("KLATEN-TETAP-2027", 11_623)
    with pytest.raises(UserError, match="Tidak ada tarif"):
        defaults.amount(dt.date(2026, 12, 1))

    official = officials.register(ctx, SYSTEM, fields())
    data = enrollment.register(ctx, SYSTEM, official.id, kpj="12345678901", start=dt.date(2027, 2, 1))
    assert (data.monthly_amount, data.tariff_code, data.funding_source) == (11_623, "KLATEN-TETAP-2027", "APBDes")

    actions = [(a.action, a.entity, a.entity_id) for a in audit.recent(ctx, limit=50)]
    assert ("create", "tariff", "KLATEN-TETAP-2027") in actions
    assert ("update", "setting", "tarif.kode_default") in actions
    assert ("update", "setting", "tarif.sumber_dana_default") in actions
    assert ("update", "setting", "tarif.program_default") not in actions  # unchanged, not logged


def test_duplicate_start_refused_but_new_version_allowed(ctx: ServiceContext) -> None:
    tariff_settings.add_tariff(ctx, SYSTEM, _tetap())
    with pytest.raises(UserError, match="sudah ada") as caught:
        tariff_settings.add_tariff(ctx, SYSTEM, _tetap())
    assert caught.value.field == "valid_from"
    with pytest.raises(UserError, match="sudah ada"):
        tariff_settings.add_tariff(ctx, SYSTEM, _tetap("KLATEN-TETAP-2022", dt.date(2022, 12, 1)))
    tariff_settings.add_tariff(ctx, SYSTEM, _tetap(start=dt.date(2028, 1, 1)))
    assert len(settings.get(ctx, "tarif.tambahan")) == 2


def test_end_tariff(ctx: ServiceContext) -> None:
    tariff_settings.add_tariff(ctx, SYSTEM, _tetap())
    ended = tariff_settings.end_tariff(ctx, SYSTEM, "KLATEN-TETAP-2027", dt.date(2027, 1, 1), dt.date(2027, 6, 30))
    assert ended.tariff.valid_to == dt.date(2027, 6, 30)
    assert settings.get(ctx, "tarif.tambahan")[0]["valid_to"] == "2027-06-30"
    row = audit.recent(ctx, limit=1)[0]
    assert (row.action, row.entity_id) == ("update", "KLATEN-TETAP-2027")
    assert row.new_values is not None and json.loads(row.new_values) == {"valid_to": "2027-06-30"}
    with pytest.raises(UserError, match="tanggal akhir berlaku tidak boleh sebelum"):
        tariff_settings.end_tariff(ctx, SYSTEM, "KLATEN-TETAP-2027", dt.date(2027, 1, 1), dt.date(2026, 1, 1))
    with pytest.raises(UserError, match="bawaan"):
        tariff_settings.end_tariff(ctx, SYSTEM, "BPU-PP82-2019", dt.date(2019, 12, 2), dt.date(2027, 1, 1))
    with pytest.raises(UserError, match="tidak ditemukan"):
        tariff_settings.end_tariff(ctx, SYSTEM, "TIDAK-ADA", dt.date(2027, 1, 1), dt.date(2027, 2, 1))


def test_set_defaults_refuses_unknown_code_and_missing_programs(ctx: ServiceContext) -> None:
    with pytest.raises(UserError, match="tidak dikenal") as caught:
        tariff_settings.set_defaults(ctx, SYSTEM, tariff_code="X", programs=JKK_JKM, funding=FundingSource.ADD)
    assert caught.value.field == "tariff_code"
    with pytest.raises(UserError, match="JKK dan JKM wajib"):
        tariff_settings.set_defaults(
            ctx, SYSTEM, tariff_code="BPU-PP82-2019", programs=frozenset({Program.JKK}), funding=FundingSource.ADD
        )
    assert settings.get(ctx, "tarif.kode_default") == "BPU-PP82-2019"
    with_jht = JKK_JKM | {Program.JHT}
    tariff_settings.set_defaults(ctx, SYSTEM, tariff_code="BPU-PP82-2019", programs=with_jht, funding=FundingSource.ADD)
    assert settings.get(ctx, "tarif.program_default") == "JKK,JKM,JHT"
    assert [(r.monthly, r.monthly_note) for r in tariff_settings.rows(ctx)] == [
        (36_800, ""),
        (11_623, ""),
        (None, f"UMK {ctx.today().year} belum diisi"),
    ]
