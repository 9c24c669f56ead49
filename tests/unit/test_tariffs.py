from __future__ import annotations

from datetime import date

import pytest

from klaten_desktop.domain.enums import Program
from klaten_desktop.domain.tariffs import (
    DEFAULT_TARIFFS,
    ContributionBreakdown,
    Tariff,
    TariffBasis,
    monthly_contribution,
    round_half_up_div,
    tariff_on,
)

JKK_JKM = frozenset({Program.JKK, Program.JKM})
ALL = frozenset(Program)
BPU = tariff_on(DEFAULT_TARIFFS, "BPU-PP82-2019", date(2026, 3, 1))
TETAP = tariff_on(DEFAULT_TARIFFS, "KLATEN-TETAP-2022", date(2023, 3, 1))


def test_default_bpu_package() -> None:
    assert monthly_contribution(BPU, declared_income=None, programs=JKK_JKM) == ContributionBreakdown(
        10_000, 6_800, 0, 16_800
    )
    assert monthly_contribution(BPU, declared_income=None, programs=ALL) == ContributionBreakdown(
        10_000, 6_800, 20_000, 36_800
    )
    assert monthly_contribution(BPU, declared_income=None, programs=frozenset({Program.JKM})).total == 6_800


def test_highest_jkk() -> None:
    r = monthly_contribution(BPU, declared_income=20_700_000, programs=JKK_JKM)
    assert r.jkk == 207_000
    assert r.total == 213_800


def test_round_half_up() -> None:
    assert round_half_up_div(5, 10) == 1
    assert round_half_up_div(4, 10) == 0
    assert round_half_up_div(15, 10) == 2
    assert round_half_up_div(25, 10) == 3  # not banker's rounding
    r = monthly_contribution(BPU, declared_income=1_000_050, programs=frozenset({Program.JKK}))
    assert r.jkk == 10_001  # 10000.5 -> 10001
    r = monthly_contribution(BPU, declared_income=1_000_049, programs=frozenset({Program.JKK}))
    assert r.jkk == 10_000


def test_income_below_minimum() -> None:
    with pytest.raises(ValueError, match=r"Rp 999\.999"):
        monthly_contribution(BPU, declared_income=999_999, programs=JKK_JKM)


def test_fixed_tariff() -> None:
    assert TETAP.fixed_amount == 11_623
    assert "11.623" in TETAP.note
    r = monthly_contribution(TETAP, declared_income=None, programs=JKK_JKM)
    assert r == ContributionBreakdown(0, 0, 0, 11_623)


def test_discount_applies_to_jkk_jkm_only() -> None:
    discounted = Tariff(
        code="BPU-PP50-2025",
        name="Diskon",
        basis=TariffBasis.BPU,
        valid_from=date(2026, 4, 1),
        valid_to=date(2026, 12, 31),
        discount_bps=5_000,
    )
    r = monthly_contribution(discounted, declared_income=None, programs=ALL)
    assert r == ContributionBreakdown(5_000, 3_400, 20_000, 28_400)
    odd = Tariff("X", "X", TariffBasis.BPU, date(2026, 1, 1), None, jkm_flat=6_801, discount_bps=5_000)
    assert monthly_contribution(odd, declared_income=None, programs=JKK_JKM).jkm == 3_401  # 3400.5 up


def test_no_default_discount() -> None:
    assert all(t.discount_bps == 0 for t in DEFAULT_TARIFFS)
    assert {t.code for t in DEFAULT_TARIFFS} == {"BPU-PP82-2019", "KLATEN-TETAP-2022", "KLATEN-UMK"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"valid_to": date(2019, 1, 1)},
        {"jkk_bps": -1},
        {"jht_bps": 10_001},
        {"discount_bps": 10_001},
        {"jkm_flat": -1},
        {"max_income": 10},
        {"fixed_amount": 5},
        {"code": " "},
    ],
)
def test_tariff_validation(kwargs: dict[str, object]) -> None:
    base: dict[str, object] = {
        "code": "T", "name": "T", "basis": TariffBasis.BPU, "valid_from": date(2020, 1, 1), "valid_to": None,
    }  # fmt: skip
    base.update(kwargs)
    with pytest.raises(ValueError, match=r"(?i)tarif"):
        Tariff(**base)  # type: ignore[arg-type]


def test_fixed_tariff_needs_amount() -> None:
    with pytest.raises(ValueError, match="tarif tetap"):
        Tariff("T", "T", TariffBasis.TETAP, date(2020, 1, 1), None)


def test_tariff_on() -> None:
    old = Tariff("K", "lama", TariffBasis.TETAP, date(2022, 1, 1), date(2023, 12, 31), fixed_amount=10_000)
    new = Tariff("K", "baru", TariffBasis.TETAP, date(2024, 1, 1), None, fixed_amount=12_000)
    assert tariff_on([old, new], "K", date(2023, 12, 31)) is old
    assert tariff_on([old, new], "K", date(2024, 1, 1)) is new
    with pytest.raises(LookupError, match="31 Desember 2021"):
        tariff_on([old, new], "K", date(2021, 12, 31))
    with pytest.raises(LookupError, match="'Z'"):
        tariff_on([old, new], "Z", date(2024, 1, 1))
    with pytest.raises(LookupError):
        tariff_on(DEFAULT_TARIFFS, "BPU-PP82-2019", date(2019, 12, 1))
