"""``backup``, ``backup list``, ``restore`` and ``check`` as a user runs them, also on damaged files: the true
message, no traceback, the database unchanged. A full disk at many sizes: tests/faults/test_disk_full.py."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

FULL = "Ruang disk penuh"


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        timeout=120,
        check=False,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _init(data: Path) -> None:
    done = cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan")
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def office_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("kantor")
    _init(data)
    assert cli(data, "demo", "--officials", "30").returncode == 0
    return data


def test_backup_list_and_restore_round_trip(office_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "kantor"
    shutil.copytree(office_dir, data)
    made = cli(data, "backup", "--json")
    assert made.returncode == 0, made.stderr
    path = Path(json.loads(made.stdout)["berkas"])
    assert path.parent == data / "cadangan" and path.exists()
    listed = json.loads(cli(data, "backup", "list", "--json").stdout)
    assert [b["berkas"] for b in listed["cadangan"]] == [str(path)]
    out = tmp_path / "salinan.sqlite"
    assert cli(data, "backup", "--out", str(out)).returncode == 0 and out.exists()

    asked = cli(data, "restore", str(path))  # not a terminal, no --yes: nothing happens
    assert asked.returncode == 1 and "--yes" in asked.stderr
    done = cli(data, "restore", str(path), "--yes", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["identitas_kantor_dipertahankan"] is True
    assert (Path(result["berkas_lama_disisihkan_di"]) / "klaten.sqlite").exists()
    check = cli(data, "check", "--json")
    assert check.returncode == 0 and json.loads(check.stdout)["pengurus"] == 30


def test_restore_refuses_while_a_window_uses_the_folder(office_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "kantor"
    shutil.copytree(office_dir, data)
    made = json.loads(cli(data, "backup", "--json").stdout)["berkas"]
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from klaten_desktop.runtime.instance import InstanceLock; "
            "lock = InstanceLock(Path(sys.argv[1])); assert lock.acquire(); print('ok', flush=True); time.sleep(60)",
            str(data),
        ],
        stdout=subprocess.PIPE,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        before = digest(data / "klaten.sqlite")
        refused = cli(data, "restore", made, "--yes")
        assert refused.returncode == 1 and "sedang terbuka" in refused.stderr
        assert digest(data / "klaten.sqlite") == before
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


@pytest.mark.parametrize("kind", ["nol-byte", "asing", "terpotong", "halaman-rusak"])
def test_check_on_damaged_files_reports_without_traceback(office_dir: Path, tmp_path: Path, kind: str) -> None:
    data = tmp_path / "kantor"
    shutil.copytree(office_dir, data)
    db = data / "klaten.sqlite"
    if kind == "nol-byte":
        db.write_bytes(b"")
    elif kind == "asing":
        db.unlink()
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("CREATE TABLE catatan (isi TEXT)")
        conn.close()
    elif kind == "terpotong":
        db.write_bytes(db.read_bytes()[: 4096 * 5])
    else:
        raw = bytearray(db.read_bytes())
        raw[4096 * 2 : 4096 * 6] = b"\x5a" * (4096 * 4)
        db.write_bytes(bytes(raw))
    before = digest(db)
    checked = cli(data, "check")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    assert "Pemeriksaan keutuhan: GAGAL" in checked.stdout
    assert "pulihkan" in checked.stdout.lower()
    as_json = json.loads(cli(data, "check", "--json").stdout)
    assert as_json["ok"] is False
    listed = cli(data, "list-officials")
    assert "Traceback" not in listed.stderr and FULL not in listed.stderr
    if kind != "halaman-rusak":  # the damaged pages hold no official: the list itself still reads
        assert listed.returncode == 1
    if kind in ("nol-byte", "asing"):
        assert digest(db) == before  # never replaced by a new empty database, never converted
