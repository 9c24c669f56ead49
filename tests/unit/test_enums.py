from __future__ import annotations

import pytest

from klaten_desktop.domain.enums import (
    CoverageStatus,
    EndReason,
    FundingSource,
    Jabatan,
    Program,
    Sex,
    format_programs,
    parse_programs,
)


def test_sex_labels() -> None:
    assert Sex.L.label == "Laki-laki"
    assert Sex.P.label == "Perempuan"
    assert Sex("P") is Sex.P


def test_jabatan_values_and_labels() -> None:
    assert [j.value for j in Jabatan] == ["ketua_rt", "ketua_rw", "sekretaris", "bendahara", "lainnya"]
    assert Jabatan.ketua_rt.label == "Ketua RT"
    assert Jabatan.ketua_rw.label == "Ketua RW"
    assert Jabatan.bendahara.label == "Bendahara"
    assert [j.is_single_holder for j in Jabatan] == [True, True, True, True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ketua RT", Jabatan.ketua_rt),
        ("ketua rt", Jabatan.ketua_rt),
        ("KETUA RT.", Jabatan.ketua_rt),
        ("RT", Jabatan.ketua_rt),
        ("Ka. RT", Jabatan.ketua_rt),
        ("  Ketua  R.T ", Jabatan.ketua_rt),
        ("Ketua RW", Jabatan.ketua_rw),
        ("RW", Jabatan.ketua_rw),
        ("Ka.RW", Jabatan.ketua_rw),
        ("Sekretaris", Jabatan.sekretaris),
        ("Sekr", Jabatan.sekretaris),
        ("sekr.", Jabatan.sekretaris),
        ("Bendahara", Jabatan.bendahara),
        ("Bend.", Jabatan.bendahara),
        ("ketua_rt", Jabatan.ketua_rt),
        ("Lainnya", Jabatan.lainnya),
    ],
)
def test_jabatan_from_text(text: str, expected: Jabatan) -> None:
    assert Jabatan.from_text(text) is expected


@pytest.mark.parametrize("text", ["", "   ", "Kepala Desa", "RT RW", "xyz"])
def test_jabatan_from_text_unknown(text: str) -> None:
    assert Jabatan.from_text(text) is None


def test_funding_and_status_labels() -> None:
    assert FundingSource.APBDES.value == "APBDes"
    assert FundingSource.MANDIRI.value == "mandiri"
    assert FundingSource.ADD.label == "Alokasi Dana Desa (ADD)"
    assert FundingSource.MANDIRI.label == "Mandiri"
    assert CoverageStatus.belum_terdaftar.label == "Belum terdaftar"
    assert CoverageStatus.nonaktif.label == "Nonaktif"
    assert [s.value for s in CoverageStatus] == [
        "belum_terdaftar", "diajukan", "aktif", "menunggak", "nonaktif", "berakhir",
    ]  # fmt: skip
    assert EndReason.meninggal.label == "Meninggal dunia"
    assert EndReason.masa_jabatan_habis.label == "Masa jabatan habis"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("JKK,JKM", {Program.JKK, Program.JKM}),
        ("JKK + JKM", {Program.JKK, Program.JKM}),
        ("jkk, jkm, jht", {Program.JKK, Program.JKM, Program.JHT}),
        ("JKM/JKK", {Program.JKK, Program.JKM}),
        ("JKK dan JKM", {Program.JKK, Program.JKM}),
        ("", set()),
    ],
)
def test_parse_programs(text: str, expected: set[Program]) -> None:
    assert parse_programs(text) == frozenset(expected)


def test_parse_programs_unknown() -> None:
    with pytest.raises(ValueError, match="JKP"):
        parse_programs("JKK, JKP")


def test_format_programs_canonical_order() -> None:
    assert format_programs({Program.JHT, Program.JKK, Program.JKM}) == "JKK,JKM,JHT"
    assert format_programs(frozenset({Program.JKM, Program.JKK})) == "JKK,JKM"
    assert format_programs(frozenset()) == ""
    assert parse_programs(format_programs({Program.JHT, Program.JKM})) == {Program.JKM, Program.JHT}
