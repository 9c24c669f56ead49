"""``keys status|protect|backup|restore`` as a user runs them (issue #20): a real process, passphrases from the
environment; a wrong one exits 1 with a message; a key backup restored on another fresh data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PRAMBANAN

INIT = ["init", "--role", "kecamatan", "--kecamatan", PRAMBANAN, "--name", "Kecamatan Prambanan"]


def cli(data_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v for k, v in os.environ.items() if k not in ("KLATEN_KEY_PASSPHRASE", "KLATEN_KEY_BACKUP_PASSPHRASE")
    }
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        stdin=subprocess.DEVNULL,
        env={**environment, **env},
    )


def status(data: Path, **env: str) -> dict[str, object]:
    result = cli(data, "keys", "status", "--json", **env)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    return payload


def test_keys_wrapped_at_init_locked_without_the_passphrase_backed_up_and_restored(tmp_path: Path) -> None:
    old, new = tmp_path / "lama", tmp_path / "baru"
    assert cli(old, *INIT, KLATEN_KEY_PASSPHRASE="frasa sandi lama 1").returncode == 0
    assert status(old) == {"protection": "scrypt", "unlocked": False}
    assert status(old, KLATEN_KEY_PASSPHRASE="frasa sandi lama 1") == {"protection": "scrypt", "unlocked": True}

    wrong = cli(old, "keys", "status", KLATEN_KEY_PASSPHRASE="bukan frasa sandinya")
    assert wrong.returncode == 1 and "Frasa sandi kunci salah" in wrong.stderr

    saved = tmp_path / "cadangan-kunci.json"
    locked = cli(old, "keys", "backup", "--out", str(saved), KLATEN_KEY_BACKUP_PASSPHRASE="cadangan kunci 2026")
    assert locked.returncode == 1 and "terkunci" in locked.stderr and not saved.exists()
    made = cli(
        old, "keys", "backup", "--out", str(saved),
        KLATEN_KEY_PASSPHRASE="frasa sandi lama 1", KLATEN_KEY_BACKUP_PASSPHRASE="cadangan kunci 2026",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    assert cli(new, *INIT, KLATEN_KEY_PASSPHRASE="frasa sandi baru 2").returncode == 0
    restored = cli(
        new, "keys", "restore", str(saved),
        KLATEN_KEY_PASSPHRASE="frasa sandi baru 2", KLATEN_KEY_BACKUP_PASSPHRASE="cadangan kunci 2026",
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    fingerprint = made.stdout.split("sidik jari ")[1].split(")")[0]
    assert fingerprint in restored.stdout
    assert status(new, KLATEN_KEY_PASSPHRASE="frasa sandi baru 2") == {"protection": "scrypt", "unlocked": True}
    for data in (old, new):
        assert b"PRIVATE KEY" not in (data / "klaten.sqlite").read_bytes()
