"""Issuing the three kinds of letters, read back from the PDFs; archive, reprint, cancel, a locked output file."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import Document, DocumentSubject, Enrollment, RegisterEntry
from klaten_desktop.domain.coverage import HEAD_POSTS
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.reports.letters import render_letters
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import audit
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive, register
from klaten_desktop.services.documents.schemas import LetterPayloadV1
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON, TODAY
from tests.letters.conftest import ReadPdf


def _count(ctx: ServiceContext, model: type) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_pengantar_lists_unsubmitted_officials_and_marks_them_submitted(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    serving = issue.subjects(office, desa_kode=SENGON)
    unenrolled = [s for s in serving if s.enrollment_id is None or s.ended_on]  # no open enrollment
    new = [s for s in unenrolled if s.jabatan in HEAD_POSTS]
    # marked diajukan earlier (with "Ajukan") and never listed on a pengantar: listed now, not submitted again
    waiting = [s for s in serving if s.enrollment_id and not s.ended_on and not s.nomor_kpj and s.jabatan in HEAD_POSTS]
    assert len(new) >= 3 and waiting
    pending = [s for s in serving if s in new or s in waiting]
    others = [s for s in unenrolled if s.jabatan not in HEAD_POSTS]
    assert others  # Sekretaris/Bendahara stay in the registry, not submitted (Perbup 9/2022)
    out = tmp_path / "pengantar.pdf"

    result = issue.pengantar(office, SYSTEM, desa_kode=SENGON, out=out)

    assert len(result.documents) == 1
    doc = result.documents[0]
    assert doc.nomor == "400.10.3/001/Kec.Prb/2026"
    assert doc.subjects == len(pending)
    assert result.submitted == len(new)
    assert doc.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    pages = read_pdf(out)
    assert len(pages) == result.pages
    first = pages[0]
    assert "PEMERINTAH KABUPATEN KLATEN" in first and "KECAMATAN PRAMBANAN" in first
    assert "Nomor : 400.10.3/001/Kec.Prb/2026" in first
    assert "Prambanan, 24 November 2026" in first
    assert "Yth. Kepala Kantor Cabang BPJS Ketenagakerjaan Klaten" in first
    assert f"pendaftaran {len(pending)} (" in first
    assert "NIP. 19700101 199003 1 001" in first
    assert doc.kode_verifikasi in first
    lampiran = " ".join(pages[1:])
    for person in pending:
        assert person.nama in lampiran and person.nik in lampiran
    assert all(person.nik not in lampiran for person in others)
    assert "Lampiran surat nomor 400.10.3/001/Kec.Prb/2026 tanggal 24 November 2026" in pages[1]
    # the officials are now submitted, in the same transaction as the register entry
    with office.read() as session:
        submitted = set(session.scalars(select(Enrollment.official_id).where(Enrollment.submitted_on == TODAY)))
        subjects = set(session.scalars(select(DocumentSubject.official_id)))
    assert {p.id for p in new} <= submitted and not {p.id for p in waiting} & submitted
    assert subjects == {p.id for p in pending}
    assert any(a.action == "submit" for a in audit.recent(office))
    # nothing left to submit: a clear message, and no number used up
    with pytest.raises(UserError, match="Tidak ada pengurus yang perlu diajukan"):
        issue.pengantar(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "again.pdf")
    assert _count(office, RegisterEntry) == 1


def test_long_lampiran_runs_over_pages_with_header_and_number_on_each(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    out = tmp_path / "kecamatan.pdf"
    result = issue.pengantar(office, SYSTEM, out=out)
    pages = read_pdf(out)
    assert len(result.documents) > 5  # one letter per desa, all in one PDF
    biggest = max(result.documents, key=lambda d: d.subjects)
    own = [p for p in pages if biggest.nomor in p]
    lampiran = [p for p in own if re.match(rf"- \d+ - Lampiran surat nomor {re.escape(biggest.nomor)}", p)]
    assert lampiran, "the lampiran pages carry their page number and the letter's number at the top"
    for page in lampiran:
        assert "No Nama NIK Tanggal lahir Jabatan RT/RW Desa No. HP" in page  # header row repeated
    assert f"Jumlah: {biggest.subjects} (" in lampiran[-1]
    assert "Halaman" in own[0]


def test_long_lampiran_continues_on_a_second_page(ctx: ServiceContext, tmp_path: Path, read_pdf: ReadPdf) -> None:
    from klaten_desktop.services import demo

    demo.populate(ctx, SYSTEM, 1200, seed=3)
    desa = max(
        {s.desa_kode for s in issue.subjects(ctx)},
        key=lambda d: sum(1 for s in issue.subjects(ctx, desa_kode=d) if s.enrollment_id is None),
    )
    out = tmp_path / "long.pdf"
    result = issue.pengantar(ctx, SYSTEM, desa_kode=desa, out=out)
    pages = read_pdf(out)
    nomor = result.documents[0].nomor
    lampiran = [p for p in pages if re.match(rf"- \d+ - Lampiran surat nomor {re.escape(nomor)}", p)]
    assert len(lampiran) >= 2
    assert all("No Nama NIK Tanggal lahir" in p for p in lampiran)
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]
    assert "Drs. Contoh Camat, M.Si." in pages[-1]


def test_keterangan_one_letter_per_registered_official(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    registered = [s for s in issue.subjects(office, desa_kode=SENGON) if s.nomor_kpj]
    out = tmp_path / "keterangan.pdf"
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    pages = read_pdf(out)
    assert len(result.documents) == len(registered) == len(pages)
    for person, page, doc in zip(registered, pages, result.documents, strict=True):
        assert "SURAT KETERANGAN KEPESERTAAN BPJS KETENAGAKERJAAN" in page
        assert f"Nomor: {doc.nomor}" in page
        assert person.nama in page and person.nik in page
        assert f"nomor KPJ {person.nomor_kpj} sejak tanggal {format_date(person.registered_on)}" in page
        assert f"Status kepesertaannya pada tanggal 24 November 2026: {person.status(TODAY)[1]}" in page
        assert "Rp 16.800 (enam belas ribu delapan ratus rupiah) per bulan" in page
    numbers = [int(d.nomor.split("/")[1]) for d in result.documents]
    assert numbers == list(range(1, len(registered) + 1))


def test_iuran_totals_in_figures_and_words(office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf) -> None:
    out = tmp_path / "iuran.pdf"
    result = issue.iuran(
        office,
        SYSTEM,
        desa_kode=SENGON,
        period=(YearMonth(2027, 1), YearMonth(2027, 12)),
        out=out,
    )
    text = " ".join(read_pdf(out))
    doc = archive.document(office, result.documents[0].id)
    assert isinstance(doc.payload, LetterPayloadV1)
    rows = doc.payload.body[2]["rows"]
    assert rows and all(r[6] == "12" and r[7] == "Rp 201.600" for r in rows)
    total = 201_600 * len(rows)
    assert doc.payload.total_iuran == total
    assert "Yth. Kepala Desa Sengon" in text
    assert "periode Januari–Desember 2027 (12 bulan)" in text
    assert f"Rp {total:,}".replace(",", ".") in text
    assert "Jumlah iuran yang harus dibayarkan seluruhnya sebesar" in text
    from klaten_desktop.domain.formatting import terbilang_rupiah

    assert terbilang_rupiah(total) in text


def test_iuran_without_period_and_nothing_to_print(office: ServiceContext, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Periode iuran wajib diisi"):
        issue.iuran(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "x.pdf")
    with pytest.raises(UserError, match="Bulan akhir"):
        issue.iuran(
            office,
            SYSTEM,
            period=(YearMonth(2027, 5), YearMonth(2027, 1)),
            out=tmp_path / "x.pdf",
        )
    assert not (tmp_path / "x.pdf").exists()


def test_nothing_to_print_on_an_empty_registry(ctx: ServiceContext, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Tidak ada pengurus terdaftar"):
        issue.keterangan(ctx, SYSTEM, out=tmp_path / "k.pdf")
    assert _count(ctx, RegisterEntry) == 0


def test_cancel_uses_no_number(office: ServiceContext, tmp_path: Path) -> None:
    calls: list[int] = []

    def progress(done: int, total: int) -> None:
        calls.append(done)

    with pytest.raises(Cancelled):
        issue.keterangan(
            office,
            SYSTEM,
            out=tmp_path / "k.pdf",
            progress=progress,
            cancelled=lambda: len(calls) >= 3,
        )
    assert calls == [1, 2, 3]
    assert _count(office, RegisterEntry) == 0 and _count(office, Document) == 0
    assert not (tmp_path / "k.pdf").exists()
    # the next letter still gets number 1
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")
    assert result.documents[0].nomor.startswith("400.10.3/001/")


def test_pdf_open_in_a_viewer_after_the_commit_says_the_letter_is_recorded_and_reprints(
    office: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_pdf: ReadPdf
) -> None:
    folder = tmp_path / "keluar"
    folder.mkdir()
    out = folder / "terbuka.pdf"
    out.write_bytes(b"old")

    def locked(self: Path, target: Path) -> Path:
        raise PermissionError(13, "The process cannot access the file because it is being used by another process")

    real_replace = Path.replace
    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(EnvironmentProblem) as failed:
        issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    message = str(failed.value)
    assert "sudah tercatat di register dan arsip" in message and "terbuka.pdf" in message
    assert "Tutup berkas itu" in message and "dicetak ulang dari arsip" in message
    assert out.read_bytes() == b"old"
    assert [p.name for p in folder.iterdir()] == ["terbuka.pdf"]  # no temporary file left
    # the numbers are in the register and the archive: the letters print again from their archived payloads
    rows = archive.documents(office)
    assert rows and _count(office, RegisterEntry) == len(rows) and rows[-1].nomor.startswith("400.10.3/001/")
    assert rows[-1].nomor in message
    monkeypatch.setattr(Path, "replace", real_replace)
    again = archive.reprint(office, SYSTEM, [r.id for r in rows], out=folder / "ulang.pdf")
    assert [c for _i, _n, c in again.documents] == [2] * len(rows)
    assert rows[-1].nomor in " ".join(read_pdf(folder / "ulang.pdf"))


def test_reprint_shows_the_original_content_marked_and_counted(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    first = tmp_path / "asli.pdf"
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=first)
    doc = result.documents[0]
    original = read_pdf(first)[0]
    archived = archive.document(office, doc.id)
    # the archived payload renders to exactly the bytes that were issued
    again = render_letters([archive.document(office, d.id).payload.to_json() for d in result.documents])
    assert hashlib.sha256(again.pdf).hexdigest() == doc.sha256

    out = tmp_path / "ulang.pdf"
    reprinted = archive.reprint(office, SYSTEM, [doc.id], out=out)
    page = read_pdf(out)[0]
    assert reprinted.documents == ((doc.id, doc.nomor, 2),)
    assert "Cetakan ke-2" in page
    marks = ("Cetakan ke-2: dicetak ulang dari arsip; isinya sama dengan cetakan pertama.", "Cetakan ke-2")
    stripped = page
    for mark in marks:
        stripped = stripped.replace(mark, "")
    assert stripped.split() == original.split()  # the same words as the first print, only the mark added
    archive.reprint(office, SYSTEM, [doc.id], out=out)
    assert "Cetakan ke-3" in read_pdf(out)[0]
    assert archive.document(office, doc.id).row.print_count == 3
    assert archived.payload.nomor == doc.nomor
    assert [a.action for a in audit.recent(office, entity_id=doc.id)][:2] == ["reprint", "reprint"]


def test_voided_letter_cannot_be_reprinted(office: ServiceContext, tmp_path: Path) -> None:
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")
    register.void(office, SYSTEM, result.documents[0].nomor, reason="salah data")
    with pytest.raises(UserError, match="sudah dibatalkan"):
        archive.reprint(office, SYSTEM, [result.documents[0].id], out=tmp_path / "u.pdf")


def test_archive_lists_documents_by_desa_and_kind(office: ServiceContext, tmp_path: Path) -> None:
    issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")
    issue.pengantar(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "p.pdf")
    rows = archive.documents(office, desa_kode=SENGON)
    assert {r.kind for r in rows} == {"keterangan", "pengantar"}
    assert rows[0].kind == "pengantar"  # newest number first
    assert all(r.state == "issued" and r.print_count == 1 for r in rows)
    pengantar = archive.document(office, rows[0].id)
    assert isinstance(pengantar.payload, LetterPayloadV1) and pengantar.payload.attachment is not None
    assert pengantar.payload.attachment["rows"][0][0] == "1"
    assert json.loads(json.dumps(pengantar.payload.to_json())) == pengantar.payload.to_json()
    assert archive.documents(office, kind="iuran") == []


def test_f4_paper_and_missing_signatory(office: ServiceContext, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from klaten_desktop.services import office as office_service
    from klaten_desktop.services.documents import letterhead

    letterhead.update(office, SYSTEM, kertas="F4")
    out = tmp_path / "f4.pdf"
    issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (215, 330)
    office_service.update(office, SYSTEM, camat_nama="")
    with pytest.raises(UserError, match="Nama penanda tangan surat belum diisi"):
        issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
