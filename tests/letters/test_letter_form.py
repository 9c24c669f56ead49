"""The letter form: page numbers on continuation pages, the signature never alone on a page, fonts embedded
and the PDF's metadata."""

from __future__ import annotations

import copy
import re
from pathlib import Path

from pypdf import PdfReader

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.reports.letters import render_letters
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON
from tests.letters.conftest import ReadPdf


def _iuran_payload(office: ServiceContext, tmp_path: Path) -> dict:
    result = issue.iuran(
        office, SYSTEM, desa_kode=SENGON, out=tmp_path / "i.pdf", period=(YearMonth(2026, 1), YearMonth(2026, 6))
    )
    return archive.document(office, result.documents[0].id).payload.to_json()


def test_signature_keeps_the_closing_paragraph_and_continuation_pages_are_numbered(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    base = _iuran_payload(office, tmp_path)
    table = next(b for b in base["body"] if b["type"] == "table")
    closing = base["body"][-1]["text"].split()[0]  # "Demikian ..."
    row = table["rows"][0]
    seen_pages = set()
    for n in range(1, 61):  # every length from one row to three pages
        payload = copy.deepcopy(base)
        next(b for b in payload["body"] if b["type"] == "table")["rows"] = [[str(i), *row[1:]] for i in range(1, n + 1)]
        pages = read_pdf(render_letters([payload]).pdf)
        seen_pages.add(len(pages))
        signed = [p for p in pages if "Contoh Camat" in p]
        assert len(signed) == 1
        page = signed[0]
        # the closing paragraph is on the page of the signature, before it
        assert closing in page and page.index(closing) < page.index("CAMAT PRAMBANAN,"), n
        if page is not pages[0]:
            # and never alone: a continuation page that signs also holds the last rows of the table
            assert "No. KPJ" in page, n
        for number, text in enumerate(pages[1:], 2):
            assert text.startswith(f"- {number} - Lanjutan surat nomor {payload['nomor']}"), (n, number)
    assert seen_pages >= {1, 2, 3}


def test_every_font_is_embedded_and_metadata_names_letter_office_and_issue_time(
    office: ServiceContext, tmp_path: Path, read_pdf: ReadPdf
) -> None:
    before = office.now().replace(microsecond=0)
    out = tmp_path / "k.pdf"
    result = issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=out)
    reader = PdfReader(out)
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fonts[str(font["/BaseFont"])] = descendant.get("/FontDescriptor")
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+Liberation\w+(-\w+)?", name) for name in fonts), fonts
    assert all(d is not None and "/FontFile2" in d.get_object() for d in fonts.values())
    meta = reader.metadata
    assert meta is not None
    docs = result.documents
    label = "Surat Keterangan Kepesertaan"
    expected = f"{label} {docs[0].nomor}" if len(docs) == 1 else f"{label} {docs[0].nomor} s.d. {docs[-1].nomor}"
    assert meta.title.startswith(expected)
    assert meta.author == "Kecamatan Prambanan"
    created = meta.creation_date.replace(tzinfo=None)
    assert before <= created <= office.now()
