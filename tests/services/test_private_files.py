"""Temporary files holding NIKs live in a private folder inside the data folder, cleaned at the next start; exports
of people and backups are readable by their owner only (POSIX modes; Windows keeps the folder's ACL)."""

from __future__ import annotations

import errno
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, files
from klaten_desktop.services.context import ServiceContext

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps only a read-only flag (and the folder's ACL)")
HOLDER = """
import sys, time
from pathlib import Path
from klaten_desktop.services.files import use_scratch
folder = use_scratch(Path(sys.argv[1]))
(folder / "daftar.xlsx.tmp").write_bytes(b"3310010101800001")
print(folder, flush=True)
time.sleep(120)
"""


def _scratch_of(ctx: ServiceContext) -> Path:
    if ctx.on_server:
        pytest.skip("finds the scratch folder beside the SQLite file; on a server the data folder holds no database")
    assert ctx.database is not None
    return AppPaths(ctx.database.parent).scratch


def test_temporary_files_and_xlsxwriter_parts_are_made_in_the_private_scratch_folder(
    make_ctx: Callable[..., ServiceContext], tmp_path: Path
) -> None:
    ctx = make_ctx("kecamatan")  # opening a data folder gives this process its scratch folder there
    seen: dict[str, Path] = {}

    def write(temp: Path) -> None:
        wb: object = files.new_workbook(temp)
        seen["temp"], seen["parts"] = temp, Path(wb.tmpdir)  # type: ignore[attr-defined]
        wb.add_worksheet().write_string(0, 0, "3310010101800001")  # type: ignore[attr-defined]
        wb.close()  # type: ignore[attr-defined]

    out = tmp_path / "keluar" / "daftar.xlsx"
    out.parent.mkdir()
    files.write_atomically(out, write)
    mine = files.use_scratch(_scratch_of(ctx))
    assert mine.parent == _scratch_of(ctx)
    assert seen["temp"].parent == mine and seen["parts"].parent == mine
    assert out.is_file() and [p.name for p in out.parent.iterdir()] == ["daftar.xlsx"]
    assert [p.name for p in mine.iterdir()] == [".aktif"]  # nothing left but the lock


def test_a_target_on_another_disk_is_reached_through_a_copy_beside_it(
    make_ctx: Callable[..., ServiceContext], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = files.use_scratch(_scratch_of(make_ctx("kecamatan")))
    rename = Path.replace

    def across_disks(self: Path, target: Path) -> Path:
        if self.parent == mine:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return rename(self, target)

    monkeypatch.setattr(Path, "replace", across_disks)
    out = tmp_path / "flashdisk" / "daftar.csv"
    files.write_bytes(out, b"NIK;Nama\r\n", private=True)
    assert out.read_bytes() == b"NIK;Nama\r\n"
    assert [p.name for p in out.parent.iterdir()] == ["daftar.csv"]
    assert [p.name for p in mine.iterdir()] == [".aktif"]
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_killed_runs_scratch_folder_is_removed_at_the_next_start_but_not_while_it_runs(tmp_path: Path) -> None:
    root = tmp_path / "sementara"
    root.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(root)],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert holder.stdout is not None
        theirs = Path(holder.stdout.readline().strip())
        assert (theirs / "daftar.xlsx.tmp").is_file()
        assert files.clean_scratch(root) == [] and theirs.is_dir()  # another program still writing there
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert files.clean_scratch(root) == [theirs]
    assert not theirs.exists()


@POSIX
def test_the_scratch_folder_is_the_owners_only(make_ctx: Callable[..., ServiceContext]) -> None:
    root = _scratch_of(make_ctx("kecamatan"))
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(files.use_scratch(root).stat().st_mode) == 0o700


@POSIX
def test_backups_are_readable_by_their_owner_only(make_ctx: Callable[..., ServiceContext], tmp_path: Path) -> None:
    ctx = make_ctx("kecamatan")
    if ctx.on_server:
        pytest.skip("backs up the SQLite file; a server's database is backed up with pg_dump (docs/server-mode.md)")
    made = backup.create(ctx)
    copied = backup.create(ctx, tmp_path / "salinan.sqlite")
    for info in (made, copied):
        assert stat.S_IMODE(info.path.stat().st_mode) == 0o600
