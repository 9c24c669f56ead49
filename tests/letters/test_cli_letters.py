"""``letters ...`` and ``verify`` as a user runs them: a real process, a real data folder, JSON, exit codes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        timeout=120,
        check=False,
    )


def test_letters_and_verify_from_the_command_line(tmp_path: Path, read_pdf: ReadPdf) -> None:
    data = tmp_path / "data"
    assert cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan").returncode == 0
    nobody = cli(data, "letters", "pengantar", "--desa", SENGON, "--out", str(tmp_path / "x.pdf"), "--json")
    assert nobody.returncode == 1 and "Tidak ada pengurus" in nobody.stderr and nobody.stdout == ""
    assert cli(data, "demo", "--officials", "300").returncode == 0
    no_signatory = cli(data, "letters", "pengantar", "--desa", SENGON, "--out", str(tmp_path / "x.pdf"))
    assert no_signatory.returncode == 1 and "penanda tangan" in no_signatory.stderr

    # the signatory comes from the office settings, set headless
    signer = cli(data, "office", "set", "--camat-nama", "Drs. Contoh Camat", "--camat-nip", "197001011990031001")
    assert signer.returncode == 0, signer.stderr

    out = tmp_path / "pengantar.pdf"
    done = cli(data, "letters", "pengantar", "--desa", SENGON, "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) == {"documents", "pages"}
    (doc,) = payload["documents"]
    assert doc["jenis"] == "pengantar" and doc["nomor"].endswith("/Kec.Prb/" + doc["nomor"][-4:])
    assert doc["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert payload["pages"] == len(read_pdf(out)) >= 2

    iuran = cli(
        data, "letters", "iuran", "--desa", SENGON, "--period", "2027-01..2027-06", "--out", str(tmp_path / "i.pdf")
    )
    assert iuran.returncode == 0, iuran.stderr
    assert "Januari–Juni 2027 (6 bulan)" in " ".join(read_pdf(tmp_path / "i.pdf"))
    bad_period = cli(data, "letters", "iuran", "--period", "2027-13", "--out", str(tmp_path / "i.pdf"))
    assert bad_period.returncode == 2

    ok = cli(data, "verify", doc["kode_verifikasi"], "--json")
    assert ok.returncode == 0, ok.stderr
    result = json.loads(ok.stdout)
    assert result["ok"] is True and result["content"]["nomor"] == doc["nomor"]
    assert any("Lampiran" in line or "DAFTAR" in line for line in result["content"]["isi"])
    bad = cli(data, "verify", "ZZZZ-ZZZZ-ZZ", "--json")
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["ok"] is False and "tidak terdaftar" in bad.stderr

    reprint = cli(data, "letters", "reprint", doc["nomor"], "--out", str(tmp_path / "ulang.pdf"), "--json")
    assert reprint.returncode == 0 and json.loads(reprint.stdout)["documents"][0]["cetakan"] == 2
    voided = cli(data, "letters", "void", doc["nomor"], "--reason", "salah desa")
    assert voided.returncode == 0
    assert cli(data, "verify", doc["kode_verifikasi"]).returncode == 1
    gaps = json.loads(cli(data, "letters", "gaps", "--json").stdout)
    assert gaps["missing"] == [] and gaps["last_numbers"] == {"surat": 2}
