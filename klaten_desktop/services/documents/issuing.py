"""``issue_documents``: the one way a document (a letter, a certificate) gets its number, signature and PDF.

Drafting (what a document says and about whom) stays with letters and event certificates; they hand over a
:class:`Plan`. The core then

1. reads the next number of the plan's sequence (no write yet) and has the documents drafted with those numbers,
   each given a fresh short code and an Ed25519-signed QR string (modules encoded once, the fast path of
   :func:`codes.qr_modules`);
2. renders the PDF through the plan's renderer, holding no database transaction (a cancel raises ``Cancelled``:
   nothing is kept, no number is used);
3. writes the PDF under a temporary name beside the target, then in one short write transaction takes the
   numbers (if someone else took them meanwhile, it drafts and renders again), records the register entries, the
   documents and their subjects, the reprint counts and what the plan stores beside them (e.g. submitted
   enrollments, certificate links), and audits it all;
4. after the commit renames the file into place. A number in any file the app wrote is therefore always in the
   register; if only the rename fails, the message says the documents are recorded and can be reprinted.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, DocumentSubject, new_uuid
from klaten_desktop.runtime.work import CancelCheck, Cancelled, Progress, check
from klaten_desktop.services import audit, identity
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import archive, codes, letterhead, register, rendering, schemas
from klaten_desktop.services.documents.archive import Archived
from klaten_desktop.services.errors import EnvironmentProblem
from klaten_desktop.services.files import staged

ATTEMPTS = 3


@dataclass(frozen=True)
class NewDocument:
    """A drafted document: its payload (numbered, without the verification block that is signed over it), the
    claims it adds to the signed QR string (``m``, ``t``, ``s``, ``r``: see :mod:`codes`), its recipients and
    the officials it is about."""

    payload: dict[str, Any]
    claims: Mapping[str, Any]
    recipients: tuple[str, ...]
    subject_ids: tuple[str, ...] = ()
    desa: str = ""


@dataclass(frozen=True)
class IssuedDocument:
    id: str
    nomor: str
    jenis: str
    sha256: str
    kode_verifikasi: str
    desa: str
    subjects: int


@dataclass(frozen=True)
class Stored:
    """A new document as stored, for the plan's ``store`` step: its row and what it was drafted from."""

    issued: IssuedDocument
    draft: NewDocument
    register_entry_id: str


Drafter = Callable[[Sequence[str]], Sequence[NewDocument | Archived]]
"""Given the numbers (nomor) of the new documents, the documents to print in order (new ones and reprints)."""


@dataclass(frozen=True)
class Plan:
    """What to issue. ``count`` new documents numbered by ``numbering`` (dated ``on``), drafted by ``draft``;
    ``store(session, stored, now)`` adds rows of the plan's own in the same transaction and returns a count."""

    kind: str
    on: dt.date
    numbering: register.Numbering
    count: int
    draft: Drafter
    what: str  # "surat", "sertifikat": the word in messages and audit summaries
    issue_summary: str
    reprint_summary: str = ""
    cancel_message: str = "Pembuatan dokumen dibatalkan; tidak ada nomor yang terpakai."
    images: Mapping[str, bytes] = field(default_factory=dict)
    store: Callable[[Session, Sequence[Stored], dt.datetime], int] | None = None


@dataclass(frozen=True)
class Outcome:
    issued: tuple[IssuedDocument, ...]  # the new documents, in print order
    reprinted: tuple[tuple[Archived, int], ...]  # (archived document, cetakan ke-)
    printed: tuple[str, ...]  # every document id in print order
    pages: int
    path: Path
    sha256: str
    stored: int  # what the plan's ``store`` returned


class _NumbersTaken(Exception):
    """Someone issued from the same sequence between drafting and the write: draft and render again."""


@dataclass(frozen=True)
class _Signed:
    items: tuple[NewDocument | Archived, ...]
    payloads: tuple[dict[str, Any], ...]  # what the renderer draws, in print order
    codes: tuple[str, ...]  # the new documents' short codes
    signatures: tuple[str, ...]  # base64


def _fresh_codes(session: Session, count: int) -> list[str]:
    while True:
        fresh = list({codes.new_short_code() for _ in range(count)})
        if len(fresh) < count:
            continue
        if session.scalar(select(Document.id).where(Document.verification_code.in_(fresh)).limit(1)) is None:
            return fresh


def claims_of(payload: Mapping[str, Any], code: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    """The signed claims of a document: its identity, the digest of its content, and the drafting's own."""
    return {
        "v": 1,
        "c": code,
        "n": payload["nomor"],
        "d": payload["tanggal"],
        "k": payload["kind"],
        "o": payload["office_code"],
        "x": codes.content_digest(payload),
        **extra,
    }


def _sign(
    items: Sequence[NewDocument | Archived], short_codes: Sequence[str], key: Any, *, kantor: str, now: dt.datetime
) -> _Signed:
    """Sign the new documents; each new payload records the issuing office and time (``kantor``, ``dibuat``:
    the PDF's author and creation date) before its content digest is taken."""
    payloads: list[dict[str, Any]] = []
    signatures: list[str] = []
    fresh = iter(short_codes)
    for item in items:
        if isinstance(item, Archived):
            payloads.append(item.payload.to_json())
            continue
        code = next(fresh)
        item.payload["kantor"] = kantor
        item.payload["dibuat"] = now.isoformat(timespec="seconds")
        claims = claims_of(item.payload, code, item.claims)
        signature = key.sign(codes.pack_claims(claims))
        qr = codes.encode_qr(claims, signature)
        item.payload["verification"] = {"code": codes.group(code), "qr": qr, "modules": codes.qr_modules(qr)}
        payloads.append(item.payload)
        signatures.append(base64.b64encode(signature).decode("ascii"))
    return _Signed(tuple(items), tuple(payloads), tuple(short_codes), tuple(signatures))


def issue_documents(
    ctx: ServiceContext,
    actor: Actor,
    plan: Plan,
    *,
    out: Path,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Outcome:
    """Number, sign, render, store and write the plan's documents into one PDF at ``out`` (see the module)."""
    key = identity.signing_key(ctx)
    for _attempt in range(ATTEMPTS):
        with ctx.read() as session:
            office = letterhead.office_info(session)
            first = register.next_number(session, office.office_code, plan.on.year, plan.numbering.sequence)
            short_codes = _fresh_codes(session, plan.count) if plan.count else []
        nomors = [plan.numbering.format(first + i) for i in range(plan.count)]
        now = ctx.now().replace(microsecond=0)
        signed = _sign(plan.draft(nomors), short_codes, key, kantor=office.name, now=now)
        render = rendering.for_kind(ctx, plan.kind)
        cetakan = [i.print_count + 1 if isinstance(i, Archived) else 1 for i in signed.items]
        try:
            check(cancelled, plan.cancel_message)
            rendered = render(signed.payloads, cetakan=cetakan, images=plan.images, progress=progress,
                              cancelled=cancelled, created=now)  # fmt: skip
        except Cancelled:
            raise Cancelled(plan.cancel_message) from None
        sha = hashlib.sha256(rendered.pdf).hexdigest()
        where = (office.office_code, office.install_id)
        with staged(out, rendered.pdf) as file:
            try:
                with ctx.write() as session:
                    issued, stored = _store(session, actor, plan, signed, first, where, sha, ctx.now())
            except _NumbersTaken:
                continue
            archive.placed_or_explain(file, [d.nomor for d in issued], plan.what)
        reprinted = tuple((i, c) for i, c in zip(signed.items, cetakan, strict=True) if isinstance(i, Archived))
        new_ids = iter(d.id for d in issued)
        printed = tuple(i.id if isinstance(i, Archived) else next(new_ids) for i in signed.items)
        return Outcome(issued, reprinted, printed, rendered.pages, Path(out), sha, stored)
    raise EnvironmentProblem(
        f"Nomor {plan.what} sedang dipakai bersamaan oleh pengguna lain; tidak ada yang terbit. Coba lagi."
    )


def _store(
    session: Session,
    actor: Actor,
    plan: Plan,
    signed: _Signed,
    first: int,
    office: tuple[str, str],
    sha: str,
    now: dt.datetime,
) -> tuple[tuple[IssuedDocument, ...], int]:
    """The short write transaction: take the numbers drafted with, store the documents, count the reprints."""
    new = [i for i in signed.items if isinstance(i, NewDocument)]
    issued: list[IssuedDocument] = []
    stored: list[Stored] = []
    if new:
        got = register.advance_sequence(session, office[0], plan.on.year, plan.numbering.sequence, len(new))
        clash = session.scalar(select(Document.id).where(Document.verification_code.in_(signed.codes)).limit(1))
        if got != first or clash is not None:
            raise _NumbersTaken
        taken = register.record_entries(session, office, plan.numbering, first, len(new), on=plan.on, now=now)
        rows, subjects = [], []
        for draft, number, code, signature in zip(new, taken, signed.codes, signed.signatures, strict=True):
            doc_id = new_uuid()
            rows.append(_document_row(doc_id, plan, draft, number, code, signature, office, sha, now))
            subjects += [{"document_id": doc_id, "official_id": s} for s in draft.subject_ids]
            doc = IssuedDocument(doc_id, number.nomor, plan.kind, sha, codes.group(code), draft.desa,
                                 len(draft.subject_ids))  # fmt: skip
            issued.append(doc)
            stored.append(Stored(doc, draft, number.entry_id))
        session.execute(insert(Document), rows)
        if subjects:
            session.execute(insert(DocumentSubject), subjects)
    count = plan.store(session, stored, now) if plan.store is not None else 0
    if issued:
        audit.record_many(
            session,
            actor,
            "issue",
            "document",
            [(d.id, None, {"nomor": d.nomor, "kind": plan.kind, "sha256": sha, **_audit_extra(s)})
             for d, s in zip(issued, stored, strict=True)],
            summary=plan.issue_summary,
        )  # fmt: skip
    reprints = [(i.id, i.print_count) for i in signed.items if isinstance(i, Archived)]
    if reprints:
        archive.record_reprints(session, actor, reprints, what=plan.what, now=now, summary=plan.reprint_summary or None)
    return tuple(issued), count


def _audit_extra(stored: Stored) -> dict[str, Any]:
    event = stored.draft.payload.get("event_id")
    return {"event_id": event} if event else {"subjects": stored.issued.subjects}


def _document_row(
    doc_id: str,
    plan: Plan,
    draft: NewDocument,
    number: register.TakenNumber,
    code: str,
    signature: str,
    office: tuple[str, str],
    sha: str,
    now: dt.datetime,
) -> dict[str, Any]:
    return {
        "id": doc_id,
        "row_version": 1,
        "updated_at": now,
        "office_code": office[0],
        "origin_install": office[1],
        "register_entry_id": number.entry_id,
        "kind": plan.kind,
        "nomor": number.nomor,
        "issued_on": plan.on,
        "recipients": schemas.dumps_list(draft.recipients),
        "payload": schemas.dumps(draft.payload),
        "sha256": sha,
        "verification_code": code,
        "signature": signature,
        "print_count": 1,
    }
