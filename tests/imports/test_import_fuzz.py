"""Fuzzing: no cell value and no sheet layout may raise an unhandled exception."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaten_desktop.domain.normalize import normalize_phone
from klaten_desktop.services.imports import cells as cell_rules
from klaten_desktop.services.imports import columns, parsing
from klaten_desktop.services.imports.columns import FIELD_LABELS, find_header, guess_from_header_row
from klaten_desktop.services.imports.header import ColumnMapping
from klaten_desktop.services.imports.rows import DesaDirectory, parse_row

TODAY = dt.date(2026, 11, 24)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

header_words = st.sampled_from(
    ["NIK", "N I K", "No. KTP", "Nama", "NAMA LENGKAP", "Tempat, Tanggal Lahir", "L/P", "RT/RW", "RT", "RW",
     "Desa", "Kecamatan", "Jabatan", "No HP", "Tempat", "Tanggal", "Jumlah", "Mengetahui,", "Kepala Desa", ""]
)  # fmt: skip
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    header_words,
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.from_regex(r"\s*(\d{1,3}[/\-. ]\d{1,3}|RT\.?\s*\d+|\d{16}|3[.,]\d+E\+15|\+?62\s?8\d{8,11})\s*", fullmatch=True),
    st.from_regex(r"\s*\d{1,2}\s*[-/ ]\s*(\d{1,2}|[A-Za-z]{3,9})\s*[-/ ]\s*\d{2,4}\s*", fullmatch=True),
)
rows = st.lists(st.lists(cells, max_size=10), max_size=12)

DIRECTORY = DesaDirectory(
    desa_names={"33.10.01.2001": "Sengon", "33.10.16.2002": "Jetis", "33.10.14.2004": "Jetis"},
    kecamatan_names={"33.10.01": "Prambanan", "33.10.16": "Delanggu", "33.10.14": "Juwiring"},
    by_name={
        ("33.10.01", "sengon"): ("33.10.01.2001",),
        ("33.10.16", "jetis"): ("33.10.16.2002",),
        ("33.10.14", "jetis"): ("33.10.14.2004",),
    },
    kecamatan_by_name={"prambanan": "33.10.01", "delanggu": "33.10.16", "juwiring": "33.10.14"},
    office_kecamatan=None,
)
FIELDS = tuple(FIELD_LABELS)
MAPPING = ColumnMapping(0, 1, tuple(FIELD_LABELS.values()), FIELDS)


@FUZZ
@given(rows)
def test_header_finder_never_raises(table: list[list[object]]) -> None:
    guess = find_header(table)
    if guess is not None:
        assert 0 <= guess.header_row < guess.data_start <= len(table) + 1
        assert len(guess.fields) == len(guess.labels)
    for index in range(len(table)):
        guess_from_header_row(table, index)
        cell_rules.is_footer_row(table[index])
        columns.is_column_number_row(table[index])


@FUZZ
@given(cells)
def test_cell_helpers_never_raise(value: object) -> None:
    columns.field_for_header(value)
    cell_rules.cell_text(value)
    cell_rules.desa_code_of(value)
    cell_rules.kecamatan_code_of(value)
    cell_rules.holds_nik_attempt(value)
    text = cell_rules.cell_text(value)
    if text is not None:
        cell_rules.place_key(text)
        cell_rules.split_desa_cell(text)
    try:
        cell_rules.parse_jabatan(value)
    except ValueError:
        pass


@FUZZ
@given(cells)
def test_value_parsers_raise_only_value_error(value: object) -> None:
    for parse in (
        lambda v: parsing.parse_date_flexible(v, today=TODAY),
        lambda v: parsing.parse_rt_number(v),
        normalize_phone,
        parsing.parse_sex,
        lambda v: parsing.parse_rt_rw_pair(v if isinstance(v, str) else None),
        lambda v: parsing.split_place_and_date(v if isinstance(v, str) else None, today=TODAY),
    ):
        try:
            parse(value)
        except ValueError:
            pass


@FUZZ
@given(st.lists(cells, min_size=len(FIELDS), max_size=len(FIELDS)), st.sampled_from([None, "33.10.01.2001"]))
def test_parse_row_never_raises(row: list[object], desa: str | None) -> None:
    parsed = parse_row(row, 5, MAPPING, DIRECTORY, desa_kode=desa, today=TODAY)
    assert parsed.sheet_row == 6
    assert all(isinstance(e, str) and e for e in parsed.errors)


@pytest.mark.parametrize(
    ("cell", "field"),
    [("N I K", "nik"), ("No. KTP", "nik"), ("NAMA LENGKAP", "nama"), ("Tempat, Tanggal Lahir", "ttl"),
     ("TTL", "ttl"), ("L/P", "jenis_kelamin"), ("Jenis Kelamin", "jenis_kelamin"), ("RT/RW", "rt_rw"),
     ("RT", "rt"), ("No. HP / WA", "telepon"), ("Desa/Kel", "desa"), ("Kode Desa", "kode_desa"),
     ("Nama Ketua RT", "nama"), ("DAFTAR KETUA RT/RW DESA SENGON KECAMATAN PRAMBANAN", None), ("1", None)],
)  # fmt: skip
def test_header_synonyms(cell: str, field: str | None) -> None:
    assert columns.field_for_header(cell) == field


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("Ketua RT", "ketua_rt"), ("KETUA RT 03", "ketua_rt"), ("Ka. RW", "ketua_rw"), ("Ketua RW 02 / Dukuh", "ketua_rw"),
     ("Sekretaris", "sekretaris"), ("bendahara", "bendahara")],
)  # fmt: skip
def test_jabatan_forms(cell: str, expected: str) -> None:
    assert cell_rules.parse_jabatan(cell) == expected
