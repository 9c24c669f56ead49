"""``check`` on the command line names the audit entry from which the chain is broken after a raw SQL edit."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_check_names_the_entry_edited_outside_the_app(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan").returncode == 0
    clean = cli(data, "check", "--json")
    assert clean.returncode == 0, clean.stderr
    assert not [f for f in json.loads(clean.stdout)["temuan"] if f["kode"] == "audit_chain"]
    con = sqlite3.connect(data / "klaten.sqlite")
    with con:
        target = con.execute("SELECT min(id) FROM audit_log").fetchone()[0]
        con.execute("UPDATE audit_log SET summary = 'diubah' WHERE id = ?", (target,))
    con.close()
    broken = cli(data, "check")
    assert broken.returncode == 1, (broken.returncode, broken.stdout, broken.stderr)
    assert f"Rantai log audit putus mulai entri #{target}" in broken.stdout
