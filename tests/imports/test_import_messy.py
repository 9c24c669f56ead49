"""Importing desa spreadsheets as they really arrive (every file is built here; synthetic people only)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text

from klaten_desktop.db.models import AuditLog, Official
from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import (
    ImportPlan,
    Outcome,
    apply_import,
    detect_mapping,
    plan_import,
    read_workbook,
)

SENGON = "33.10.01.2001"
TAJI = "33.10.01.2007"


def plan_file(ctx: ServiceContext, path: Path, desa_kode: str | None = None) -> ImportPlan:
    table = read_workbook(path)
    return plan_import(ctx, table, detect_mapping(table), desa_kode=desa_kode)


def by_row(plan: ImportPlan) -> dict[int, tuple[Outcome, tuple[str, ...]]]:
    return {r.sheet_row: (r.outcome, r.errors) for r in plan.rows}


def serving(ctx: ServiceContext, nik: str) -> officials.OfficialDetail:
    return officials.get(ctx, officials.serving_by_nik(ctx, nik).id)


def _messy_rows(make_nik: Callable[..., str]) -> list[list[object]]:
    return [
        [None] * 9,  # merged title (written by the merge)
        [None] * 9,
        [],
        ["NO", "NAMA LENGKAP", "N I K", "Tempat, Tanggal Lahir", "L/P", "RT/RW", "Jabatan", "No. HP", "Desa"],
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, "SUMARNO", make_nik(12, 5, 1970), "Klaten, 12-05-1970", "L", "001/002", "Ketua RT", "081234567890",
         "Sengon"],
        [2, "sri wahyuni", make_nik(17, 8, 1968, female=True), "Klaten, 17 Agustus 1968", "Perempuan",
         "RT 04 / RW 02", "KETUA RT", 81234567891, "Ds. Sengon"],
        [],
        [3, "Bambang Wibowo", 3310011203650001, "Klaten, 12/03/1965", "LK", "005/002", "Ketua RT", None, "Sengon"],
        [4, "Joko Santoso", make_nik(1, 1, 1960), "Sleman, 1960-01-01", "L", "RW 002", "Ketua RW",
         "+62 812-3456-7892", SENGON],
        [5, "Tri Hartono", make_nik(5, 3, 1975), "Klaten, 05/03/1975", "Laki-laki", "003/002", "Ka. RT",
         "0812 3456 7893", "sengon"],
        ["JUMLAH", None, None, None, None, None, "4 orang"],
        [],
        [None, None, None, None, None, None, "Mengetahui,"],
        [None, None, None, None, None, None, "Kepala Desa Sengon"],
        [],
        [None, "SUPARNO, S.H.", None, None, None, None, "SUPARNO, S.H."],
    ]  # fmt: skip


def test_messy_single_column_file(ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]) -> None:
    path = xlsx(
        _messy_rows(make_nik),
        merges=[(0, 0, 0, 8, "DAFTAR KETUA RT/RW DESA SENGON"), (1, 0, 1, 8, "KECAMATAN PRAMBANAN TAHUN 2026")],
    )
    plan = plan_file(ctx, path)
    rows = by_row(plan)
    # sheet rows as Excel shows them: header on row 4, column numbers on row 5, data from row 6
    assert sorted(rows) == [6, 7, 9, 10, 11]
    assert plan.rows_read == 5
    assert [rows[r][0] for r in (6, 7, 10, 11)] == [Outcome.created] * 4
    outcome, errors = rows[9]
    assert outcome is Outcome.rejected
    assert "Format kolom NIK sebagai Teks" in errors[0]
    assert (plan.created, plan.updated, plan.unchanged, plan.rejected) == (4, 0, 0, 1)

    result = apply_import(ctx, SYSTEM, plan)
    assert result.message().startswith("Impor berhasil: 4 pengurus baru")
    sumarno = serving(ctx, make_nik(12, 5, 1970))
    assert (sumarno.nama, sumarno.tempat_lahir, sumarno.tanggal_lahir) == ("Sumarno", "Klaten", dt.date(1970, 5, 12))
    assert (sumarno.rt, sumarno.rw, sumarno.jabatan, sumarno.desa_kode) == (1, 2, Jabatan.ketua_rt, SENGON)
    sri = serving(ctx, make_nik(17, 8, 1968, female=True))
    assert (sri.nama, sri.jenis_kelamin.value, sri.telepon) == ("Sri Wahyuni", "P", "081234567891")
    assert sri.tanggal_lahir == dt.date(1968, 8, 17)
    assert (sri.rt, sri.rw) == (4, 2)
    joko = serving(ctx, make_nik(1, 1, 1960))
    assert (joko.jabatan, joko.rt, joko.rw, joko.telepon) == (Jabatan.ketua_rw, None, 2, "081234567892")
    assert serving(ctx, make_nik(5, 3, 1975)).tanggal_lahir == dt.date(1975, 3, 5)
    assert officials.count_serving(ctx) == 4


def test_two_row_header_with_every_date_form(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    header = ["No", "Nama", "NIK", None, None, "Jenis Kelamin", None, None, "Desa/Kelurahan", "Jabatan"]
    sub = [None, None, None, "Tempat", "Tanggal", None, "RT", "RW", None, None]
    births = [
        dt.date(1970, 5, 12),  # a real date cell
        25335.0,  # an Excel serial number (12 May 1969)
        "12 Mei 1971",
        "17 Agustus 1968",
        "12/05/1972",
        "1973-05-12",
    ]
    expected = [
        dt.date(1970, 5, 12),
        dt.date(1969, 5, 12),
        dt.date(1971, 5, 12),
        dt.date(1968, 8, 17),
        dt.date(1972, 5, 12),
        dt.date(1973, 5, 12),
    ]
    rows: list[list[object]] = [header, sub]
    niks = []
    for i, (born, exp) in enumerate(zip(births, expected, strict=True), start=1):
        n = make_nik(exp.day, exp.month, exp.year, i)
        niks.append(n)
        rows.append([i, f"Warga Contoh {chr(64 + i)}", n, "Klaten", born, "PR" if i == 3 else "L", f"{i:03d}", "1",
                     "Taji", "Ketua RT"])  # fmt: skip
    path = xlsx(rows, merges=[(0, 3, 0, 4, "Tempat/Tgl Lahir"), (0, 6, 0, 7, "RT/RW")])
    table = read_workbook(path)
    mapping = detect_mapping(table)
    assert mapping.fields[3:8] == ("tempat_lahir", "tanggal_lahir", "jenis_kelamin", "rt", "rw")
    plan = plan_import(ctx, table, mapping)
    assert [r.outcome for r in plan.rows] == [Outcome.created] * 6, [r.errors for r in plan.rows]
    # row 3 says PR (perempuan) while its NIK says male: kept, with a warning
    assert any("jenis kelamin" in w.lower() for w in plan.rows[2].warnings)
    apply_import(ctx, SYSTEM, plan)
    for n, exp in zip(niks, expected, strict=True):
        detail = serving(ctx, n)
        assert detail.tanggal_lahir == exp
        assert detail.desa_kode == TAJI
    assert serving(ctx, niks[4]).rt == 5


def test_csv_semicolon_bom_and_cp1252(
    ctx: ServiceContext, csv_file: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    rows = [
        ["DAFTAR RT", None, None, None, None, None],
        ["Nama", "NIK", "Tanggal Lahir", "RT", "RW", "Desa"],
        ["Ngatémi Contoh", make_nik(3, 4, 1971, female=True), "03-04-1971", "1", "3", "Kemudo"],
        ["Paimin Contoh", "3,31001E+15", "01-01-1960", "2", "3", "Kemudo"],
        ["Wagiman Contoh", make_nik(2, 2, 1962), "02-02-1962", "RT 03", "3", "Kemudo"],
    ]
    for encoding, name in (("utf-8-sig", "bom.csv"), ("cp1252", "ansi.csv")):
        plan = plan_file(ctx, csv_file(rows, encoding=encoding, name=name))
        assert [r.outcome for r in plan.rows] == [Outcome.created, Outcome.rejected, Outcome.created]
        assert plan.rows[0].nama == "Ngatémi Contoh"
        assert plan.rows[0].values is not None and plan.rows[0].values["jenis_kelamin"] == "P"  # from the NIK
        assert "Teks" in plan.rows[1].errors[0]
        assert [r.sheet_row for r in plan.rows] == [3, 4, 5]


def test_desa_for_whole_file_and_mismatch(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["Nama", "NIK", "RT", "RW", "Desa"],
            ["Contoh Satu", make_nik(1, 2, 1970), 1, 1, None],
            ["Contoh Dua", make_nik(2, 2, 1970), 2, 1, "Taji"],
        ]
    )
    table = read_workbook(path)
    with pytest.raises(UserError, match="Desa"):
        plan_import(ctx, table, detect_mapping(table).with_field(4, None))
    plan = plan_file(ctx, path, desa_kode=SENGON)
    assert plan.rows[0].outcome is Outcome.created and plan.rows[0].desa_kode == SENGON
    assert plan.rows[1].outcome is Outcome.rejected
    assert "berbeda dengan desa yang dipilih" in plan.rows[1].errors[0]
    no_desa = plan_file(ctx, path)
    assert no_desa.rows[0].outcome is Outcome.rejected
    assert "Desa/kelurahan wajib" in no_desa.rows[0].errors[0]


def test_kecamatan_office_rejects_other_kecamatan(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["Nama", "NIK", "RT", "RW", "Kode Desa", "Kecamatan", "Desa"],
            ["Contoh Luar", make_nik(1, 2, 1970), 1, 1, "33.10.16.2002", None, None],
            ["Contoh Luar Dua", make_nik(2, 2, 1970), 1, 1, None, "Delanggu", "Gatak"],
            ["Contoh Dalam", make_nik(3, 2, 1970), 1, 1, "3310012007", None, None],
        ]
    )
    plan = plan_file(ctx, path)
    assert [r.outcome for r in plan.rows] == [Outcome.rejected, Outcome.rejected, Outcome.created]
    assert "tidak termasuk kecamatan ini" in plan.rows[0].errors[0]
    assert "tidak termasuk kecamatan ini" in plan.rows[1].errors[0]
    assert plan.rows[2].desa_kode == TAJI


def test_regency_resolves_names_only_within_a_kecamatan(
    make_ctx: Callable[..., ServiceContext], xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    ctx = make_ctx("kabupaten")
    path = xlsx(
        [
            ["Nama", "NIK", "RT", "RW", "Desa", "Kecamatan"],
            ["Contoh Satu", make_nik(1, 2, 1970), 1, 1, "Jetis", None],
            ["Contoh Dua", make_nik(2, 2, 1970), 1, 1, "Jetis", "Delanggu"],
            ["Contoh Tiga", make_nik(3, 2, 1970), 1, 1, "Jetis (Juwiring)", None],
            ["Contoh Empat", make_nik(4, 2, 1970), 1, 1, "Jetis", "Kec. Klaten Selatan"],
            ["Contoh Lima", make_nik(5, 2, 1970), 1, 1, "Jetis", "Kecamatan Entah"],
        ]
    )
    plan = plan_file(ctx, path)
    outcomes = [(r.outcome, r.desa_kode) for r in plan.rows]
    assert outcomes[0] == (Outcome.rejected, None)
    assert "isi kolom Kecamatan" in plan.rows[0].errors[0]
    assert outcomes[1:4] == [
        (Outcome.created, "33.10.16.2002"),
        (Outcome.created, "33.10.14.2004"),
        (Outcome.created, "33.10.26.2012"),
    ]
    assert "tidak dikenal" in plan.rows[4].errors[0]


def test_same_nik_twice_rejects_both_rows(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    twin = make_nik(9, 9, 1969)
    path = xlsx(
        [
            ["Judul"],
            ["Nama", "NIK", "RT", "RW", "Desa"],
            ["Contoh Satu", twin, 1, 1, "Sengon"],
            ["Contoh Lain", make_nik(8, 8, 1968), 2, 1, "Sengon"],
            ["Contoh Satu Lagi", twin, 3, 1, "Sengon"],
        ]
    )
    plan = plan_file(ctx, path)
    assert [r.outcome for r in plan.rows] == [Outcome.rejected, Outcome.created, Outcome.rejected]
    assert "juga ada di baris 5" in plan.rows[0].errors[0]
    assert "juga ada di baris 3" in plan.rows[2].errors[0]


def test_same_slot_twice_in_file_and_slot_held_in_database(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    holder = officials.register(
        ctx,
        SYSTEM,
        OfficialFields(
            nik=make_nik(7, 7, 1967), nama="Pemegang Lama", tempat_lahir=None, tanggal_lahir=None,
            jenis_kelamin=Sex.L, alamat=None, desa_kode=SENGON, rw=1, rt=1, jabatan=Jabatan.ketua_rt,
            term_start=None, term_end=None, sk_nomor=None, sk_tanggal=None, telepon=None,
        ),
    )  # fmt: skip
    path = xlsx(
        [
            ["Nama", "NIK", "RT", "RW", "Desa", "Jabatan"],
            ["Penantang Baru", make_nik(1, 1, 1971), 1, 1, "Sengon", "Ketua RT"],
            ["Kembar Satu", make_nik(2, 1, 1971), 2, 1, "Sengon", "Ketua RT"],
            ["Kembar Dua", make_nik(3, 1, 1971), "002", "001", "Sengon", "Ketua RT"],
        ]
    )
    plan = plan_file(ctx, path)
    assert [r.outcome for r in plan.rows] == [Outcome.rejected] * 3
    assert holder.nama in plan.rows[0].errors[0] and "Ganti pengurus" in plan.rows[0].errors[0]
    assert "Baris 3, 4" in plan.rows[1].errors[0]
    result = apply_import(ctx, SYSTEM, plan)
    assert result.written == 0
    assert result.message().startswith("Tidak ada data yang diimpor")
    assert "berhasil" not in result.message()


def test_update_never_erases_and_reimport_changes_nothing(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    n = make_nik(10, 10, 1970)
    first = xlsx(
        [
            ["Nama", "NIK", "Tempat Lahir", "Tanggal Lahir", "No HP", "RT", "RW", "Desa"],
            ["Contoh Warga", n, "Klaten", "10-10-1970", "081200000001", 4, 1, "Sengon"],
        ]
    )
    apply_import(ctx, SYSTEM, plan_file(ctx, first))
    second = xlsx(
        [
            ["Nama", "NIK", "Tempat Lahir", "Tanggal Lahir", "No HP", "RT", "RW", "Desa"],
            ["Contoh Warga", n, None, None, "0812-0000-0002", 4, 1, "Sengon"],
        ]
    )
    plan = plan_file(ctx, second)
    row = plan.rows[0]
    assert row.outcome is Outcome.updated
    assert row.changes == (("telepon", "081200000001", "081200000002"),)
    before = serving(ctx, n).row_version
    assert apply_import(ctx, SYSTEM, plan).updated == 1
    detail = serving(ctx, n)
    assert (detail.tempat_lahir, detail.tanggal_lahir, detail.telepon) == ("Klaten", dt.date(1970, 10, 10),
                                                                            "081200000002")  # fmt: skip
    assert detail.row_version == before + 1
    again = plan_file(ctx, second)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert apply_import(ctx, SYSTEM, again).written == 0


def _official_table(ctx: ServiceContext) -> list[tuple[object, ...]]:
    with ctx.read() as session:
        return [tuple(r) for r in session.execute(select(Official.__table__).order_by(Official.id))]


def test_all_or_nothing_when_the_last_row_fails(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = make_nik(6, 6, 1966)
    apply_import(ctx, SYSTEM, plan_file(ctx, xlsx([["Nama", "NIK", "RT", "RW", "Desa"],
                                                   ["Sudah Ada", existing, 9, 9, "Sengon"]])))  # fmt: skip
    rows: list[list[object]] = [["Nama", "NIK", "RT", "RW", "No HP", "Desa"], ["Sudah Ada", existing, 9, 9,
                                                                                "081299999999", "Sengon"]]  # fmt: skip
    last = make_nik(28, 2, 1970, 50)
    for i in range(1, 51):
        rows.append([f"Warga Contoh {i}", make_nik(28, 2, 1970, i), i, 1, None, "Sengon"])
    plan = plan_file(ctx, xlsx(rows))
    assert (plan.created, plan.updated) == (50, 1)
    before = _official_table(ctx)

    from klaten_desktop.services.imports import apply as apply_module

    original = apply_module._row_values

    def failing(row):  # type: ignore[no-untyped-def]
        if row.nik == last:
            raise OSError("disk rusak (disengaja oleh tes)")
        return original(row)

    monkeypatch.setattr(apply_module, "_row_values", failing)
    with pytest.raises(OSError, match="disengaja"):
        apply_import(ctx, SYSTEM, plan)
    assert _official_table(ctx) == before
    monkeypatch.setattr(apply_module, "_row_values", original)
    assert apply_import(ctx, SYSTEM, plan).created == 50


def test_apply_refuses_a_stale_plan(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx([["Nama", "NIK", "RT", "RW", "Desa"], ["Warga Baru", make_nik(4, 4, 1974), 1, 1, "Sengon"],
                 ["Warga Lain", make_nik(5, 4, 1974), 2, 1, "Sengon"]])  # fmt: skip
    plan = plan_file(ctx, path)
    apply_import(ctx, SYSTEM, plan_file(ctx, xlsx([["Nama", "NIK", "RT", "RW", "Desa"],
                                                   ["Duluan", make_nik(6, 4, 1974), 2, 1, "Sengon"]])))  # fmt: skip
    count = officials.count_serving(ctx)
    with pytest.raises(UserError, match="berubah sejak pratinjau"):
        apply_import(ctx, SYSTEM, plan)
    assert officials.count_serving(ctx) == count


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"bukan lembar kerja")
    with pytest.raises(UserError, match="rusak"):
        read_workbook(bad)
    with pytest.raises(UserError, match="tidak ditemukan"):
        read_workbook(tmp_path / "tidak-ada.xlsx")
    png = tmp_path / "gambar.png"
    png.write_bytes(b"\x89PNG")
    with pytest.raises(UserError, match=r"\.xlsx atau \.csv"):
        read_workbook(png)


def test_row_without_nik_is_reported_not_taken_for_a_footer(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["Nama", "NIK", "Tempat, Tanggal Lahir", "RT", "RW", "Desa"],
            ["Lupa Nik", None, "Klaten, 12-05-1970", 1, 1, "Sengon"],
            ["Ada Nik", make_nik(2, 2, 1972), "Klaten, 02-02-1972", 2, 1, "Sengon"],
            [None, None, "Klaten, 24 November 2026"],
            [None, None, "Kepala Desa Sengon"],
            ["Nama Penanda Tangan"],
        ]
    )
    plan = plan_file(ctx, path)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [(2, Outcome.rejected), (3, Outcome.created)]
    assert "NIK wajib diisi" in plan.rows[0].errors[0]


def test_total_rows_and_repeated_headers_are_not_data(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    """A total line whose word or count lands in the NIK column, and a list pasted together page by page
    (the header and the column numbers repeated), give no rejected rows; a wrong NIK still does."""
    header = ["No", "NIK", "Nama", "Tempat, Tanggal Lahir", "RT", "RW", "Desa"]
    path = xlsx(
        [
            header,
            [1, 2, 3, 4, 5, 6, 7],
            [1, make_nik(2, 2, 1972), "Ada Nik", "Klaten, 02-02-1972", 2, 1, "Sengon"],
            [None, "Jumlah", 1],
            header,
            [1, 2, 3, 4, 5, 6, 7],
            [2, make_nik(3, 3, 1973), "Nik Kedua", "Klaten, 03-03-1973", 3, 1, "Sengon"],
            [3, "3310 0104 0474", "Nik Pendek", "Klaten, 04-04-1974", 4, 1, "Sengon"],
            ["JUMLAH", 3],
            [None, None, "Mengetahui,"],
            [None, None, "Kepala Desa Sengon"],
        ]
    )
    plan = plan_file(ctx, path)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [
        (3, Outcome.created),
        (7, Outcome.created),
        (8, Outcome.rejected),
    ]
    assert "NIK harus 16 digit" in plan.rows[2].errors[0]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3310010505700001", True),
        ("3310 0105 0570 0001", True),
        ("331001", True),
        (3310010505700000.0, True),
        ("Jumlah", False),
        ("-", False),
        ("4 orang", False),
        (4.0, False),
        (True, False),
        (None, False),
        (dt.date(2020, 1, 1), False),
    ],
)
def test_nik_attempts(cell: object, expected: bool) -> None:
    from klaten_desktop.services.imports.cells import holds_nik_attempt

    assert holds_nik_attempt(cell) is expected


def test_regency_with_one_desa_for_the_file_resolves_names_there(
    make_ctx: Callable[..., ServiceContext], xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    ctx = make_ctx("kabupaten")
    path = xlsx([["Nama", "NIK", "RT", "RW", "Desa"], ["Contoh Satu", make_nik(1, 2, 1970), 1, 1, "Jetis"],
                 ["Contoh Dua", make_nik(2, 2, 1970), 2, 1, None]])  # fmt: skip
    plan = plan_file(ctx, path, desa_kode="33.10.16.2002")
    assert [(r.outcome, r.desa_kode) for r in plan.rows] == [(Outcome.created, "33.10.16.2002")] * 2


def test_rt_rw_turned_into_a_date_by_excel_is_read_back_with_a_warning(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx([["Nama", "NIK", "RT/RW", "Desa"], ["Contoh Tanggal", make_nik(1, 2, 1970), dt.date(2026, 2, 3),
                                                      "Sengon"]])  # fmt: skip
    plan = plan_file(ctx, path)
    row = plan.rows[0]
    assert row.outcome is Outcome.created and row.values is not None
    assert (row.values["rt"], row.values["rw"]) == (3, 2)
    assert "terbaca Excel sebagai tanggal" in row.warnings[0]
    assert plan.warnings == 1


def test_plan_reports_progress_and_can_be_cancelled(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    rows: list[list[object]] = [["Nama", "NIK", "RT", "RW", "Desa"]]
    rows += [
        [f"Warga Contoh {i}", make_nik(3, 3, 1973, i), i % 100 + 1, i // 100 + 1, "Sengon"] for i in range(1, 1201)
    ]
    table = read_workbook(xlsx(rows))
    seen: list[tuple[int, int]] = []
    plan = plan_import(ctx, table, detect_mapping(table), progress=lambda d, t: seen.append((d, t)))
    assert plan.created == 1200
    assert seen == [(500, 1200), (1000, 1200), (1200, 1200)]
    from klaten_desktop.runtime.work import Cancelled

    with pytest.raises(Cancelled, match=r"^Impor dibatalkan; tidak ada data yang berubah\.$"):
        plan_import(ctx, table, detect_mapping(table), cancelled=lambda: True)


def _stored(ctx: ServiceContext, nik: str, columns: str) -> tuple[object, ...]:
    with ctx.read() as session:
        return tuple(session.execute(text(f"SELECT {columns} FROM official WHERE nik = :nik"), {"nik": nik}).one())


def test_updates_write_only_the_changed_columns_and_refuse_a_stale_row(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    header = ["Nama", "NIK", "RT", "RW", "Desa", "No HP", "Tanggal SK"]
    a, b, c = make_nik(1, 1, 1971), make_nik(2, 1, 1971), make_nik(3, 1, 1971)
    apply_import(ctx, SYSTEM, plan_file(ctx, xlsx([
        header,
        ["Warga Satu", a, 1, 1, "Sengon", "081200000001", dt.date(2024, 1, 2)],
        ["Warga Dua", b, 2, 1, "Sengon", "081200000002", None],
        ["Warga Tiga", c, 3, 1, "Sengon", None, dt.date(2024, 1, 2)],
    ])))  # fmt: skip
    second = xlsx([
        header,
        ["Warga Satu", a, 1, 1, "Sengon", "081200000011", None],
        ["Warga Dua", b, 2, 1, "Sengon", "081200000012", None],
        ["Warga Tiga", c, 3, 1, "Taji", None, dt.date(2025, 3, 4)],
    ])  # fmt: skip
    plan = plan_file(ctx, second)
    assert [r.outcome for r in plan.rows] == [Outcome.updated] * 3
    # another user edits Warga Dua after the preview: the import stops and changes nothing
    with ctx.write() as session:
        session.execute(text("UPDATE official SET row_version = row_version + 1 WHERE nik = :nik"), {"nik": b})
    before = _official_table(ctx)
    with pytest.raises(UserError, match="berubah sejak pratinjau"):
        apply_import(ctx, SYSTEM, plan)
    assert _official_table(ctx) == before
    # the statement's own guard (the row version in WHERE) catches it too, should the check before it miss
    from klaten_desktop.services.imports import apply as apply_module

    with monkeypatch.context() as m:
        m.setattr(apply_module, "_still_valid", lambda plan, state: True)
        with pytest.raises(UserError, match="berubah sejak pratinjau"):
            apply_import(ctx, SYSTEM, plan)
    assert _official_table(ctx) == before

    plan = plan_file(ctx, second)
    assert apply_import(ctx, SYSTEM, plan).updated == 3
    if ctx.on_server:  # a DATE column
        assert _stored(ctx, a, "telepon, sk_tanggal, row_version") == ("081200000011", dt.date(2024, 1, 2), 2)
    else:  # stored as SQLAlchemy's text of a date, as every other write stores it
        assert _stored(ctx, a, "telepon, sk_tanggal, typeof(sk_tanggal), row_version") == (
            "081200000011", "2024-01-02", "text", 2)  # fmt: skip
    assert _stored(ctx, b, "telepon, row_version") == ("081200000012", 3)
    assert _stored(ctx, c, "desa_kode, office_code, sk_tanggal, telepon, row_version") == (
        TAJI, "33.10.01", dt.date(2025, 3, 4) if ctx.on_server else "2025-03-04", None, 2)  # fmt: skip
    assert serving(ctx, c).sk_tanggal == dt.date(2025, 3, 4)
    with ctx.read() as session:
        changes = session.execute(
            select(AuditLog.entity_id, AuditLog.old_values, AuditLog.new_values).where(AuditLog.action == "update")
        ).all()
    by_id = {e.entity_id: (json.loads(e.old_values), json.loads(e.new_values)) for e in changes}
    assert by_id[serving(ctx, c).id] == (
        {"desa_kode": SENGON, "sk_tanggal": "2024-01-02"}, {"desa_kode": TAJI, "sk_tanggal": "2025-03-04"})  # fmt: skip
    assert plan_file(ctx, second).unchanged == 3


def test_regency_takes_a_desa_name_only_one_kecamatan_has(
    make_ctx: Callable[..., ServiceContext], xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    ctx = make_ctx("kabupaten")
    path = xlsx([["Nama", "NIK", "RT", "RW", "Desa"],
                 ["Contoh Satu", make_nik(1, 2, 1970, kec="331002"), 1, 1, "Gentan"],
                 ["Contoh Dua", make_nik(2, 2, 1970, kec="331016"), 2, 1, "Jetis"]])  # fmt: skip
    plan = plan_file(ctx, path)
    assert (plan.rows[0].outcome, plan.rows[0].desa_kode) == (Outcome.created, "33.10.02.2001")
    assert plan.rows[1].outcome is Outcome.rejected
    reason = plan.rows[1].errors[0]
    assert "lebih dari satu" in reason and "Delanggu" in reason and "isi kolom Kecamatan" in reason


def test_a_dash_is_an_empty_cell_and_000_is_no_rt(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    header = ["Nama", "NIK", "Tempat Lahir", "Alamat", "RT", "RW", "RT/RW", "Jabatan", "Desa"]
    a, b, c = make_nik(1, 3, 1970), make_nik(2, 3, 1970), make_nik(3, 3, 1970)
    first = xlsx([header,
                  ["Warga Satu", a, "Klaten", "Dukuh Krajan", 1, 1, None, "Ketua RT", "Sengon"],
                  ["Warga Dua", b, "-", "-", "-", 2, None, "Ketua RW", "Sengon"],
                  ["Warga Tiga", c, None, None, None, None, "000/003", "Ketua RW", "Sengon"]])  # fmt: skip
    plan = plan_file(ctx, first)
    assert [r.outcome for r in plan.rows] == [Outcome.created] * 3, [r.errors for r in plan.rows]
    apply_import(ctx, SYSTEM, plan)
    assert (serving(ctx, b).tempat_lahir, serving(ctx, b).rt, serving(ctx, b).rw) == (None, None, 2)
    assert (serving(ctx, c).rt, serving(ctx, c).rw) == (None, 3)
    # "-" sent again over stored values erases nothing
    rows = [
        header,
        ["Warga Satu", a, "-", "\u2013", 1, 1, None, "Ketua RT", "Sengon"],
        ["Warga Tiga", c, None, None, None, None, "-/003", "Ketua RW", "Sengon"],
    ]
    again = plan_file(ctx, xlsx(rows))
    assert [r.outcome for r in again.rows] == [Outcome.unchanged] * 2


def test_an_rt_head_named_rw_head_leaves_the_rt(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    n = make_nik(4, 3, 1970)
    header = ["Nama", "NIK", "RT", "RW", "Jabatan", "Desa"]
    apply_import(ctx, SYSTEM, plan_file(ctx, xlsx([header, ["Warga Naik", n, 4, 5, "Ketua RT", "Sengon"]])))
    plan = plan_file(ctx, xlsx([header, ["Warga Naik", n, None, 5, "Ketua RW", "Sengon"]]))
    assert plan.rows[0].outcome is Outcome.updated, plan.rows[0].errors
    assert dict((c, new) for c, _old, new in plan.rows[0].changes) == {"rt": None, "jabatan": "ketua_rw"}
    apply_import(ctx, SYSTEM, plan)
    assert (serving(ctx, n).jabatan, serving(ctx, n).rt, serving(ctx, n).rw) == (Jabatan.ketua_rw, None, 5)


def test_a_year_alone_is_refused_as_a_birth_date(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    plan = plan_file(ctx, xlsx([["Nama", "NIK", "Tanggal Lahir", "RT", "RW", "Desa"],
                                ["Warga Tahun", make_nik(5, 3, 1970), 1970, 1, 1, "Sengon"]]))  # fmt: skip
    assert plan.rows[0].outcome is Outcome.rejected
    assert "hanya tahun" in plan.rows[0].errors[0]


def test_what_is_not_an_official_is_not_read(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    """Column numbers in brackets, rows the desa prepared but left empty, a total line with a count in every
    column, and a signature block dated in another desa's name are no data rows."""
    header = ["No", "NIK", "Nama", "RT", "RW", "Jabatan", "Nomor SK", "Desa"]
    path = xlsx(
        [
            header,
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
            [1, make_nik(6, 3, 1970), "Warga Ada", 1, 1, "Ketua RT", "141/2024", "Sengon"],
            [2, None, None, 2, 1, "Ketua RT", "141/2024", "Sengon"],
            [3, None, None, 3, 1, "Ketua RT", "141/2024", "Sengon"],
            [4, None, "Tanpa Nik", 4, 1, "Ketua RT", "141/2024", "Sengon"],
            ["JUMLAH", None, 2, 4, 1, "2 orang", None, None],
            [None, None, "Sengon, 20 November 2026"],
            [None, None, "Kepala Desa Sengon"],
            [None, None, "Nama Kepala Desa"],
        ]
    )
    plan = plan_file(ctx, path)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [(3, Outcome.created), (6, Outcome.rejected)]
    assert "NIK wajib diisi" in plan.rows[1].errors[0]


def test_a_second_table_with_other_columns_is_refused_not_misread(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["No", "NIK", "Nama", "RT", "RW", "Jabatan", "Desa"],
            [1, make_nik(7, 3, 1970), "Warga Atas", 2, 1, "Ketua RT", "Sengon"],
            [],
            ["No", "NIK", "Nama Ketua", "RW", "RT", "Jabatan", "Desa"],
            [1, make_nik(8, 3, 1970), "Warga Bawah", 2, 3, "Ketua RT", "Sengon"],
        ]
    )
    plan = plan_file(ctx, path)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [(2, Outcome.created), (5, Outcome.rejected)]
    assert "judul kolom kedua (baris 4)" in plan.rows[1].errors[-1]


def test_sex_ticked_in_two_columns_under_one_header(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["No", "NIK", "Nama", "Jenis Kelamin", None, "RT", "RW", "Desa"],
            [None, None, None, "L", "P", None, None, None],
            [1, make_nik(9, 3, 1970), "Warga Pria", "\u221a", None, 1, 1, "Sengon"],
            [2, make_nik(9, 3, 1971, female=True), "Warga Wanita", None, "v", 2, 1, "Sengon"],
            [3, make_nik(9, 3, 1972), "Warga Ragu", "\u221a", "\u221a", 3, 1, "Sengon"],
        ],
        merges=[(0, 3, 0, 4, "Jenis Kelamin")],
    )
    table = read_workbook(path)
    mapping = detect_mapping(table)
    assert mapping.fields[3:5] == ("sex_l", "sex_p")
    plan = plan_import(ctx, table, mapping)
    assert [r.outcome for r in plan.rows] == [Outcome.created, Outcome.created, Outcome.rejected]
    assert [r.values["jenis_kelamin"] for r in plan.rows[:2] if r.values] == ["L", "P"]
    assert "sama-sama dicentang" in plan.rows[2].errors[0]


def test_a_row_with_an_unreadable_cell_is_checked_for_everything_else_too(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    """The desa gets every reason at once: a wrong jabatan does not hide an empty name or a short NIK."""
    plan = plan_file(ctx, xlsx([["Nama", "NIK", "RT", "RW", "Jabatan", "Desa"],
                                [None, "33100112057000", 1, 1, "Ketu RT", "Sengon"]]))  # fmt: skip
    errors = plan.rows[0].errors
    assert plan.rows[0].outcome is Outcome.rejected
    assert errors[0].startswith("Jabatan 'Ketu RT' tidak dikenal")
    assert any(e.startswith("Nama wajib diisi") for e in errors)
    assert any("NIK harus 16 digit" in e for e in errors)
    assert not any("Jabatan wajib" in e for e in errors)  # the jabatan is reported once, as unreadable


def test_no_person_row_is_dropped_without_a_word(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    """Whatever sits around it (a subtotal, a note, a signature block), a row naming a person is imported or
    rejected with its row number, never skipped."""
    header = ["No", "NIK", "Nama", "RT", "RW", "Jabatan", "Keterangan"]
    path = xlsx(
        [
            header,  # row 1
            ["DUSUN KRAJAN"],
            [1, make_nik(1, 4, 1970), "Sutrisno", 1, 1, "Ketua RT", None],  # 3
            [None, "Jumlah Dusun Krajan", None, None, None, None, "1 orang"],
            [2, None, "Paijo", 2, 1, "Ketua RT", None],  # 5: after a subtotal, no NIK yet
            [3, None, "Kadesih", None, None, None, "Catatan: NIK menyusul"],  # 6: a note beside her
            [None, None, "An Nisa"],  # 7: a name the old footer words caught
            ["NO", "NIK", "NAMA ", "RT", "RW", "JABATAN", "KETERANGAN"],  # the header again, other spelling
            [4, "belum ada", "Niken Larasati", 3, 1, "Ketua RT", None],  # 9: "Niken" is no header
            [5, make_nik(2, 4, 1970), "Wagiman", 4, 1, "Ketua RT", None],  # 10
            [],
            [None, None, "Sengon, 20 November 2026"],
            [None, None, "Kepala Desa Sengon"],
            [None, None, "SUPARMAN"],
            [6, None, "Painem", 5, 1, "Ketua RT", "tambahan"],  # 15: added under the signature
        ]
    )
    plan = plan_file(ctx, path, desa_kode=SENGON)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [
        (3, Outcome.created),
        (5, Outcome.rejected),
        (6, Outcome.rejected),
        (7, Outcome.rejected),
        (9, Outcome.rejected),
        (10, Outcome.created),
        (15, Outcome.rejected),
    ]
    assert all("NIK" in " ".join(r.errors) for r in plan.rows if r.outcome is Outcome.rejected)
    assert not any("judul kolom kedua" in " ".join(r.errors) for r in plan.rows)


def test_a_person_named_like_a_header_or_a_signature_is_still_a_person(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["No", "NIK", "Nama", "Desa", "Kecamatan", "RT/RW", "Jabatan"],
            [1, make_nik(3, 5, 1970), "Sutrisno", "Sengon", "Prambanan", "001/001", "Ketua RT"],
            [None, None, "Anik", "Desa Sengon", "Kec. Prambanan", "RT 02/RW 01", "Ketua RT"],  # 3
            [None, None, "Lurah Sutikno", None, None, "003/001", "Ketua RT"],  # 4
            [None, None, "CAMAT", None, None, "004/001"],  # 5: no jabatan, but an RT/RW
            [2, make_nik(4, 5, 1970), "Wagiman", "Sengon", "Prambanan", "005/001", "Ketua RT"],  # 6
        ]
    )
    plan = plan_file(ctx, path)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [
        (2, Outcome.created),
        (3, Outcome.rejected),
        (4, Outcome.rejected),
        (5, Outcome.rejected),
        (6, Outcome.created),
    ]


def test_a_two_level_header_keeps_a_label_merged_down_from_the_upper_row(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx(
        [
            ["No", "Identitas", None, None, "Wilayah", None, "Jabatan"],
            [None, "NIK", "Nama", "L/P", "RT", "RW", None],
            [1, make_nik(5, 5, 1970), "Wagiman", "L", None, 1, "Ketua RW"],
        ],
        merges=[(0, 1, 0, 3, "Identitas"), (0, 4, 0, 5, "Wilayah")],
    )
    table = read_workbook(path)
    mapping = detect_mapping(table)
    assert mapping.fields[6] == "jabatan"
    plan = plan_import(ctx, table, mapping, desa_kode=SENGON)
    assert plan.rows[0].outcome is Outcome.created and plan.rows[0].values is not None
    assert plan.rows[0].values["jabatan"] == "ketua_rw"


def test_a_desa_code_that_contradicts_the_desa_name_is_refused(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    path = xlsx([["Nama", "NIK", "Desa", "Kode Desa", "RT", "RW"],
                 ["Sutrisno", make_nik(6, 5, 1970), "Sengon", "33.10.01.2002", 1, 1],
                 ["Sutarno", make_nik(7, 5, 1970), "Sengon", SENGON, 2, 1]])  # fmt: skip
    plan = plan_file(ctx, path)
    assert [r.outcome for r in plan.rows] == [Outcome.rejected, Outcome.created]
    assert "tidak cocok dengan nama desa 'Sengon'" in plan.rows[0].errors[0]


def test_a_sheet_without_a_header_row_loses_no_one(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    from klaten_desktop.services.imports.header import NO_HEADER, mapping_from_header_row

    rows = [[make_nik(d, 6, 1970), f"Warga Ke {d}", d, 1] for d in (1, 2, 3)]
    table = read_workbook(xlsx(rows))
    with pytest.raises(UserError, match="Baris judul kolom tidak ditemukan"):
        detect_mapping(table)
    mapping = mapping_from_header_row(table, NO_HEADER)
    assert (mapping.data_start, mapping.fields) == (0, (None, None, None, None))
    for column, field in enumerate(("nik", "nama", "rt", "rw")):
        mapping = mapping.with_field(column, field)
    plan = plan_import(ctx, table, mapping, desa_kode=SENGON)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [(n, Outcome.created) for n in (1, 2, 3)]
