"""Recap data, the Excel and PDF files read back, and ``report coverage`` / ``worklist`` on the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook

from klaten_desktop import cli
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import recap, recap_files
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from tests.dashboard.conftest import AMOUNT, CUCUKAN, SENGON


def run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_add_contributions_for_a_year(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    data = recap.recap(ctx)
    assert (data.period_start, data.period_end) == (YearMonth(2026, 1), YearMonth(2026, 12))
    rows = {r.kode: r for r in data.rows}
    # C and D: registered January, ADD: 12 months each; E is APBDes; H's enrollment ended
    assert (rows[SENGON].add_peserta, rows[SENGON].add_iuran) == (2, 24 * AMOUNT)
    # G: registered 10 March: March to December = 10 months
    assert (rows[CUCUKAN].add_peserta, rows[CUCUKAN].add_iuran) == (1, 10 * AMOUNT)
    assert data.total.add_iuran == 34 * AMOUNT == 571_200
    assert data.total.counts.pengurus == 10


def test_add_contributions_for_a_quarter(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    data = recap.recap(ctx, start=YearMonth(2026, 1), end=YearMonth(2026, 3))
    rows = {r.kode: r for r in data.rows}
    assert rows[SENGON].add_iuran == 6 * AMOUNT
    assert rows[CUCUKAN].add_iuran == 1 * AMOUNT  # March only
    assert data.period_label == "Januari–Maret 2026"
    with pytest.raises(UserError, match="sebelum bulan awal"):
        recap.recap(ctx, start=YearMonth(2026, 5), end=YearMonth(2026, 1))


def test_xlsx_numbers_and_percentages(ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path) -> None:
    target = recap_files.write_xlsx(recap.recap(ctx), tmp_path / "rekap.xlsx")
    book = CalamineWorkbook.from_path(str(target))
    assert book.sheet_names == ["Rekap cakupan", "Iuran ADD"]
    sheet = book.get_sheet_by_name("Rekap cakupan").to_python()
    assert sheet[3][:4] == ["No", "Kode", "Desa/Kelurahan", "Pengurus"]
    sengon = next(r for r in sheet if r[1] == SENGON)
    assert sengon[2] == "Sengon"
    assert sengon[3:10] == [6.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    assert sengon[10] == pytest.approx(0.2)  # a real percentage cell: 20,0%
    total = next(r for r in sheet if r[2] == "Jumlah")
    assert total[3] == 10.0 and total[10] == pytest.approx(0.125)
    add = book.get_sheet_by_name("Iuran ADD").to_python()
    add_total = next(r for r in add if r[2] == "Jumlah")
    assert add_total[3:5] == [3.0, 571_200.0]
    assert not list(tmp_path.glob("*.tmp*"))


def test_pdf_pages_read_back(ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = run(ctx, "report", "coverage", "--out", str(tmp_path / "rekap.pdf"))
    assert code == 0
    assert "cakupan 12,5%" in out and "Rp 571.200" in out
    reader = PdfReader(str(tmp_path / "rekap.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "PEMERINTAH KABUPATEN KLATEN" in flat
    assert "KECAMATAN PRAMBANAN" in flat
    assert "Bupati Klaten" in flat and "Sekretaris Daerah Kabupaten Klaten" in flat
    assert "Keadaan per 24 November 2026" in flat
    assert "Sengon 6 1 1 1 1 1 1 20,0%" in flat
    assert "Jumlah 10 1 2 1 2 2 2 12,5%" in flat
    assert "periode Januari–Desember 2026" in flat
    assert "Rp 403.200" in flat and "Rp 571.200" in flat
    assert "CAMAT PRAMBANAN" in flat
    assert "Drs. Contoh Camat, M.Si." in flat
    assert "NIP. 19700101 199003 1 001" in flat
    assert "Pembina Tk. I (IV/b)" in flat


def test_cli_json_shape(ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path) -> None:
    code, out, _ = run(ctx, "report", "coverage", "--out", str(tmp_path / "r.xlsx"), "--as-of", "2026-11-15", "--json")
    assert code == 0
    payload = json.loads(out)
    assert set(payload) == {"desa", "total"}
    keys = {"kode", "nama", "pengurus", "aktif", "menunggak", "nonaktif", "diajukan", "belum_terdaftar", "berakhir",
            "cakupan_persen"}  # fmt: skip
    assert all(set(d) == keys for d in payload["desa"])
    sengon = next(d for d in payload["desa"] if d["kode"] == SENGON)
    assert sengon == {
        "kode": SENGON, "nama": "Sengon", "pengurus": 6, "aktif": 2, "menunggak": 1, "nonaktif": 0, "diajukan": 1,
        "belum_terdaftar": 1, "berakhir": 1, "cakupan_persen": 40.0,
    }  # fmt: skip
    assert payload["total"]["cakupan_persen"] == 25.0
    assert (tmp_path / "r.xlsx").exists()


def test_cli_refuses_other_extensions(ctx: ServiceContext, tmp_path: Path) -> None:
    code, _, err = run(ctx, "report", "coverage", "--out", str(tmp_path / "r.docx"))
    assert code == 1
    assert "harus berakhiran .pdf atau .xlsx" in err
    assert not (tmp_path / "r.docx").exists()


def test_cli_worklist(ctx: ServiceContext, seeded: dict[str, str]) -> None:
    code, out, _ = run(ctx, "worklist", "akan_nonaktif", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["jumlah"] == 1 and payload["tindakan"] == "catat_pembayaran"
    assert payload["pengurus"][0]["nama"] == "Pengurus G"
    code, out, _ = run(ctx, "worklist", "kpj_terlambat")
    assert out.splitlines()[0] == "Diajukan, belum ada KPJ > 30 hari: 1 pengurus. Tindakan: Catat nomor KPJ."


def test_regency_recap_rows_are_kecamatan(make_ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.dashboard.conftest import seed

    regency = make_ctx("kabupaten", name="kab")
    seed(regency)
    data = recap.recap(regency, on=dt.date(2026, 11, 24))
    assert len(data.rows) == 26 and data.rows[0].nama == "Prambanan"
    assert data.rows[0].add_iuran == 34 * AMOUNT
    assert len(data.desa) == 401
    assert data.payload()["kolom_wilayah"] == "Kecamatan"


def test_pdf_progress_and_cancel(ctx: ServiceContext, seeded: dict[str, str], tmp_path: Path) -> None:
    from klaten_desktop.reports import recap_pdf

    payload = recap.recap(ctx).payload()
    seen: list[tuple[int, int]] = []
    pages = recap_pdf.render(payload, tmp_path / "a.pdf", progress=lambda d, t: seen.append((d, t)))
    assert pages == len(PdfReader(str(tmp_path / "a.pdf")).pages) >= 1
    assert seen[-1][0] == seen[-1][1] == 16 * 2 + 2
    calls = iter(range(100))
    with pytest.raises(Cancelled, match=r"^Rekap cakupan dibatalkan; berkas tidak dibuat\.$"):
        recap_pdf.render(payload, tmp_path / "b.pdf", cancelled=lambda: next(calls) >= 5)
    assert not (tmp_path / "b.pdf").exists()
