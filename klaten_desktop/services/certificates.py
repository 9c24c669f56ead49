"""Certificates of attendance ("sertifikat") for a socialization event.

Only participants marked as attended get one. Each certificate takes a number from the register in its own
sequence ("sertifikat", restarting every year), is archived as a ``document`` of kind "sertifikat" (the payload
it was printed from, the PDF's SHA-256, a short verification code and an Ed25519-signed QR string, verifiable
offline with the letters' ``verify``), and is linked to its participant in ``event_certificate``.

Printing an event's certificates again re-renders the archived payloads unchanged, marked "Cetakan ke-N", and
counts the print. As with letters, the PDF is drawn by a renderer the caller passes in
(``klaten_desktop.reports.certificate_pdf.render_certificates``): services do not import reports. Everything
happens in one write transaction; if rendering fails or is cancelled no number is used up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import (
    Document,
    DocumentSubject,
    Office,
    RegisterEntry,
    Wilayah,
    new_uuid,
    new_uuids,
    utcnow,
)
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.services import audit, events, identity
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import codes, config, issue, register
from klaten_desktop.services.letters.files import write_atomic
from klaten_desktop.services.letters.issue import Cancelled, Progress, Rendered

KIND = "sertifikat"
SEQUENCE = "sertifikat"
NOMOR_FORMAT = "SERT/{nomor:03d}/{kode_unit}/{tahun}"
PAYLOAD_VERSION = 1


class Renderer(Protocol):
    """``klaten_desktop.reports.certificate_pdf.render_certificates``."""

    def __call__(
        self,
        payloads: Sequence[Mapping[str, Any]],
        *,
        cetakan: Sequence[int] | None = ...,
        progress: Progress | None = ...,
        cancelled: Cancelled | None = ...,
    ) -> Rendered | None: ...


class CertificatesCancelled(UserError):
    """The user cancelled while the PDF was being made; nothing was issued or counted."""


@dataclass(frozen=True)
class CertificateRow:
    document_id: str
    participant_id: str
    nomor: str
    nama: str
    kode_verifikasi: str
    cetakan: int  # 1 = first print

    def as_json(self) -> dict[str, Any]:
        return {"nomor": self.nomor, "nama": self.nama, "kode_verifikasi": self.kode_verifikasi}


@dataclass(frozen=True)
class CertificatesResult:
    certificates: tuple[CertificateRow, ...]
    issued: int
    reprinted: int
    pages: int
    path: Path
    sha256: str


# ---------------------------------------------------------------------------------------------- numbering


def _take_numbers(session: Session, office: Office, kode_unit: str, on: dt.date, count: int) -> list[tuple[str, str]]:
    """``count`` consecutive certificate numbers of ``on``'s year: (register entry id, nomor).

    The certificates' own sequence in the register (the letters' ``register.take`` names its sequences after
    the letter settings, which may share one sequence among all letters).
    """
    first = register.advance_sequence(session, office.office_code, on.year, SEQUENCE, count)
    ids = new_uuids(count)
    taken = [
        (entry_id, NOMOR_FORMAT.format(nomor=n, kode_unit=kode_unit, tahun=on.year))
        for entry_id, n in zip(ids, range(first, first + count), strict=True)
    ]
    now = utcnow()
    session.execute(
        insert(RegisterEntry),
        [
            {
                "id": entry_id,
                "row_version": 1,
                "updated_at": now,
                "office_code": office.office_code,
                "origin_install": office.install_id,
                "year": on.year,
                "sequence": SEQUENCE,
                "number": first + i,
                "nomor": nomor,
                "kind": KIND,
                "state": "issued",
                "issued_on": on,
                "note": None,
            }
            for i, (entry_id, nomor) in enumerate(taken)
        ],
    )
    return taken


def _unique_codes(session: Session, count: int) -> list[str]:
    while True:
        fresh = list({codes.new_short_code() for _ in range(count)})
        if len(fresh) < count:
            continue
        clash = session.scalar(select(Document.id).where(Document.verification_code.in_(fresh)).limit(1))
        if clash is None:
            return fresh


# ---------------------------------------------------------------------------------------------- payload


@dataclass(frozen=True)
class _Signatories:
    camat_jabatan: str
    camat_nama: str
    camat_pangkat: str | None
    camat_nip: str | None
    bpjs_jabatan: str
    bpjs_nama: str


def _signatories(office: Office, kec: str | None) -> _Signatories:
    if not (office.camat_nama or "").strip():
        raise UserError(
            "Nama camat (penanda tangan sertifikat) belum diisi. Isi nama, pangkat dan NIP camat di "
            "Pengaturan kantor lalu coba lagi."
        )
    if not (office.bpjs_branch_head or "").strip():
        raise UserError(
            "Nama Kepala Kantor Cabang BPJS Ketenagakerjaan (penanda tangan kedua sertifikat) belum diisi. "
            "Isi di Pengaturan kantor lalu coba lagi."
        )
    branch = (office.bpjs_branch_name or "").strip() or "BPJS Ketenagakerjaan Cabang Klaten"
    return _Signatories(
        camat_jabatan=f"Camat {kec}" if kec else "Kepala Kantor",
        camat_nama=(office.camat_nama or "").strip(),
        camat_pangkat=office.camat_pangkat,
        camat_nip=office.camat_nip,
        bpjs_jabatan=f"Kepala {branch}" if not branch.lower().startswith("kepala") else branch,
        bpjs_nama=(office.bpjs_branch_head or "").strip(),
    )


def _payload(
    *,
    office: Office,
    kec: str | None,
    tempat: str,
    signatories: _Signatories,
    event: events.EventRow,
    person: events.ParticipantRow,
    nomor: str,
    on: dt.date,
) -> dict[str, Any]:
    hari_tanggal = f"{events.weekday_name(event.starts_at.date())}, {event.date_label}"
    return {
        "v": PAYLOAD_VERSION,
        "kind": KIND,
        "kind_label": "Sertifikat",
        "office_code": office.office_code,
        "nomor": nomor,
        "tanggal": on.isoformat(),
        "tanggal_teks": format_date(on),
        "tempat": tempat,
        "title": "SERTIFIKAT",
        "hal": f"Sertifikat peserta {event.title}",
        "kop": {
            "instansi": "PEMERINTAH KABUPATEN KLATEN",
            "unit": f"KECAMATAN {kec.upper()}" if kec else office.name.upper(),
            "mitra": "BPJS KETENAGAKERJAAN",
        },
        "event_id": event.id,
        "participant_id": person.id,
        "official_id": person.official_id,
        "nama": person.nama,
        "peran": person.peran,
        "acara": {
            "judul": event.title,
            "hari_tanggal": hari_tanggal,
            "waktu": event.time_label,
            "tempat": event.place,
            "penyelenggara": event.organiser or office.name,
        },
        "body": [
            {
                "type": "p",
                "text": f"Diberikan kepada {person.nama}, {person.peran}, sebagai peserta {event.title} "
                f"pada {hari_tanggal} di {event.place}.",
            }
        ],
        "signatures": [
            {"jabatan": signatories.bpjs_jabatan, "nama": signatories.bpjs_nama, "pangkat": "", "nip": ""},
            {
                "jabatan": signatories.camat_jabatan,
                "nama": signatories.camat_nama,
                "pangkat": signatories.camat_pangkat or "",
                "nip": signatories.camat_nip or "",
            },
        ],
    }


def _claims(payload: Mapping[str, Any], code: str, nik: str | None) -> dict[str, Any]:
    return {
        "v": 1,
        "c": code,
        "n": payload["nomor"],
        "d": payload["tanggal"],
        "k": KIND,
        "o": payload["office_code"],
        "m": 1,
        "x": codes.content_digest(payload),
        "s": [payload["nama"], mask_nik(nik) if nik else None, None],
    }


def qr_modules(text: str) -> dict[str, Any]:
    """The QR code's modules in the letters' archived form (``codes.qr_modules``: one bit per dark module, row
    by row, base64), made once at issue time so that printing and reprinting draw without encoding.

    zxing-cpp (C++) encodes in a fraction of a millisecond; without it the letters' segno encoder is used.
    """
    try:
        import zxingcpp
    except ImportError:  # pragma: no cover - zxing-cpp is a dependency; segno stays as the fallback
        return codes.qr_modules(text)
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=0)
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    n = int(image.shape[0])
    light = bytes(memoryview(image))  # type: ignore[arg-type]
    bits = int("".join("0" if v else "1" for v in light), 2) << (-(n * n) % 8)
    return {"n": n, "bits": base64.b64encode(bits.to_bytes((n * n + 7) // 8, "big")).decode("ascii")}


# ---------------------------------------------------------------------------------------------- issuing


@dataclass(frozen=True)
class _Existing:
    document_id: str
    participant_id: str
    nomor: str
    payload: dict[str, Any]
    print_count: int
    code: str
    state: str | None


def _existing(session: Session, event_id: str) -> dict[str, _Existing]:
    rows = session.execute(
        select(
            Document.id,
            EventCertificate.participant_id,
            Document.nomor,
            Document.payload,
            Document.print_count,
            Document.verification_code,
            RegisterEntry.state,
        )
        .join(Document, Document.id == EventCertificate.document_id)
        .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
        .where(EventCertificate.event_id == event_id, EventCertificate.deleted_at.is_(None))
    )
    return {r[1]: _Existing(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5] or "", r[6]) for r in rows}


def issue_certificates(
    ctx: ServiceContext,
    actor: Actor,
    event_id: str,
    *,
    render: Renderer,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CertificatesResult:
    """All certificates of an event's attendees in one PDF at ``out``.

    Attendees without a certificate get a new number; those who already have one are printed again from the
    archive (marked "Cetakan ke-N", the print counted).
    """
    event = events.get(ctx, event_id)
    attendees = events.participants(ctx, event_id, attended_only=True)
    if not attendees:
        raise UserError("Belum ada peserta yang ditandai hadir; sertifikat hanya untuk peserta yang hadir.")
    on = event.starts_at.date()
    key = identity.signing_key(ctx)
    with ctx.write() as session:
        office = session.get(Office, 1)
        if office is None:
            raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
        kec = None
        if office.role == "kecamatan":
            kec = session.scalar(select(Wilayah.nama).where(Wilayah.kode == office.office_code))
        settings = config.load(session)
        existing = _existing(session, event_id)
        voided = [e.nomor for e in existing.values() if e.state == "voided"]
        if voided:
            raise UserError(
                f"Nomor sertifikat {voided[0]} sudah dibatalkan di register; sertifikat itu tidak dapat dicetak ulang."
            )
        fresh = [p for p in attendees if p.id not in existing]
        signatories = _signatories(office, kec) if fresh else None
        niks = {p.id: p.nik for p in attendees}
        taken = _take_numbers(session, office, settings.kode_unit or "", on, len(fresh)) if fresh else []
        short_codes = _unique_codes(session, len(fresh)) if fresh else []
        new_payloads: dict[str, dict[str, Any]] = {}
        signatures: dict[str, str] = {}
        for person, (_entry, nomor), code in zip(fresh, taken, short_codes, strict=True):
            assert signatories is not None
            payload = _payload(
                office=office,
                kec=kec,
                tempat=settings.tempat or "Klaten",
                signatories=signatories,
                event=event,
                person=person,
                nomor=nomor,
                on=on,
            )
            claims = _claims(payload, code, niks[person.id])
            signature = key.sign(codes.pack_claims(claims))
            qr = codes.encode_qr(claims, signature)
            payload["verification"] = {"code": codes.group(code), "qr": qr, "modules": qr_modules(qr)}
            new_payloads[person.id] = payload
            signatures[person.id] = base64.b64encode(signature).decode("ascii")
        payloads: list[dict[str, Any]] = []
        cetakan: list[int] = []
        for person in attendees:
            if person.id in existing:
                payloads.append(existing[person.id].payload)
                cetakan.append(existing[person.id].print_count + 1)
            else:
                payloads.append(new_payloads[person.id])
                cetakan.append(1)
        rendered = render(payloads, cetakan=cetakan, progress=progress, cancelled=cancelled)
        if rendered is None:
            raise CertificatesCancelled("Pembuatan sertifikat dibatalkan; tidak ada nomor yang terpakai.")
        sha = hashlib.sha256(rendered.pdf).hexdigest()
        now = utcnow()
        result: list[CertificateRow] = []
        doc_rows: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        subjects: list[dict[str, Any]] = []
        by_person = {
            p.id: (entry, nomor, code) for p, (entry, nomor), code in zip(fresh, taken, short_codes, strict=True)
        }
        for person, count in zip(attendees, cetakan, strict=True):
            if person.id in existing:
                old = existing[person.id]
                result.append(
                    CertificateRow(old.document_id, person.id, old.nomor, person.nama, codes.group(old.code), count)
                )
                continue
            entry, nomor, code = by_person[person.id]
            doc_id = new_uuid()
            payload = new_payloads[person.id]
            doc_rows.append(
                {
                    "id": doc_id,
                    "row_version": 1,
                    "updated_at": now,
                    "office_code": office.office_code,
                    "origin_install": office.install_id,
                    "register_entry_id": entry,
                    "kind": KIND,
                    "nomor": nomor,
                    "issued_on": on,
                    "recipients": json.dumps([person.nama], ensure_ascii=False),
                    "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                    "sha256": sha,
                    "verification_code": code,
                    "signature": signatures[person.id],
                    "print_count": 1,
                }
            )
            links.append(
                {
                    "id": new_uuid(),
                    "row_version": 1,
                    "updated_at": now,
                    "office_code": office.office_code,
                    "origin_install": office.install_id,
                    "event_id": event_id,
                    "participant_id": person.id,
                    "document_id": doc_id,
                    "certificate_nomor": nomor,
                }
            )
            if person.official_id is not None:
                subjects.append({"document_id": doc_id, "official_id": person.official_id})
            result.append(CertificateRow(doc_id, person.id, nomor, person.nama, codes.group(code), 1))
        if doc_rows:
            session.execute(insert(Document), doc_rows)
            session.execute(insert(EventCertificate), links)
            if subjects:
                session.execute(insert(DocumentSubject), subjects)
            audit.record_many(
                session,
                actor,
                "issue",
                "document",
                [
                    (d["id"], None, {"nomor": d["nomor"], "kind": KIND, "sha256": sha, "event_id": event_id})
                    for d in doc_rows
                ],
                summary=f"{len(doc_rows)} sertifikat diterbitkan untuk {event.title}",
            )
        reprints = [r for r in result if r.cetakan > 1]
        for r in reprints:
            session.execute(
                update(Document)
                .where(Document.id == r.document_id)
                .values(print_count=r.cetakan, row_version=Document.row_version + 1, updated_at=now)
            )
        if reprints:
            audit.record_many(
                session,
                actor,
                "reprint",
                "document",
                [(r.document_id, {"print_count": r.cetakan - 1}, {"print_count": r.cetakan}) for r in reprints],
                summary=f"{len(reprints)} sertifikat dicetak ulang untuk {event.title}",
            )
        write_atomic(out, rendered.pdf)
    return CertificatesResult(tuple(result), len(doc_rows), len(reprints), rendered.pages, Path(out), sha)


def for_event(ctx: ServiceContext, event_id: str) -> list[CertificateRow]:
    """The certificates issued for an event (without printing)."""
    with ctx.read() as session:
        rows = session.execute(
            select(
                Document.id,
                EventCertificate.participant_id,
                Document.nomor,
                Document.recipients,
                Document.verification_code,
                Document.print_count,
            )
            .join(Document, Document.id == EventCertificate.document_id)
            .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
            .where(EventCertificate.event_id == event_id, EventCertificate.deleted_at.is_(None))
            .order_by(RegisterEntry.year, RegisterEntry.number)
        )
        return [
            CertificateRow(r[0], r[1], r[2], (json.loads(r[3] or "[]") or [""])[0], codes.group(r[4] or ""), r[5])
            for r in rows
        ]


def reprint(
    ctx: ServiceContext,
    actor: Actor,
    document_ids: Sequence[str],
    *,
    render: Renderer,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CertificatesResult:
    """Print archived certificates again (e.g. chosen in the documents archive), marked "Cetakan ke-N"."""
    if not document_ids:
        raise UserError("Pilih sertifikat yang akan dicetak ulang.")
    with ctx.write() as session:
        archived = issue.archived_for_reprint(session, document_ids, what="sertifikat", kind=KIND)
        participant_of: dict[str, str] = {
            document_id: participant_id
            for document_id, participant_id in session.execute(
                select(EventCertificate.document_id, EventCertificate.participant_id).where(
                    EventCertificate.document_id.in_([a.id for a in archived])
                )
            )
        }
        payloads = [a.payload for a in archived]
        counts = [a.print_count + 1 for a in archived]
        rendered = render(payloads, cetakan=counts, progress=progress, cancelled=cancelled)
        if rendered is None:
            raise CertificatesCancelled("Cetak ulang sertifikat dibatalkan.")
        issue.record_reprints(session, actor, [(a.id, a.print_count) for a in archived], what="sertifikat")
        write_atomic(out, rendered.pdf)
    result = tuple(
        CertificateRow(
            a.id, participant_of.get(a.id) or "", a.nomor, str(a.payload.get("nama", "")),
            codes.group(a.verification_code or ""), c,
        )
        for a, c in zip(archived, counts, strict=True)
    )  # fmt: skip
    return CertificatesResult(
        result, 0, len(result), rendered.pages, Path(out), hashlib.sha256(rendered.pdf).hexdigest()
    )
