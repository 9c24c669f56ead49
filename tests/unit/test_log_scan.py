"""The suite's end-of-run scan of the app's log files finds a NIK, a birth date or a test name, and nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.conftest import personal_data_in_logs


def test_the_scan_finds_personal_data_in_log_files() -> None:
    # outside the run's temporary folder, which the end-of-run scan reads
    with tempfile.TemporaryDirectory() as folder:
        _scan_finds_leaks(Path(folder))


def _scan_finds_leaks(tmp_path: Path) -> None:
    log = tmp_path / "kantor" / "log"
    log.mkdir(parents=True)
    clean = log / "klaten-desktop.log"
    clean.write_text(
        "2026-12-05 10:00:01,123 INFO klaten_desktop.app: mulai, NIK 3310 01•• •••• 0001, 12 pengurus\n",
        encoding="utf-8",
    )
    assert personal_data_in_logs(tmp_path) == []
    for leak in ("NIK 3310011205700001 ditolak", "lahir 1970-05-12", "lahir 12-05-1970", "nama Sumarno"):
        rotated = log / "klaten-desktop.log.1"
        rotated.write_text(f"2026-12-05 10:00:02,000 ERROR x: {leak}\n", encoding="utf-8")
        found = personal_data_in_logs(tmp_path)
        assert len(found) == 1 and "klaten-desktop.log.1" in found[0], leak
    (tmp_path / "elsewhere.log").write_text("3310011205700001", encoding="utf-8")  # not a data folder's log
    assert len(personal_data_in_logs(tmp_path)) == 1
