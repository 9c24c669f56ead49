"""Certificates of attendance ("sertifikat") for a socialization event: what a certificate says and to whom.

Only participants marked as attended get one. Each certificate takes a number from the register in its own
sequence ("sertifikat", restarting every year) and is archived as a ``document`` of kind "sertifikat", signed and
verifiable like a letter: :func:`klaten_desktop.services.documents.issuing.issue_documents` numbers, signs,
renders (with the certificates renderer the composition root put on the context), stores and writes them; this
module drafts the payloads and links each certificate to its participant (``event_certificate``).

Printing an event's certificates again re-renders the archived payloads unchanged, marked "Cetakan ke-N", and
counts the print.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, RegisterEntry, new_uuid
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import events
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import archive, codes, letterhead, register
from klaten_desktop.services.documents.archive import Archived
from klaten_desktop.services.documents.issuing import NewDocument, Plan, Stored, issue_documents
from klaten_desktop.services.documents.letterhead import OfficeInfo
from klaten_desktop.services.documents.schemas import CERTIFICATE_KIND, CertificatePayloadV1
from klaten_desktop.services.errors import UserError

KIND = CERTIFICATE_KIND
SEQUENCE = "sertifikat"


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


def numbering(settings: letterhead.LetterSettings, on: dt.date) -> register.Numbering:
    """Certificates are numbered like letters (the office's number format, with the kode klasifikasi set for
    kind "sertifikat", else the default one: ``400.10.3/005/Kec.Prb/2026``) in their own sequence of the register,
    restarting every year (the letters' sequences may be shared among all letters)."""
    return register.Numbering(SEQUENCE, KIND, register.letter_numbering(settings, KIND, on).format)


# ---------------------------------------------------------------------------------------------- payload


@dataclass(frozen=True)
class _Signatories:
    camat_jabatan: str
    camat_nama: str
    camat_pangkat: str | None
    camat_nip: str | None
    bpjs_jabatan: str
    bpjs_nama: str


def _signatories(office: OfficeInfo, kec: str | None) -> _Signatories:
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
    office: OfficeInfo,
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
        "v": CertificatePayloadV1.version,
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


def _claims(person: events.ParticipantRow) -> dict[str, Any]:
    return {"m": 1, "s": [person.nama, mask_nik(person.nik) if person.nik else None, None]}


# ---------------------------------------------------------------------------------------------- issuing


def _existing(session: Session, event_id: str) -> dict[str, tuple[Archived, str | None]]:
    """The event's certificates already issued, by participant: (archived document, register state)."""
    rows = session.execute(
        select(
            Document.id,
            EventCertificate.participant_id,
            RegisterEntry.state,
        )
        .join(Document, Document.id == EventCertificate.document_id)
        .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
        .where(EventCertificate.event_id == event_id, EventCertificate.deleted_at.is_(None))
    ).all()
    voided = {r[0] for r in rows if r[2] == "voided"}
    archived = archive.archived_for_reprint(session, [r[0] for r in rows if r[0] not in voided], what="sertifikat")
    by_id = {a.id: a for a in archived}
    found: dict[str, tuple[Archived, str | None]] = {}
    for document_id, participant_id, state in rows:
        if document_id in voided:
            nomor = session.scalar(select(Document.nomor).where(Document.id == document_id)) or ""
            raise UserError(
                f"Nomor sertifikat {nomor} sudah dibatalkan di register; sertifikat itu tidak dapat dicetak ulang."
            )
        found[participant_id] = (by_id[document_id], state)
    return found


def _links(event_id: str, stored: Sequence[Stored], office: OfficeInfo, now: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": new_uuid(),
            "row_version": 1,
            "updated_at": now,
            "office_code": office.office_code,
            "origin_install": office.install_id,
            "event_id": event_id,
            "participant_id": s.draft.payload["participant_id"],
            "document_id": s.issued.id,
            "certificate_nomor": s.issued.nomor,
        }
        for s in stored
    ]


def issue_certificates(
    ctx: ServiceContext,
    actor: Actor,
    event_id: str,
    *,
    out: Path,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> CertificatesResult:
    """All certificates of an event's attendees in one PDF at ``out``.

    Attendees without a certificate get a new number; those who already have one are printed again from the
    archive (marked "Cetakan ke-N", the print counted).
    """
    require(actor, Permission.events)
    event = events.get(ctx, event_id)
    attendees = events.participants(ctx, event_id, attended_only=True)
    if not attendees:
        raise UserError("Belum ada peserta yang ditandai hadir; sertifikat hanya untuk peserta yang hadir.")
    on = event.starts_at.date()
    with ctx.read() as session:
        office = letterhead.office_info(session)
        settings = letterhead.load(session)
        existing = _existing(session, event_id)
    kec = office.kecamatan
    fresh = [p for p in attendees if p.id not in existing]
    signatories = _signatories(office, kec) if fresh else None
    tempat = settings.tempat or "Klaten"

    def draft(nomors: Sequence[str]) -> list[NewDocument | Archived]:
        numbered = dict(zip((p.id for p in fresh), nomors, strict=True))
        items: list[NewDocument | Archived] = []
        for person in attendees:
            if person.id in existing:
                items.append(existing[person.id][0])
                continue
            assert signatories is not None
            payload = _payload(office=office, kec=kec, tempat=tempat, signatories=signatories, event=event,
                               person=person, nomor=numbered[person.id], on=on)  # fmt: skip
            subjects = (person.official_id,) if person.official_id is not None else ()
            items.append(NewDocument(payload, _claims(person), (person.nama,), subjects))
        return items

    def link(session: Session, stored: Sequence[Stored], now: dt.datetime) -> int:
        if stored:
            session.execute(insert(EventCertificate), _links(event_id, stored, office, now))
        return len(stored)

    plan = Plan(
        kind=KIND,
        on=on,
        numbering=numbering(settings, on),
        count=len(fresh),
        draft=draft,
        what="sertifikat",
        issue_summary=f"{len(fresh)} sertifikat diterbitkan untuk {event.title}",
        reprint_summary=f"{len(existing)} sertifikat dicetak ulang untuk {event.title}",
        cancel_message="Pembuatan sertifikat dibatalkan; tidak ada nomor yang terpakai.",
        store=link,
    )
    outcome = issue_documents(ctx, actor, plan, out=out, progress=progress, cancelled=cancelled)
    new = iter(outcome.issued)
    again = {a.id: c for a, c in outcome.reprinted}
    rows: list[CertificateRow] = []
    for person in attendees:
        if person.id in existing:
            old = existing[person.id][0]
            rows.append(CertificateRow(old.id, person.id, old.nomor, person.nama,
                                       codes.group(old.verification_code or ""), again[old.id]))  # fmt: skip
        else:
            doc = next(new)
            rows.append(CertificateRow(doc.id, person.id, doc.nomor, person.nama, doc.kode_verifikasi, 1))
    return CertificatesResult(
        tuple(rows), len(outcome.issued), len(outcome.reprinted), outcome.pages, outcome.path, outcome.sha256
    )


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
    out: Path,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> CertificatesResult:
    """Print archived certificates again (e.g. chosen in the documents archive), marked "Cetakan ke-N"."""
    require(actor, Permission.events)
    if not document_ids:
        raise UserError("Pilih sertifikat yang akan dicetak ulang.")
    done = archive.reprint(
        ctx, actor, document_ids, out=out, what="sertifikat", kind=KIND, progress=progress, cancelled=cancelled
    )
    with ctx.read() as session:
        found = session.execute(
            select(EventCertificate.document_id, EventCertificate.participant_id, Document.recipients,
                   Document.verification_code)
            .join(Document, Document.id == EventCertificate.document_id)
            .where(EventCertificate.document_id.in_([d for d, _n, _c in done.documents]))
        ).all()  # fmt: skip
    by_doc = {r[0]: r for r in found}
    result = tuple(
        CertificateRow(
            d, by_doc[d][1] if d in by_doc else "", nomor, _first(by_doc[d][2]) if d in by_doc else "",
            codes.group((by_doc[d][3] if d in by_doc else None) or ""), c,
        )
        for d, nomor, c in done.documents
    )  # fmt: skip
    return CertificatesResult(result, 0, len(result), done.pages, done.path, done.sha256)


def _first(recipients: str | None) -> str:
    return str((json.loads(recipients or "[]") or [""])[0])
