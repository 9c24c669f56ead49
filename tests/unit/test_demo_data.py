from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from klaten_desktop.domain.coverage import EnrollmentFacts, coverage_status
from klaten_desktop.domain.demo_data import DemoOfficial, generate_demo
from klaten_desktop.domain.enums import CoverageStatus, Jabatan, Sex
from klaten_desktop.domain.kpj import check_kpj
from klaten_desktop.domain.nik import KnownKecamatan, check_nik, decode_nik
from klaten_desktop.domain.normalize import normalize_phone
from klaten_desktop.domain.official_rules import OfficialFields, check_official
from klaten_desktop.domain.wilayah import Wilayah

TODAY = date(2026, 3, 20)
DESA = [
    Wilayah("33.10.01.2001", "Sengon", "desa", "33.10.01"),
    Wilayah("33.10.01.2002", "Cucukan", "desa", "33.10.01"),
    Wilayah("33.10.05.2003", "Desa Tiga", "desa", "33.10.05"),
    Wilayah("33.10.24.1001", "Bareng Lor", "kelurahan", "33.10.24"),
]


@pytest.fixture(scope="module")
def demo() -> list[DemoOfficial]:
    return generate_demo(DESA, 3000, today=TODAY)


@pytest.mark.parametrize("n", [0, 1, 7, 100, 3001])
def test_n_honoured(n: int) -> None:
    assert len(generate_demo(DESA, n, today=TODAY)) == n


def test_deterministic_per_seed() -> None:
    assert generate_demo(DESA, 200, today=TODAY, seed=7) == generate_demo(DESA, 200, today=TODAY, seed=7)
    assert generate_demo(DESA, 200, today=TODAY, seed=7) != generate_demo(DESA, 200, today=TODAY, seed=8)


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="desa"):
        generate_demo([Wilayah("33.10.01", "Prambanan", "kecamatan", "33.10")], 5, today=TODAY)
    with pytest.raises(ValueError, match="negatif"):
        generate_demo(DESA, -1, today=TODAY)


def test_niks_valid_unique_and_match_person(demo: list[DemoOfficial], klaten_kecamatan: KnownKecamatan) -> None:
    niks = [o.nik for o in demo]
    assert len(set(niks)) == len(niks)
    for o in demo:
        result = check_nik(
            o.nik, today=TODAY, birth_date=o.tanggal_lahir, sex=o.jenis_kelamin, kecamatan=klaten_kecamatan
        )
        assert result.issues == (), (o.nik, result)
        info = decode_nik(o.nik, today=TODAY)
        assert info.kecamatan == o.desa_kode[:8].replace(".", "")
        assert 25 <= (TODAY - o.tanggal_lahir).days // 365.25 <= 75


def test_every_record_passes_official_rules(demo: list[DemoOfficial], klaten_kecamatan: KnownKecamatan) -> None:
    for o in demo:
        fields = OfficialFields(
            nik=o.nik, nama=o.nama, tempat_lahir=o.tempat_lahir, tanggal_lahir=o.tanggal_lahir,
            jenis_kelamin=o.jenis_kelamin, alamat=o.alamat, desa_kode=o.desa_kode, rw=o.rw, rt=o.rt,
            jabatan=o.jabatan, term_start=o.term_start, term_end=o.term_end, sk_nomor=o.sk_nomor,
            sk_tanggal=o.sk_tanggal, telepon=o.telepon,
        )  # fmt: skip
        result = check_official(fields, today=TODAY, kecamatan_kode=o.desa_kode[:8], known_kecamatan=klaten_kecamatan)
        assert result.issues == (), (o, result)
        if o.telepon is not None:
            assert normalize_phone(o.telepon) == o.telepon


def test_slots_unique(demo: list[DemoOfficial]) -> None:
    slots = Counter((o.desa_kode, o.rw, o.rt, o.jabatan) for o in demo if o.jabatan.is_single_holder)
    assert max(slots.values()) == 1
    # every RT head's RW has a RW head when the desa got its full share
    assert {o.desa_kode for o in demo} == {w.kode for w in DESA}


def test_distribution(demo: list[DemoOfficial]) -> None:
    jabatan = Counter(o.jabatan for o in demo)
    assert jabatan[Jabatan.ketua_rt] > 2 * jabatan[Jabatan.ketua_rw] > 0
    assert 0 < jabatan[Jabatan.sekretaris] + jabatan[Jabatan.bendahara] < len(demo) // 10
    sexes = Counter(o.jenis_kelamin for o in demo)
    assert sexes[Sex.P] > 0 and sexes[Sex.L] > sexes[Sex.P]
    assert 0.75 < sum(o.telepon is not None for o in demo) / len(demo) < 0.95
    for o in demo:
        assert 2021 <= o.term_start.year <= 2025
        assert o.term_end.year == o.term_start.year + 5 or o.term_end.year == o.term_start.year + 4
        assert o.sk_tanggal <= o.term_start


def test_enrollment_mix(demo: list[DemoOfficial]) -> None:
    enrolled = [o.enrollment for o in demo if o.enrollment is not None]
    assert 0.65 < len(enrolled) / len(demo) < 0.75
    kpjs = [e.nomor_kpj for e in enrolled if e.nomor_kpj is not None]
    assert len(set(kpjs)) == len(kpjs)
    assert all(check_kpj(k).issues == () for k in kpjs)
    statuses = Counter(
        coverage_status(
            on=TODAY,
            enrollment=EnrollmentFacts(e.submitted_on, e.registered_on, e.nomor_kpj, e.ended_on, e.paid_through),
            term_ended_on=None,
        )
        for e in enrolled
    )  # fmt: skip
    for status in (
        CoverageStatus.diajukan, CoverageStatus.aktif, CoverageStatus.menunggak,
        CoverageStatus.nonaktif, CoverageStatus.berakhir,
    ):  # fmt: skip
        assert statuses[status] > 0, status
    assert statuses[CoverageStatus.aktif] > statuses[CoverageStatus.nonaktif]
    assert statuses[CoverageStatus.berakhir] < len(enrolled) * 0.06
    for o in demo:
        if o.enrollment is None:
            continue
        e = o.enrollment
        assert e.submitted_on <= TODAY
        if e.registered_on is not None:
            assert e.submitted_on <= e.registered_on <= TODAY
        if o.desa_kode == "33.10.24.1001":
            assert e.funding.value == "APBD"


def test_large_run_keeps_invariants() -> None:
    many = generate_demo(DESA, 20_000, today=TODAY, seed=1)
    assert len(many) == 20_000
    assert len({o.nik for o in many}) == 20_000
    assert max(Counter((o.desa_kode, o.rw, o.rt, o.jabatan) for o in many).values()) == 1
    assert all(o.rw is not None and 1 <= o.rw <= 999 for o in many)
