"""The "persentase UMK" tariff: rates × the UMK of the month's year, rounded once per person per month; the UMK
table (sen, sources, missing years); the fixed Rp 11.623 tariff's end; the one month figure with its basis."""

from __future__ import annotations

from datetime import date

import pytest

from klaten_desktop.domain.enums import Program
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.tariffs import (
    DEFAULT_TARIFFS,
    ROUNDING_RULE,
    Tariff,
    TariffBasis,
    format_bps,
    month_figure,
    monthly_contribution,
    tariff_for_month,
    tariff_on,
)
from klaten_desktop.domain.umk import (
    DEFAULT_UMK,
    MissingUmk,
    UmkEntry,
    format_rupiah_sen,
    parse_rupiah_sen,
    umk_for,
    umk_table,
)

JKK_JKM = frozenset({Program.JKK, Program.JKM})
UMK_2023 = UmkEntry(2023, 215_232_294, "berita")
KLATEN_UMK = tariff_on(DEFAULT_TARIFFS, "KLATEN-UMK", date(2026, 1, 1))


def test_klaten_quote_is_054_percent_of_umk_2023_rounded_half_up() -> None:
    r = monthly_contribution(KLATEN_UMK, declared_income=None, programs=JKK_JKM, umk=UMK_2023)
    assert r.total == 11_623  # 0,54 % × Rp 2.152.322,94 = Rp 11.622,54 -> Rp 11.623
    assert (r.jkk, r.jkm, r.jht) == (5_166, 6_457, 0)  # 5.165,575 and 6.456,97, each shown rounded
    assert "11.623" in ROUNDING_RULE and "sekali" in ROUNDING_RULE


def test_total_is_rounded_once_not_per_program() -> None:
    # two halves: 0,25 % and 0,25 % of Rp 1.000.200 are Rp 2.500,50 each; the total Rp 5.001,00 is exact
    t = Tariff("U", "U", TariffBasis.UMK, date(2020, 1, 1), None, jkk_bps=25, jkm_bps=25, jht_bps=0)
    r = monthly_contribution(t, declared_income=None, programs=JKK_JKM, umk=UmkEntry(2024, 100_020_000, "x"))
    assert r.total == 5_001
    assert r.jkk + r.jkm == 5_002  # rounding each program would bill Rp 1 more
    down = monthly_contribution(t, declared_income=None, programs=JKK_JKM, umk=UmkEntry(2024, 100_009_999, "x"))
    assert down.total == 5_000  # 5.000,49995 rounds down


def test_jht_needs_a_rate_and_umk_needs_its_year() -> None:
    with pytest.raises(ValueError, match="JHT"):
        monthly_contribution(KLATEN_UMK, declared_income=None, programs=frozenset(Program), umk=UMK_2023)
    with pytest.raises(ValueError, match="UMK"):
        monthly_contribution(KLATEN_UMK, declared_income=None, programs=JKK_JKM)
    with_jht = Tariff("U", "U", TariffBasis.UMK, date(2020, 1, 1), None, jkk_bps=24, jkm_bps=30, jht_bps=200)
    r = monthly_contribution(with_jht, declared_income=None, programs=frozenset(Program), umk=UMK_2023)
    assert r.total == 54_669  # 2,54 % × Rp 2.152.322,94 = Rp 54.668,99


@pytest.mark.parametrize(
    "kwargs",
    [{"jkm_bps": 0}, {"jkk_bps": 0}, {"discount_bps": 100}, {"jkm_bps": 10_001}],
)
def test_umk_tariff_validation(kwargs: dict[str, int]) -> None:
    base = {"jkk_bps": 24, "jkm_bps": 30}
    base.update(kwargs)
    with pytest.raises(ValueError, match="Tarif U"):
        Tariff("U", "U", TariffBasis.UMK, date(2020, 1, 1), None, **base)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="JKM hanya"):
        Tariff("B", "B", TariffBasis.BPU, date(2020, 1, 1), None, jkm_bps=30)


def test_fixed_klaten_tariff_ends_with_umk_2023_and_umk_tariff_follows() -> None:
    fixed = [t for t in DEFAULT_TARIFFS if t.code == "KLATEN-TETAP-2022"]
    assert [(t.valid_from, t.valid_to) for t in fixed] == [(date(2022, 12, 1), date(2023, 12, 31))]
    with pytest.raises(LookupError, match="1 Januari 2024"):
        tariff_on(DEFAULT_TARIFFS, "KLATEN-TETAP-2022", date(2024, 1, 1))
    assert (KLATEN_UMK.valid_from, KLATEN_UMK.valid_to) == (date(2023, 1, 1), None)
    assert (KLATEN_UMK.jkk_bps, KLATEN_UMK.jkm_bps, KLATEN_UMK.jht_bps) == (24, 30, 0)


def test_umk_table_defaults_are_sourced_and_office_years_replace_them() -> None:
    assert [(e.year, e.amount_sen) for e in DEFAULT_UMK] == [(2023, 215_232_294)]
    assert all("sekunder" in e.source and "suaraklaten" in e.source for e in DEFAULT_UMK)
    table = umk_table(DEFAULT_UMK, [UmkEntry(2025, 230_000_000, "SK"), UmkEntry(2023, 215_232_200, "koreksi")])
    assert list(table) == [2023, 2025]
    assert table[2023].source == "koreksi"
    with pytest.raises(MissingUmk, match="tahun 2024 belum diisi") as caught:
        umk_for(table, 2024)
    assert caught.value.year == 2024


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"year": 1999}, "Tahun"),
        ({"amount_sen": 0}, "lebih dari Rp 0"),
        ({"source": "   "}, "Sumber"),
    ],
)
def test_umk_entry_validation(kwargs: dict[str, object], match: str) -> None:
    values: dict[str, object] = {"year": 2024, "amount_sen": 1, "source": "SK"}
    values.update(kwargs)
    with pytest.raises(ValueError, match=match):
        UmkEntry(**values)  # type: ignore[arg-type]


def test_money_in_sen_written_and_read_the_indonesian_way() -> None:
    assert format_rupiah_sen(215_232_294) == "Rp 2.152.322,94"
    assert format_rupiah_sen(200_000_000) == "Rp 2.000.000"
    assert format_rupiah_sen(5) == "Rp 0,05"
    for text in ("2.152.322,94", "Rp 2.152.322,94", "rp. 2152322,94", " 2152322,94 "):
        assert parse_rupiah_sen(text) == 215_232_294
    assert parse_rupiah_sen("2.152.322,9") == 215_232_290
    assert parse_rupiah_sen("2152322") == 215_232_200
    for bad in ("2,152,322.94", "dua juta", "2.15.322", "1,234"):
        with pytest.raises(ValueError, match="tidak dapat dibaca"):
            parse_rupiah_sen(bad)


def test_rates_written_with_a_comma() -> None:
    assert [format_bps(b) for b in (24, 30, 54, 100, 675, 5)] == [
        "0,24 %",
        "0,3 %",
        "0,54 %",
        "1 %",
        "6,75 %",
        "0,05 %",
    ]


def test_month_figure_states_the_basis_it_computed() -> None:
    table = umk_table(DEFAULT_UMK, [])
    umk = month_figure(
        DEFAULT_TARIFFS, table, tariff_code="KLATEN-UMK", programs=JKK_JKM, recorded_amount=1, month=YearMonth(2023, 7)
    )
    assert (umk.amount, umk.basis, umk.on_umk) == (11_623, "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623", True)
    with pytest.raises(MissingUmk, match="2024"):
        month_figure(
            DEFAULT_TARIFFS,
            table,
            tariff_code="KLATEN-UMK",
            programs=JKK_JKM,
            recorded_amount=1,
            month=YearMonth(2024, 1),
        )
    # an enrollment made under the ended fixed tariff keeps its recorded amount after the end
    fixed = month_figure(
        DEFAULT_TARIFFS, table, tariff_code="KLATEN-TETAP-2022", programs=JKK_JKM, recorded_amount=11_623,
        month=YearMonth(2026, 5),
    )  # fmt: skip
    assert (fixed.amount, fixed.basis) == (11_623, "tarif tetap Rp 11.623")
    bpu = month_figure(
        DEFAULT_TARIFFS, table, tariff_code="BPU-PP82-2019", programs=JKK_JKM, recorded_amount=16_800,
        month=YearMonth(2026, 5),
    )  # fmt: skip
    assert bpu.basis == "tarif BPU Rp 16.800"
    odd = month_figure(
        DEFAULT_TARIFFS, table, tariff_code="DARI-KANTOR-LAIN", programs=JKK_JKM, recorded_amount=9_000,
        month=YearMonth(2026, 5),
    )  # fmt: skip
    assert (odd.amount, odd.basis) == (9_000, "tarif DARI-KANTOR-LAIN Rp 9.000")


def test_tariff_for_month_picks_the_version_in_force_else_the_nearest() -> None:
    old = Tariff("U", "lama", TariffBasis.UMK, date(2023, 1, 1), date(2024, 12, 31), jkk_bps=24, jkm_bps=30)
    new = Tariff("U", "baru", TariffBasis.UMK, date(2025, 3, 15), None, jkk_bps=50, jkm_bps=30)
    assert tariff_for_month([old, new], "U", YearMonth(2024, 6)) is old
    assert tariff_for_month([old, new], "U", YearMonth(2025, 2)) is old  # a gap: the last one begun
    assert tariff_for_month([old, new], "U", YearMonth(2025, 3)) is new  # begun within the month
    assert tariff_for_month([old, new], "U", YearMonth(2025, 4)) is new
    assert tariff_for_month([old, new], "U", YearMonth(2022, 1)) is old  # before the first: the first
    with pytest.raises(LookupError, match="'Z'"):
        tariff_for_month([old, new], "Z", YearMonth(2024, 1))
