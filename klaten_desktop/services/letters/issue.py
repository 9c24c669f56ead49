"""Issuing letters: numbers, archive, signature and PDF in one transaction; reprints from the archive.

The PDF is drawn by a renderer passed in by the caller (``klaten_desktop.reports.letters.render_letters``): the
services layer does not import reports. Everything happens inside one ``BEGIN IMMEDIATE`` transaction: the
numbers are taken, the documents archived, a pengantar's officials marked as submitted, the PDF rendered and
written (temporary file + rename). If anything fails or the user cancels, nothing is kept and no number is
used up.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import and_, insert, select, update
from sqlalchemy.orm import Session

from klaten_desktop.db.models import (
    Document,
    DocumentSubject,
    Enrollment,
    Office,
    Official,
    RegisterEntry,
    Wilayah,
    new_uuid,
    utcnow,
)
from klaten_desktop.domain.enums import format_programs
from klaten_desktop.domain.formatting import format_period, format_rupiah, terbilang_rupiah
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.services import audit, identity
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import NotFoundError, UserError
from klaten_desktop.services.letters import codes, config, register, templates
from klaten_desktop.services.letters.files import write_atomic
from klaten_desktop.services.letters.payload import (
    OfficeInfo,
    Subject,
    build,
    count_values,
    iuran_table,
    lampiran_table,
    office_values,
    subject_fields,
    subject_values,
    title_case,
)
from klaten_desktop.services.letters.templates import LetterTemplate
from klaten_desktop.services.tariffs import Defaults

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
MAX_MONTHS = 24
DESA_FUNDED = ("ADD", "APBDes")


class Rendered(Protocol):
    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...


class Renderer(Protocol):
    """``klaten_desktop.reports.letters.render_letters``."""

    def __call__(
        self,
        payloads: Sequence[Mapping[str, Any]],
        *,
        cetakan: Sequence[int] | None = ...,
        images: Mapping[str, bytes] | None = ...,
        progress: Progress | None = ...,
        cancelled: Cancelled | None = ...,
        title: str | None = ...,
    ) -> Rendered | None: ...


class IssueCancelled(UserError):
    """The user cancelled while the PDF was being made; nothing was issued."""


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
class IssueResult:
    documents: tuple[IssuedDocument, ...]
    pages: int
    path: Path
    submitted: int = 0


@dataclass(frozen=True)
class _Draft:
    values: dict[str, str]
    subjects: tuple[Subject, ...]
    desa: str
    recipients: tuple[str, ...]
    rincian: dict[str, Any] | None = None
    attachment: dict[str, Any] | None = None
    extra: dict[str, Any] | None = None


# ---------------------------------------------------------------------------------------------- reading


def _office_info(session: Session) -> OfficeInfo:
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    kec = None
    if office.role == "kecamatan":
        kec = session.scalar(select(Wilayah.nama).where(Wilayah.kode == office.office_code))
    return OfficeInfo(
        office.office_code,
        office.install_id,
        office.name,
        kec,
        office.address,
        office.phone,
        office.email,
        office.camat_nama,
        office.camat_nip,
        office.camat_pangkat,
        office.bpjs_branch_name,
        office.bpjs_branch_address,
    )


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
)


def subjects(
    ctx: ServiceContext, *, desa_kode: str | None = None, official_ids: Sequence[str] | None = None
) -> list[Subject]:
    """Serving officials of this office with their open enrollment, in letter order."""
    with ctx.read() as session:
        return _subjects(session, desa_kode=desa_kode, official_ids=official_ids)


def _subjects(
    session: Session, *, desa_kode: str | None = None, official_ids: Sequence[str] | None = None
) -> list[Subject]:
    office = session.get(Office, 1)
    stmt = (
        select(*_SUBJECT_COLUMNS)
        .join(Wilayah, Wilayah.kode == Official.desa_kode)
        .outerjoin(
            Enrollment,
            and_(
                Enrollment.official_id == Official.id,
                Enrollment.deleted_at.is_(None),
                Enrollment.ended_on.is_(None),
            ),
        )
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


def _by_desa(rows: Sequence[Subject]) -> dict[str, list[Subject]]:
    groups: dict[str, list[Subject]] = {}
    for row in rows:
        groups.setdefault(row.desa_kode, []).append(row)
    return groups


# ---------------------------------------------------------------------------------------------- drafts


def _drafts_daftar(template: LetterTemplate, rows: Sequence[Subject], kec: str) -> list[_Draft]:
    drafts = []
    for group in _by_desa(rows).values():
        desa = title_case(group[0].desa_nama)
        drafts.append(
            _Draft(
                values={"desa": desa, **count_values(len(group))},
                subjects=tuple(group),
                desa=group[0].desa_kode,
                recipients=(),
                attachment=lampiran_table(
                    group,
                    title=f"DAFTAR PENGURUS RT/RW DESA {desa.upper()}",
                    subtitle=f"Lampiran {template.label}, Kecamatan {kec}",
                ),
            )
        )
    return drafts


def _drafts_pengurus(rows: Sequence[Subject]) -> list[_Draft]:
    return [
        _Draft(
            values=subject_values(s),
            subjects=(s,),
            desa=s.desa_kode,
            recipients=(s.nama,),
            rincian=subject_fields(s),
        )
        for s in rows
    ]


def _drafts_iuran(rows: Sequence[Subject], start: YearMonth, end: YearMonth) -> list[_Draft]:
    months = month_range(start, end)
    drafts = []
    for group in _by_desa(rows).values():
        counted = []
        for s in group:
            if s.registered_on is None:
                continue
            first = YearMonth.of(s.registered_on)
            n = sum(1 for m in months if m >= first)
            if n:
                counted.append((s, n))
        if not counted:
            continue
        table, total = iuran_table(counted)
        desa = title_case(group[0].desa_nama)
        drafts.append(
            _Draft(
                values={
                    "desa": desa,
                    **count_values(len(counted)),
                    "periode": format_period(start, end),
                    "jumlah_bulan": str(len(months)),
                    "total_iuran": format_rupiah(total),
                    "total_iuran_terbilang": terbilang_rupiah(total),
                },
                subjects=tuple(s for s, _ in counted),
                desa=group[0].desa_kode,
                recipients=(f"Kepala Desa {desa}",),
                rincian=table,
                extra={"periode": [str(start), str(end)], "total_iuran": total},
            )
        )
    return drafts


def _select(
    template: LetterTemplate,
    rows: list[Subject],
    *,
    period: tuple[YearMonth, YearMonth] | None,
    kec: str,
) -> list[_Draft]:
    if template.scope == "daftar":
        if template.kind == "pengantar":
            rows = [r for r in rows if r.enrollment_id is None]
        return _drafts_daftar(template, rows, kec)
    if template.scope == "pengurus":
        if template.kind == "keterangan":
            rows = [r for r in rows if r.nomor_kpj]
        return _drafts_pengurus(rows)
    if period is None:
        raise UserError("Periode iuran wajib diisi (mis. 2027-01..2027-12).", field="period")
    rows = [r for r in rows if r.nomor_kpj and r.registered_on and r.funding_source in DESA_FUNDED]
    return _drafts_iuran(rows, *period)


_NOTHING = {
    "pengantar": "Tidak ada pengurus yang perlu diajukan: semua pengurus yang menjabat sudah diajukan atau terdaftar.",
    "keterangan": "Tidak ada pengurus terdaftar (ber-KPJ) untuk dibuatkan surat keterangan.",
    "iuran": "Tidak ada iuran yang dibayarkan dari dana desa pada periode itu (tidak ada pengurus terdaftar ber-KPJ).",
}


def _check_period(period: tuple[YearMonth, YearMonth] | None) -> None:
    if period is None:
        return
    start, end = period
    if end < start:
        raise UserError("Bulan akhir periode tidak boleh sebelum bulan awal.", field="period")
    if len(month_range(start, end)) > MAX_MONTHS:
        raise UserError(f"Periode iuran paling panjang {MAX_MONTHS} bulan.", field="period")


# ---------------------------------------------------------------------------------------------- issuing


def _claims(payload: Mapping[str, Any], code: str, drafted: _Draft) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "v": 1,
        "c": code,
        "n": payload["nomor"],
        "d": payload["tanggal"],
        "k": payload["kind"],
        "o": payload["office_code"],
        "m": len(drafted.subjects),
        "x": codes.content_digest(payload),
    }
    if drafted.desa:
        claims["t"] = drafted.values.get("desa") or title_case(drafted.subjects[0].desa_nama)
    if len(drafted.subjects) == 1:
        s = drafted.subjects[0]
        claims["s"] = [s.nama, mask_nik(s.nik), codes.mask_kpj(s.nomor_kpj)]
    if "total_iuran" in payload:
        claims["r"] = payload["total_iuran"]
    return claims


def _unique_codes(session: Session, count: int) -> list[str]:
    while True:
        fresh = list({codes.new_short_code() for _ in range(count)})
        if len(fresh) < count:
            continue
        clash = session.scalar(select(Document.id).where(Document.verification_code.in_(fresh)).limit(1))
        if clash is None:
            return fresh


def _mark_submitted(session: Session, actor: Actor, rows: Sequence[Subject], on: dt.date, defaults: Defaults) -> int:
    """The private twin of ``enrollment.submit``: open an enrollment (no KPJ yet) in this transaction."""
    code, amount = defaults.amount(on)
    programs = format_programs(defaults.programs)
    install = session.scalar(select(Office.install_id))
    now = utcnow()
    ids = [r.id for r in rows if r.enrollment_id is None]
    already = set(
        session.scalars(
            select(Enrollment.official_id).where(
                Enrollment.official_id.in_(ids), Enrollment.deleted_at.is_(None), Enrollment.ended_on.is_(None)
            )
        )
    )
    offices = dict(
        session.execute(select(Official.id, Official.office_code).where(Official.id.in_(ids))).tuples().all()
    )
    values = [
        {
            "id": new_uuid(),
            "row_version": 1,
            "updated_at": now,
            "office_code": offices[oid],
            "origin_install": install,
            "official_id": oid,
            "programs": programs,
            "tariff_code": code,
            "monthly_amount": amount,
            "funding_source": defaults.funding.value,
            "submitted_on": on,
        }
        for oid in ids
        if oid not in already
    ]
    if values:
        session.execute(insert(Enrollment), values)
        audit.record_many(
            session,
            actor,
            "submit",
            "enrollment",
            [
                (str(v["id"]), None, {"official_id": v["official_id"], "submitted_on": on, "monthly_amount": amount})
                for v in values
            ],
            summary="Diajukan dengan surat pengantar",
        )
    return len(values)


def _check_signatory(
    template: LetterTemplate, office: OfficeInfo, settings: config.LetterSettings, on: dt.date
) -> None:
    values = office_values(office, settings, nomor="", on=on)
    if not templates.fill(template.ttd_nama, values).strip():
        raise UserError(
            "Nama penanda tangan surat belum diisi. Isi nama, pangkat dan NIP camat di Pengaturan kantor "
            "(atau penanda tangan pada templat surat) lalu coba lagi."
        )


def issue(
    ctx: ServiceContext,
    actor: Actor,
    kind: str,
    *,
    render: Renderer,
    out: Path,
    desa_kode: str | None = None,
    official_ids: Sequence[str] | None = None,
    period: tuple[YearMonth, YearMonth] | None = None,
    on: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> IssueResult:
    """Issue letters of ``kind`` for a desa (or the whole office) into one PDF at ``out``.

    pengantar: one letter per desa listing the serving officials not yet submitted; they are marked submitted.
    keterangan: one letter per registered official. iuran: one letter per desa for ``period``.
    Staff-defined kinds follow the scope of their template.
    """
    on = on or ctx.today()
    _check_period(period)
    template = templates.get(ctx, kind)
    defaults = Defaults(ctx) if kind == "pengantar" else None
    key = identity.signing_key(ctx)
    with ctx.write() as session:
        office = _office_info(session)
        settings = config.load(session)
        rows = _subjects(session, desa_kode=desa_kode, official_ids=official_ids)
        kec = title_case(office.kecamatan) if office.kecamatan else "Klaten"
        drafts = _select(template, rows, period=period, kec=kec)
        if not drafts:
            where = f" di desa {desa_kode}" if desa_kode else ""
            raise UserError(_NOTHING.get(kind, f"Tidak ada pengurus untuk surat ini{where}.").rstrip(".") + where + ".")
        _check_signatory(template, office, settings, on)
        taken = register.take(session, kind=kind, count=len(drafts), on=on)
        short_codes = _unique_codes(session, len(drafts))
        payloads: list[dict[str, Any]] = []
        signatures: list[str] = []
        for drafted, number, code in zip(drafts, taken, short_codes, strict=True):
            values = {**office_values(office, settings, nomor=number.nomor, on=on), **drafted.values}
            payload = build(
                template,
                values,
                office=office,
                settings=settings,
                on=on,
                rincian=drafted.rincian,
                attachment=drafted.attachment,
                extra={"desa_kode": drafted.desa, **(drafted.extra or {})},
            )
            claims = _claims(payload, code, drafted)
            signature = key.sign(codes.pack_claims(claims))
            qr = codes.encode_qr(claims, signature)
            payload["verification"] = {"code": codes.group(code), "qr": qr, "modules": codes.qr_modules(qr)}
            payloads.append(payload)
            signatures.append(base64.b64encode(signature).decode("ascii"))
        images = config.images(session, {settings.logo} if settings.logo else set())
        rendered = render(payloads, images=images, progress=progress, cancelled=cancelled)
        if rendered is None:
            raise IssueCancelled("Pembuatan surat dibatalkan; tidak ada nomor yang terpakai.")
        sha = hashlib.sha256(rendered.pdf).hexdigest()
        now = utcnow()
        doc_rows = []
        subject_rows = []
        issued = []
        for drafted, number, code, payload, signature_b64 in zip(
            drafts, taken, short_codes, payloads, signatures, strict=True
        ):
            doc_id = new_uuid()
            recipients = list(payload["yth"]) or list(drafted.recipients)
            doc_rows.append(
                {
                    "id": doc_id,
                    "row_version": 1,
                    "updated_at": now,
                    "office_code": office.office_code,
                    "origin_install": office.install_id,
                    "register_entry_id": number.entry_id,
                    "kind": kind,
                    "nomor": number.nomor,
                    "issued_on": on,
                    "recipients": json.dumps(recipients, ensure_ascii=False),
                    "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
                    "sha256": sha,
                    "verification_code": code,
                    "signature": signature_b64,
                    "print_count": 1,
                }
            )
            subject_rows += [{"document_id": doc_id, "official_id": s.id} for s in drafted.subjects]
            issued.append(
                IssuedDocument(doc_id, number.nomor, kind, sha, codes.group(code), drafted.desa, len(drafted.subjects))
            )
        session.execute(insert(Document), doc_rows)
        if subject_rows:
            session.execute(insert(DocumentSubject), subject_rows)
        submitted = 0
        if kind == "pengantar" and defaults is not None:
            submitted = _mark_submitted(session, actor, [s for d in drafts for s in d.subjects], on, defaults)
        audit.record_many(
            session,
            actor,
            "issue",
            "document",
            [(d.id, None, {"nomor": d.nomor, "kind": kind, "sha256": sha, "subjects": d.subjects}) for d in issued],
            summary=f"{len(issued)} {template.label} diterbitkan",
        )
        write_atomic(out, rendered.pdf)
    return IssueResult(tuple(issued), rendered.pages, Path(out), submitted)


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
)


def preview_payload(ctx: ServiceContext, template: LetterTemplate, *, count: int = 3) -> dict[str, Any]:
    """The template filled with synthetic data (never a real person), numbered "CONTOH"."""
    on = ctx.today()
    with ctx.read() as session:
        office = _office_info(session)
        settings = config.load(session)
    people = [SYNTHETIC._replace(id=f"contoh{i}", nama=f"Contoh Nama Pengurus {i}", rt=i) for i in range(1, count + 1)]
    kec = title_case(office.kecamatan) if office.kecamatan else "Klaten"
    if template.scope == "daftar":
        drafted = _drafts_daftar(template, people, kec)[0]
    elif template.scope == "pengurus":
        drafted = _drafts_pengurus(people[:1])[0]
    else:
        start = YearMonth(on.year, 1)
        drafted = _drafts_iuran(people, start, YearMonth(on.year, 12))[0]
    nomor = f"{settings.klasifikasi_for(template.kind)}/000/{settings.kode_unit}/{on.year} (CONTOH)"
    values = {**office_values(office, settings, nomor=nomor, on=on), **drafted.values}
    payload = build(
        template,
        values,
        office=office,
        settings=settings,
        on=on,
        rincian=drafted.rincian,
        attachment=drafted.attachment,
        extra={"desa_kode": drafted.desa, "preview": True},
    )
    claims = _claims(payload, "0" * codes.SHORT_LENGTH, drafted)
    payload["verification"] = {"code": "CONTOH", "qr": codes.encode_qr(claims, bytes(codes.SIGNATURE_BYTES))}
    return payload


def preview_pdf(ctx: ServiceContext, template: LetterTemplate, render: Renderer) -> bytes:
    """A PDF of the template with synthetic data, for the editor's preview (nothing is stored)."""
    problems = templates.check(template)
    if problems:
        raise UserError("Templat belum benar: " + problems[0], details=problems)
    payload = preview_payload(ctx, template)
    with ctx.read() as session:
        images = config.images(session, {payload["kop"]["logo"]} if payload["kop"].get("logo") else set())
    rendered = render([payload], images=images)
    assert rendered is not None
    return rendered.pdf


# ---------------------------------------------------------------------------------------------- archive


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
    payload: dict[str, Any]
    subject_ids: tuple[str, ...]


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
    return DocumentData(_doc_row(row[:9]), json.loads(row[9]), ids)


@dataclass(frozen=True)
class ReprintResult:
    documents: tuple[tuple[str, str, int], ...]  # (id, nomor, cetakan ke-)
    pages: int
    path: Path


@dataclass(frozen=True)
class Archived:
    """An archived document about to be printed again."""

    id: str
    nomor: str
    payload: dict[str, Any]
    print_count: int  # prints so far
    verification_code: str | None


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
    return [Archived(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in ordered]


def record_reprints(session: Session, actor: Actor, documents: Sequence[tuple[str, int]], *, what: str) -> None:
    """Count one more print of each archived document ``(id, print_count so far)`` and audit it (letters and
    certificates alike)."""
    now = utcnow()
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
        summary=f"{len(documents)} {what} dicetak ulang",
    )


def reprint(
    ctx: ServiceContext,
    actor: Actor,
    document_ids: Sequence[str],
    *,
    render: Renderer,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ReprintResult:
    """Print archived letters again, exactly as issued, marked "Cetakan ke-N"; the count is kept."""
    if not document_ids:
        raise UserError("Pilih surat yang akan dicetak ulang.")
    with ctx.write() as session:
        archived = archived_for_reprint(session, document_ids, what="surat")
        payloads = [a.payload for a in archived]
        counts = [a.print_count + 1 for a in archived]
        logos = {p["kop"]["logo"] for p in payloads if p.get("kop", {}).get("logo")}
        images = config.images(session, logos)
        rendered = render(payloads, cetakan=counts, images=images, progress=progress, cancelled=cancelled)
        if rendered is None:
            raise IssueCancelled("Cetak ulang dibatalkan.")
        record_reprints(session, actor, [(a.id, a.print_count) for a in archived], what="surat")
        write_atomic(out, rendered.pdf)
    return ReprintResult(
        tuple((a.id, a.nomor, c) for a, c in zip(archived, counts, strict=True)), rendered.pages, Path(out)
    )
