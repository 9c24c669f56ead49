"""The surat pemberitahuan iuran states the basis of each run of months, from the same figures as its amounts:
"0,54 % × UMK 2026 Rp ... = Rp ...", "tarif BPU Rp 16.800"; a year without UMK stops it by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import enrollment, payments, tariff_settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive
from klaten_desktop.services.documents.schemas import LetterPayloadV1
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf


def _umk_head(office: ServiceContext) -> str:
    """A head of Sengon without enrollment, registered under KLATEN-UMK from December 2026."""
    head = next(
        s for s in issue.subjects(office, desa_kode=SENGON) if s.enrollment_id is None and s.jabatan in HEAD_POSTS
    )
    tariff_settings.set_umk(office, SYSTEM, 2026, 230_000_050, "contoh uji")  # 0,54 % = Rp 12.420
    enrollment.register(
        office, SYSTEM, head.id, kpj="99999999991", start=dt.date(2026, 12, 1), tariff_code="KLATEN-UMK"
    )
    return head.nama


def test_iuran_letter_states_each_months_basis(office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf) -> None:
    name = _umk_head(office)
    with pytest.raises(UserError, match="UMK Kabupaten Klaten tahun 2027 belum diisi"):
        issue.iuran(office, SYSTEM, desa_kode=SENGON, period=(YearMonth(2026, 12), YearMonth(2027, 1)),
                    out=tmp_path / "gagal.pdf")  # fmt: skip
    assert not (tmp_path / "gagal.pdf").exists()
    tariff_settings.set_umk(office, SYSTEM, 2027, 240_000_000, "contoh uji")  # Rp 12.960

    out = tmp_path / "iuran.pdf"
    result = issue.iuran(office, SYSTEM, desa_kode=SENGON, period=(YearMonth(2026, 12), YearMonth(2027, 1)), out=out)
    doc = archive.document(office, result.documents[0].id)
    assert isinstance(doc.payload, LetterPayloadV1)
    table = next(b for b in doc.payload.body if b["type"] == "table")
    umk_row = next(r for r in table["rows"] if r[1] == name)
    assert umk_row[5:] == ["Rp 12.420–12.960", "2", "Rp 25.380"]
    others = [r for r in table["rows"] if r[1] != name]
    assert others and all(r[5:] == ["Rp 16.800", "2", "Rp 33.600"] for r in others)
    assert doc.payload.total_iuran == 25_380 + 33_600 * len(others)

    note = doc.payload.body[doc.payload.body.index(table) + 1]["text"]
    assert note.startswith("Dasar iuran per orang per bulan: ")
    assert "Desember 2026: 0,54 % × UMK 2026 Rp 2.300.000,50 = Rp 12.420" in note
    assert "Januari 2027: 0,54 % × UMK 2027 Rp 2.400.000 = Rp 12.960" in note
    assert "Desember 2026–Januari 2027: tarif BPU Rp 16.800" in note
    assert "Rp 11.622,54 → Rp 11.623" in note  # the rounding rule, as a UMK basis is used
    text = " ".join(" ".join(read_pdf(out)).split())
    assert "Januari 2027: 0,54 % × UMK 2027 Rp 2.400.000 = Rp 12.960" in text


def test_keterangan_states_the_letter_months_amount(office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf) -> None:
    head = next(
        s for s in issue.subjects(office, desa_kode=SENGON) if s.enrollment_id is None and s.jabatan in HEAD_POSTS
    )
    tariff_settings.set_umk(office, SYSTEM, 2025, 220_000_000, "contoh uji")  # 0,54 % = Rp 11.880
    enrollment.register(office, SYSTEM, head.id, kpj="99999999992", start=dt.date(2025, 6, 2), tariff_code="KLATEN-UMK")
    assert payments.history(office, head.id) == []
    with pytest.raises(UserError, match="tahun 2026 belum diisi"):
        payments.record_payments(office, SYSTEM, [head.id], start=YearMonth(2025, 6), end=YearMonth(2026, 11))
    tariff_settings.set_umk(office, SYSTEM, 2026, 230_000_050, "contoh uji")  # Rp 12.420
    payments.record_payments(office, SYSTEM, [head.id], start=YearMonth(2025, 6), end=YearMonth(2026, 11))
    out = tmp_path / "keterangan.pdf"
    issue.keterangan(office, SYSTEM, official_ids=[head.id], out=out)
    text = " ".join(" ".join(read_pdf(out)).split())
    assert "Rp 12.420 (dua belas ribu empat ratus dua puluh rupiah) per bulan" in text  # November 2026, not 2025
