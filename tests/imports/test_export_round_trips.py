"""Exports and error workbooks that come back: exact round trips, safe temporary files, Indonesian failures."""

from __future__ import annotations

import datetime as dt
import errno
import io
import re
import stat
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import pytest
import xlsxwriter
import xlsxwriter.workbook
from python_calamine import CalamineWorkbook
from xlsxwriter.exceptions import FileCreateError

from klaten_desktop import cli
from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import exports, files, officials, table_writer
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.demo import populate
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.files import write_bytes
from klaten_desktop.services.imports import (
    Outcome,
    apply_import,
    detect_mapping,
    plan_import,
    read_workbook,
    write_error_workbook,
)
from klaten_desktop.services.imports.error_workbook import REASON_HEADER, ROW_HEADER

SENGON = "33.10.01.2001"  # a desa of Prambanan, the test office's kecamatan
GENTAN = "33.10.02.2001"  # a desa of another kecamatan


def run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def sheet_rows(path: Path) -> list[list[Any]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def register(
    ctx: ServiceContext, nik: str, nama: str, alamat: str | None, rt: int, *, sk_nomor: str | None = None
) -> None:
    born = dt.date(1970 + rt, 5, 12)
    officials.register(
        ctx,
        SYSTEM,
        OfficialFields(
            nik=nik, nama=nama, tempat_lahir="Klaten", tanggal_lahir=born, jenis_kelamin=Sex.L, alamat=alamat,
            desa_kode=SENGON, rw=1, rt=rt, jabatan=Jabatan.ketua_rt, term_start=dt.date(2024, 1, 1), term_end=None,
            sk_nomor=sk_nomor, sk_tanggal=None, telepon=None,
        ),
    )  # fmt: skip


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system temporary folder, for this test only: xlsxwriter puts its temporary files there by default."""
    folder = tmp_path / "systemp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def scratch_leftovers() -> list[Path]:
    """What the process's private scratch folder holds besides its lock file."""
    folder = files._scratch_folder()
    return [] if folder is None else [p for p in folder.rglob("*") if p.name != ".aktif"]


def open_handles_under(folder: Path) -> list[str]:
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return []
    found = []
    for fd in fds.iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


class FullDiskZip(zipfile.ZipFile):
    """The xlsx package being written when the disk fills up: its parts are on disk in the temporary folder."""

    made: ClassVar[list[zipfile.ZipFile]] = []

    def write(self, *_args: object, **_kwargs: object) -> None:
        FullDiskZip.made.append(self)
        raise OSError(errno.ENOSPC, "No space left on device")


# ----------------------------------------------------------------------------- 1. write_atomically


def test_full_disk_at_workbook_close_is_an_indonesian_environment_problem(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "keluar"
    folder.mkdir()
    out = folder / "daftar.xlsx"
    out.write_bytes(b"versi lama")

    def full(_self: object) -> None:
        raise FileCreateError(OSError(errno.ENOSPC, "No space left on device"))

    monkeypatch.setattr(xlsxwriter.Workbook, "close", full)
    with pytest.raises(EnvironmentProblem, match="Ruang disk penuh"):
        exports.export_officials(ctx, SYSTEM, out)
    assert out.read_bytes() == b"versi lama"
    assert [p.name for p in folder.iterdir()] == ["daftar.xlsx"]


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps only a read-only flag")
def test_result_keeps_the_mode_of_the_file_it_replaces_and_a_new_file_is_readable(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    old = tmp_path / "lama.json"
    old.write_bytes(b"versi lama")
    old.chmod(0o640)
    write_bytes(old, b"{}")
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    new = tmp_path / "baru.json"
    write_bytes(new, b"{}")
    assert stat.S_IMODE(new.stat().st_mode) == 0o644


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps only a read-only flag (and the folder's ACL)")
def test_exports_of_people_are_readable_by_their_owner_only(ctx: ServiceContext, tmp_path: Path) -> None:
    old = tmp_path / "lama.xlsx"
    old.write_bytes(b"versi lama")
    old.chmod(0o644)
    for path in (old, tmp_path / "baru.csv"):
        exports.export_officials(ctx, SYSTEM, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="Windows reports these errors with other numbers")
def test_os_errors_without_a_sentence_are_told_in_indonesian(
    ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder_named_like_the_file = tmp_path / "daftar.xlsx"
    folder_named_like_the_file.mkdir()
    with pytest.raises(EnvironmentProblem) as caught:
        exports.export_officials(ctx, SYSTEM, folder_named_like_the_file)
    assert "sudah ada folder dengan nama itu" in caught.value.message
    assert "directory" not in caught.value.message.lower()

    with pytest.raises(EnvironmentProblem) as caught:
        exports.export_officials(ctx, SYSTEM, tmp_path / ("d" * 300 + ".xlsx"))
    assert "nama berkas terlalu panjang" in caught.value.message
    assert "too long" not in caught.value.message.lower()

    def odd(_self: Path, _target: Path) -> Path:
        raise OSError(errno.ELOOP, "Too many levels of symbolic links")

    monkeypatch.setattr(Path, "replace", odd)
    with pytest.raises(EnvironmentProblem) as caught:
        exports.export_officials(ctx, SYSTEM, tmp_path / "lain.xlsx")
    assert caught.value.message.startswith("Berkas lain.xlsx tidak dapat ditulis.")
    assert "Too many" not in caught.value.message and "symbolic" not in caught.value.message


# ----------------------------------------------------------------------------- 2. temporary files of xlsxwriter


def test_cancelled_xlsx_export_leaves_no_temporary_rows(tmp_path: Path, system_temp: Path) -> None:
    rows = ([f"33100112057{n:05d}", f"Contoh Warga {n}", dt.date(1970, 1, 1)] for n in range(1, 2500))
    with pytest.raises(Cancelled, match=r"^Ekspor dibatalkan; berkas tidak dibuat\.$"):
        table_writer.write_table(
            tmp_path / "batal.xlsx", ["NIK", "Nama", "Tanggal Lahir"], rows, cancelled=lambda: True
        )
    assert list(system_temp.iterdir()) == [] and scratch_leftovers() == []
    assert open_handles_under(system_temp) == []
    assert not (tmp_path / "batal.xlsx").exists()


def test_failed_xlsx_export_and_error_workbook_leave_no_temporary_files(
    ctx: ServiceContext,
    tmp_path: Path,
    system_temp: Path,
    monkeypatch: pytest.MonkeyPatch,
    xlsx: Callable[..., Path],
) -> None:
    populate(ctx, SYSTEM, 30)
    table = read_workbook(xlsx([["No", "Nama", "NIK"], [1, "Contoh Angka", 3310010203700000]]))
    plan = plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON)
    assert plan.rejected == 1
    FullDiskZip.made.clear()
    monkeypatch.setattr(xlsxwriter.workbook, "ZipFile", FullDiskZip)
    with pytest.raises(EnvironmentProblem, match="Ruang disk penuh"):
        exports.export_officials(ctx, SYSTEM, tmp_path / "daftar.xlsx")
    assert list(system_temp.iterdir()) == [] and scratch_leftovers() == []
    with pytest.raises(EnvironmentProblem, match="Ruang disk penuh"):
        write_error_workbook(plan, table, tmp_path / "ditolak.xlsx")
    assert list(system_temp.iterdir()) == [] and scratch_leftovers() == []
    assert open_handles_under(system_temp) == []
    # the half-written package is closed (so that on Windows its temporary file beside the target can go too)
    assert len(FullDiskZip.made) == 2 and all(z.fp is None for z in FullDiskZip.made)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["desa0.xlsx"]


# ----------------------------------------------------------------------------- 3. the error workbook


def column_number_format(path: Path, column: int) -> str | None:
    """The number format the sheet's <col> entry gives ``column`` (0-based): "49" is Excel's text format "@"."""
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    n = column + 1
    style = None
    for col in re.findall(r"<col [^>]*/>", sheet):
        lo, hi = int(re.search(r'min="(\d+)"', col)[1]), int(re.search(r'max="(\d+)"', col)[1])  # type: ignore[index]
        found = re.search(r'style="(\d+)"', col)
        if lo <= n <= hi and found:
            style = int(found[1])
    if style is None:
        return None
    cell_xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)[1]  # type: ignore[index]
    xf = re.findall(r"<xf [^>]*?/?>", cell_xfs)[style]
    return re.search(r'numFmtId="(\d+)"', xf)[1]  # type: ignore[index]


def test_error_workbook_round_trips_twice_with_the_original_rows(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], tmp_path: Path
) -> None:
    good, angka, tanggal = make_nik(1, 3, 1970), make_nik(2, 3, 1970), make_nik(3, 3, 1970)
    path = xlsx(
        [
            ["DAFTAR KETUA RT DESA SENGON"],
            ["No", "Nama", "NIK", "Tanggal Lahir", "RT", "RW", "Jabatan"],
            [1, "Contoh Baik", good, "01-03-1970", 1, 1, "Ketua RT"],
            [2, "Contoh Angka", 3310010203700000, "02-03-1970", 2, 1, "Ketua RT"],
            [3, "Contoh Tanggal", tanggal, "31-02-1970", 3, 1, "Ketua RT"],
        ]
    )
    # round 1: the desa was chosen for the whole file, which has no desa column
    table = read_workbook(path)
    plan = plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON)
    assert [(r.outcome, r.sheet_row) for r in plan.rows] == [
        (Outcome.created, 3), (Outcome.rejected, 4), (Outcome.rejected, 5),
    ]  # fmt: skip
    apply_import(ctx, SYSTEM, plan)
    first = tmp_path / "ditolak1.xlsx"
    assert write_error_workbook(plan, table, first) == 2
    rows = sheet_rows(first)
    header = ["No", "Nama", "NIK", "Tanggal Lahir", "RT", "RW", "Jabatan", "Kode Desa", REASON_HEADER, ROW_HEADER]
    assert rows[0] == header
    assert [(r[1], r[7], r[9]) for r in rows[1:]] == [("Contoh Angka", SENGON, 4.0), ("Contoh Tanggal", SENGON, 5.0)]
    assert column_number_format(first, 2) == "49"  # NIK typed again in this column stays text

    # round 2: the desa fixes only the NIK and sends the file back; no desa is chosen this time
    fixed = [list(r) for r in rows]
    fixed[1][2] = angka
    again = read_workbook(xlsx([[None if v == "" else v for v in r] for r in fixed], name="perbaikan1.xlsx"))
    plan2 = plan_import(ctx, again, detect_mapping(again))
    assert [(r.outcome, r.sheet_row) for r in plan2.rows] == [(Outcome.created, 2), (Outcome.rejected, 3)]
    apply_import(ctx, SYSTEM, plan2)
    second = tmp_path / "ditolak2.xlsx"
    assert write_error_workbook(plan2, again, second) == 1
    rows2 = sheet_rows(second)
    assert rows2[0] == header  # one reason column, one row column, the desa code once
    assert rows2[1][1] == "Contoh Tanggal" and rows2[1][7] == SENGON
    assert rows2[1][9] == 5.0  # the row in the desa's own file, not in the first error workbook
    assert "tanggal" in rows2[1][8].lower() and rows2[1][8] == rows[2][8]
    assert column_number_format(second, 2) == "49"

    # round 3: the date fixed, the file imports cleanly
    fixed2 = [list(r) for r in rows2]
    fixed2[1][3] = "03-03-1970"
    last = read_workbook(xlsx([[None if v == "" else v for v in r] for r in fixed2], name="perbaikan2.xlsx"))
    plan3 = plan_import(ctx, last, detect_mapping(last))
    assert [(r.outcome, r.sheet_row) for r in plan3.rows] == [(Outcome.created, 2)]
    apply_import(ctx, SYSTEM, plan3)
    assert {r.nik for r in officials.list_rows(ctx, serving_only=True)} == {good, angka, tanggal}


# ----------------------------------------------------------------------------- 4. leading apostrophes

TRICKY = [
    ("=Hadi", "'+Jl. Mawar", None),
    ("'=Hadi", "+Jl. Mawar", "-"),
    ("@rt Contoh", "@rt", "'-x"),
    ("'-x Contoh", "- Jl. Mawar", "''=1/2024"),
]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_text_with_apostrophes_and_formula_signs_round_trips_exactly(
    ctx: ServiceContext, tmp_path: Path, make_nik: Callable[..., str], suffix: str
) -> None:
    for rt, (nama, alamat, sk) in enumerate(TRICKY, start=1):
        register(ctx, make_nik(12, 5, 1970 + rt, rt), nama, alamat, rt, sk_nomor=sk)
    stored = {(r.nama, r.alamat) for r in exports.export_rows(ctx)}
    assert stored == {(n, a) for n, a, _ in TRICKY}
    out = tmp_path / f"ekspor{suffix}"
    assert exports.export_officials(ctx, SYSTEM, out) == len(TRICKY)
    if suffix == ".csv":
        text = out.read_text(encoding="utf-8-sig")
        assert (
            ";''=Hadi;" in text
            and ";'=Hadi;" in text
            and ";'@rt;" in text
            and ";''-x;" in text
            and ";'''=1/2024;" in text
        )
    table = read_workbook(out)
    plan = plan_import(ctx, table, detect_mapping(table))
    changed = [(r.sheet_row, r.changes) for r in plan.rows if r.outcome is not Outcome.unchanged]
    assert changed == []
    assert (plan.unchanged, plan.rejected) == (len(TRICKY), 0)


def test_an_apostrophe_typed_in_an_xlsx_cell_is_kept(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str]
) -> None:
    n = make_nik(4, 4, 1974)
    path = xlsx([["Nama", "NIK", "RT", "RW", "Jabatan", "Alamat"], ["'=Hadi", n, 4, 1, "Ketua RT", "'@rumah"]])
    table = read_workbook(path)
    apply_import(ctx, SYSTEM, plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON))
    [row] = exports.export_rows(ctx)
    assert (row.nama, row.alamat) == ("'=Hadi", "'@rumah")


# ----------------------------------------------------------------------------- 5. --desa checked


def test_export_refuses_an_unknown_desa_or_one_outside_the_kecamatan(
    make_ctx: Callable[..., ServiceContext], tmp_path: Path
) -> None:
    ctx = make_ctx("kecamatan")
    out = tmp_path / "daftar.xlsx"
    code, text, err = run(ctx, "export-officials", str(out), "--desa", "33.10.01.9999")
    assert code == 1 and text == ""
    assert "Kode desa 33.10.01.9999 tidak ada dalam daftar wilayah" in err
    code, text, err = run(ctx, "export-officials", str(out), "--desa", GENTAN)
    assert code == 1 and "Desa Gentan (33.10.02.2001) tidak termasuk Kecamatan Prambanan" in err
    assert not out.exists()
    with pytest.raises(UserError, match="tidak termasuk"):
        exports.export_bpjs_list(ctx, SYSTEM, out, desa_kode=GENTAN)
    regency = make_ctx("kabupaten", name="kabupaten")
    code, text, _ = run(regency, "export-officials", str(out), "--desa", GENTAN)
    assert code == 0 and text.startswith("0 pengurus diekspor")


# ----------------------------------------------------------------------------- 6. the month paid up to


def test_paid_up_to_is_written_as_a_month_label_and_does_not_disturb_reimport(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    populate(ctx, SYSTEM, 40)
    paid = {r.nik: r.dibayar_sampai for r in officials.list_rows(ctx, serving_only=True) if r.dibayar_sampai}
    assert paid
    out = tmp_path / "iuran.xlsx"
    exports.export_officials(ctx, SYSTEM, out, columns=["nik", "dibayar_sampai"])
    got = {r[0]: r[1] for r in sheet_rows(out)[1:] if r[1] != ""}
    assert got == {nik: YearMonth.parse(month).label() for nik, month in paid.items()}
    assert all(re.fullmatch(r"[A-Z][a-z]+ \d{4}", label) for label in got.values())

    full = tmp_path / "registri.xlsx"
    count = exports.export_officials(ctx, SYSTEM, full)
    table = read_workbook(full)
    mapping = detect_mapping(table)
    assert mapping.fields[mapping.labels.index("Iuran Dibayar Sampai")] is None  # not an import field
    plan = plan_import(ctx, table, mapping)
    assert (plan.unchanged, plan.updated, plan.rejected) == (count, 0, 0)


# ----------------------------------------------------------------------------- 7. --columns, --include-registered


def test_cli_export_columns_and_include_registered(
    ctx: ServiceContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    populate(ctx, SYSTEM, 60)
    serving = officials.list_rows(ctx, serving_only=True)
    unregistered = {r.nik for r in serving if r.status == "belum_terdaftar"}
    assert 0 < len(unregistered) < len(serving)

    out = tmp_path / "bpjs.xlsx"
    code, text, _ = run(ctx, "export-officials", str(out), "--bpjs", "--columns", "nik,nama,rt_rw")
    assert code == 0 and text.startswith(f"{len(unregistered)} pengurus diekspor")
    rows = sheet_rows(out)
    assert rows[0] == ["NIK", "Nama", "RT/RW"] and {r[0] for r in rows[1:]} == unregistered

    code, text, _ = run(ctx, "export-officials", str(out), "--bpjs", "--include-registered")
    assert code == 0 and text.startswith(f"{len(serving)} pengurus diekspor")
    rows = sheet_rows(out)
    assert rows[0][:3] == ["No", "NIK", "Nama"] and "Status Kepesertaan" not in rows[0]  # BPJS columns

    csv_out = tmp_path / "pilihan.csv"
    code, _, _ = run(ctx, "export-officials", str(csv_out), "--columns", "nama, status")
    assert code == 0
    assert csv_out.read_text(encoding="utf-8-sig").splitlines()[0] == "Nama;Status Kepesertaan"

    with pytest.raises(SystemExit) as stopped:
        cli.parse(["export-officials", str(out), "--columns", "nik,gaji"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "kolom tidak dikenal: gaji" in err and "Kolom yang ada: no, nik, nama" in err
    code, _, err = run(ctx, "export-officials", str(out), "--include-registered")
    assert code == 1 and "hanya berlaku bersama --bpjs" in err


# ----------------------------------------------------------------------------- 8. --errors with nothing rejected


def test_errors_option_says_when_no_file_is_written(
    ctx: ServiceContext, xlsx: Callable[..., Path], make_nik: Callable[..., str], tmp_path: Path
) -> None:
    path = xlsx([["Nama", "NIK", "RT", "RW", "Jabatan"], ["Contoh Lolos", make_nik(5, 5, 1975), 5, 1, "Ketua RT"]])
    errors = tmp_path / "ditolak.xlsx"
    code, text, _ = run(ctx, "import-officials", str(path), "--desa", SENGON, "--errors", str(errors))
    assert code == 0 and not errors.exists()
    assert f"Tidak ada baris yang ditolak; berkas {errors} tidak dibuat." in text
