"""An imported NIK whose kecamatan digits name no kecamatan of the region table: kept, with a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.imports import Outcome, detect_mapping, plan_import, read_workbook


def test_import_warns_about_a_nik_kecamatan_the_region_table_lacks(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    good = make_nik(1, 2, 1970)
    odd = "331027" + make_nik(2, 2, 1970, 2)[6:]  # Klaten's kecamatan run from 01 to 26
    zero = "340200" + make_nik(3, 2, 1970, 3)[6:]  # 00 is no kecamatan anywhere
    path = xlsx([["Nama", "NIK", "RT", "RW", "Desa"], ["Contoh Satu", good, 1, 1, "Sengon"],
                 ["Contoh Dua", odd, 2, 1, "Sengon"], ["Contoh Tiga", zero, 3, 1, "Sengon"]])  # fmt: skip
    table = read_workbook(path)
    plan = plan_import(ctx, table, detect_mapping(table))
    assert [r.outcome for r in plan.rows] == [Outcome.created] * 3
    assert plan.rows[0].warnings == ()
    assert [w for w in plan.rows[1].warnings if "kecamatan" in w] == [
        "Kode kecamatan pada NIK (33.10.27) tidak ada dalam daftar wilayah Kabupaten Klaten. "
        "Periksa kembali NIK dengan KTP."
    ]
    assert any("(34.02.00) berakhir 00" in w for w in plan.rows[2].warnings)
