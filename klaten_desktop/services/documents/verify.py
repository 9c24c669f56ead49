"""Offline verification of a document (letter or certificate) from its short code or its QR string (typed,
or typed by a USB scanner).

- A short code is looked up in this database's archive; the archived letter's signature and content digest are
  checked, so a letter whose archived content was altered no longer verifies.
- A QR string carries its own signed claims: this office checks it with its own public key, or with the key of
  the issuing office from the trusted peers (imported identity files). When this database also holds the
  letter, the full archived content is shown and must match the claims.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, IdentityKey, Office, RegisterEntry, TrustedPeer
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.documents import codes, schemas


@dataclass(frozen=True)
class LetterContent:
    nomor: str
    jenis: str
    jenis_label: str
    tanggal: dt.date
    kantor: str
    office_code: str
    hal: str
    penerima: tuple[str, ...]
    subjek: tuple[tuple[str, ...], ...]  # (nama, NIK tersamar, KPJ tersamar) when known
    jumlah_subjek: int
    kode_verifikasi: str
    status: str
    print_count: int | None
    # the full archived payload (body, lampiran rows, signatory) when this database holds the letter
    payload: dict[str, Any] | None = field(default=None, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "nomor": self.nomor,
            "jenis": self.jenis,
            "jenis_label": self.jenis_label,
            "tanggal": self.tanggal.isoformat(),
            "tanggal_teks": format_date(self.tanggal),
            "kantor": self.kantor,
            "office_code": self.office_code,
            "hal": self.hal,
            "penerima": list(self.penerima),
            "subjek": [list(s) for s in self.subjek],
            "jumlah_subjek": self.jumlah_subjek,
            "kode_verifikasi": self.kode_verifikasi,
            "status": self.status,
            "print_count": self.print_count,
            "isi": _text_of(self.payload) if self.payload else None,
        }


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    reason: str
    content: LetterContent | None = None
    source: str = ""  # "arsip" (this database) or "kode QR" (the signed claims only)


def _text_of(payload: dict[str, Any]) -> list[str]:
    """The letter's paragraphs and fields as plain lines, for the verification screen and --json."""
    lines: list[str] = []
    for block in payload.get("body", []):
        if block.get("type") == "p":
            lines.append(str(block.get("text", "")))
        elif block.get("type") == "fields":
            lines += [f"{a}: {b}" for a, b in block.get("rows", [])]
        elif block.get("type") == "table":
            lines += [" | ".join(str(v) for v in row) for row in block.get("rows", [])]
            if block.get("total"):
                lines.append(" | ".join(str(v) for v in block["total"] if v))
    attachment = payload.get("attachment")
    if attachment:
        lines.append(str(attachment.get("title", "")))
        lines += [" | ".join(str(v) for v in row) for row in attachment.get("rows", [])]
    return lines


def _public_keys(session: Session, office_code: str) -> list[tuple[str, str]]:
    """(signer name, base64 Ed25519 public key) that may have signed for ``office_code``."""
    keys: list[tuple[str, str]] = []
    office = session.get(Office, 1)
    if office is not None and office.office_code == office_code:
        own = session.scalar(select(IdentityKey.public_b64).where(IdentityKey.purpose == "signing"))
        if own:
            keys.append((office.name, own))
    for name, key in session.execute(
        select(TrustedPeer.name, TrustedPeer.signing_public_b64).where(TrustedPeer.office_code == office_code)
    ):
        keys.append((name, key))
    return keys


def _signature_ok(public_b64: str, signed: bytes, signature: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64)).verify(signature, signed)
    except (InvalidSignature, ValueError):
        return False
    return True


def _claims_content(claims: dict[str, Any], signer: str) -> LetterContent:
    subject = claims.get("s")
    return LetterContent(
        nomor=str(claims.get("n", "")),
        jenis=str(claims.get("k", "")),
        jenis_label=str(claims.get("k", "")),
        tanggal=dt.date.fromisoformat(str(claims.get("d"))),
        kantor=signer,
        office_code=str(claims.get("o", "")),
        hal="",
        penerima=(f"Desa {claims['t']}",) if claims.get("t") else (),
        subjek=(tuple(str(v) for v in subject if v),) if subject else (),
        jumlah_subjek=int(claims.get("m", 0)),
        kode_verifikasi=codes.group(str(claims.get("c", ""))),
        status="terbit",
        print_count=None,
    )


def _archive_content(payload: schemas.Payload, claims: dict[str, Any], signer: str, state: str | None,
                     print_count: int, recipients: str | None) -> LetterContent:  # fmt: skip
    subject = claims.get("s")
    return LetterContent(
        nomor=payload.nomor,
        jenis=payload.kind,
        jenis_label=payload.kind_label or payload.kind,
        tanggal=dt.date.fromisoformat(payload.tanggal),
        kantor=signer,
        office_code=payload.office_code,
        hal=payload.hal or payload.title or "",
        penerima=tuple(json.loads(recipients or "[]")),
        subjek=(tuple(str(v) for v in subject if v),) if subject else (),
        jumlah_subjek=int(claims.get("m", 0)),
        kode_verifikasi=codes.group(str(claims["c"])),
        status={"voided": "dibatalkan", "reserved": "dicadangkan"}.get(state or "", "terbit"),
        print_count=print_count,
        payload=payload.to_json(),
    )


def _check_archived(session: Session, code: str, via_qr: bool) -> VerificationResult:
    row = session.execute(
        select(Document.payload, Document.print_count, Document.recipients, RegisterEntry.state, RegisterEntry.note)
        .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
        .where(Document.verification_code == code, Document.deleted_at.is_(None))
    ).first()
    if row is None:
        return VerificationResult(False, f"Kode {codes.group(code)} tidak terdaftar dalam arsip surat kantor ini.")
    try:
        payload = schemas.loads(row[0])
    except (schemas.PayloadError, ValueError):
        return VerificationResult(False, "Arsip surat ini rusak: isinya tidak terbaca.")
    decoded = codes.decode_qr(payload.verification.qr) if payload.verification is not None else None
    if decoded is None:
        return VerificationResult(False, "Arsip surat ini rusak: tanda tangan digital tidak terbaca.")
    signed, claims, signature = decoded
    signer = _verified_by(session, claims, signed, signature)
    if signer is None:
        return VerificationResult(False, "Tanda tangan digital surat dalam arsip tidak sah.")
    if claims.get("c") != code or claims.get("x") != codes.content_digest(payload.to_json()):
        return VerificationResult(
            False, "Isi surat dalam arsip tidak sama dengan yang ditandatangani: arsip telah diubah."
        )
    content = _archive_content(payload, claims, signer, row[3], row[1], row[2])
    if row[3] == "voided":
        return VerificationResult(
            False, f"Nomor surat {content.nomor} telah dibatalkan. {row[4] or ''}".strip(), content, "arsip"
        )
    return VerificationResult(
        True, "Surat asli: terdaftar dalam arsip dan tanda tangan digitalnya sah.", content, "arsip"
    )


def _verified_by(session: Session, claims: dict[str, Any], signed: bytes, signature: bytes) -> str | None:
    for name, key in _public_keys(session, str(claims.get("o", ""))):
        if _signature_ok(key, signed, signature):
            return name
    return None


def check(ctx: ServiceContext, text: str) -> VerificationResult:
    """Verify a typed short code ("K7Q2-9MXD-4T") or a scanned QR string ("KD1:...")."""
    text = (text or "").strip()
    if not text:
        return VerificationResult(False, "Ketik kode verifikasi atau pindai kode QR surat.")
    with ctx.read() as session:
        decoded = codes.decode_qr(text)
        if decoded is not None:
            signed, claims, signature = decoded
            if not isinstance(claims.get("c"), str) or "d" not in claims:
                return VerificationResult(False, "Kode QR tidak lengkap.")
            keys = _public_keys(session, str(claims.get("o", "")))
            if not keys:
                return VerificationResult(
                    False,
                    f"Kunci kantor penerbit ({claims.get('o')}) belum dikenal di komputer ini. "
                    "Impor berkas identitas kantor itu (menu Kunci) lalu coba lagi.",
                )
            signer = _verified_by(session, claims, signed, signature)
            if signer is None:
                return VerificationResult(False, "Tanda tangan digital tidak sah: kode QR palsu atau telah diubah.")
            archived = session.scalar(select(Document.id).where(Document.verification_code == claims["c"]))
            if archived is not None:
                return _check_archived(session, str(claims["c"]), via_qr=True)
            return VerificationResult(
                True,
                "Tanda tangan digital sah. Isi lengkap surat tersimpan di kantor penerbit.",
                _claims_content(claims, signer),
                "kode QR",
            )
        if text.upper().startswith(codes.QR_PREFIX):
            return VerificationResult(False, "Kode QR tidak terbaca utuh; pindai ulang.")
        code = codes.normalize_short_code(text)
        if code is None:
            return VerificationResult(
                False, "Kode verifikasi harus 10 huruf/angka, seperti K7Q2-9MXD-4T (tanpa huruf I, L, O, U)."
            )
        return _check_archived(session, code, via_qr=False)
