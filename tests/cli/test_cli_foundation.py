"""The command line as a user runs it: a real process, a real data folder, JSON on stdout, exit codes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli")
    assert cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan").returncode == 0
    result = cli(data, "demo", "--officials", "400", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["officials"] == 400
    return data


def test_version_and_usage_errors(tmp_path: Path) -> None:
    version = cli(tmp_path, "--version")
    assert version.returncode == 0 and "Klaten Desktop" in version.stdout
    bad = cli(tmp_path, "init", "--kecamatan", "Prambanan", "--office-name", "X")
    assert bad.returncode == 2
    assert "33.10.01" in bad.stderr and "kesalahan" in bad.stderr
    missing = cli(tmp_path, "enrollment", "pay", "--from", "2026-01", "--to", "2026-02")
    assert missing.returncode == 2 and "wajib" in missing.stderr


def test_init_twice_fails_with_indonesian_message(demo_dir: Path) -> None:
    again = cli(demo_dir, "init", "--kecamatan", "33.10.01", "--office-name", "Lagi")
    assert again.returncode == 1
    assert "sudah diatur" in again.stderr


def test_regency_init_and_unknown_kecamatan(tmp_path: Path) -> None:
    ok = cli(tmp_path / "kab", "init", "--role", "kabupaten", "--office-name", "Pemkab Klaten", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["office"] == "33.10"
    unknown = cli(tmp_path / "x", "init", "--kecamatan", "33.10.99", "--office-name", "X")
    assert unknown.returncode == 1 and "tidak ada dalam daftar wilayah" in unknown.stderr


def test_check_json(demo_dir: Path) -> None:
    result = cli(demo_dir, "check", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["integrity_check"] == "ok" and report["foreign_key_check"] == "ok"
    assert report["pengurus"] == 400


def test_list_officials_json_shape(demo_dir: Path) -> None:
    result = cli(demo_dir, "list-officials", "--desa", "33.10.01.2001", "--as-of", "2026-11-24", "--json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["officials"]
    assert items and all(o["desa_kode"] == "33.10.01.2001" for o in items)
    keys = {
        "nik",
        "nama",
        "tempat_lahir",
        "tanggal_lahir",
        "jenis_kelamin",
        "jabatan",
        "rt",
        "rw",
        "desa_kode",
        "telepon",
        "status_kepesertaan",
        "nomor_kpj",
        "dibayar_sampai",
    }
    for item in items:
        assert keys <= set(item)
        assert len(item["nik"]) == 16
        assert item["jenis_kelamin"] in {"L", "P"}
        assert item["jabatan"] in {"ketua_rt", "ketua_rw", "sekretaris", "bendahara", "lainnya"}
        assert item["status_kepesertaan"] in {
            "belum_terdaftar",
            "diajukan",
            "aktif",
            "menunggak",
            "nonaktif",
            "berakhir",
        }
        assert item["dibayar_sampai"] is None or len(item["dibayar_sampai"]) == 7


def test_enrollment_and_replacement_flow(tmp_path: Path) -> None:
    data = tmp_path / "flow"
    assert cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan").returncode == 0
    assert cli(data, "demo", "--officials", "40").returncode == 0
    listing = json.loads(cli(data, "list-officials", "--json").stdout)["officials"]
    target = next(o for o in listing if o["status_kepesertaan"] == "belum_terdaftar" and o["jabatan"] == "ketua_rt")
    nik, desa = target["nik"], target["desa_kode"]

    submitted = cli(data, "enrollment", "submit", "--desa", desa, "--json")
    assert submitted.returncode == 0, submitted.stderr
    assert json.loads(submitted.stdout)["submitted"] >= 1
    reg = cli(
        data, "enrollment", "register", "--nik", nik, "--kpj", "98765432101", "--start", "2026-09-01", "--yes", "--json"
    )
    assert reg.returncode == 0, reg.stderr
    pay = cli(data, "enrollment", "pay", "--nik", nik, "--from", "2026-09", "--to", "2026-11", "--json")
    assert json.loads(pay.stdout)["months_recorded"] == 3
    mine = next(o for o in json.loads(cli(data, "list-officials", "--json").stdout)["officials"] if o["nik"] == nik)
    assert (mine["status_kepesertaan"], mine["nomor_kpj"], mine["dibayar_sampai"]) == (
        "aktif",
        "98765432101",
        "2026-11",
    )
    replaced = cli(
        data,
        "replace-official",
        "--nik",
        nik,
        "--date",
        "2026-11-20",
        "--new-nik",
        "3310014107800009",
        "--new-nama",
        "Siti Aminah",
        "--new-jenis-kelamin",
        "P",
        "--new-tanggal-lahir",
        "1980-07-01",
        "--json",
    )
    assert replaced.returncode == 0, replaced.stderr
    after = {o["nik"]: o for o in json.loads(cli(data, "list-officials", "--json").stdout)["officials"]}
    assert after[nik]["status_kepesertaan"] == "berakhir"
    assert after["3310014107800009"]["rt"] == target["rt"] and after["3310014107800009"]["nama"] == "Siti Aminah"
    gone = cli(data, "enrollment", "end", "--nik", nik, "--date", "2026-11-21", "--reason", "x")
    assert gone.returncode == 1 and "menjabat" in gone.stderr


def test_check_repair_recomputes_a_damaged_coverage_summary(demo_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "salinan"
    shutil.copytree(demo_dir, data)
    conn = sqlite3.connect(data / "klaten.sqlite")
    with conn:
        conn.execute("UPDATE official SET cov_registered_on = NULL WHERE cov_registered_on IS NOT NULL")
    conn.close()
    damaged = cli(data, "check")
    assert damaged.returncode == 1
    assert "Ringkasan kepesertaan pada data pengurus tidak sesuai" in damaged.stdout
    repaired = cli(data, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "Ringkasan kepesertaan diperbaiki:" in repaired.stdout
    assert cli(data, "check").returncode == 0
