"""``--db-url``: the command line on a PostgreSQL server (issue #21, docs/server-mode.md), as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest


def cli(data_dir: Path, url: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    server = ["--db-url", url] if url else []
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *server, *args],
        capture_output=True,
        encoding="utf-8",
        timeout=180,
        check=False,
    )


def _statuses(result: subprocess.CompletedProcess[str]) -> Counter[tuple[str, str | None]]:
    assert result.returncode == 0, result.stderr
    officials = json.loads(result.stdout)["officials"]
    return Counter((o["nik"], o["status_kepesertaan"], o["dibayar_sampai"]) for o in officials)


@pytest.fixture(scope="module")
def server(pg_databases: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    url = pg_databases.create()
    data = tmp_path_factory.mktemp("server")
    init = cli(data, url, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan", "--json")
    assert init.returncode == 0, init.stderr
    demo = cli(data, url, "demo", "--officials", "150", "--seed", "7", "--json")
    assert demo.returncode == 0, demo.stderr
    assert json.loads(demo.stdout)["officials"] == 150
    assert not (data / "klaten.sqlite").exists()  # the database is on the server
    return data, url


def test_same_registry_on_the_server_as_in_the_file(server: tuple[Path, str], tmp_path: Path) -> None:
    data, url = server
    local = tmp_path / "file"
    assert cli(local, None, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan").returncode == 0
    assert cli(local, None, "demo", "--officials", "150", "--seed", "7").returncode == 0
    on_server = _statuses(cli(data, url, "list-officials", "--json"))
    assert sum(on_server.values()) == 150
    assert on_server == _statuses(cli(local, None, "list-officials", "--json"))


def test_check_on_the_server(server: tuple[Path, str]) -> None:
    data, url = server
    result = cli(data, url, "check", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["integrity_check"] == "ok" and report["foreign_key_check"] == "ok"
    assert report["pengurus"] == 150
    assert "coverage_summary" not in {f["kode"] for f in report["temuan"]}  # the PL/pgSQL triggers kept them


def test_init_again_is_refused(server: tuple[Path, str]) -> None:
    data, url = server
    again = cli(data, url, "init", "--kecamatan", "33.10.01", "--office-name", "Lagi")
    assert again.returncode == 1 and "sudah diatur" in again.stderr


def test_backup_is_a_pg_dump_and_restore_wants_one(server: tuple[Path, str], tmp_path: Path) -> None:
    data, url = server
    made = cli(data, url, "backup")
    assert made.returncode == 0 and "Cadangan dibuat dan diperiksa" in made.stdout and ".dump" in made.stdout
    (tmp_path / "x.sqlite").write_bytes(b"")
    restored = cli(data, url, "restore", "--yes", str(tmp_path / "x.sqlite"))
    assert restored.returncode == 1 and "bukan cadangan server yang utuh" in restored.stderr


def test_unknown_url(tmp_path: Path) -> None:
    wrong = cli(tmp_path, "sqlite:///klaten.sqlite", "list-officials")
    assert wrong.returncode == 1 and "--db-url" in wrong.stderr and "postgresql+psycopg://" in wrong.stderr


def test_without_the_driver(tmp_path: Path) -> None:
    run = "import sys; sys.modules['psycopg'] = None; from klaten_desktop.app import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", run, "--data-dir", str(tmp_path), "--db-url", "postgresql://u@h/db", "list-officials"],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "tidak memuat pengandar PostgreSQL (psycopg)" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_server(tmp_path: Path) -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed: PostgreSQL tests skipped")
    down = cli(tmp_path, "postgresql+psycopg://klaten:rahasia@127.0.0.1:9/klaten", "list-officials")
    assert down.returncode == 1
    assert "127.0.0.1/klaten tidak dapat dipakai" in down.stderr
    assert "rahasia" not in down.stderr  # never the password


def test_check_repair_on_the_server_recomputes_summaries(server: tuple[Path, str]) -> None:
    from sqlalchemy import create_engine

    data, url = server
    engine = create_engine(url)
    try:
        with engine.begin() as conn:  # a summary gone wrong behind the triggers' back (a repair by hand)
            wrong = conn.exec_driver_sql(
                "UPDATE official SET cov_enrollment_id = NULL WHERE cov_enrollment_id IS NOT NULL"
            ).rowcount
    finally:
        engine.dispose()
    assert wrong > 0
    found = cli(data, url, "check", "--json")
    assert found.returncode == 1
    assert {"coverage_summary"} <= {f["kode"] for f in json.loads(found.stdout)["temuan"]}
    repaired = cli(data, url, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert f"Ringkasan kepesertaan diperbaiki: {wrong} pengurus" in repaired.stdout
    assert "Cadangan sebelum perbaikan" not in repaired.stdout
