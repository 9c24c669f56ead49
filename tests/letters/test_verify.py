"""Offline verification: short codes, QR strings, tampering, voided numbers, another office's letters."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from klaten_desktop.db.models import Document, TrustedPeer
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.services import identity
from klaten_desktop.services import office as office_service
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import archive, codes, register, verify
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON


@pytest.fixture
def issued(office: ServiceContext, tmp_path: Path) -> issue.IssueResult:
    return issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")


def _qr(ctx: ServiceContext, document_id: str) -> str:
    verification = archive.document(ctx, document_id).payload.verification
    assert verification is not None
    return verification.qr


def test_short_code_verifies_and_shows_the_full_letter(office: ServiceContext, issued: issue.IssueResult) -> None:
    doc = issued.documents[0]
    person = issue.subjects(office, official_ids=archive.document(office, doc.id).subject_ids)[0]
    for typed in (doc.kode_verifikasi, doc.kode_verifikasi.lower().replace("-", ""), f"  {doc.kode_verifikasi} "):
        result = verify.check(office, typed)
        assert result.ok, result.reason
        assert result.source == "arsip"
        content = result.content
        assert content is not None
        assert (content.nomor, content.jenis, content.status) == (doc.nomor, "keterangan", "terbit")
        assert content.kantor == "Kecamatan Prambanan"
        assert content.subjek[0][0] == person.nama
        lines = content.as_json()["isi"]
        assert f"Nomor KPJ: {person.nomor_kpj}" in lines
        assert any("Rp 16.800" in line for line in lines)


def test_typed_o_and_i_read_as_zero_and_one() -> None:
    assert codes.normalize_short_code("o1ab-cdef-gi") == "01ABCDEFG1"
    assert codes.normalize_short_code("K7Q2-9MXD-4") is None


def test_unknown_and_malformed_codes_fail_with_a_reason(office: ServiceContext, issued: issue.IssueResult) -> None:
    assert not verify.check(office, "").ok
    unknown = verify.check(office, "ZZZZ-ZZZZ-ZZ")
    assert (unknown.ok, unknown.reason) == (False, "Kode ZZZZ-ZZZZ-ZZ tidak terdaftar dalam arsip surat kantor ini.")
    assert "10 huruf/angka" in verify.check(office, "12345").reason


def test_qr_string_holds_no_full_nik_and_verifies(office: ServiceContext, issued: issue.IssueResult) -> None:
    doc = issued.documents[0]
    qr = _qr(office, doc.id)
    detail = archive.document(office, doc.id)
    person = issue.subjects(office, official_ids=detail.subject_ids)[0]
    decoded = codes.decode_qr(qr)
    assert decoded is not None
    signed, claims, _ = decoded
    assert person.nik not in signed.decode() and str(person.nomor_kpj) not in signed.decode()
    assert claims["s"][1].endswith(person.nik[-4:]) and "*" in claims["s"][1]
    result = verify.check(office, qr)
    assert result.ok and result.content is not None and result.content.nomor == doc.nomor
    assert result.source == "arsip"  # the letter is in this database: full content shown


def test_tampered_qr_fails(office: ServiceContext, issued: issue.IssueResult) -> None:
    qr = _qr(office, issued.documents[0].id)
    decoded = codes.decode_qr(qr)
    assert decoded is not None
    _, claims, signature = decoded
    forged = codes.encode_qr({**claims, "n": "400.10.3/999/Kec.Prb/2026"}, signature)
    result = verify.check(office, forged)
    assert not result.ok
    assert result.reason == "Tanda tangan digital tidak sah: kode QR palsu atau telah diubah."
    assert not verify.check(office, qr[:-6]).ok


def test_tampered_archive_no_longer_verifies(office: ServiceContext, issued: issue.IssueResult) -> None:
    doc = issued.documents[0]
    with office.write() as session:
        raw = session.scalar(select(Document.payload).where(Document.id == doc.id))
        assert raw is not None
        payload = json.loads(raw)
        payload["body"][0]["text"] = payload["body"][0]["text"].replace("Camat", "Bupati")
        session.execute(update(Document).where(Document.id == doc.id).values(payload=json.dumps(payload)))
    result = verify.check(office, doc.kode_verifikasi)
    assert not result.ok
    assert "arsip telah diubah" in result.reason


def test_voided_letter_fails_but_shows_what_it_was(office: ServiceContext, issued: issue.IssueResult) -> None:
    doc = issued.documents[0]
    register.void(office, SYSTEM, doc.nomor, reason="data pengurus salah")
    result = verify.check(office, doc.kode_verifikasi)
    assert not result.ok
    assert result.reason.startswith(f"Nomor surat {doc.nomor} telah dibatalkan")
    assert "data pengurus salah" in result.reason
    assert result.content is not None and result.content.status == "dibatalkan"


def test_another_office_verifies_offline_with_the_trusted_key(
    office: ServiceContext, issued: issue.IssueResult, make_ctx: Callable[..., ServiceContext]
) -> None:
    qr = _qr(office, issued.documents[0].id)
    regency = make_ctx("kabupaten", name="kabupaten")
    before = verify.check(regency, qr)
    assert not before.ok and "belum dikenal" in before.reason
    assert not verify.check(regency, issued.documents[0].kode_verifikasi).ok  # not in its archive

    peer = identity.public_identity(office)
    with regency.write() as session:
        session.add(
            TrustedPeer(
                install_id=peer.install_id,
                office_code=peer.office_code,
                role=peer.role,
                name=peer.name,
                signing_public_b64=peer.signing_public_b64,
                encryption_public_b64=peer.encryption_public_b64,
                fingerprint=peer.fingerprint,
            )
        )
    result = verify.check(regency, qr)
    assert result.ok, result.reason
    assert result.source == "kode QR"
    assert result.content is not None
    assert (result.content.nomor, result.content.kantor) == (issued.documents[0].nomor, "Kecamatan Prambanan")
    assert result.content.jumlah_subjek == 1 and "*" in result.content.subjek[0][1]

    # a peer listed for Prambanan but holding another key does not vouch for Prambanan's letters
    other = make_ctx("empty", name="lain")
    office_service.init(other, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Jogonalan", kecamatan_kode="33.10.05")
    wrong = identity.public_identity(regency)
    with other.write() as session:
        session.add(
            TrustedPeer(
                install_id=wrong.install_id,
                office_code=peer.office_code,
                role="kecamatan",
                name="Bukan Prambanan",
                signing_public_b64=wrong.signing_public_b64,
                encryption_public_b64=wrong.encryption_public_b64,
                fingerprint=wrong.fingerprint,
            )
        )
    forged = verify.check(other, qr)
    assert not forged.ok and "tidak sah" in forged.reason
