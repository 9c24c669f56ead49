"""``office jabatan-ditanggung list|set`` (who is insured from the ADD, a dated setting) and ``office set
--klasifikasi-sertifikat`` as a user runs them: a real process on a fresh data folder."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.test_office_cli import cli, show


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("insured") / "data"
    done = cli(folder, "init", "--kecamatan", "33.10.01", "--name", "Kecamatan Prambanan")
    assert done.returncode == 0, done.stderr
    return folder


def _list(data: Path) -> dict[str, object]:
    result = cli(data, "office", "jabatan-ditanggung", "list", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert isinstance(payload, dict)
    return payload


def test_list_set_and_list_again(data: Path) -> None:
    before = _list(data)
    assert before["berlaku_hari_ini"]["jabatan"] == ["ketua_rt", "ketua_rw"]  # type: ignore[index]
    assert [v["diatur_oleh"] for v in before["versi"]] == ["bawaan"]  # type: ignore[attr-defined]

    done = cli(data, "office", "jabatan-ditanggung", "set", "--jabatan-lain", "ya", "--berlaku-mulai", "2026-06-01",
               "--dasar", "Keputusan Kepala Desa Sengon 5/2026", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rule = json.loads(done.stdout)
    assert (rule["berlaku_mulai"], rule["jabatan_lain"], rule["dasar"]) == (
        "2026-06-01",
        True,
        "Keputusan Kepala Desa Sengon 5/2026",
    )
    assert "bendahara" in rule["jabatan"] and rule["diatur_oleh"] == "sistem"

    # a later version switches back; both stay listed, the one in force on a date decides
    later = cli(data, "office", "jabatan-ditanggung", "set", "--jabatan-lain", "tidak", "--berlaku-mulai", "2099-01-01",
                "--dasar", "SK 9/2098")  # fmt: skip
    assert later.returncode == 0, later.stderr
    assert "mulai 1 Januari 2099 yang ditanggung ADD: Ketua RT dan Ketua RW" in later.stdout
    after = _list(data)
    assert [v["berlaku_mulai"] for v in after["versi"]] == ["1900-01-01", "2026-06-01", "2099-01-01"]  # type: ignore[attr-defined]
    assert after["berlaku_hari_ini"]["jabatan_lain"] is True  # type: ignore[index]
    text = cli(data, "office", "jabatan-ditanggung", "list")
    assert "Ketua RT, Ketua RW, Sekretaris, Bendahara dan pengurus RT/RW lainnya" in text.stdout
    assert "- mulai 1 Juni 2026:" in text.stdout and "dasar: Keputusan Kepala Desa Sengon 5/2026" in text.stdout
    with closing(sqlite3.connect(data / "klaten.sqlite")) as db:
        summaries = [r[0] for r in db.execute("SELECT summary FROM audit_log WHERE entity_id = ?",
                                              ("kepesertaan.jabatan_ditanggung",))]  # fmt: skip
    assert len(summaries) == 2


def test_set_refuses_a_missing_basis_and_a_bad_date_changing_nothing(data: Path) -> None:
    before = _list(data)
    blank = cli(data, "office", "jabatan-ditanggung", "set", "--jabatan-lain", "ya", "--berlaku-mulai", "2027-01-01",
                "--dasar", "  ")  # fmt: skip
    assert blank.returncode != 0 and "Dasar pengaturan wajib diisi" in blank.stderr
    bad = cli(data, "office", "jabatan-ditanggung", "set", "--jabatan-lain", "ya", "--berlaku-mulai", "1-1-2027",
              "--dasar", "SK")  # fmt: skip
    assert bad.returncode == 2 and "harus berformat YYYY-MM-DD" in bad.stderr
    missing = cli(data, "office", "jabatan-ditanggung", "set", "--berlaku-mulai", "2027-01-01", "--dasar", "SK")
    assert missing.returncode == 2 and "--jabatan-lain" in missing.stderr
    assert _list(data) == before


def test_certificate_code_set_shown_and_reset(data: Path) -> None:
    assert show(data)["klasifikasi_sertifikat"] == "400.10.3"
    done = cli(data, "office", "set", "--klasifikasi-sertifikat", "400.10.3.2")
    assert done.returncode == 0, done.stderr
    assert "Kode klasifikasi sertifikat" in done.stdout
    assert show(data)["klasifikasi_sertifikat"] == "400.10.3.2"
    bad = cli(data, "office", "set", "--klasifikasi-sertifikat", "abc")
    assert bad.returncode != 0 and "Kode klasifikasi 'abc' untuk sertifikat tidak sah" in bad.stderr
    assert show(data)["klasifikasi_sertifikat"] == "400.10.3.2"
    assert cli(data, "office", "set", "--klasifikasi-sertifikat", "").returncode == 0
    assert show(data)["klasifikasi_sertifikat"] == "400.10.3"
