"""``office umk`` and ``office kode-pos`` as a user runs them: a real process on a fresh data folder."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_office_cli import cli


def _init(data: Path) -> None:
    result = cli(data, "init", "--kecamatan", "33.10.01", "--name", "Kecamatan Prambanan")
    assert result.returncode == 0, result.stderr


def test_umk_table_list_set_remove(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _init(data)
    listed = cli(data, "office", "umk", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    (default,) = json.loads(listed.stdout)["umk"]
    assert (default["tahun"], default["umk_sen"], default["umk"], default["bawaan"]) == (
        2023, 215_232_294, "Rp 2.152.322,94", True
    )  # fmt: skip
    assert "sekunder" in default["sumber"]

    done = cli(data, "office", "umk", "set", "2027", "Rp 2.400.000,50", "--sumber", "SK contoh uji", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"tahun": 2027, "umk_sen": 240_000_050, "sumber": "SK contoh uji"}
    text = cli(data, "office", "umk", "list")
    assert "2027     Rp 2.400.000,50  (kantor) SK contoh uji" in text.stdout

    bad = cli(data, "office", "umk", "set", "2028", "2,400,000.50", "--sumber", "x")
    assert bad.returncode == 1 and "tidak dapat dibaca" in bad.stderr
    no_source = cli(data, "office", "umk", "set", "2028", "2.400.000", "--sumber", " ")
    assert no_source.returncode == 1 and "Sumber UMK 2028 wajib diisi" in no_source.stderr
    missing = cli(data, "office", "umk", "set", "2028", "2.400.000")
    assert missing.returncode == 2 and "--sumber" in missing.stderr

    assert cli(data, "office", "umk", "hapus", "2027").returncode == 0
    builtin = cli(data, "office", "umk", "hapus", "2023")
    assert builtin.returncode == 1 and "nilai bawaan" in builtin.stderr
    assert [r["tahun"] for r in json.loads(cli(data, "office", "umk", "list", "--json").stdout)["umk"]] == [2023]


def test_kode_pos_set_list_clear(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _init(data)
    done = cli(data, "office", "kode-pos", "set", "33.10.01.2001", "57454")
    assert done.returncode == 0, done.stderr
    rows = json.loads(cli(data, "office", "kode-pos", "list", "--json").stdout)["desa"]
    sengon = next(r for r in rows if r["kode"] == "33.10.01.2001")
    assert (sengon["nama"], sengon["kecamatan"], sengon["kode_pos"]) == ("Sengon", "Prambanan", "57454")
    assert all(r["kode_pos"] is None for r in rows if r["kode"] != "33.10.01.2001")

    bad = cli(data, "office", "kode-pos", "set", "33.10.01.2001", "12345")
    assert bad.returncode == 1 and "berawalan 57" in bad.stderr
    other = cli(data, "office", "kode-pos", "set", "33.10.25.1001", "57411")
    assert other.returncode == 1 and "tidak termasuk Kecamatan Prambanan" in other.stderr
    assert cli(data, "office", "kode-pos", "set", "33.10.01.2001", "").returncode == 0
    rows = json.loads(cli(data, "office", "kode-pos", "list", "--json").stdout)["desa"]
    assert all(r["kode_pos"] is None for r in rows)
