"""Issue #17: the BPJS collective-registration list, "CSV untuk Excel", exact copy rows, unusable phone numbers,
and the optional email and nama ibu kandung through the form's service, the import and the export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from klaten_desktop.domain.enums import FundingSource, Jabatan, Program, Sex
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.services import exports, kode_pos, officials, tariff_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.csv_cells import excel_cell, machine_cell, read_cell
from klaten_desktop.services.errors import UserError, ValidationFailed
from klaten_desktop.services.imports import Outcome, apply_import, detect_mapping, plan_import, read_workbook

SENGON = "33.10.01.2001"
BARENG = "33.10.25.1001"  # a kelurahan (Klaten Tengah)


def _fields(nik: str, **changes: object) -> OfficialFields:
    values: dict[str, object] = dict(
        nik=nik, nama="Contoh Ketua", tempat_lahir="Klaten", tanggal_lahir=dt.date(1970, 6, 1), jenis_kelamin=Sex.L,
        alamat="Dukuh Krajan", desa_kode=SENGON, rw=2, rt=3, jabatan=Jabatan.ketua_rt, term_start=None,
        term_end=None, sk_nomor=None, sk_tanggal=None, telepon="081234567890",
    )  # fmt: skip
    values.update(changes)
    return OfficialFields(**values)  # type: ignore[arg-type]


def _sheet(path: Path) -> list[dict[str, object]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_bpjs_list_default_columns_carry_the_registration_terms(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    nik = make_nik(1, 6, 1970, 7)
    officials.register(ctx, SYSTEM, _fields(nik, email="ketua.rt3@contoh.id", nama_ibu_kandung="Sumiyati"))
    out = tmp_path / "bpjs.xlsx"
    assert exports.export_bpjs_list(ctx, out) == 1  # today is 24 November 2026: start next month
    (row,) = _sheet(out)
    assert list(row) == [exports.EXPORT_COLUMNS[c].label for c in exports.BPJS_COLUMNS]
    assert row["NIK"] == nik and row["RT/RW"] == "003/002" and row["Nomor HP"] == "081234567890"
    assert (row["Desa"], row["Kecamatan"], row["Kabupaten"], row["Provinsi"]) == (
        "Sengon", "Prambanan", "Klaten", "Jawa Tengah"
    )  # fmt: skip
    assert row["Email"] == "ketua.rt3@contoh.id" and row["Jenis Pekerjaan"] == "Ketua RT"
    assert row["Kode Pos"] == ""  # unknown: empty, never guessed
    # the office's default tariff (BPU-PP82-2019) in force in December 2026, with its default programs
    assert row["Dasar Iuran"] == "Penghasilan dilaporkan Rp 1.000.000 (minimum tarif BPU-PP82-2019)"
    assert row["Iuran per Bulan (Rp)"] == 16_800 and row["Program"] == "JKK, JKM"
    assert row["Bulan Mulai Kepesertaan"] == "Desember 2026"
    assert row["Pembayar Iuran"] == "Pemerintah Desa Sengon"
    assert "Nama Ibu Kandung" not in row  # optional: offered in the column list, not in the default


def test_bpjs_terms_fixed_tariff_start_month_and_kelurahan(ctx: ServiceContext) -> None:
    tariff_settings.set_defaults(
        ctx, SYSTEM, tariff_code="KLATEN-TETAP-2022", programs=frozenset({Program.JKK, Program.JKM}),
        funding=FundingSource.ADD,
    )  # fmt: skip
    terms = exports.bpjs_terms(ctx, YearMonth(2023, 3))
    assert terms.basis() == "Iuran tetap Rp 11.623 per bulan (tarif KLATEN-TETAP-2022)"
    assert terms.monthly() == 11_623 and terms.start.label() == "Maret 2023"
    with pytest.raises(UserError, match="1 Januari 2024"):
        exports.bpjs_terms(ctx, YearMonth(2024, 1))  # the fixed tariff ended with 2023
    row = exports.ExportRow(
        id="x", nik="", nama="", jenis_kelamin="L", tempat_lahir=None, tanggal_lahir=None, alamat=None,
        kecamatan="Klaten Tengah", desa="Bareng", kode_desa=BARENG, rt=None, rw=1, jabatan="ketua_rw", telepon=None,
        term_start=None, term_end=None, sk_nomor=None, sk_tanggal=None, status="belum_terdaftar", nomor_kpj=None,
        dibayar_sampai=None,
    )  # fmt: skip
    assert terms.payer(row._replace(desa="Sengon")) == "Pemerintah Desa Sengon"
    assert terms.payer(row._replace(kelurahan=True)) == "Pemerintah Kabupaten Klaten (Kelurahan Bareng)"


@pytest.mark.parametrize(
    "text",
    ["3310012345678901", "081234567890", "-/001", "003/002", '=HYPERLINK("x")', "+Klaten", "@a", "\tx", "\rx",
     "'=a", "''x", 'Kata "kutip"', "x" * 600],
)  # fmt: skip
def test_csv_cells_come_back_unchanged(text: str) -> None:
    assert read_cell(machine_cell(text)) == text
    wrapped = excel_cell(text)
    assert wrapped.startswith('="') and read_cell(wrapped) == text


def test_machine_csv_neutralises_tab_and_cr_like_formula_starts() -> None:
    assert machine_cell("\t=1+1") == "'\t=1+1" and machine_cell("\rx") == "'\rx"
    assert machine_cell("-/001") == "'-/001" and machine_cell("Hadi") == "Hadi"


def test_csv_for_excel_round_trip_reimports_with_zero_changes(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    officials.register(ctx, SYSTEM, _fields(make_nik(1, 6, 1970, 7), email="a@contoh.id"))
    officials.register(ctx, SYSTEM, _fields(make_nik(2, 6, 1970, 8), rt=None, jabatan=Jabatan.ketua_rw))
    bpjs = tmp_path / "bpjs.csv"
    exports.export_bpjs_list(ctx, bpjs, columns=["nik", "rt_rw", "telepon"], csv_for_excel=True)
    lines = bpjs.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "NIK;RT/RW;Nomor HP"  # headings plain; each text cell a formula giving the text
    assert lines[1].split(";")[1:] == ['"=""-/002"""', '"=""081234567890"""']
    out = tmp_path / "excel.csv"
    exports.export_officials(ctx, out, csv_for_excel=True)
    table = read_workbook(out)
    plan = plan_import(ctx, table, detect_mapping(table))
    assert (plan.rows_read, plan.unchanged, plan.rejected) == (2, 2, 0)


def test_email_and_nama_ibu_kandung_are_optional_and_checked(ctx: ServiceContext, make_nik: Callable[..., str]) -> None:
    plain = officials.register(ctx, SYSTEM, _fields(make_nik(1, 6, 1970, 7)))
    assert plain.email is None and plain.nama_ibu_kandung is None
    with pytest.raises(ValidationFailed, match="email"):
        officials.register(ctx, SYSTEM, _fields(make_nik(2, 6, 1970, 8), rt=4, email="bukan email"))
    with pytest.raises(ValidationFailed, match="ibu kandung"):
        officials.register(ctx, SYSTEM, _fields(make_nik(2, 6, 1970, 8), rt=4, nama_ibu_kandung="Sri 🌸"))
    saved = officials.register(
        ctx, SYSTEM, _fields(make_nik(2, 6, 1970, 8), rt=4, email=" b@contoh.id ", nama_ibu_kandung="sri  rahayu")
    )
    assert (saved.email, saved.nama_ibu_kandung) == ("b@contoh.id", "Sri Rahayu")
    assert officials.fields_of(saved).nama_ibu_kandung == "Sri Rahayu"  # what the form opens


def test_import_exact_copy_row_is_skipped_other_same_nik_rows_refused(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    a, b = make_nik(1, 6, 1970, 7), make_nik(2, 6, 1970, 8)
    header = ["No", "NIK", "Nama", "RT", "RW", "No HP", "Email", "Nama Ibu Kandung"]
    path = xlsx([
        header,
        [1, a, "Contoh Satu", 1, 2, "081234567890", "satu@contoh.id", "Sumiyati"],
        [2, b, "Contoh Dua", 2, 2, None, None, None],
        [3, a, "Contoh Satu", 1, 2, "081234567890", "satu@contoh.id", "Sumiyati"],  # a copy-paste of row 2
        [4, b, "Contoh Dua", 3, 2, None, None, None],  # same NIK as row 3, other data
    ])  # fmt: skip
    table = read_workbook(path)
    plan = plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON)
    outcomes = {r.sheet_row: r.outcome for r in plan.rows}
    assert outcomes == {2: Outcome.created, 3: Outcome.rejected, 4: Outcome.skipped, 5: Outcome.rejected}
    skipped = next(r for r in plan.rows if r.sheet_row == 4)
    assert skipped.warnings == ("Baris 4 sama persis dengan baris 2, dilewati.",)
    assert (plan.created, plan.skipped, plan.rejected) == (1, 1, 2) and "1 dilewati" in plan.summary()
    apply_import(ctx, SYSTEM, plan)
    (row,) = [r for r in officials.list_rows(ctx, serving_only=True) if r.nik == a]
    detail = officials.get(ctx, row.id)
    assert (detail.email, detail.nama_ibu_kandung) == ("satu@contoh.id", "Sumiyati")


def test_import_unusable_phone_or_email_is_left_empty_with_a_warning(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    nik = make_nik(1, 6, 1970, 7)
    path = xlsx([["NIK", "Nama", "RT", "RW", "Telepon", "E-mail"], [nik, "Contoh Satu", 1, 2, "12", "satu@"]])
    table = read_workbook(path)
    plan = plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON)
    (row,) = plan.rows
    assert row.outcome is Outcome.created and row.errors == ()
    assert any("Nomor telepon '12' tidak valid" in w and "nomor HP dikosongkan" in w for w in row.warnings)
    assert any("email" in w and "dikosongkan" in w for w in row.warnings)
    assert row.values is not None and row.values["telepon"] is None and row.values["email"] is None


def test_bpjs_list_umk_tariff_states_its_basis_and_kode_pos(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    officials.register(ctx, SYSTEM, _fields(make_nik(1, 6, 1970, 7)))
    tariff_settings.set_defaults(
        ctx, SYSTEM, tariff_code="KLATEN-UMK", programs=frozenset({Program.JKK, Program.JKM}),
        funding=FundingSource.ADD,
    )  # fmt: skip
    with pytest.raises(UserError, match="UMK Kabupaten Klaten tahun 2026 belum diisi"):
        exports.export_bpjs_list(ctx, tmp_path / "gagal.xlsx", start=YearMonth(2026, 12))
    assert not (tmp_path / "gagal.xlsx").exists()
    kode_pos.set_code(ctx, SYSTEM, SENGON, "57454")
    out = tmp_path / "bpjs.xlsx"
    exports.export_bpjs_list(ctx, out, start=YearMonth(2023, 6))
    (row,) = _sheet(out)
    assert row["Dasar Iuran"] == "Persentase UMK: 0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623 (tarif KLATEN-UMK)"
    assert row["Iuran per Bulan (Rp)"] == 11_623
    assert row["Kode Pos"] == "57454"
