"""The recap bills each month on its own basis: a UMK tariff on the UMK of the month's year, stated per run of
months in the data and the PDF; a month whose year has no UMK stops the recap with the year named."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from klaten_desktop.domain.enums import FundingSource, Program
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import enrollment, officials, recap, recap_files, tariff_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from tests.dashboard.conftest import AMOUNT, SENGON
from tests.services.test_officials import fields

JKK_JKM = frozenset({Program.JKK, Program.JKM})
UMK_2024 = 230_000_050  # test figure: 0,54 % = Rp 12.420


def _umk_official(ctx: ServiceContext) -> str:
    tariff_settings.set_umk(ctx, SYSTEM, 2024, UMK_2024, "contoh uji")
    tariff_settings.set_defaults(ctx, SYSTEM, tariff_code="KLATEN-UMK", programs=JKK_JKM, funding=FundingSource.ADD)
    official = officials.register(ctx, SYSTEM, fields(term_start=dt.date(2023, 1, 1), rt=9))
    enrollment.register(ctx, SYSTEM, official.id, kpj="12345678909", start=dt.date(2023, 11, 3))
    return official.id


def test_recap_prices_each_month_and_states_its_basis(
    ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path
) -> None:
    _umk_official(ctx)
    data = recap.recap(ctx, start=YearMonth(2023, 11), end=YearMonth(2024, 2))
    sengon = {r.kode: r for r in data.rows}[SENGON]
    assert sengon.add_iuran == 2 * 11_623 + 2 * 12_420  # the seeded officials registered only in 2026
    assert [recap.basis_json(b) for b in data.bases] == [
        {"periode": "November–Desember 2023", "dasar": "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623",
         "orang_bulan": 2, "jumlah": 23_246},
        {"periode": "Januari–Februari 2024", "dasar": "0,54 % × UMK 2024 Rp 2.300.000,50 = Rp 12.420",
         "orang_bulan": 2, "jumlah": 24_840},
    ]  # fmt: skip
    assert "dibulatkan sekali" in data.payload()["pembulatan"]

    year = recap.recap(ctx, start=YearMonth(2024, 1), end=YearMonth(2024, 12))
    assert {b.basis for b in year.bases} == {"0,54 % × UMK 2024 Rp 2.300.000,50 = Rp 12.420"}

    pdf = recap_files.write_recap(ctx, data, tmp_path / "rekap.pdf")
    flat = " ".join("\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages).split())
    assert "Dasar iuran per orang per bulan" in flat
    assert "November–Desember 2023 0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623 2 Rp 23.246" in flat
    assert "Januari–Februari 2024 0,54 % × UMK 2024 Rp 2.300.000,50 = Rp 12.420 2 Rp 24.840" in flat
    assert "Rp 11.622,54 → Rp 11.623" in flat

    book = CalamineWorkbook.from_path(str(recap_files.write_recap(ctx, data, tmp_path / "rekap.xlsx")))
    sheet = book.get_sheet_by_name("Iuran ADD").to_python()
    start = next(i for i, r in enumerate(sheet) if r[0] == "Bulan")
    assert [r[:2] + r[3:5] for r in sheet[start + 1 : start + 3]] == [
        ["November–Desember 2023", "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623", 2.0, 23_246.0],
        ["Januari–Februari 2024", "0,54 % × UMK 2024 Rp 2.300.000,50 = Rp 12.420", 2.0, 24_840.0],
    ]


def test_recap_mixes_tariffs_in_one_month(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    _umk_official(ctx)
    tariff_settings.set_umk(ctx, SYSTEM, 2026, 240_000_000, "contoh uji")  # Rp 12.960
    data = recap.recap(ctx, start=YearMonth(2026, 1), end=YearMonth(2026, 1))
    assert [(b.basis, b.person_months, b.amount) for b in data.bases] == [
        ("0,54 % × UMK 2026 Rp 2.400.000 = Rp 12.960", 1, 12_960),
        ("tarif BPU-1JT Rp 16.800", 2, 2 * AMOUNT),  # the seed's code is no tariff here: named as recorded
    ]


def test_recap_names_a_missing_umk_year(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    _umk_official(ctx)
    with pytest.raises(UserError, match="UMK Kabupaten Klaten tahun 2025 belum diisi"):
        recap.recap(ctx, start=YearMonth(2024, 12), end=YearMonth(2025, 1))
