"""``events ...``, ``attendance-sheet`` and ``certificates`` as a user runs them: a real process and data folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SENGON
from tests.events.conftest import pdf_pages


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        timeout=120,
        check=False,
    )


def test_event_to_certificates_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan").returncode == 0
    assert cli(data, "demo", "--officials", "150").returncode == 0
    signer = ["--camat-nama", "Drs. Contoh Camat", "--camat-nip", "197001011990031001"]
    assert cli(data, "office", "set", *signer, "--bpjs-kepala", "Contoh Kepala Cabang").returncode == 0

    bad = cli(data, "events", "create", "--title", "X", "--date", "9-12-2026", "--place", "Balai", "--json")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    made = cli(
        data, "events", "create", "--title", "Sosialisasi BPJS Ketenagakerjaan", "--date", "2026-12-09",
        "--place", "Pendopo Kecamatan Prambanan", "--time", "09:00", "--until", "12:00", "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    created = json.loads(made.stdout)
    assert set(created) == {"id"}
    event_id = created["id"]

    added = cli(data, "events", "add-participants", event_id, "--desa", SENGON, "--jabatan", "ketua_rt", "--json")
    assert added.returncode == 0, added.stderr
    count = json.loads(added.stdout)["added"]
    assert count > 1

    nobody = cli(data, "certificates", "--event", event_id, "--out", str(tmp_path / "none.pdf"), "--json")
    assert nobody.returncode == 1 and "hadir" in nobody.stderr and nobody.stdout == ""

    unknown = cli(data, "events", "attend", event_id, "--nik", "3310019999999999")
    assert unknown.returncode == 1 and "Tidak satu pun NIK" in unknown.stderr
    assert cli(data, "events", "attend", event_id, "--all").returncode == 0

    sheet = tmp_path / "hadir.pdf"
    done = cli(data, "attendance-sheet", "--event", event_id, "--out", str(sheet))
    assert done.returncode == 0, done.stderr
    assert "DAFTAR HADIR" in pdf_pages(sheet)[0]

    out = tmp_path / "sertifikat.pdf"
    issued = cli(data, "certificates", "--event", event_id, "--out", str(out), "--json")
    assert issued.returncode == 0, issued.stderr
    payload = json.loads(issued.stdout)
    assert set(payload) == {"certificates"} and len(payload["certificates"]) == count
    first = payload["certificates"][0]
    assert set(first) == {"nomor", "nama", "kode_verifikasi"} and first["nomor"] == "400.10.3/001/Kec.Prb/2026"
    pages = pdf_pages(out)
    assert len(pages) == count and first["nama"] in pages[0] and first["kode_verifikasi"] in pages[0]

    checked = cli(data, "verify", first["kode_verifikasi"], "--json")
    assert checked.returncode == 0, checked.stderr
    verdict = json.loads(checked.stdout)
    assert verdict["ok"] is True and verdict["content"]["nomor"] == first["nomor"]
    assert verdict["content"]["jenis"] == "sertifikat" and verdict["content"]["tanggal"] == "2026-12-09"
