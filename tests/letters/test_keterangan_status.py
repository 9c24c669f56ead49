"""The surat keterangan states each official's real status on its date; it is refused for an official who is not
aktif unless the office allows it; the pengantar's lampiran has a status column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import enrollment, office, officials, payments
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue, options
from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf
from tests.services.test_officials import NIK_MAN, NIK_OTHER, NIK_WOMAN, fields

ON = dt.date(2026, 11, 24)  # tests.conftest.TODAY


@pytest.fixture
def three(ctx: ServiceContext) -> dict[str, str]:
    """Ketua RT paid through November (aktif), through September (menunggak), through April (nonaktif)."""
    office.update(ctx, SYSTEM, camat_nama="Drs. Contoh Camat", camat_nip="197001011990031001")
    people = {
        "aktif": ("Sumarno", NIK_MAN, dt.date(1970, 5, 12), 1, "2026-11"),
        "menunggak": ("Sri Wahyuni", NIK_WOMAN, dt.date(1975, 8, 12), 2, "2026-09"),
        "nonaktif": ("Joko Santoso", NIK_OTHER, dt.date(1980, 9, 23), 4, "2026-04"),
    }
    ids = {}
    for status, (nama, nik, born, rt, paid) in people.items():
        oid = officials.register(ctx, SYSTEM, fields(nama=nama, nik=nik, tanggal_lahir=born, rt=rt)).id
        enrollment.register(ctx, SYSTEM, oid, kpj=f"1234567890{rt}", start=dt.date(2026, 1, 5))
        payments.record_payments(ctx, SYSTEM, [oid], start=YearMonth(2026, 1), end=YearMonth.parse(paid))
        ids[status] = oid
    return ids


def test_keterangan_states_the_real_status_on_its_date(
    ctx: ServiceContext, three: dict[str, str], tmp_path: Path, read_pdf: ReadPdf
) -> None:
    options.set_allowed(ctx, SYSTEM, True)
    order = [three["aktif"], three["menunggak"], three["nonaktif"]]
    result = issue.keterangan(ctx, SYSTEM, official_ids=order, out=tmp_path / "k.pdf", on=ON)
    pages = read_pdf(tmp_path / "k.pdf")
    assert len(result.documents) == len(pages) == 3
    text = {name: next(p for p in pages if name in p) for name in ("Sumarno", "Sri Wahyuni", "Joko Santoso")}
    assert (
        "Status kepesertaannya pada tanggal 24 November 2026: aktif; iuran terbayar s.d. November 2026"
        in (text["Sumarno"])
    )
    assert "menunggak sejak Oktober 2026 (2 bulan); iuran terbayar s.d. September 2026" in text["Sri Wahyuni"]
    assert "menjadi nonaktif pada 16 Desember 2026 bila belum dibayar" in text["Sri Wahyuni"]
    assert "nonaktif sejak 16 Juli 2026; perlindungan tidak berlaku" in text["Joko Santoso"]
    assert "Status kepesertaan : nonaktif sejak 16 Juli 2026" in text["Joko Santoso"]
    for page in pages:
        assert "terdaftar sebagai peserta" not in page and "dibayarkan dari" not in page


def test_default_refuses_naming_who_and_why(ctx: ServiceContext, three: dict[str, str], tmp_path: Path) -> None:
    assert options.allowed(ctx) is False
    with pytest.raises(UserError) as refused:
        issue.keterangan(ctx, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf", on=ON)
    message = refused.value.message
    assert message.startswith("Surat keterangan kepesertaan tidak dibuat: 2 pengurus tidak aktif pada tanggal 24")
    assert "Sri Wahyuni (Ketua RT 002 RW 002, Desa Sengon): menunggak sejak Oktober 2026 (2 bulan)" in message
    assert "Joko Santoso (Ketua RT 004 RW 002, Desa Sengon): nonaktif sejak 16 Juli 2026" in message
    assert "Sumarno" not in message and "Pengaturan, tab Kantor" in message
    assert not (tmp_path / "k.pdf").exists()
    # the aktif official alone gets the letter
    done = issue.keterangan(ctx, SYSTEM, official_ids=[three["aktif"]], out=tmp_path / "k.pdf", on=ON)
    assert len(done.documents) == 1


def test_pengantar_lampiran_has_a_status_column(ctx: ServiceContext, tmp_path: Path, read_pdf: ReadPdf) -> None:
    office.update(ctx, SYSTEM, camat_nama="Drs. Contoh Camat", camat_nip="197001011990031001")
    officials.register(ctx, SYSTEM, fields())
    result = issue.pengantar(ctx, SYSTEM, desa_kode=SENGON, out=tmp_path / "p.pdf", on=ON)
    pages = read_pdf(tmp_path / "p.pdf")
    lampiran = pages[-1]
    assert "No Nama NIK Tanggal lahir Jabatan RT/RW Desa No. HP Status" in lampiran
    assert "Belum terdaftar" in lampiran
    assert "bagi Ketua RT dan Ketua RW di wilayah Kecamatan" in pages[0]
    assert result.submitted == 1
