from __future__ import annotations

from dataclasses import replace
from datetime import date

from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.nik import KnownKecamatan
from klaten_desktop.domain.official_rules import OfficialFields, check_official

TODAY = date(2026, 3, 20)
KLATEN = KnownKecamatan.of(f"33.10.{n:02d}" for n in range(1, 27))

GOOD = OfficialFields(
    nik="3310011205700001",  # synthetic
    nama="Sumarno",
    tempat_lahir="Klaten",
    tanggal_lahir=date(1970, 5, 12),
    jenis_kelamin=Sex.L,
    alamat="Dukuh Krajan RT 003/RW 002",
    desa_kode="33.10.01.2001",
    rw=2,
    rt=3,
    jabatan=Jabatan.ketua_rt,
    term_start=date(2024, 1, 1),
    term_end=date(2028, 12, 31),
    sk_nomor="400.10.3.1/001/2024",
    sk_tanggal=date(2023, 12, 20),
    telepon="0812-3456-7890",
)


def codes(f: OfficialFields, kecamatan_kode: str | None = "33.10.01") -> set[tuple[str, str, str]]:
    result = check_official(f, today=TODAY, kecamatan_kode=kecamatan_kode, known_kecamatan=KLATEN)
    return {(i.field, i.code, i.severity.value) for i in result.issues}


def test_good_record_has_no_issues() -> None:
    assert codes(GOOD) == set()
    assert codes(replace(GOOD, telepon=None, sk_tanggal=None, term_end=None)) == set()
    assert codes(replace(GOOD, jabatan=Jabatan.ketua_rw, rt=None)) == set()


def test_name() -> None:
    assert codes(replace(GOOD, nama="  ")) == {("nama", "nama_empty", "error")}
    assert codes(replace(GOOD, nama="Jo")) == {("nama", "nama_short", "error")}
    assert codes(replace(GOOD, nama="Tri")) == set()
    assert codes(replace(GOOD, nama="Sri Rahayu, S.Pd.")) == set()
    assert codes(replace(GOOD, nama="Ngadiyem Ṣāliḥ")) == set()  # letters with marks are letters


def test_dates_before_1900_are_typing_mistakes() -> None:
    assert codes(replace(GOOD, sk_tanggal=date(202, 1, 1))) == {("sk_tanggal", "sk_tanggal_too_old", "error")}
    assert ("term_start", "term_start_too_old", "error") in codes(replace(GOOD, term_start=date(1899, 12, 31)))
    assert codes(replace(GOOD, sk_tanggal=date(1900, 1, 1))) == set()


def test_text_that_no_ktp_holds() -> None:
    assert codes(replace(GOOD, nama="Suparman \U0001f64f")) == {("nama", "nama_chars", "error")}
    assert codes(replace(GOOD, nama="Sumarno\x07")) == {("nama", "nama_chars", "error")}
    assert codes(replace(GOOD, nama="A" * 201)) == {("nama", "nama_long", "error")}
    assert codes(replace(GOOD, nama="A" * 200)) == set()
    assert codes(replace(GOOD, tempat_lahir="K" * 101)) == {("tempat_lahir", "tempat_lahir_long", "error")}
    assert codes(replace(GOOD, sk_nomor="\u2605 001")) == {("sk_nomor", "sk_nomor_chars", "error")}
    assert codes(replace(GOOD, alamat="Dukuh " * 60)) == {("alamat", "alamat_long", "error")}


def test_a_letter_the_pdf_fonts_lack_is_refused_by_name() -> None:
    result = check_official(
        replace(GOOD, nama="Bambang ꦧꦩ꧀ꦧꦁ"), today=TODAY, kecamatan_kode="33.10.01", known_kecamatan=KLATEN
    )
    assert [(i.field, i.code) for i in result.errors] == [("nama", "nama_unprintable")]
    assert result.errors[0].message.startswith('Nama berisi huruf "ꦧ" (U+A9A7), "ꦩ" (U+A9A9)')
    assert "tidak dapat dicetak" in result.errors[0].message
    assert codes(replace(GOOD, alamat="Dukuh 王")) == {("alamat", "alamat_unprintable", "error")}
    # beyond Latin-1 but in the fonts: printed as typed
    assert codes(replace(GOOD, nama="Siti Ṣāliḥah Ağça", tempat_lahir="Łódź")) == set()
    # an emoji gets the emoji message only
    assert codes(replace(GOOD, nama="Suparman \U0001f600")) == {("nama", "nama_chars", "error")}


def test_nik_errors_and_warnings_flow_through() -> None:
    assert codes(replace(GOOD, nik="331001120570001")) == {("nik", "nik_length", "error")}
    assert codes(replace(GOOD, tanggal_lahir=date(1970, 5, 13), jenis_kelamin=Sex.P)) == {
        ("nik", "nik_birth_date_mismatch", "warning"),
        ("nik", "nik_sex_mismatch", "warning"),
    }
    assert codes(replace(GOOD, nik="3402011205700001")) == {("nik", "nik_region", "warning")}


def test_desa() -> None:
    assert codes(replace(GOOD, desa_kode=None)) == {("desa_kode", "desa_missing", "error")}
    assert codes(replace(GOOD, desa_kode="33.10.02.2001")) == {("desa_kode", "desa_other_kecamatan", "error")}
    assert codes(replace(GOOD, desa_kode="33.10.02.2001"), kecamatan_kode=None) == set()
    assert codes(replace(GOOD, desa_kode="Sengon")) == {("desa_kode", "desa_invalid", "error")}


def test_jabatan_slots() -> None:
    assert codes(replace(GOOD, jabatan=None)) == {("jabatan", "jabatan_missing", "error")}
    assert codes(replace(GOOD, rt=None)) == {("rt", "rt_missing", "error")}
    assert codes(replace(GOOD, rw=None)) == {("rw", "rw_missing", "error")}
    assert codes(replace(GOOD, jabatan=Jabatan.ketua_rw)) == {("rt", "rt_for_rw_head", "error")}
    assert codes(replace(GOOD, jabatan=Jabatan.ketua_rw, rw=None, rt=None)) == {("rw", "rw_missing", "error")}
    assert codes(replace(GOOD, jabatan=Jabatan.sekretaris, rt=None)) == set()
    assert codes(replace(GOOD, rt=0, rw=1000)) == {("rt", "rt_range", "error"), ("rw", "rw_range", "error")}


def test_dates() -> None:
    assert codes(replace(GOOD, term_end=date(2023, 12, 31))) == {("term_end", "term_end_before_start", "error")}
    future_birth = replace(GOOD, tanggal_lahir=date(2026, 3, 21))
    assert ("tanggal_lahir", "birth_date_future", "error") in codes(future_birth)
    assert codes(replace(GOOD, sk_tanggal=date(2026, 3, 21))) == {("sk_tanggal", "sk_tanggal_future", "warning")}
    assert codes(replace(GOOD, sk_tanggal=TODAY)) == set()


def test_phone() -> None:
    assert codes(replace(GOOD, telepon="12345")) == {("telepon", "telepon_invalid", "error")}
    assert codes(replace(GOOD, telepon="  ")) == set()
    result = check_official(replace(GOOD, telepon="12345"), today=TODAY, kecamatan_kode=None, known_kecamatan=KLATEN)
    assert "12345" in result.errors[0].message


def test_fields_are_attribute_names() -> None:
    bad = replace(GOOD, nama="", nik="", desa_kode=None, jabatan=None, term_end=date(2020, 1, 1), telepon="x", rt=0)
    result = check_official(bad, today=TODAY, kecamatan_kode="33.10.01", known_kecamatan=KLATEN)
    attributes = set(OfficialFields.__dataclass_fields__)
    assert {i.field for i in result.issues} <= attributes
    assert not result.ok


def test_nik_kecamatan_unknown_to_the_region_table_is_a_warning() -> None:
    assert codes(replace(GOOD, nik="3310271205700001")) == {("nik", "nik_kecamatan", "warning")}
    assert codes(replace(GOOD, nik="3310001205700001")) == {("nik", "nik_kecamatan", "warning")}
    # another regency: the table does not list its kecamatan, so only the "not Klaten" warning
    assert codes(replace(GOOD, nik="3372991205700001")) == {("nik", "nik_region", "warning")}
