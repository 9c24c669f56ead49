"""The archive of issued documents (letters and certificates alike): listing, reading, and reprints.

A reprint draws the archived payload again, unchanged, marked "Cetakan ke-N", and counts the print. It reads the
archive, renders outside any write transaction, then writes the file under a temporary name, commits the count
and renames the file into place.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, DocumentSubject, Official, RegisterEntry
from klaten_desktop.runtime.work import CancelCheck, Cancelled, Progress, check
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import codes, letterhead, rendering, schemas
from klaten_desktop.services.errors import EnvironmentProblem, NotFoundError, UserError
from klaten_desktop.services.files import Staged, staged


@dataclass(frozen=True)
class DocumentRow:
    id: str
    nomor: str
    kind: str
    issued_on: dt.date
    recipients: tuple[str, ...]
    sha256: str | None
    kode_verifikasi: str | None
    print_count: int
    state: str | None


@dataclass(frozen=True)
class DocumentData:
    row: DocumentRow
    payload: schemas.Payload
    subject_ids: tuple[str, ...]


@dataclass(frozen=True)
class Archived:
    """An archived document about to be printed again."""

    id: str
    nomor: str
    payload: schemas.Payload
    print_count: int  # prints so far
    verification_code: str | None


@dataclass(frozen=True)
class ReprintResult:
    documents: tuple[tuple[str, str, int], ...]  # (id, nomor, cetakan ke-)
    pages: int
    path: Path
    sha256: str


_DOC_COLUMNS = (
    Document.id,
    Document.nomor,
    Document.kind,
    Document.issued_on,
    Document.recipients,
    Document.sha256,
    Document.verification_code,
    Document.print_count,
    RegisterEntry.state,
)


def _doc_row(r: Sequence[Any]) -> DocumentRow:
    code = r[6]
    return DocumentRow(
        r[0], r[1], r[2], r[3], tuple(json.loads(r[4] or "[]")), r[5], codes.group(code) if code else None, r[7], r[8]
    )


def documents(
    ctx: ServiceContext, *, kind: str | None = None, desa_kode: str | None = None, year: int | None = None
) -> list[DocumentRow]:
    """The archive, newest first."""
    stmt = (
        select(*_DOC_COLUMNS)
        .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
        .where(Document.deleted_at.is_(None))
        .order_by(Document.issued_on.desc(), RegisterEntry.number.desc())
    )
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    if year is not None:
        stmt = stmt.where(Document.issued_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if desa_kode is not None:
        stmt = stmt.where(
            Document.id.in_(
                select(DocumentSubject.document_id)
                .join(Official, Official.id == DocumentSubject.official_id)
                .where(Official.desa_kode == desa_kode)
            )
        )
    with ctx.read() as session:
        return [_doc_row(r) for r in session.execute(stmt)]


def document(ctx: ServiceContext, document_id: str) -> DocumentData:
    with ctx.read() as session:
        row = session.execute(
            select(*_DOC_COLUMNS, Document.payload)
            .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
            .where(Document.id == document_id, Document.deleted_at.is_(None))
        ).first()
        if row is None:
            raise NotFoundError("Surat tidak ditemukan dalam arsip.")
        ids = tuple(
            session.scalars(select(DocumentSubject.official_id).where(DocumentSubject.document_id == document_id))
        )
    return DocumentData(_doc_row(row[:9]), schemas.loads(row[9]), ids)


def archived_for_reprint(
    session: Session, document_ids: Sequence[str], *, what: str, kind: str | None = None
) -> list[Archived]:
    """The archived documents in the order asked (each once), refusing missing ones and voided numbers; ``what``
    names them in the messages ("surat", "sertifikat"), ``kind`` limits them to one kind of document."""
    stmt = (
        select(
            Document.id,
            Document.nomor,
            Document.payload,
            Document.print_count,
            Document.verification_code,
            RegisterEntry.state,
        )
        .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
        .where(Document.id.in_(list(document_ids)), Document.deleted_at.is_(None))
    )
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    by_id = {r[0]: r for r in session.execute(stmt)}
    if any(d not in by_id for d in document_ids):
        raise NotFoundError(f"Sebagian {what} tidak ditemukan dalam arsip.")
    ordered = [by_id[d] for d in dict.fromkeys(document_ids)]
    voided = [r[1] for r in ordered if r[5] == "voided"]
    if voided:
        raise UserError(f"Nomor {what} {voided[0]} sudah dibatalkan dan tidak dapat dicetak ulang.")
    return [Archived(r[0], r[1], schemas.loads(r[2]), r[3], r[4]) for r in ordered]


def record_reprints(
    session: Session, actor: Actor, documents: Sequence[tuple[str, int]], *, what: str, now: dt.datetime,
    summary: str | None = None,
) -> None:  # fmt: skip
    """Count one more print of each archived document ``(id, print_count so far)`` and audit it."""
    for document_id, count in documents:
        session.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(print_count=count + 1, row_version=Document.row_version + 1, updated_at=now)
        )
    audit.record_many(
        session,
        actor,
        "reprint",
        "document",
        [(d, {"print_count": c}, {"print_count": c + 1}) for d, c in documents],
        summary=summary or f"{len(documents)} {what} dicetak ulang",
    )


def images_for(session: Session, payloads: Sequence[schemas.Payload]) -> dict[str, bytes]:
    """The pictures (letterhead logos) the payloads name."""
    logos = {str(p.kop["logo"]) for p in payloads if p.kop.get("logo")}
    return letterhead.images(session, logos)


def reprint(
    ctx: ServiceContext,
    actor: Actor,
    document_ids: Sequence[str],
    *,
    out: Path,
    what: str = "surat",
    kind: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> ReprintResult:
    """Print archived documents of one renderer (letters, or certificates) again, exactly as issued, marked
    "Cetakan ke-N"; the count is kept."""
    require(actor, Permission.letters)
    import hashlib

    if not document_ids:
        raise UserError(f"Pilih {what} yang akan dicetak ulang.")
    with ctx.read() as session:
        archived = archived_for_reprint(session, document_ids, what=what, kind=kind)
        images = images_for(session, [a.payload for a in archived])
    kinds = {a.payload.kind == rendering.CERTIFICATE_KIND for a in archived}
    if len(kinds) > 1:
        raise UserError("Sertifikat dan surat dicetak ulang terpisah; pilih salah satu saja.")
    render = rendering.for_kind(ctx, archived[0].payload.kind)
    counts = [a.print_count + 1 for a in archived]
    cancel_message = f"Cetak ulang {what} dibatalkan."
    try:
        check(cancelled, cancel_message)
        rendered = render(
            [a.payload.to_json() for a in archived], cetakan=counts, images=images, progress=progress,
            cancelled=cancelled,
        )  # fmt: skip
    except Cancelled:
        raise Cancelled(cancel_message) from None
    with staged(out, rendered.pdf) as file:
        with ctx.write() as session:
            record_reprints(session, actor, [(a.id, a.print_count) for a in archived], what=what, now=ctx.now())
        file.place()
    return ReprintResult(
        tuple((a.id, a.nomor, c) for a, c in zip(archived, counts, strict=True)),
        rendered.pages,
        Path(out),
        hashlib.sha256(rendered.pdf).hexdigest(),
    )


def placed_or_explain(file: Staged, nomors: Sequence[str], what: str) -> None:
    """Rename an issued file into place after its numbers were committed; if that fails, say that the documents
    are recorded and can be printed again from the archive."""
    try:
        file.place()
    except EnvironmentProblem as exc:
        first = nomors[0] if nomors else ""
        more = f" (dan {len(nomors) - 1} lainnya)" if len(nomors) > 1 else ""
        raise EnvironmentProblem(
            f"{what.capitalize()} nomor {first}{more} sudah tercatat di register dan arsip, tetapi berkas "
            f"{file.target.name} tidak dapat disimpan. {exc} {what.capitalize()} itu dapat dicetak ulang dari arsip "
            "(tab Arsip, atau perintah reprint)."
        ) from exc
