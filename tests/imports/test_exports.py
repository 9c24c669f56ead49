"""Exports: NIK as text, dates as dates, no formulas, atomic files, and a round trip with zero changes."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select, update

from klaten_desktop.db.models import Enrollment
from klaten_desktop.domain.enums import CoverageStatus, Jabatan, Sex
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.services import exports, officials, table_writer
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.demo import populate
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.imports import apply_import, detect_mapping, plan_import, read_workbook

SENGON = "33.10.01.2001"


def _register_formula_name(ctx: ServiceContext, make_nik: Callable[..., str]) -> str:
    n = make_nik(11, 11, 1971)
    officials.register(
        ctx,
        SYSTEM,
        OfficialFields(
            nik=n, nama="=HYPERLINK(\"x\") Contoh", tempat_lahir="+Klaten", tanggal_lahir=dt.date(1971, 11, 11),
            jenis_kelamin=Sex.L, alamat="@Dukuh Krajan", desa_kode=SENGON, rw=1, rt=1, jabatan=Jabatan.ketua_rt,
            term_start=dt.date(2024, 1, 1), term_end=None, sk_nomor="-12/2024", sk_tanggal=None, telepon=None,
        ),
    )  # fmt: skip
    return n


def test_xlsx_export_types_and_no_formulas(ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]) -> None:
    n = _register_formula_name(ctx, make_nik)
    folder = tmp_path / "keluar"
    folder.mkdir()
    out = folder / "registri.xlsx"
    assert exports.export_officials(ctx, SYSTEM, out) == 1
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header, row = rows[0], rows[1]
    data = dict(zip(header, row, strict=True))
    assert data["NIK"] == n and isinstance(data["NIK"], str)
    assert data["Tanggal Lahir"] == dt.date(1971, 11, 11)
    assert data["Nama"] == '=HYPERLINK("x") Contoh'
    assert (data["Tempat Lahir"], data["Alamat"], data["Nomor SK"]) == ("+Klaten", "@Dukuh Krajan", "-12/2024")
    assert data["Jabatan"] == "Ketua RT" and data["Status Kepesertaan"] == "Belum terdaftar"
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        assert "<f>" not in sheet and "<f " not in sheet
        assert "vbaProject" not in " ".join(z.namelist())
    assert 'formatCode="dd-mm-yyyy"' in styles
    # nothing half-written is left beside the file
    assert [p.name for p in folder.iterdir()] == ["registri.xlsx"]


def test_csv_export_semicolon_bom_and_formula_guard(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    n = _register_formula_name(ctx, make_nik)
    out = tmp_path / "registri.csv"
    exports.export_officials(ctx, SYSTEM, out, columns=["nik", "nama", "tanggal_lahir"])
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "NIK;Nama;Tanggal Lahir"
    assert lines[1] == f'{n};"\'=HYPERLINK(""x"") Contoh";11-11-1971'


def test_round_trip_reimports_with_zero_changes(make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> None:
    source = make_ctx("kecamatan", name="sumber")
    populate(source, SYSTEM, 300)
    for suffix in (".xlsx", ".csv"):
        out = tmp_path / f"ekspor{suffix}"
        assert exports.export_officials(source, SYSTEM, out) == 300
        table = read_workbook(out)
        plan = plan_import(source, table, detect_mapping(table))
        assert (plan.rows_read, plan.unchanged, plan.created, plan.updated, plan.rejected) == (300, 300, 0, 0, 0)
    target = make_ctx("kecamatan", name="tujuan")
    table = read_workbook(tmp_path / "ekspor.xlsx")
    plan = plan_import(target, table, detect_mapping(table))
    assert plan.created == 300 and plan.rejected == 0
    apply_import(target, SYSTEM, plan)
    left = {(r.nik, r.nama, r.tanggal_lahir, r.desa_kode, r.rt, r.rw, r.jabatan, r.telepon)
            for r in officials.list_rows(source, serving_only=True)}  # fmt: skip
    right = {(r.nik, r.nama, r.tanggal_lahir, r.desa_kode, r.rt, r.rw, r.jabatan, r.telepon)
             for r in officials.list_rows(target, serving_only=True)}  # fmt: skip
    assert left == right


def test_bpjs_list_has_only_unregistered_and_chosen_columns(ctx: ServiceContext, tmp_path: Path) -> None:
    populate(ctx, SYSTEM, 200)
    unregistered = [r for r in officials.list_rows(ctx, serving_only=True) if r.status == "belum_terdaftar"]
    out = tmp_path / "bpjs.xlsx"
    count = exports.export_bpjs_list(ctx, SYSTEM, out, columns=["no", "nik", "nama", "rt_rw"])
    assert count == len(unregistered) > 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["No", "NIK", "Nama", "RT/RW"]
    assert {r[1] for r in rows[1:]} == {r.nik for r in unregistered}
    with pytest.raises(UserError, match="tidak dikenal"):
        exports.export_bpjs_list(ctx, SYSTEM, out, columns=["nik", "gaji"])


def test_registry_states_each_officials_coverage_as_the_officials_list(ctx: ServiceContext, tmp_path: Path) -> None:
    """The export reads coverage in its own query: every row says what the officials list says (status, KPJ, the
    month paid through), and its dates read back as the dates stored."""
    populate(ctx, SYSTEM, 300)
    with ctx.write() as session:  # registered with nothing paid yet, and paid for exactly the registration month
        nothing, first = session.execute(
            select(Enrollment.id, Enrollment.registered_on).where(Enrollment.registered_on.is_not(None)).limit(2)
        ).all()
        for eid, paid in ((nothing[0], YearMonth.of(nothing[1]).prev()), (first[0], YearMonth.of(first[1]))):
            session.execute(update(Enrollment).where(Enrollment.id == eid).values(paid_through=str(paid)))
    listed = {r.id: r for r in officials.list_rows(ctx, serving_only=True)}
    rows = exports.export_rows(ctx)
    assert {r.id for r in rows} == set(listed)
    assert {r.status for r in rows} >= {"aktif", "menunggak", "nonaktif", "belum_terdaftar"}
    assert {r.dibayar_sampai is None for r in rows} == {True, False}
    for r in rows:
        shown = listed[r.id]
        assert (r.status, r.nomor_kpj, r.dibayar_sampai) == (shown.status, shown.nomor_kpj, shown.dibayar_sampai)
    out = tmp_path / "registri.xlsx"
    assert exports.export_officials(ctx, SYSTEM, out) == len(rows)
    sheet = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header, cells = sheet[0], [dict(zip(sheet[0], line, strict=True)) for line in sheet[1:]]
    assert "Status Kepesertaan" in header
    for r, cell in zip(rows, cells, strict=True):
        assert cell["NIK"] == r.nik
        assert cell["Status Kepesertaan"] == CoverageStatus(r.status).label
        assert cell["Tanggal Lahir"] == r.tanggal_lahir
        assert (cell["Awal Masa Jabatan"] or None) == r.term_start
        assert cell["Iuran Dibayar Sampai"] == (YearMonth.parse(r.dibayar_sampai).label() if r.dibayar_sampai else "")


def test_locked_target_is_an_environment_problem(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "keluar"
    folder.mkdir()
    out = folder / "terkunci.xlsx"
    out.write_bytes(b"versi lama")

    def locked(self: Path, target: Path) -> Path:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(EnvironmentProblem, match="dipakai program lain"):
        exports.export_officials(ctx, SYSTEM, out)
    assert out.read_bytes() == b"versi lama"
    assert [p.name for p in folder.iterdir()] == ["terkunci.xlsx"]


def test_any_table_view_export(tmp_path: Path) -> None:
    out = tmp_path / "tabel.xlsx"
    table_writer.write_table(out, ["NIK", "Nama", "Tanggal", "Jumlah"],
                        [["3310011205700001", "-Contoh", dt.date(2026, 1, 2), 16800]])  # fmt: skip
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert rows[1] == ["3310011205700001", "-Contoh", dt.date(2026, 1, 2), 16800.0]
    with pytest.raises(UserError, match=r"xlsx atau \.csv"):
        table_writer.write_table(tmp_path / "tabel.pdf", ["A"], [])


def test_cells_through_xlsxwriters_undecorated_writers_match_the_public_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export writes cells through xlsxwriter's undecorated twins of write_string/number/datetime; the sheet
    is the one the public methods write (text, numbers, dates before and after 1 March 1900, empty cells)."""
    headers = ["NIK", "Nama", "Lahir", "Mulai", "Jumlah", "Kosong"]
    rows = [["3310011205700001", "=Contoh", dt.date(1899, 12, 31), dt.date(2026, 1, 2), 16800, None],
            ["0001", " spasi ", dt.date(1900, 2, 28), dt.datetime(2026, 1, 2, 9, 30), 0, ""]]  # fmt: skip
    kinds = ["text", "text", "date", "date", "number", "text"]
    fast, public = tmp_path / "cepat.xlsx", tmp_path / "publik.xlsx"
    table_writer.write_table(fast, headers, rows, kinds=kinds)
    monkeypatch.setattr(table_writer, "_cell_writers", lambda ws: (ws.write_string, ws.write_number, ws.write_datetime))
    table_writer.write_table(public, headers, rows, kinds=kinds)
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(public) as b:
        assert a.read(sheet) == b.read(sheet)


def test_cell_writers_fall_back_to_the_public_methods() -> None:
    class Sheet:  # a sheet object without the undecorated twins (another xlsxwriter version)
        def write_string(self) -> None: ...
        def write_number(self) -> None: ...
        def write_datetime(self) -> None: ...

    sheet = Sheet()
    assert table_writer._cell_writers(sheet) == (sheet.write_string, sheet.write_number, sheet.write_datetime)
