"""How the reader copes with the shapes desa files really take: several sheets (some hidden), vertically merged
cells, CSV delimiters, files saved under the wrong extension or with a password (synthetic people only)."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from klaten_desktop import cli
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import Outcome, detect_mapping, plan_import, read_workbook
from klaten_desktop.services.imports.columns import find_header

from .conftest import write_xlsx

HEADER: list[object] = ["No", "NIK", "Nama", "RT", "RW", "Jabatan"]
SENGON = "33.10.01.2001"


def workbook(path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[object]], str]]) -> Path:
    """Sheets as (name, rows, "" or "hidden" or "very hidden"), in order; text as text, numbers as numbers."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    shown = []
    for name, rows, hidden in sheets:
        ws = wb.add_worksheet(name)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                if value is not None:
                    ws.write(r, c, value)
        if hidden == "hidden":
            ws.hide()
        elif hidden == "very hidden":
            ws.very_hidden()
        else:
            shown.append(ws)
    shown[0].activate()  # Excel will not save a workbook whose active sheet is hidden
    wb.close()
    return path


def people(make_nik: Callable[..., str], n: int, *, first: int = 1) -> list[list[object]]:
    return [[i, make_nik(i, 3, 1970), f"Contoh Orang {i}", i, 1, "Ketua RT"] for i in range(first, first + n)]


# --------------------------------------------------------------------------- which sheet


def test_hidden_sheet_is_not_read(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    old = [HEADER, *people(make_nik, 9, first=10)]  # an old list, hidden, first and longer
    path = workbook(
        tmp_path / "desa.xlsx", [("Lama", old, "hidden"), ("Data 2026", [HEADER, *people(make_nik, 2)], "")]
    )
    table = read_workbook(path)
    assert table.sheet == "Data 2026"
    assert [r[2] for r in table.rows[1:]] == ["Contoh Orang 1", "Contoh Orang 2"]
    assert table.other_sheets == ()


def test_hidden_sheet_is_read_when_it_alone_holds_data(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    path = workbook(tmp_path / "desa.xlsx", [("Kosong", [], ""), ("Data", [HEADER, *people(make_nik, 2)], "hidden")])
    table = read_workbook(path)
    assert table.sheet == "Data" and len(table.rows) == 3


def test_petunjuk_sheet_with_an_example_row_loses_to_the_data_sheet(
    tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    guide: list[list[object]] = [
        ["PETUNJUK PENGISIAN"],
        ["Contoh pengisian:"],
        HEADER,
        [1, "3310xxxxxxxxxxxx", "Nama sesuai KTP", 1, 1, "Ketua RT"],
        ["Catatan: NIK 16 digit sesuai KTP, jangan diubah menjadi angka."],
    ]
    data = [HEADER, *people(make_nik, 1)]  # a single official: the example row must not win a tie
    path = workbook(tmp_path / "desa.xlsx", [("Petunjuk", guide, ""), ("Data", data, "")])
    table = read_workbook(path)
    assert table.sheet == "Data"
    assert table.other_sheets == ()  # an example is not data the user should be warned about


def test_the_sheet_with_most_rows_is_read_and_the_others_are_named(
    tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    path = workbook(
        tmp_path / "desa.xlsx",
        [
            ("Ketua RW", [HEADER, *people(make_nik, 2, first=20)], ""),
            ("Ketua RT", [["DAFTAR KETUA RT"], HEADER, *people(make_nik, 5)], ""),
            ("Catatan", [["Dikirim tanggal 3 Maret"]], ""),
            ("Arsip", [HEADER, *people(make_nik, 9, first=40)], "hidden"),
            ("Rahasia", [HEADER, *people(make_nik, 9, first=60)], "very hidden"),
        ],
    )
    table = read_workbook(path)
    assert table.sheet == "Ketua RT" and len(table.rows) == 7
    assert table.other_sheets == ("Ketua RW",)


# --------------------------------------------------------------------------- merged cells


def test_vertical_merges_under_the_header_fill_every_row(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    header: list[object] = ["No", "NIK", "Nama", "Desa", "RW", "RT", "Jabatan"]
    rows: list[list[object]] = [["DAFTAR KETUA RT/RW"], header]
    rows += [[i, make_nik(i, 4, 1971), f"Contoh Orang {i}", None, None, i, "Ketua RT"] for i in range(1, 6)]
    merges = [(0, 0, 0, 6, "DAFTAR KETUA RT/RW"), (2, 3, 6, 3, "Sengon"), (2, 4, 4, 4, "1"), (5, 4, 6, 4, "2")]
    table = read_workbook(write_xlsx(tmp_path / "gabung.xlsx", rows, merges=merges))
    assert [r[3] for r in table.rows[2:]] == ["Sengon"] * 5
    assert [r[4] for r in table.rows[2:]] == ["1", "1", "1", "2", "2"]
    assert table.rows[0][1:] == (None,) * 6  # the title's merge is left alone
    plan = plan_import(ctx, table, detect_mapping(table))
    assert [r.outcome for r in plan.rows] == [Outcome.created] * 5


def test_merges_in_a_two_level_header_stay_as_they_are(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    rows: list[list[object]] = [
        ["NO", "NIK", "NAMA", "TEMPAT, TANGGAL LAHIR", None, "JABATAN"],
        [None, None, None, "Tempat", "Tanggal", None],
        [1, make_nik(5, 6, 1972), "Contoh Orang", "Klaten", "05-06-1972", "Ketua RT"],
        [2, make_nik(6, 6, 1972), "Contoh Orang Dua", None, None, "Ketua RW"],
        [3, make_nik(7, 6, 1972), "Contoh Orang Tiga", None, None, "Ketua RW"],
    ]
    merges = [(0, 0, 1, 0, "NO"), (0, 1, 1, 1, "NIK"), (0, 2, 1, 2, "NAMA"), (0, 3, 0, 4, "TEMPAT, TANGGAL LAHIR")]
    merges += [(0, 5, 1, 5, "JABATAN"), (3, 5, 4, 5, "Ketua RW"), (3, 3, 3, 4, "Sleman")]  # a horizontal merge too
    table = read_workbook(write_xlsx(tmp_path / "dua-baris.xlsx", rows, merges=merges))
    assert table.rows[1] == (None, None, None, "Tempat", "Tanggal", None)
    assert [r[5] for r in table.rows[2:]] == ["Ketua RT", "Ketua RW", "Ketua RW"]
    assert table.rows[3][3:5] == ("Sleman", None)  # only vertical merges are filled
    guess = find_header(table.rows)
    assert guess is not None and guess.data_start == 2


# --------------------------------------------------------------------------- CSV


def test_csv_delimiter_is_the_one_that_gives_a_header(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    address = "Dk. Krajan, Jl. Mawar 1, RT 01, RW 01, Sengon, Prambanan, Klaten"  # more commas than semicolons
    lines = ["NIK;Nama;Alamat;RT;RW;Jabatan"]
    lines += [f"{make_nik(i, 7, 1973)};Contoh Orang {i}, S.Pd.;{address};{i};1;Ketua RT" for i in range(1, 4)]
    path = tmp_path / "koma.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))  # CRLF as written, on any OS
    table = read_workbook(path)
    assert table.rows[0] == ("NIK", "Nama", "Alamat", "RT", "RW", "Jabatan")
    assert table.rows[1][1:4] == ("Contoh Orang 1, S.Pd.", address, "1")


def test_csv_sep_line_sets_the_delimiter_and_rows_are_numbered_as_excel_shows(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str]
) -> None:
    path = tmp_path / "sep.csv"
    lines = ["sep=,", "NIK,Nama,RT,RW,Jabatan", f"{make_nik(1, 8, 1974)},Contoh Satu,1,1,Ketua RT"]
    lines += ["12345,Contoh Dua,2,1,Ketua RT"]  # row 3 in Excel, which hides the sep= line
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    table = read_workbook(path)
    assert table.rows[0] == ("NIK", "Nama", "RT", "RW", "Jabatan")
    plan = plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON)
    assert [(r.sheet_row, r.outcome) for r in plan.rows] == [(2, Outcome.created), (3, Outcome.rejected)]


def test_kelurahan_desa_header_names_the_desa(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    path = tmp_path / "kel.csv"
    path.write_text(f"NIK;Nama;Kelurahan/Desa;RT\n{make_nik(2, 9, 1975)};Contoh Satu;Sengon;1\n", encoding="utf-8")
    guess = find_header(read_workbook(path).rows)
    assert guess is not None and guess.fields == ("nik", "nama", "desa", "rt")


# --------------------------------------------------------------------------- files that are not what they say


def test_xlsx_saved_under_an_xls_name_is_read_by_its_content(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    table = read_workbook(write_xlsx(tmp_path / "lama.xls", [HEADER, *people(make_nik, 2)]))
    assert table.sheet == "Sheet1" and table.rows[1][2] == "Contoh Orang 1"


def test_damaged_workbook_message_is_indonesian_only(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    path = write_xlsx(tmp_path / "rusak.xlsx", [HEADER, *people(make_nik, 2)])
    path.write_bytes(path.read_bytes()[:400])  # cut short, as by an interrupted download
    with pytest.raises(UserError) as caught:
        read_workbook(path)
    assert caught.value.message == (
        "Berkas rusak.xlsx rusak atau bukan lembar kerja Excel yang sah. Buka di Excel lalu simpan ulang sebagai .xlsx."
    )


def test_password_protected_workbook_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import python_calamine

    class Locked:  # what python-calamine does with an encrypted workbook (none can be written here)
        @classmethod
        def from_path(cls, path: str) -> None:
            raise python_calamine.PasswordError("Workbook is password protected")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Locked)
    path = tmp_path / "terkunci.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    with pytest.raises(UserError) as caught:
        read_workbook(path)
    message = caught.value.message
    assert message.startswith("Berkas terkunci.xlsx dilindungi kata sandi")
    assert "simpan ulang tanpa kata sandi" in message and "password" not in message


# --------------------------------------------------------------------------- command line


def test_errors_file_must_be_xlsx(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_xlsx(tmp_path / "desa.xlsx", [HEADER, *people(make_nik, 1), [2, "123", "Contoh Salah", 1, 1]])
    with pytest.raises(SystemExit) as stopped:
        cli.parse(["import-officials", str(path), "--errors", str(tmp_path / "ditolak.csv")])
    assert stopped.value.code == cli.EXIT_USAGE
    assert "harus berakhiran .xlsx" in capsys.readouterr().err
    assert not (tmp_path / "ditolak.csv").exists()
    out = io.StringIO()
    args = cli.parse(
        ["import-officials", str(path), "--errors", str(tmp_path / "ditolak.XLSX"), "--desa", SENGON, "--dry-run"]
    )
    assert cli.run(args, ctx, out=out) == cli.EXIT_OK
    assert read_workbook(tmp_path / "ditolak.XLSX").rows[1][2] == "Contoh Salah"


def test_a_list_without_niks_yet_beats_an_example_sheet(tmp_path: Path, make_nik: Callable[..., str]) -> None:
    example = [["CONTOH PENGISIAN"], HEADER, [1, make_nik(17, 8, 1968), "Budi Contoh", 1, 1, "Ketua RT"]]
    data = [HEADER, *[[i, None if i % 2 else "belum ada", f"Warga Desa {i}", i, 1, "Ketua RT"] for i in range(1, 5)]]
    path = workbook(tmp_path / "desa.xlsx", [("Contoh", example, ""), ("Data", data, "")])
    table = read_workbook(path)
    assert table.sheet == "Data"
    assert table.other_sheets == ("Contoh",)  # it holds a NIK: named, so the user can look
