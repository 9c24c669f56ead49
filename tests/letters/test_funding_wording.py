"""Letters say "dibebankan pada / dibayarkan dari Alokasi Dana Desa" only for posts the ADD covers on the letter's
date (services/coverage_settings.py); for others they say what is true: not charged to the ADD and why, or the
enrollment's own recorded funding source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from klaten_desktop.domain.coverage import DEFAULT_INSURED_RULE
from klaten_desktop.domain.enums import FundingSource, Jabatan, Sex
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import coverage_settings, enrollment, office, officials, payments, tariff_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.letters import issue
from klaten_desktop.services.letters.issue import SYNTHETIC
from klaten_desktop.services.letters.payload import funding_statement
from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf
from tests.services.test_officials import NIK_OTHER, NIK_WOMAN, fields

ON = dt.date(2026, 11, 24)  # tests.conftest.TODAY
ADD = "dibebankan pada Alokasi Dana Desa (ADD)."
NOT_ADD = (
    "dibebankan pada sumber dana di luar Alokasi Dana Desa (ADD), sebab jabatan Bendahara tidak termasuk jabatan "
    "yang ditanggung ADD (Ketua RT dan Ketua RW) menurut Peraturan Bupati Klaten Nomor 9 Tahun 2022"
)


@pytest.fixture
def people(ctx: ServiceContext) -> dict[str, str]:
    """A Ketua RT and a Bendahara, both registered with the default funding (ADD) and paid through November."""
    office.update(ctx, SYSTEM, camat_nama="Drs. Contoh Camat", camat_nip="197001011990031001")
    ketua = officials.register(ctx, SYSTEM, fields()).id
    bendahara = officials.register(
        ctx,
        SYSTEM,
        fields(
            nik=NIK_OTHER, nama="Joko Santoso", tanggal_lahir=dt.date(1980, 9, 23), jabatan=Jabatan.bendahara, rt=None
        ),
    ).id
    for oid, kpj in ((ketua, "12345678901"), (bendahara, "12345678902")):
        enrollment.register(ctx, SYSTEM, oid, kpj=kpj, start=dt.date(2026, 1, 5))
        payments.record_payments(ctx, SYSTEM, [oid], start=YearMonth(2026, 1), end=YearMonth(2026, 11))
    return {"ketua": ketua, "bendahara": bendahara}


def _letter(ctx: ServiceContext, oid: str, out: Path, read_pdf: ReadPdf, on: dt.date = ON) -> str:
    issue.keterangan(ctx, SYSTEM, official_ids=[oid], out=out, on=on)
    return read_pdf(out)[0]


def test_keterangan_names_the_add_only_for_an_insured_post(
    ctx: ServiceContext, people: dict[str, str], tmp_path: Path, read_pdf: ReadPdf
) -> None:
    ketua = _letter(ctx, people["ketua"], tmp_path / "k.pdf", read_pdf)
    assert ADD in ketua
    bendahara = _letter(ctx, people["bendahara"], tmp_path / "b.pdf", read_pdf)
    assert NOT_ADD in bendahara
    assert ADD not in bendahara


def test_keterangan_follows_the_dated_setting_on_the_letters_date(
    ctx: ServiceContext, people: dict[str, str], tmp_path: Path, read_pdf: ReadPdf
) -> None:
    coverage_settings.set_other_posts(
        ctx, SYSTEM, other_posts=True, valid_from=dt.date(2026, 11, 1), source="Keputusan Kepala Desa Sengon 5/2026"
    )
    assert ADD in _letter(ctx, people["bendahara"], tmp_path / "after.pdf", read_pdf)
    assert NOT_ADD in _letter(ctx, people["bendahara"], tmp_path / "before.pdf", read_pdf, dt.date(2026, 10, 20))
    coverage_settings.set_other_posts(
        ctx, SYSTEM, other_posts=False, valid_from=dt.date(2026, 11, 20), source="Keputusan Kepala Desa Sengon 9/2026"
    )
    again = _letter(ctx, people["bendahara"], tmp_path / "again.pdf", read_pdf)
    assert "sebab jabatan Bendahara tidak termasuk jabatan yang ditanggung ADD (Ketua RT dan Ketua RW) menurut" in again
    assert "Keputusan Kepala Desa Sengon 9/2026" in again


def test_keterangan_states_a_recorded_funding_other_than_the_add(
    ctx: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    office.update(ctx, SYSTEM, camat_nama="Drs. Contoh Camat", camat_nip="197001011990031001")
    oid = officials.register(
        ctx, SYSTEM, fields(nik=NIK_WOMAN, nama="Sri Wahyuni", tanggal_lahir=dt.date(1975, 8, 12),
                            jenis_kelamin=Sex.P, jabatan=Jabatan.bendahara, rt=None)
    ).id  # fmt: skip
    enrollment.register(ctx, SYSTEM, oid, kpj="12345678903", start=dt.date(2026, 1, 5), funding=FundingSource.MANDIRI)
    payments.record_payments(ctx, SYSTEM, [oid], start=YearMonth(2026, 1), end=YearMonth(2026, 11))
    text = _letter(ctx, oid, tmp_path / "m.pdf", read_pdf)
    assert "per bulan dibebankan pada iuran mandiri peserta." in text
    assert "Alokasi Dana Desa" not in text


def test_iuran_and_pengantar_name_the_funding_they_bill(
    ctx: ServiceContext, people: dict[str, str], tmp_path: Path, read_pdf: ReadPdf
) -> None:
    iuran = issue.iuran(ctx, SYSTEM, desa_kode=SENGON, period=(YearMonth(2027, 1), YearMonth(2027, 3)),
                        out=tmp_path / "i.pdf", on=ON)  # fmt: skip
    text = read_pdf(tmp_path / "i.pdf")[0]
    assert iuran.documents[0].subjects == 1  # the Bendahara is not billed to the desa
    assert "(Ketua RT dan Ketua RW) yang dibayarkan dari Alokasi Dana Desa (ADD) untuk periode" in text
    assert "Joko Santoso" not in text

    officials.register(
        ctx, SYSTEM, fields(nik="3310011708700004", nama="Sugiyono", tanggal_lahir=dt.date(1970, 8, 17), rt=5)
    )
    defaults = tariff_settings.defaults(ctx)
    tariff_settings.set_defaults(
        ctx, SYSTEM, tariff_code=defaults.tariff_code, programs=defaults.programs, funding=FundingSource.APBDES
    )
    issue.pengantar(ctx, SYSTEM, desa_kode=SENGON, out=tmp_path / "p.pdf", on=ON)
    first = read_pdf(tmp_path / "p.pdf")[0]
    assert "dengan iuran dibayarkan dari Anggaran Pendapatan dan Belanja Desa (APBDes), sebagaimana" in first
    assert "Alokasi Dana Desa" not in first


def test_a_list_of_several_posts_names_each_funding_once() -> None:
    ketua = SYNTHETIC
    sekretaris = SYNTHETIC._replace(jabatan="sekretaris", rt=None)
    bendahara = SYNTHETIC._replace(jabatan="bendahara", rt=None)
    desa_paid = SYNTHETIC._replace(funding_source="APBDes")
    new = SYNTHETIC._replace(enrollment_id=None, funding_source=None)
    said = funding_statement([ketua, sekretaris, bendahara, desa_paid, new, bendahara], DEFAULT_INSURED_RULE, "ADD")
    assert said == (
        "Alokasi Dana Desa (ADD) serta Anggaran Pendapatan dan Belanja Desa (APBDes) serta sumber dana di luar "
        "Alokasi Dana Desa (ADD), sebab jabatan Sekretaris dan Bendahara tidak termasuk jabatan yang ditanggung ADD "
        "(Ketua RT dan Ketua RW) menurut Peraturan Bupati Klaten Nomor 9 Tahun 2022 (perubahan kedua Perbup 92/2019 "
        "tentang ADD)"
    )
    assert funding_statement([bendahara], None, "ADD") == "Alokasi Dana Desa (ADD)"  # posts checked by the caller
    assert funding_statement([desa_paid], DEFAULT_INSURED_RULE, "mandiri", new_enrollments=True) == (
        "iuran mandiri peserta"
    )
