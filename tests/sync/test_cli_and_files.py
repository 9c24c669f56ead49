"""The command line, and the atomic write of packages."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from klaten_desktop import cli
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem
from klaten_desktop.services.sync import export
from tests.sync.conftest import PRAMBANAN, Offices, new_kecamatan


def _run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_keys_and_sync_commands_round_trip(offices: Offices, make_ctx) -> None:  # type: ignore[no-untyped-def]
    kec = new_kecamatan(make_ctx, "gantiwarno", "33.10.02", "Kecamatan Gantiwarno")
    kec_key, reg_key = offices.path("kec.json"), offices.path("kab.json")
    assert _run(kec, "keys", "export", "--out", str(kec_key))[0] == 0
    code, out, _ = _run(offices.regency, "keys", "export", "--out", str(reg_key), "--json")
    fingerprint = json.loads(out)["fingerprint"]
    code, out, err = _run(kec, "keys", "import", str(reg_key))
    assert code == 1 and "--yes" in err and fingerprint in out
    code, out, _ = _run(kec, "keys", "import", str(reg_key), "--yes")
    assert code == 0 and fingerprint in out and "Kunci dipercaya" in out
    assert _run(offices.regency, "keys", "import", str(kec_key), "--yes", "--json")[0] == 0

    package_path = offices.path("gantiwarno-1.klsync")
    code, out, _ = _run(kec, "sync", "export", "--out", str(package_path), "--json")
    assert code == 0 and json.loads(out)["sequence"] == 1 and package_path.exists()

    code, out, _ = _run(offices.regency, "sync", "import", str(package_path), "--dry-run", "--json")
    assert code == 0
    assert json.loads(out) == {
        "office": "33.10.02",
        "sequence": 1,
        "created": 0,
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "conflicts": 0,
        "dry_run": True,
    }
    assert out.count("\n") == 1
    code, out, _ = _run(offices.regency, "sync", "import", str(package_path))
    assert code == 0 and "Impor selesai: paket no. 1 dari 33.10.02" in out
    code, out, _ = _run(offices.regency, "sync", "import", str(package_path))
    assert "sudah pernah diimpor" in out

    code, out, _ = _run(offices.regency, "sync", "status", "--json", "--days", "30")
    payload = json.loads(out)
    row = next(k for k in payload["kecamatan"] if k["office"] == "33.10.02")
    assert row["last_sequence"] == 1 and row["app_version"] and row["days_since_import"] == 0
    assert "33.10.02" not in payload["no_package_for_days"] and PRAMBANAN in payload["no_package_for_days"]
    assert len(payload["kecamatan"]) == 26

    code, out, _ = _run(offices.regency, "sync", "history", "--json")
    assert [p["direction"] for p in json.loads(out)["packages"]] == ["received"]


def test_cli_reports_tampering_in_indonesian(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    path.write_bytes(path.read_bytes()[:-10])
    code, out, err = _run(offices.regency, "sync", "import", str(path), "--json")
    assert code == 1 and out == "" and err.startswith("Gagal: Berkas paket terpotong")


def test_conflict_commands(offices: Offices) -> None:
    code, out, _ = _run(offices.regency, "sync", "conflicts", "--json")
    assert code == 0 and json.loads(out) == {"conflicts": [], "waiting": []}
    code, _, err = _run(offices.regency, "sync", "accept", "999")
    assert code == 1 and "tidak ditemukan" in err
    code, _, err = _run(offices.prambanan, "sync", "export", "--out", str(offices.path("x")), "--to", "33.10.03")
    assert code == 1 and "hanya dibuat di kantor kabupaten" in err


def test_stick_pulled_mid_write_leaves_no_complete_looking_file(
    offices: Offices, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = offices.path("p1.klsync")

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(EnvironmentProblem):
        export.export(offices.prambanan, SYSTEM, target)
    monkeypatch.undo()
    assert not target.exists()
    assert list(Path(offices.folder).glob("*.tmp")) == []
    assert export.history(offices.prambanan) == []  # the sequence number was not used up
    assert export.export(offices.prambanan, SYSTEM, target).sequence == 1


def test_reissue_command_writes_the_recorded_package_again(offices: Offices) -> None:
    first = offices.send(offices.prambanan, "p1.klsync")
    again = offices.path("p1-ulang.klsync")
    code, out, _ = _run(offices.prambanan, "sync", "reissue", "--seq", "1", "--out", str(again), "--json")
    assert code == 0 and json.loads(out)["sequence"] == 1 and again.read_bytes() == first.read_bytes()
    code, _, err = _run(offices.prambanan, "sync", "reissue", "--seq", "2", "--out", str(again))
    assert code == 1 and "belum pernah dibuat" in err


def test_a_real_sync_import_backs_up_first_and_a_dry_run_does_not(offices: Offices) -> None:
    if offices.regency.on_server:
        pytest.skip("backs up the SQLite file; a server's database is backed up with pg_dump (docs/server-mode.md)")
    path = offices.send(offices.prambanan, "p1.klsync")
    backups = offices.regency.backups_dir
    assert backups is not None
    assert _run(offices.regency, "sync", "import", str(path), "--dry-run")[0] == 0
    assert list(backups.glob("*-impor-sinkron.sqlite")) == []
    assert _run(offices.regency, "sync", "import", str(path))[0] == 0
    assert len(list(backups.glob("*-impor-sinkron.sqlite"))) == 1


def test_rebase_command_shows_the_plan_in_a_dry_run_then_replaces(offices: Offices, tmp_path: Path) -> None:
    import sqlite3

    from klaten_desktop.app import open_context
    from klaten_desktop.runtime.paths import AppPaths

    p = offices.prambanan
    if p.on_server:
        pytest.skip("clones the kecamatan's SQLite file (a PC restored from a copy); a server is not cloned so")
    offices.receive(offices.send(p, "p1.klsync"))
    assert p.database is not None
    clone_paths = AppPaths(tmp_path / "salinan")
    clone_paths.database.parent.mkdir(parents=True)
    src, dst = sqlite3.connect(p.database), sqlite3.connect(clone_paths.database)
    src.backup(dst)
    src.close()
    dst.close()
    offices.receive(offices.send(p, "p2.klsync"))
    clone = open_context(clone_paths, clock=p.clock)
    try:
        other = offices.send(clone, "p2-salinan.klsync")
        code, _, err = _run(offices.regency, "sync", "import", str(other))
        assert code == 1 and "--terima-rebase" in err
        code, out, _ = _run(offices.regency, "sync", "import", str(other), "--terima-rebase", "--dry-run")
        assert code == 0 and "akan diganti" in out and "no. 2  SHA-256" in out and "p2.klsync" in out
        code, out, _ = _run(offices.regency, "sync", "import", str(other), "--terima-rebase", "--json")
        replaced = json.loads(out)["replaced"]
        assert code == 0 and [r["sequence"] for r in replaced] == [2] and replaced[0]["file"] == "p2.klsync"
    finally:
        clone.dispose()
