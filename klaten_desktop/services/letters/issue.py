"""Issuing letters: the officials a letter is about, read from the database, drafted and handed to the core.

pengantar, keterangan, iuran and staff-defined kinds: :func:`subjects` reads the serving officials,
:mod:`klaten_desktop.services.letters.drafting` turns them into drafts from the office's templates (what each
letter says and about whom), and :func:`klaten_desktop.services.documents.issuing.issue_documents` numbers,
signs, renders (with the letters renderer the composition root put on the context), stores and writes them. A
pengantar marks its officials as submitted in the same transaction (``enrollment.submit_many``). The template
editor's preview (synthetic officials, nothing stored) is here too. Reprints, the archive and verification live
in :mod:`klaten_desktop.services.documents`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, DocumentSubject, Enrollment, Office, Official, RegisterEntry, Wilayah
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import coverage, enrollment
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.documents import codes, letterhead, register, rendering
from klaten_desktop.services.documents.issuing import (
    IssuedDocument,
    NewDocument,
    Plan,
    Stored,
    claims_of,
    issue_documents,
)
from klaten_desktop.services.documents.letterhead import OfficeInfo
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import drafting, options, templates
from klaten_desktop.services.letters.payload import (
    Subject,
    office_values,
    title_case,
)
from klaten_desktop.services.letters.templates import LetterTemplate
from klaten_desktop.services.settings import get as setting
from klaten_desktop.services.tariff_settings import FUNDING_KEY
from klaten_desktop.services.tariffs import Defaults


@dataclass(frozen=True)
class IssueResult:
    documents: tuple[IssuedDocument, ...]
    pages: int
    path: Path
    submitted: int = 0


# ---------------------------------------------------------------------------------------------- reading


_SUBJECT_COLUMNS = (
    Official.id,
    Official.nik,
    Official.nama,
    Official.tempat_lahir,
    Official.tanggal_lahir,
    Official.jabatan,
    Official.jabatan_lain,
    Official.rt,
    Official.rw,
    Official.telepon,
    Official.desa_kode,
    Wilayah.nama,
    Enrollment.id,
    Enrollment.nomor_kpj,
    Enrollment.programs,
    Enrollment.registered_on,
    Enrollment.funding_source,
    Enrollment.monthly_amount,
    Enrollment.submitted_on,
    Enrollment.ended_on,
    Enrollment.paid_through,
    Enrollment.tariff_code,
    # the last surat pengantar that listed the official (a voided number does not count)
    select(func.max(Document.issued_on))
    .join(DocumentSubject, DocumentSubject.document_id == Document.id)
    .outerjoin(RegisterEntry, RegisterEntry.id == Document.register_entry_id)
    .where(
        DocumentSubject.official_id == Official.id,
        Document.kind == "pengantar",
        Document.deleted_at.is_(None),
        or_(RegisterEntry.state.is_(None), RegisterEntry.state != "voided"),
    )
    .correlate(Official)
    .scalar_subquery(),
)


def subjects(
    ctx: ServiceContext, *, desa_kode: str | None = None, official_ids: Sequence[str] | None = None
) -> list[Subject]:
    """Serving officials of this office with their deciding enrollment (the open one, else the one that ended
    last: services/coverage.py), in letter order."""
    with ctx.read() as session:
        return _subjects(session, desa_kode=desa_kode, official_ids=official_ids)


def _subjects(
    session: Session, *, desa_kode: str | None = None, official_ids: Sequence[str] | None = None
) -> list[Subject]:
    office = session.get(Office, 1)
    stmt = (
        select(*_SUBJECT_COLUMNS)
        .join(Wilayah, Wilayah.kode == Official.desa_kode)
        .outerjoin(Enrollment, Enrollment.id == Official.cov_enrollment_id)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
        .order_by(Official.desa_kode, Official.rw, Official.rt, Official.jabatan, Official.nama)
    )
    if office is not None and office.role == "kecamatan":
        stmt = stmt.where(Official.office_code == office.office_code)
    if desa_kode is not None:
        stmt = stmt.where(Official.desa_kode == desa_kode)
    if official_ids is not None:
        stmt = stmt.where(Official.id.in_(list(official_ids)))
    return [Subject(*row) for row in session.execute(stmt)]


_NOTHING = {
    "pengantar": (
        "Tidak ada pengurus yang perlu diajukan: semua pengurus yang menjabat sudah diajukan dengan surat pengantar "
        "atau sudah terdaftar."
    ),
    "keterangan": "Tidak ada pengurus terdaftar (ber-KPJ) untuk dibuatkan surat keterangan.",
    "iuran": "Tidak ada iuran yang dibayarkan dari dana desa pada periode itu (tidak ada pengurus terdaftar ber-KPJ).",
}


# ---------------------------------------------------------------------------------------------- issuing


def _check_signatory(
    template: LetterTemplate, office: OfficeInfo, settings: letterhead.LetterSettings, on: dt.date
) -> None:
    values = office_values(office, settings, nomor="", on=on)
    if not templates.fill(template.ttd_nama, values).strip():
        raise UserError(
            "Nama penanda tangan surat belum diisi. Isi nama, pangkat dan NIP camat di Pengaturan kantor "
            "(atau penanda tangan pada templat surat) lalu coba lagi."
        )


def _letter(template: LetterTemplate, drafted: drafting.Draft, nomor: str, office: OfficeInfo,
            settings: letterhead.LetterSettings, on: dt.date) -> NewDocument:  # fmt: skip
    payload = drafting.payload_of(template, drafted, nomor, office, settings, on, drafted.extra or {})
    recipients = tuple(payload["yth"]) or drafted.recipients
    return NewDocument(
        payload, drafting.letter_claims(drafted), recipients, tuple(s.id for s in drafted.subjects), drafted.desa
    )


def issue(
    ctx: ServiceContext,
    actor: Actor,
    kind: str,
    *,
    out: Path,
    desa_kode: str | None = None,
    official_ids: Sequence[str] | None = None,
    period: tuple[YearMonth, YearMonth] | None = None,
    on: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> IssueResult:
    """Issue letters of ``kind`` for a desa (or the whole office) into one PDF at ``out``.

    pengantar: one letter per desa listing the serving officials not yet submitted (they are marked submitted),
    and those submitted without a KPJ who have no pengantar yet (``Subject.needs_pengantar``).
    keterangan: one letter per registered official. iuran: one letter per desa for ``period``.
    Staff-defined kinds follow the scope of their template.
    """
    require(actor, Permission.letters)
    on = on or ctx.today()
    drafting.check_period(period)
    template = templates.get(ctx, kind)
    defaults = Defaults(ctx)
    funding = str(setting(ctx, FUNDING_KEY))
    with ctx.read() as session:
        office = letterhead.office_info(session)
        settings = letterhead.load(session)
        rows = _subjects(session, desa_kode=desa_kode, official_ids=official_ids)
        images = letterhead.images(session, {settings.logo} if settings.logo else set())
        rules = tuple(coverage.insured_rules(session))
        inactive_allowed = options.inactive_keterangan_allowed(session)
    kec = title_case(office.kecamatan) if office.kecamatan else "Klaten"
    scope = drafting.Scope(period, kec, on, rules, inactive_allowed, funding, drafting.price_of(defaults))
    drafts = drafting.with_insured(drafting.select_drafts(template, rows, scope), rules, on)
    if not drafts:
        where = f" di desa {desa_kode}" if desa_kode else ""
        raise UserError(_NOTHING.get(kind, f"Tidak ada pengurus untuk surat ini{where}.").rstrip(".") + where + ".")
    _check_signatory(template, office, settings, on)

    def submit(session: Session, stored: Sequence[Stored], now: dt.datetime) -> int:
        if kind != "pengantar":
            return 0
        ids = [s.id for d in drafts for s in d.subjects if s.enrollment_id is None or s.ended_on]
        return enrollment.submit_many(
            session, actor, ids, on=on, defaults=defaults, now=now, summary="Diajukan dengan surat pengantar"
        )

    plan = Plan(
        kind=kind,
        on=on,
        numbering=register.letter_numbering(settings, kind, on),
        count=len(drafts),
        draft=lambda nomors: [
            _letter(template, d, n, office, settings, on) for d, n in zip(drafts, nomors, strict=True)
        ],
        what="surat",
        issue_summary=f"{len(drafts)} {template.label} diterbitkan",
        cancel_message="Pembuatan surat dibatalkan; tidak ada nomor yang terpakai.",
        images=images,
        store=submit,
    )
    outcome = issue_documents(ctx, actor, plan, out=out, progress=progress, cancelled=cancelled)
    return IssueResult(outcome.issued, outcome.pages, outcome.path, outcome.stored)


def pengantar(ctx: ServiceContext, actor: Actor, **kwargs: Any) -> IssueResult:
    return issue(ctx, actor, "pengantar", **kwargs)


def keterangan(ctx: ServiceContext, actor: Actor, **kwargs: Any) -> IssueResult:
    return issue(ctx, actor, "keterangan", **kwargs)


def iuran(ctx: ServiceContext, actor: Actor, **kwargs: Any) -> IssueResult:
    return issue(ctx, actor, "iuran", **kwargs)


# ---------------------------------------------------------------------------------------------- preview

SYNTHETIC = Subject(
    id="contoh",
    nik="3310010000000001",
    nama="Contoh Nama Pengurus",
    tempat_lahir="Klaten",
    tanggal_lahir=dt.date(1970, 1, 1),
    jabatan="ketua_rt",
    jabatan_lain=None,
    rt=1,
    rw=2,
    telepon="081200000000",
    desa_kode="33.10.01.2001",
    desa_nama="CONTOH",
    enrollment_id="contoh",
    nomor_kpj="00000000000",
    programs="JKK,JKM",
    registered_on=dt.date(2026, 1, 1),
    funding_source="ADD",
    monthly_amount=16800,
    submitted_on=dt.date(2025, 12, 1),
    tariff_code="BPU-PP82-2019",
)


def preview_payload(ctx: ServiceContext, template: LetterTemplate, *, count: int = 3) -> dict[str, Any]:
    """The template filled with synthetic data (never a real person), numbered "CONTOH"."""
    on = ctx.today()
    with ctx.read() as session:
        office = letterhead.office_info(session)
        settings = letterhead.load(session)
        rules = tuple(coverage.insured_rules(session))
    kec = title_case(office.kecamatan) if office.kecamatan else "Klaten"
    scope = drafting.Scope(None, kec, on, rules, True, str(setting(ctx, FUNDING_KEY)), drafting.price_of(Defaults(ctx)))
    paid = str(YearMonth.of(on))
    people = [
        SYNTHETIC._replace(id=f"contoh{i}", nama=f"Contoh Nama Pengurus {i}", rt=i, paid_through=paid)
        for i in range(1, count + 1)
    ]
    if template.scope == "daftar":
        drafted = drafting.drafts_daftar(template, [p._replace(enrollment_id=None) for p in people], scope)[0]
    elif template.scope == "pengurus":
        drafted = drafting.drafts_pengurus(people[:1], scope)[0]
    else:
        start = YearMonth(on.year, 1)
        drafted = drafting.drafts_iuran(people, start, YearMonth(on.year, 12), scope)[0]
    drafted = drafting.with_insured([drafted], rules, on)[0]
    nomor = f"{settings.klasifikasi_for(template.kind)}/000/{settings.kode_unit}/{on.year} (CONTOH)"
    payload = drafting.payload_of(template, drafted, nomor, office, settings, on, {"preview": True})
    claims = claims_of(payload, "0" * codes.SHORT_LENGTH, drafting.letter_claims(drafted))
    payload["verification"] = {"code": "CONTOH", "qr": codes.encode_qr(claims, bytes(codes.SIGNATURE_BYTES))}
    return payload


def preview_pdf(ctx: ServiceContext, template: LetterTemplate) -> bytes:
    """A PDF of the template with synthetic data, for the editor's preview (nothing is stored)."""
    problems = templates.check(template)
    if problems:
        raise UserError("Templat belum benar: " + problems[0], details=problems)
    payload = preview_payload(ctx, template)
    with ctx.read() as session:
        images = letterhead.images(session, {payload["kop"]["logo"]} if payload["kop"].get("logo") else set())
    return rendering.for_kind(ctx, template.kind)([payload], images=images, created=ctx.now()).pdf
