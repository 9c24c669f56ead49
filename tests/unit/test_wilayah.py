from __future__ import annotations

import pytest

from klaten_desktop.domain.wilayah import (
    Wilayah,
    desa_label,
    is_valid_desa_kode,
    is_valid_kecamatan_kode,
    parse_wilayah_csv,
)

SAMPLE = """kode,nama,tingkat,kode_induk
33.10,Kabupaten Klaten,kabupaten,33
33.10.01,Prambanan,kecamatan,33.10
33.10.01.2001,Sengon,desa,33.10.01
33.10.24,Klaten Utara,kecamatan,33.10
33.10.24.1001,Bareng Lor,kelurahan,33.10.24
"""


def test_parse_sample() -> None:
    rows = parse_wilayah_csv("\ufeff" + SAMPLE)
    assert len(rows) == 5
    sengon = rows[2]
    assert sengon == Wilayah("33.10.01.2001", "Sengon", "desa", "33.10.01")
    assert sengon.is_desa and not sengon.is_kelurahan and not sengon.is_kecamatan
    assert sengon.kecamatan_kode == "33.10.01"
    assert sengon.nik_prefix == "331001"
    assert rows[1].is_kecamatan and rows[1].kecamatan_kode == "33.10.01"
    assert rows[0].kecamatan_kode is None
    assert rows[4].is_kelurahan
    assert desa_label(sengon) == "Desa Sengon"
    assert desa_label(rows[4]) == "Kelurahan Bareng Lor"
    assert desa_label(rows[1]) == "Kecamatan Prambanan"


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("33.10.01.2002,Cucukan,desa", "4 kolom"),
        ("33.10.1.2002,Cucukan,desa,33.10.01", "format"),
        ("33.10.01.1002,Cucukan,desa,33.10.01", "format"),
        ("33.10.01.2002,Cucukan,dusun,33.10.01", "tingkat"),
        ("33.10.01.2002,,desa,33.10.01", "kosong"),
        ("33.10.01.2002,Cucukan,desa,33.10.02", "induk"),
        ("33.10.01.2001,Sengon,desa,33.10.01", "lebih dari sekali"),
    ],
)
def test_parse_rejects_bad_rows(bad_row: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as exc:
        parse_wilayah_csv(SAMPLE + bad_row + "\n")
    assert "Baris 7" in str(exc.value)


def test_parse_rejects_bad_header() -> None:
    with pytest.raises(ValueError, match="kode,nama,tingkat,kode_induk"):
        parse_wilayah_csv("code,name\n")
    with pytest.raises(ValueError):
        parse_wilayah_csv("")


def test_code_checks() -> None:
    assert is_valid_kecamatan_kode("33.10.01")
    assert not is_valid_kecamatan_kode("33.10.1")
    assert not is_valid_kecamatan_kode("33.11.01")
    assert not is_valid_kecamatan_kode("33.10.01.2001")
    assert is_valid_desa_kode("33.10.01.2001")
    assert is_valid_desa_kode("33.10.24.1001")
    assert not is_valid_desa_kode("33.10.01.3001")
    assert not is_valid_desa_kode("33.10.01")
    assert not is_valid_desa_kode("33.10.01.2001 ")
