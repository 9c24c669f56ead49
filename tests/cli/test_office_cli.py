"""``init`` with the office details, ``office show`` and ``office set`` as a user runs them: a real process on a
fresh data folder, then a letter and certificates issued with no GUI ever opened."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import SENGON

NIP = "197001011990031001"
SIGNER = [
    "--camat-nama", "Drs. Contoh Camat, M.Si.",
    "--camat-nip", "19700101 199003 1 001",
    "--camat-pangkat", "Pembina Tk. I (IV/b)",
    "--bpjs-cabang", "Kantor Cabang Klaten",
    "--bpjs-alamat", "Jl. Contoh No. 1, Klaten",
    "--bpjs-kepala", "Contoh Kepala Cabang",
]  # fmt: skip


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "klaten_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        encoding="utf-8",  # the command line writes UTF-8 into a pipe on every OS
        timeout=120,
        check=False,
    )


def png(path: Path, size: tuple[int, int] = (120, 120)) -> Path:
    Image.new("RGB", size, (20, 90, 30)).save(path)
    return path


def show(data: Path) -> dict[str, object]:
    result = cli(data, "office", "show", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    return payload


@pytest.fixture(scope="module")
def office_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh data folder set up by ``init`` alone: kecamatan, details, signatories and the logo."""
    tmp = tmp_path_factory.mktemp("office")
    data = tmp / "data"
    args = ["init", "--kecamatan", "33.10.01", "--name", "Kecamatan Prambanan", "--address", "Jl. Raya Prambanan 1",
            "--phone", "(0274) 496001", "--email", "kec.prambanan@klatenkab.go.id", *SIGNER,
            "--logo", str(png(tmp / "logo.png"))]  # fmt: skip
    done = cli(data, *args)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Kantor diatur: Kecamatan Prambanan (33.10.01, Kecamatan Prambanan).\n"
    return data


def test_init_with_the_flags_lets_letters_and_certificates_be_issued_headless(office_dir: Path, tmp_path: Path) -> None:
    assert cli(office_dir, "demo", "--officials", "300").returncode == 0
    out = tmp_path / "keterangan.pdf"
    assert show(office_dir)["keterangan_tidak_aktif"] is False  # the default: a keterangan only for aktif officials
    refused = cli(office_dir, "letters", "keterangan", "--desa", SENGON, "--out", str(out), "--json")
    assert refused.returncode == 1 and "tidak aktif pada tanggal" in refused.stderr and not out.exists()
    allow = cli(office_dir, "office", "set", "--keterangan-tidak-aktif", "ya", "--json")
    assert allow.returncode == 0 and json.loads(allow.stdout)["keterangan_tidak_aktif"] is True
    done = cli(office_dir, "letters", "keterangan", "--desa", SENGON, "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    page = PdfReader(out).pages[0]
    text = page.extract_text()
    assert "Drs. Contoh Camat, M.Si." in text and "Pembina Tk. I (IV/b)" in text
    assert "NIP. 19700101 199003 1 001" in text  # stored as 18 digits, printed in its usual groups
    assert len(page.images) == 1  # the kop's logo
    event = cli(office_dir, "events", "create", "--title", "Sosialisasi BPJS", "--date", "2026-11-20",
                "--place", "Pendapa Kecamatan", "--json")  # fmt: skip
    assert event.returncode == 0, event.stderr
    event_id = json.loads(event.stdout)["id"]
    add = cli(office_dir, "events", "add-participants", event_id, "--desa", SENGON, "--jabatan", "ketua_rw")
    assert add.returncode == 0, add.stderr
    assert cli(office_dir, "events", "attend", event_id, "--all").returncode == 0
    cert = cli(office_dir, "certificates", "--event", event_id, "--out", str(tmp_path / "s.pdf"), "--json")
    assert cert.returncode == 0, cert.stderr
    assert "Contoh Kepala Cabang" in PdfReader(tmp_path / "s.pdf").pages[0].extract_text()


def test_show_json_round_trips_what_init_set(office_dir: Path) -> None:
    payload = show(office_dir)
    logo = payload.pop("logo_sha256")
    assert isinstance(logo, str) and len(logo) == 64
    assert isinstance(payload.pop("keterangan_tidak_aktif"), bool)  # set by another test on this shared office
    assert payload == {
        "office": "33.10.01",
        "role": "kecamatan",
        "kecamatan": "Prambanan",
        "name": "Kecamatan Prambanan",
        "address": "Jl. Raya Prambanan 1",
        "phone": "(0274) 496001",
        "email": "kec.prambanan@klatenkab.go.id",
        "camat_nama": "Drs. Contoh Camat, M.Si.",
        "camat_nip": NIP,
        "camat_pangkat": "Pembina Tk. I (IV/b)",
        "bpjs_branch_name": "Kantor Cabang Klaten",
        "bpjs_branch_address": "Jl. Contoh No. 1, Klaten",
        "bpjs_branch_head": "Contoh Kepala Cabang",
        "klasifikasi_sertifikat": "400.10.3",
    }
    text = cli(office_dir, "office", "show")
    assert text.returncode == 0 and "NIP camat:          197001011990031001" in text.stdout


def test_set_changes_one_field_and_audits_it(office_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(data, "init", "--kecamatan", "33.10.01", "--office-name", "Kecamatan Prambanan", *SIGNER).returncode == 0
    before = show(data)
    done = cli(data, "office", "set", "--camat-nama", "Contoh Camat Baru, S.STP.")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Data kantor disimpan: Nama camat.\n"
    after = show(data)
    assert after == {**before, "camat_nama": "Contoh Camat Baru, S.STP."}
    conn = sqlite3.connect(data / "klaten.sqlite")
    try:
        ((action, actor, old, new),) = conn.execute(
            "SELECT action, actor, old_values, new_values FROM audit_log WHERE entity = 'office' AND action = 'update'"
        ).fetchall()
    finally:
        conn.close()
    assert (action, actor) == ("update", "sistem")
    assert json.loads(old) == {"camat_nama": "Drs. Contoh Camat, M.Si."}
    assert json.loads(new) == {"camat_nama": "Contoh Camat Baru, S.STP."}
    nothing = cli(data, "office", "set")
    assert nothing.returncode == 2 and "tidak ada yang diubah" in nothing.stderr


def test_bad_logo_refused_with_the_reason(office_dir: Path, tmp_path: Path) -> None:
    before = show(office_dir)
    text = tmp_path / "logo.png"
    text.write_text("bukan gambar", encoding="utf-8")
    whole = png(tmp_path / "utuh.png").read_bytes()
    cut = tmp_path / "terpotong.png"
    cut.write_bytes(whole[: len(whole) // 2])
    cases = {
        text: "Gagal: Logo harus berupa gambar PNG atau JPEG.",
        cut: "Gagal: Berkas logo rusak atau tidak utuh: bukan gambar PNG yang dapat dibaca.",
        png(tmp_path / "kecil.png", (8, 8)): "Gagal: Ukuran logo 8×8 piksel tidak wajar: setiap sisi harus 32 "
        "sampai 4000 piksel.",
        tmp_path / "tidak-ada.png": "Gagal: Berkas logo tidak dapat dibaca",
    }
    for path, message in cases.items():
        refused = cli(office_dir, "office", "set", "--camat-pangkat", "Penata (III/c)", "--logo", str(path))
        assert refused.returncode == 1 and refused.stderr.startswith(message), (path, refused.stderr)
    assert show(office_dir) == before  # nothing half-done: the pangkat is not saved either
    fresh = tmp_path / "baru"
    refused = cli(fresh, "init", "--kecamatan", "33.10.01", "--name", "Kecamatan Prambanan", "--logo", str(text))
    assert refused.returncode == 1 and "PNG atau JPEG" in refused.stderr
    unset = cli(fresh, "office", "show")
    assert unset.returncode == 1 and "Kantor belum diatur" in unset.stderr


def test_bad_nip_and_email_refused_by_the_service_checks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    nip = cli(data, "init", "--kecamatan", "33.10.01", "--name", "Kecamatan Prambanan", "--camat-nip", "12345")
    assert nip.returncode == 1 and nip.stderr == "Gagal: NIP terdiri dari 18 digit angka.\n"
    assert cli(data, "init", "--kecamatan", "33.10.01", "--name", "Kecamatan Prambanan").returncode == 0
    email = cli(data, "office", "set", "--email", "kecamatan.klaten")
    assert email.returncode == 1
    assert (
        email.stderr == "Gagal: Alamat surel 'kecamatan.klaten' tidak sah; tulis seperti kecamatan@klatenkab.go.id.\n"
    )
    cleared = cli(data, "office", "set", "--email", "", "--json")
    assert cleared.returncode == 0 and json.loads(cleared.stdout)["email"] is None
