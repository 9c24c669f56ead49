from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klaten_desktop.domain.enums import Sex
from klaten_desktop.domain.nik import (
    KLATEN_PREFIX,
    NO_KECAMATAN_TABLE,
    PROVINCE_CODES,
    KnownKecamatan,
    NikError,
    age_on,
    check_nik,
    decode_nik,
    kecamatan_kode_from_nik,
    looks_like_excel_float,
    mask_nik,
    normalize_nik,
)

TODAY = date(2026, 3, 20)


def make_nik(
    born: date, *, female: bool = False, region: str = "331001", serial: int = 1, yy: int | None = None
) -> str:
    """A synthetic NIK (never a real person's)."""
    day = born.day + 40 if female else born.day
    year = born.year % 100 if yy is None else yy
    return f"{region}{day:02d}{born.month:02d}{year:02d}{serial:04d}"


def test_make_nik_shape() -> None:
    assert make_nik(date(1970, 5, 12)) == "3310011205700001"
    assert make_nik(date(1970, 5, 12), female=True, serial=23) == "3310015205700023"


def test_decode_male() -> None:
    info = decode_nik("3310011205700001", today=TODAY)
    assert info.province == "33"
    assert info.regency == "3310" == KLATEN_PREFIX
    assert info.kecamatan == "331001"
    assert info.birth_date == date(1970, 5, 12)
    assert info.sex is Sex.L
    assert info.serial == "0001"
    assert info.is_klaten


def test_decode_female_plus_40() -> None:
    info = decode_nik("3310055205700002", today=TODAY)
    assert info.birth_date == date(1970, 5, 12)
    assert info.sex is Sex.P
    assert decode_nik("3310017112800001", today=TODAY).birth_date == date(1980, 12, 31)
    assert decode_nik("3310014101900001", today=TODAY).birth_date == date(1990, 1, 1)


@pytest.mark.parametrize(
    ("six", "today", "expected"),
    [
        ("010105", TODAY, date(2005, 1, 1)),
        ("200326", TODAY, date(2026, 3, 20)),  # born today: 20YY is not after today
        ("210326", TODAY, date(1926, 3, 21)),  # tomorrow in 20YY -> 19YY
        ("010199", TODAY, date(1999, 1, 1)),
        ("010130", TODAY, date(1930, 1, 1)),
        ("010130", date(2031, 1, 1), date(2030, 1, 1)),
    ],
)
def test_century_inference(six: str, today: date, expected: date) -> None:
    assert decode_nik(f"331001{six}0001", today=today).birth_date == expected


def test_29_february() -> None:
    assert decode_nik("3310012902000001", today=TODAY).birth_date == date(2000, 2, 29)
    assert decode_nik("3310016902880001", today=TODAY).birth_date == date(1988, 2, 29)
    with pytest.raises(NikError) as exc:
        decode_nik("3310012902010001", today=TODAY)
    assert exc.value.code == "nik_date"


@pytest.mark.parametrize(
    "nik",
    [
        "3310010005700001",  # day 00
        "3310013205700001",  # day 32
        "3310014005700001",  # day 40
        "3310017205700001",  # day 72
        "3310011200700001",  # month 00
        "3310011213700001",  # month 13
        "3310013102700001",  # 31 Feb
        "3310017104700001",  # 31 Apr (female)
    ],
)
def test_impossible_dates(nik: str) -> None:
    with pytest.raises(NikError) as exc:
        decode_nik(nik, today=TODAY)
    assert exc.value.code == "nik_date"
    assert "tanggal lahir" in str(exc.value)


def test_serial_0000() -> None:
    with pytest.raises(NikError, match="0000") as exc:
        decode_nik("3310011205700000", today=TODAY)
    assert exc.value.code == "nik_serial"


def test_length_and_digits_errors() -> None:
    with pytest.raises(NikError) as exc:
        decode_nik("331001120570001", today=TODAY)
    assert exc.value.code == "nik_length"
    with pytest.raises(NikError) as exc:
        decode_nik("33100112057000A1", today=TODAY)
    assert exc.value.code == "nik_digits"
    assert isinstance(exc.value, ValueError)


def test_check_nik_errors_with_messages() -> None:
    r = check_nik("331001120570001", today=TODAY)
    assert r.codes == ("nik_length",)
    assert r.errors[0].message == "NIK harus 16 digit angka (terisi 15 digit)."
    assert r.errors[0].field == "nik"
    assert check_nik("33100112057000A1", today=TODAY).codes == ("nik_digits",)
    assert check_nik("", today=TODAY).codes == ("nik_empty",)
    assert check_nik("3310011205700000", today=TODAY).codes == ("nik_serial",)
    assert check_nik("3310013205700001", today=TODAY, field="nik_baru").errors[0].field == "nik_baru"


def test_check_nik_clean() -> None:
    r = check_nik(make_nik(date(1970, 5, 12)), today=TODAY, birth_date=date(1970, 5, 12), sex=Sex.L)
    assert r.issues == ()


def test_outside_klaten_is_warning_naming_region() -> None:
    r = check_nik(make_nik(date(1970, 5, 12), region="340201"), today=TODAY)
    assert r.ok
    assert r.codes == ("nik_region",)
    assert "34.02" in r.warnings[0].message
    assert "DI Yogyakarta" in r.warnings[0].message


def test_kecamatan_unknown_to_the_region_table_is_a_warning(klaten_kecamatan: KnownKecamatan) -> None:
    born = date(1970, 5, 12)
    assert klaten_kecamatan.regencies == {"3310"} and len(klaten_kecamatan.codes) == 26
    for n in (1, 13, 26):  # every kecamatan of the table is fine
        assert check_nik(make_nik(born, region=f"3310{n:02d}"), today=TODAY, kecamatan=klaten_kecamatan).issues == ()
    r = check_nik(make_nik(born, region="331027"), today=TODAY, birth_date=born, kecamatan=klaten_kecamatan)
    assert r.ok and r.codes == ("nik_kecamatan",)
    assert r.warnings[0].message == (
        "Kode kecamatan pada NIK (33.10.27) tidak ada dalam daftar wilayah Kabupaten Klaten. "
        "Periksa kembali NIK dengan KTP."
    )
    r = check_nik(make_nik(born, region="331000"), today=TODAY, kecamatan=klaten_kecamatan)
    assert r.ok and r.codes == ("nik_kecamatan",)
    assert "(33.10.00) berakhir 00; tidak ada kecamatan berkode 00" in r.warnings[0].message


def test_kecamatan_00_anywhere_but_other_regencies_unknown_to_the_table() -> None:
    born = date(1970, 5, 12)
    # 00 is never a kecamatan, whatever the table holds
    for known in (NO_KECAMATAN_TABLE, KnownKecamatan.of(["33.10.01"])):
        assert check_nik(make_nik(born, region="340200"), today=TODAY, kecamatan=known).codes == (
            "nik_kecamatan",
            "nik_region",
        )
    # Kabupaten Sleman (34.04) is not in the table: its kecamatan 99 cannot be judged
    known = KnownKecamatan.of(["33.10.01", "33.10.02"])
    assert check_nik(make_nik(born, region="340499"), today=TODAY, kecamatan=known).codes == ("nik_region",)
    # a regency the table does list is judged, and named by its code when it is not Klaten
    known = KnownKecamatan.of(["34.04.01"])
    r = check_nik(make_nik(born, region="340499"), today=TODAY, kecamatan=known)
    assert r.codes == ("nik_kecamatan", "nik_region")
    assert "daftar wilayah kabupaten/kota 34.04" in r.warnings[0].message
    # without the table only 00 is warned about
    assert check_nik(make_nik(born, region="331027"), today=TODAY).issues == ()


def test_unknown_province() -> None:
    r = check_nik(make_nik(date(1970, 5, 12), region="990101"), today=TODAY)
    assert r.ok
    assert set(r.codes) == {"nik_province", "nik_region"}
    assert "99" in r.for_field("nik")[0].message


def test_birth_date_and_sex_mismatch_are_warnings() -> None:
    nik = make_nik(date(1970, 5, 12))
    r = check_nik(nik, today=TODAY, birth_date=date(1970, 5, 13), sex=Sex.P)
    assert r.ok
    assert r.codes == ("nik_birth_date_mismatch", "nik_sex_mismatch")
    assert "12 Mei 1970" in r.warnings[0].message
    assert "13 Mei 1970" in r.warnings[0].message
    assert "tidak dapat diubah" in r.warnings[0].message
    assert "Laki-laki" in r.warnings[1].message


def test_age_warnings() -> None:
    young = make_nik(date(2010, 1, 1))
    assert check_nik(young, today=TODAY).codes == ("nik_age",)
    assert "16 tahun" in check_nik(young, today=TODAY).warnings[0].message
    just17 = make_nik(date(2009, 3, 20))
    assert check_nik(just17, today=TODAY).issues == ()
    old = make_nik(date(1935, 3, 19))  # 91 on TODAY
    assert check_nik(old, today=TODAY).codes == ("nik_age",)
    exactly90 = make_nik(date(1935, 3, 21))  # 90 on TODAY
    assert check_nik(exactly90, today=TODAY).issues == ()
    # recorded birth date wins over the encoded one
    r = check_nik(young, today=TODAY, birth_date=date(1970, 1, 1))
    assert r.codes == ("nik_birth_date_mismatch",)


def test_normalize_nik() -> None:
    assert normalize_nik(" '3310.0112-0570 0001\u00a0") == "3310011205700001"
    assert normalize_nik("3310O11205700001") == "3310O11205700001"  # letters are not repaired


def test_looks_like_excel_float() -> None:
    assert looks_like_excel_float(3.31001120570001e15)
    assert looks_like_excel_float(3310011205700001)
    assert looks_like_excel_float("3.31001E+15")
    assert looks_like_excel_float("3,31001E+15")
    assert not looks_like_excel_float("3310011205700001")
    assert not looks_like_excel_float(123456)
    assert not looks_like_excel_float(True)
    assert not looks_like_excel_float(None)


def test_mask_and_kecamatan_code() -> None:
    assert mask_nik("3310011205700001") == "331001******0001"
    assert mask_nik("12345678") == "****5678"
    assert mask_nik("123") == "***"
    assert kecamatan_kode_from_nik("3310011205700001") == "33.10.01"
    assert kecamatan_kode_from_nik("3310261205700001") == "33.10.26"


def test_age_on() -> None:
    assert age_on(date(1970, 5, 12), date(2026, 5, 11)) == 55
    assert age_on(date(1970, 5, 12), date(2026, 5, 12)) == 56
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26


def test_province_codes() -> None:
    assert len(PROVINCE_CODES) == 38
    assert {"11", "33", "34", "91", "96"} <= PROVINCE_CODES
    assert "20" not in PROVINCE_CODES


@given(st.text(max_size=20))
def test_decode_never_raises_other_than_nik_error(text: str) -> None:
    try:
        decode_nik(text, today=TODAY)
    except NikError:
        pass
    check_nik(text, today=TODAY)


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_decode_digits_only_nik_error_or_consistent(nik: str) -> None:
    try:
        info = decode_nik(nik, today=TODAY)
    except NikError:
        return
    assert info.birth_date <= TODAY
    assert info.birth_date.year >= 1900
    assert info.sex is (Sex.P if int(nik[6:8]) > 40 else Sex.L)
