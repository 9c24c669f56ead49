"""Windows-only behaviour, run for real by the Windows interpreter (under Wine in CI: `.ci/windows`).

On Linux these tests are skipped: what they check (share modes, drive letters, MAX_PATH, %LOCALAPPDATA%) exists
only on Windows, and mocking it would prove nothing.
"""

from __future__ import annotations

import os
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from klaten_desktop.runtime.paths import default_data_dir
from klaten_desktop.services import demo, exports
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem

pytestmark = pytest.mark.skipif(sys.platform != "win32", reason="perilaku khusus Windows (dijalankan di bawah Wine)")

FILE_IN_USE = "Berkas sedang dipakai program lain"


def _excel_lock(path: Path) -> int:
    """Open ``path`` as Excel holds an open workbook: read/write, others may only read (no FILE_SHARE_DELETE)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    ]
    generic_read_write, file_share_read, open_existing, normal = 0xC0000000, 0x1, 3, 0x80
    handle = kernel32.CreateFileW(str(path), generic_read_write, file_share_read, None, open_existing, normal, None)
    assert handle != wintypes.HANDLE(-1).value, ctypes.get_last_error()
    return int(handle)


def _close(handle: int) -> None:
    import ctypes

    ctypes.WinDLL("kernel32").CloseHandle(handle)


@pytest.fixture
def populated(ctx: ServiceContext) -> ServiceContext:
    demo.populate(ctx, SYSTEM, 12, seed=7)
    return ctx


def _read_niks(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    column = [str(c) for c in rows[0]].index("NIK")
    return [str(row[column]) for row in rows[1:]]


def test_an_export_over_a_workbook_open_in_excel_is_refused_in_indonesian_and_keeps_the_old_file(
    populated: ServiceContext, tmp_path: Path
) -> None:
    folder = tmp_path / "Dokumen"
    folder.mkdir()
    target = folder / "Pengurus RT RW Prambanan.xlsx"
    target.write_bytes(b"buku kerja lama")
    handle = _excel_lock(target)
    try:
        with pytest.raises(EnvironmentProblem) as caught:
            exports.export_officials(populated, SYSTEM, target)
        assert FILE_IN_USE in caught.value.message
    finally:
        _close(handle)
    assert target.read_bytes() == b"buku kerja lama"
    assert [p.name for p in folder.iterdir()] == [target.name]  # no temporary file left behind
    # Once Excel has closed the workbook, the same export replaces it.
    assert exports.export_officials(populated, SYSTEM, target) == 12
    assert len(_read_niks(target)) == 12


def test_a_data_folder_with_spaces_and_non_ascii_letters_works_through_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "Data Kantor – Kecamatan Ñgawen Ümum"
    out = tmp_path / "Laporan – Ñgawen" / "Daftar Pengurus – Prambanan.xlsx"

    def cli(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data), *args],
            capture_output=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        return done.stdout.decode("utf-8")  # the command line writes UTF-8 into a pipe, whatever the code page

    assert "Kecamatan Prambanan – Uji Ñ" in cli(
        "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan – Uji Ñ"
    )
    cli("demo", "--officials", "15")
    out.parent.mkdir()
    cli("export-officials", str(out))
    assert (data / "klaten.sqlite").is_file()
    assert len(_read_niks(out)) == 15
    assert "Pengurus: 15" in cli("check")


def test_an_export_to_a_path_longer_than_260_characters(populated: ServiceContext, tmp_path: Path) -> None:
    folder = tmp_path
    while len(str(folder)) < 280:
        folder = folder / "Folder Laporan Kepesertaan BPJS"
    target = folder / "Daftar Pengurus.xlsx"
    try:
        folder.mkdir(parents=True)
    except OSError as exc:  # Windows without long paths refuses the folder itself; nothing of ours to check
        pytest.skip(f"sistem ini tidak mengizinkan jalur panjang: {exc}")
    try:
        count = exports.export_officials(populated, SYSTEM, target)
    except EnvironmentProblem as exc:
        assert "terlalu panjang" in exc.message
        assert not target.exists()
    else:
        assert count == 12 and len(str(target)) > 260
        assert len(_read_niks(target)) == 12


def _other_drive(than: Path) -> Path | None:
    import ctypes

    mask = ctypes.WinDLL("kernel32").GetLogicalDrives()
    own = than.drive.rstrip(":").upper()
    for index, letter in enumerate(string.ascii_uppercase):
        if mask >> index & 1 and letter not in {own, "A", "B"}:
            root = Path(f"{letter}:\\")
            try:
                return Path(
                    tempfile.mkdtemp(prefix="klaten-drive-", dir=root / "tmp" if (root / "tmp").is_dir() else root)
                )
            except OSError:
                continue
    return None


@pytest.fixture
def other_drive(tmp_path: Path) -> Iterator[Path]:
    folder = _other_drive(tmp_path)
    if folder is None:
        pytest.skip("tidak ada huruf drive lain yang dapat ditulis")
    yield folder
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def test_an_export_to_a_folder_on_another_drive_letter(populated: ServiceContext, other_drive: Path) -> None:
    assert populated.database is not None and other_drive.drive != populated.database.drive
    target = other_drive / "Pengurus di drive lain.xlsx"
    assert exports.export_officials(populated, SYSTEM, target) == 12
    assert len(_read_niks(target)) == 12
    assert [p.name for p in other_drive.iterdir()] == [target.name]  # no temporary file left behind


def test_the_per_user_data_folder_is_under_localappdata() -> None:
    local = Path(os.environ["LOCALAPPDATA"])
    assert default_data_dir() == local / "PemkabKlaten" / "KlatenDesktop"
