"""Certificates: only attendees, numbers from their own register sequence, signed and verifiable, reprints
counted; the PDF read back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from klaten_desktop.db.models import AuditLog, Document, DocumentSubject, NumberSequence, RegisterEntry
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import events, office
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.documents import letterhead, verify
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events import certificates
from tests.conftest import SENGON
from tests.events.conftest import BRANCH_HEAD, EVENT_TITLE, EventSetup, pdf_pages


def _attend_some(ev: EventSetup) -> tuple[list[events.ParticipantRow], list[events.ParticipantRow]]:
    events.add_from_registry(ev.ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    guest = events.add_guest(ev.ctx, SYSTEM, ev.event.id, nama="Contoh Tamu Undangan", peran="Kepala Desa Sengon")
    rows = events.participants(ev.ctx, ev.event.id)
    came = [*[p for p in rows if not p.is_guest][:3], guest]
    events.set_attendance(ev.ctx, SYSTEM, ev.event.id, [p.id for p in came], True)
    return came, [p for p in rows if p not in came]


def test_only_attendees_get_numbered_signed_certificates(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    came, stayed_away = _attend_some(ev)
    out = tmp_path / "sertifikat.pdf"
    result = certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=out)
    assert (result.issued, result.reprinted, result.pages) == (4, 0, 4)
    assert sorted(c.nama for c in result.certificates) == sorted(p.nama for p in came)
    assert [c.nomor for c in result.certificates] == [f"400.10.3/{n:03d}/Kec.Prb/2026" for n in range(1, 5)]
    pages = pdf_pages(out)
    assert len(pages) == 4
    for page, cert, person in zip(pages, result.certificates, came, strict=True):
        assert "SERTIFIKAT" in page.replace(" ", "")
        assert cert.nama == person.nama and person.nama in page
        assert f"Nomor: {cert.nomor}" in page and cert.kode_verifikasi in page
        assert "diberikan kepada" in page and "sebagai peserta" in page
        assert EVENT_TITLE in page and "Rabu, 9 Desember 2026" in page and "Pendopo Kecamatan Prambanan" in page
        assert "Drs. Contoh Camat, M.Si." in page and "NIP. 19700101 199003 1 001" in page and BRANCH_HEAD in page
        assert "Camat Prambanan" in page and "Cetakan ke-" not in page
    official_page = pages[0]
    assert came[0].peran in official_page and ", Desa Sengon, Kecamatan Prambanan" in came[0].peran
    assert "Kepala Desa Sengon" in pages[3]
    assert stayed_away and not {p.id for p in stayed_away} & {c.participant_id for c in result.certificates}
    from pypdf import PdfReader

    box = PdfReader(str(out)).pages[0].mediabox
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595  # A4 landscape

    with ctx.read() as session:
        seq = session.execute(
            select(NumberSequence.sequence, NumberSequence.last_number).where(NumberSequence.sequence == "sertifikat")
        ).one()
        kinds = set(session.scalars(select(RegisterEntry.kind)))
        docs = session.execute(select(Document.kind, Document.sha256, Document.print_count)).all()
        subjects = set(session.scalars(select(DocumentSubject.official_id)))
    assert tuple(seq) == ("sertifikat", 4) and kinds == {"sertifikat"}
    assert {d[0] for d in docs} == {"sertifikat"} and {d[2] for d in docs} == {1}
    import hashlib

    assert {d[1] for d in docs} == {hashlib.sha256(out.read_bytes()).hexdigest()} == {result.sha256}
    assert subjects == {p.official_id for p in came if p.official_id}
    assert {p.certificate_nomor for p in events.participants(ctx, ev.event.id, attended_only=True)} == {
        c.nomor for c in result.certificates
    }
    # the letters' offline verification knows certificates too, by short code and by QR string
    checked = verify.check(ctx, result.certificates[0].kode_verifikasi)
    assert checked.ok and checked.content is not None and checked.content.nomor == result.certificates[0].nomor
    with ctx.read() as session:
        payload = json.loads(session.scalars(select(Document.payload).limit(1)).one())
    by_qr = verify.check(ctx, payload["verification"]["qr"])
    assert by_qr.ok and by_qr.content is not None and by_qr.content.subjek[0][0] == payload["nama"]


def test_the_qr_on_the_page_scans_to_the_signed_string(ev: EventSetup, tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    zxingcpp = pytest.importorskip("zxingcpp")
    _attend_some(ev)
    out = tmp_path / "s.pdf"
    certificates.issue_certificates(ev.ctx, SYSTEM, ev.event.id, out=out)
    doc = pdfium.PdfDocument(str(out))
    image = doc[0].render(scale=150 / 72).to_pil()
    doc.close()
    found = zxingcpp.read_barcodes(image)
    with ev.ctx.read() as session:
        qrs = {json.loads(p)["verification"]["qr"] for p in session.scalars(select(Document.payload))}
    assert len(found) == 1 and found[0].text in qrs
    assert verify.check(ev.ctx, found[0].text).ok


def test_second_print_reprints_marked_and_counted_and_issues_only_newcomers(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    came, stayed_away = _attend_some(ev)
    first = certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=tmp_path / "1.pdf")
    newcomer = next(p for p in stayed_away if not p.is_guest)
    events.set_attendance(ctx, SYSTEM, ev.event.id, [newcomer.id], True)
    out = tmp_path / "2.pdf"
    second = certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=out)
    assert (second.issued, second.reprinted) == (1, 4)
    by_name = {c.nama: c for c in second.certificates}
    assert by_name[newcomer.nama].nomor == "400.10.3/005/Kec.Prb/2026" and by_name[newcomer.nama].cetakan == 1
    for old in first.certificates:
        again = next(c for c in second.certificates if c.document_id == old.document_id)
        assert (again.nomor, again.kode_verifikasi, again.cetakan) == (old.nomor, old.kode_verifikasi, 2)
    pages = pdf_pages(out)
    assert len(pages) == 5 and sum("Cetakan ke-2" in p for p in pages) == 4
    with ctx.read() as session:
        counts = dict(session.execute(select(Document.nomor, Document.print_count)).tuples().all())
        reprints = session.scalars(select(AuditLog.entity_id).where(AuditLog.action == "reprint")).all()
    assert (
        counts["400.10.3/005/Kec.Prb/2026"] == 1
        and sorted(v for k, v in counts.items() if k != "400.10.3/005/Kec.Prb/2026") == [2] * 4
    )
    assert sorted(reprints) == sorted(c.document_id for c in first.certificates)
    # a participant with a certificate can neither be removed nor un-ticked
    with pytest.raises(UserError, match="sudah menerima sertifikat"):
        events.set_attendance(ctx, SYSTEM, ev.event.id, [came[0].id], False)
    with pytest.raises(UserError, match="sudah menerima sertifikat"):
        events.remove_participants(ctx, SYSTEM, ev.event.id, [came[0].id])
    with pytest.raises(UserError, match="tidak dapat dihapus"):
        events.delete_event(ctx, SYSTEM, ev.event.id)
    assert [c.nomor for c in certificates.for_event(ctx, ev.event.id)] == [
        f"400.10.3/{n:03d}/Kec.Prb/2026" for n in range(1, 6)
    ]


def test_nobody_attended_or_no_signatory_issues_nothing(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    out = tmp_path / "s.pdf"
    with pytest.raises(UserError, match="Belum ada peserta yang ditandai hadir"):
        certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=out)
    events.attend_all(ctx, SYSTEM, ev.event.id)
    office.update(ctx, SYSTEM, bpjs_branch_head="")
    with pytest.raises(UserError, match="BPJS Ketenagakerjaan"):
        certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=out)
    assert not out.exists()
    with ctx.read() as session:
        assert session.scalars(select(RegisterEntry.id)).all() == []


def test_cancelled_rendering_uses_no_number(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    _attend_some(ev)
    with pytest.raises(Cancelled):
        certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=tmp_path / "s.pdf", cancelled=lambda: True)
    with ctx.read() as session:
        assert session.scalars(select(RegisterEntry.id)).all() == []
        assert session.scalars(select(NumberSequence.last_number)).all() == []


def test_reprint_from_the_archive_by_document(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    _attend_some(ev)
    first = certificates.issue_certificates(ctx, SYSTEM, ev.event.id, out=tmp_path / "1.pdf")
    chosen = first.certificates[2]
    out = tmp_path / "ulang.pdf"
    again = certificates.reprint(ctx, SYSTEM, [chosen.document_id], out=out)
    assert [(c.nomor, c.nama, c.cetakan) for c in again.certificates] == [(chosen.nomor, chosen.nama, 2)]
    (page,) = pdf_pages(out)
    assert "Cetakan ke-2" in page and chosen.nomor in page and chosen.nama in page
    with ctx.read() as session:
        assert session.scalar(select(Document.print_count).where(Document.id == chosen.document_id)) == 2
    with pytest.raises(UserError, match="tidak ditemukan"):
        certificates.reprint(ctx, SYSTEM, ["bukan-dokumen"], out=out)


def test_certificate_numbers_follow_the_letters_number_rule_with_their_own_code(ev: EventSetup, tmp_path: Path) -> None:
    events.add_from_registry(ev.ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    events.attend_all(ev.ctx, SYSTEM, ev.event.id)
    letterhead.update(
        ev.ctx,
        SYSTEM,
        format_nomor="{kode_klasifikasi}/{nomor:03d}/{kode_unit}/{bulan_romawi}/{tahun}",
        klasifikasi={"*": "500.15.16", "sertifikat": "400.14.11"},
    )
    out = tmp_path / "sertifikat.pdf"
    before = ev.ctx.now().replace(microsecond=0)
    result = certificates.issue_certificates(ev.ctx, SYSTEM, ev.event.id, out=out)
    after = ev.ctx.now()
    assert result.certificates[0].nomor == "400.14.11/001/Kec.Prb/XII/2026"
    meta = PdfReader(out).metadata
    assert meta is not None
    assert meta.title == f"Sertifikat {result.certificates[0].nomor} s.d. {result.certificates[-1].nomor} " + (
        f"({len(result.certificates)} sertifikat)"
    )
    assert meta.author == "Kecamatan Prambanan"
    created = dt.datetime.strptime(meta.creation_date_raw, "D:%Y%m%d%H%M%S+00'00'")
    assert before <= created <= after  # the services' clock (a 2026 test day), not the computer's
