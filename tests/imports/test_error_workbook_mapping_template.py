"""The error workbook, remembered column mappings and the import template."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from klaten_desktop.services import import_template
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import (
    Outcome,
    apply_import,
    detect_mapping,
    mapping_for,
    plan_import,
    read_workbook,
    remember_mapping,
    write_error_workbook,
)
from klaten_desktop.services.imports.error_workbook import REASON_HEADER


def test_error_workbook_lists_reasons_and_reimports_once_fixed(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], tmp_path: Path
) -> None:
    good = make_nik(1, 3, 1970)
    fixed_nik = make_nik(2, 3, 1970)
    path = xlsx(
        [
            ["DAFTAR RT DESA TAJI"],
            ["No", "Nama Lengkap", "No. KTP", "Tgl Lahir", "RT/RW", "Desa"],
            [1, "Contoh Baik", good, "01-03-1970", "001/001", "Taji"],
            [2, "Contoh Angka", 3310010203700000, "02-03-1970", "002/001", "Taji"],
            [3, "Contoh Desa Salah", make_nik(3, 3, 1970), "03-03-1970", "003/001", "Tidak Ada"],
        ]
    )
    table = read_workbook(path)
    plan = plan_import(ctx, table, detect_mapping(table))
    assert [r.outcome for r in plan.rows] == [Outcome.created, Outcome.rejected, Outcome.rejected]
    apply_import(ctx, SYSTEM, plan)
    out = tmp_path / "ditolak.xlsx"
    assert write_error_workbook(plan, table, out) == 2
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["No", "Nama", "NIK", "Tanggal Lahir", "RT/RW", "Desa", REASON_HEADER, "Baris Asal"]
    assert rows[1][1] == "Contoh Angka" and "Teks" in rows[1][6] and rows[1][7] == 4.0
    assert rows[2][1] == "Contoh Desa Salah" and "tidak ada di Kecamatan Prambanan" in rows[2][6]

    # the desa fixes both rows in the error workbook and sends it back
    fixed = [list(r) for r in rows]
    fixed[1][2] = fixed_nik
    fixed[2][5] = "Taji"
    again = read_workbook(xlsx(fixed, name="diperbaiki.xlsx"))
    plan2 = plan_import(ctx, again, detect_mapping(again))
    assert [(r.outcome, r.sheet_row) for r in plan2.rows] == [(Outcome.created, 2), (Outcome.created, 3)]
    assert apply_import(ctx, SYSTEM, plan2).created == 2


def test_corrected_mapping_is_remembered_for_the_same_shape(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    header = ["Identitas Penduduk", "Nama Warga", "RT", "RW", "Lingkungan"]
    first = read_workbook(xlsx([header, [make_nik(1, 5, 1970), "Contoh Satu", 1, 2, "Sengon"]]))
    detected = mapping_for(ctx, first)
    assert detected.fields[:5] == (None, "nama", "rt", "rw", None) and not detected.remembered
    with pytest.raises(UserError, match="NIK"):
        plan_import(ctx, first, detected)
    corrected = detected.with_field(0, "nik").with_field(4, "desa")
    assert [d[2] for d in corrected.describe()] == ["NIK", "Nama", "RT", "RW", "Desa"]
    remember_mapping(ctx, SYSTEM, corrected)

    second = read_workbook(xlsx([["Daftar bulan ini"], header, [make_nik(2, 5, 1970), "Contoh Dua", 3, 2, "Taji"]]))
    recalled = mapping_for(ctx, second)
    assert recalled.remembered and recalled.header_row == 1
    assert recalled.fields[:5] == ("nik", "nama", "rt", "rw", "desa")
    plan = plan_import(ctx, second, recalled)
    assert plan.created == 1 and plan.rows[0].desa_kode == "33.10.01.2007"


def test_template_has_instructions_dropdowns_and_text_nik(
    make_ctx: Callable[..., ServiceContext], tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    for role in ("kecamatan", "kabupaten"):
        ctx = make_ctx(role, name=role)
        out = tmp_path / f"templat-{role}.xlsx"
        import_template.write_template(ctx, out)
        book = CalamineWorkbook.from_path(str(out))
        assert book.sheet_names == ["Data Pengurus", "Petunjuk", "Daftar"]
        table = read_workbook(out)
        assert table.sheet == "Data Pengurus"
        mapping = detect_mapping(table)
        assert tuple(f for f in mapping.fields if f) == import_template.TEMPLATE_FIELDS
        desa = [r[0] for r in book.get_sheet_by_name("Daftar").to_python()[1:] if r[0]]
        if role == "kecamatan":
            assert len(desa) == 16 and "Sengon" in desa
        else:
            assert "Jetis (Delanggu)" in desa and "Jetis (Juwiring)" in desa
        guide = " ".join(r[0] for r in book.get_sheet_by_name("Petunjuk").to_python())
        assert "Format kolom NIK" in guide or "berformat Teks" in guide
        with zipfile.ZipFile(out) as z:
            names = " ".join(z.namelist())
            sheet = z.read("xl/worksheets/sheet1.xml").decode()
            styles = z.read("xl/styles.xml").decode()
        assert "vbaProject" not in names
        assert sheet.count("<dataValidation ") == 4  # sex, jabatan, desa, NIK length
        assert 'type="list"' in sheet and "Daftar!$B$2:$B$6" in sheet
        assert 'numFmtId="49"' in styles  # the "@" text format used by the NIK column


def test_filled_template_imports(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], tmp_path: Path
) -> None:
    from klaten_desktop.services.imports.columns import FIELD_LABELS

    header = [FIELD_LABELS[f] for f in import_template.TEMPLATE_FIELDS]
    row = [1, make_nik(4, 5, 1966), "Contoh Isian", "Klaten", "04-05-1966", "L", "Krajan", "Kemudo", "002",
           "001", "Ketua RT", "081311112222", "01-01-2024", "31-12-2029", "141/12/2024", "15-12-2023"]  # fmt: skip
    table = read_workbook(xlsx([header, row, [2]]))  # a pre-numbered empty row is ignored
    plan = plan_import(ctx, table, detect_mapping(table))
    assert plan.rows_read == 1 and plan.created == 1
    values = plan.rows[0].values
    assert values is not None and values["sk_nomor"] == "141/12/2024" and values["alamat"] == "Krajan"
