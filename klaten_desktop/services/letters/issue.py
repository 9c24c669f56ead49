"""Letters: what each kind of letter says and about whom (the drafting); issuing goes through the documents core.

pengantar, keterangan, iuran and staff-defined kinds are drafted here from the office's templates and the serving
officials; :func:`klaten_desktop.services.documents.issuing.issue_documents` numbers, signs, renders (with the
letters renderer the composition root put on the context), stores and writes them. A pengantar marks its
officials as submitted in the same transaction (``enrollment.submit_many``). Reprints, the archive and
verification live in :mod:`klaten_desktop.services.documents`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Document, DocumentSubject, Enrollment, Office, Official, RegisterEntry, Wilayah
from klaten_desktop.domain.coverage import InsuredPostsRule, insured_rule_on
from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.formatting import format_date, format_period, format_rupiah, terbilang_rupiah
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.domain.tariffs import MonthFigure
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import coverage, enrollment
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
from klaten_desktop.services.letters import options, templates
from klaten_desktop.services.letters.payload import (
    Subject,
    build,
    count_values,
    funding_statement,
    iuran_table,
    lampiran_table,
    office_values,
    subject_fields,
    subject_values,
    title_case,
)
from klaten_desktop.services.letters.templates import LetterTemplate
from klaten_desktop.services.settings import get as setting
from klaten_desktop.services.tariff_settings import FUNDING_KEY
from klaten_desktop.services.tariffs import Defaults

MAX_MONTHS = 24
DESA_FUNDED = ("ADD", "APBDes")


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
    rincian: dict[str, Any] | list[dict[str, Any]] | None = None
    attachment: dict[str, Any] | None = None
    extra: dict[str, Any] | None = None


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


def _by_desa(rows: Sequence[Subject]) -> dict[str, list[Subject]]:
    groups: dict[str, list[Subject]] = {}
    for row in rows:
        groups.setdefault(row.desa_kode, []).append(row)
    return groups


# ---------------------------------------------------------------------------------------------- drafts


@dataclass(frozen=True)
class _Scope:
    """What the drafting needs besides the officials: the period, the kecamatan, the letter's date, who is
    insured (dated versions), the office's default funding source for new enrollments and whether a keterangan
    may state a status other than aktif."""

    period: tuple[YearMonth, YearMonth] | None
    kec: str
    on: dt.date
    rules: tuple[InsuredPostsRule, ...]
    inactive_allowed: bool
    funding: str = "ADD"
    price: Callable[[Subject, YearMonth], MonthFigure] | None = None  # iuran letters: the month's contribution


def _drafts_daftar(template: LetterTemplate, rows: Sequence[Subject], scope: _Scope) -> list[_Draft]:
    rule = insured_rule_on(scope.rules, scope.on)
    new = template.kind == "pengantar"  # its officials are submitted with the office's default funding
    drafts = []
    for group in _by_desa(rows).values():
        desa = title_case(group[0].desa_nama)
        funding = funding_statement(group, rule, scope.funding, new_enrollments=new)
        drafts.append(
            _Draft(
                values={"desa": desa, "sumber_dana": funding, **count_values(len(group))},
                subjects=tuple(group),
                desa=group[0].desa_kode,
                recipients=(),
                attachment=lampiran_table(
                    group,
                    title=f"DAFTAR PENGURUS RT/RW DESA {desa.upper()}",
                    subtitle=f"Lampiran {template.label}, Kecamatan {scope.kec}",
                    on=scope.on,
                ),
            )
        )
    return drafts


def _drafts_pengurus(rows: Sequence[Subject], scope: _Scope) -> list[_Draft]:
    on = scope.on
    rule = insured_rule_on(scope.rules, on)
    return [
        _Draft(
            values=subject_values(s, on, rule, scope.funding),
            subjects=(s,),
            desa=s.desa_kode,
            recipients=(s.nama,),
            rincian=subject_fields(s, on),
        )
        for s in rows
    ]


def _price(defaults: Defaults) -> Callable[[Subject, YearMonth], MonthFigure]:
    """A month's contribution of an official's enrollment, as services/tariffs.py prices every month."""

    def price(s: Subject, month: YearMonth) -> MonthFigure:
        return defaults.figure(
            tariff_code=s.tariff_code or "",
            programs=s.programs or "",
            recorded_amount=s.monthly_amount or 0,
            month=month,
        )

    return price


def _drafts_iuran(rows: Sequence[Subject], start: YearMonth, end: YearMonth, scope: _Scope) -> list[_Draft]:
    """One letter per desa: each official's months in the period from registration in which the post is insured,
    each priced on its own (a UMK tariff on the UMK of the month's year)."""
    assert scope.price is not None
    price = scope.price
    months = month_range(start, end)
    insured = {m: insured_rule_on(scope.rules, m.last_day()).posts for m in months}
    drafts = []
    for group in _by_desa(rows).values():
        counted = []
        for s in group:
            if s.registered_on is None:
                continue
            first = YearMonth.of(s.registered_on)
            figures = [price(s, m) for m in months if m >= first and s.jabatan in insured[m]]
            if figures:
                counted.append((s, figures))
        if not counted:
            continue
        table, total = iuran_table(counted)
        desa = title_case(group[0].desa_nama)
        drafts.append(
            _Draft(
                values={
                    "desa": desa,
                    "sumber_dana": funding_statement([s for s, _ in counted], None, scope.funding),
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


def _select(template: LetterTemplate, rows: list[Subject], scope: _Scope) -> list[_Draft]:
    on = scope.on
    if template.scope == "daftar":
        if template.kind == "pengantar":
            posts = insured_rule_on(scope.rules, on).posts
            rows = [r for r in rows if r.needs_pengantar() and r.jabatan in posts]
        return _drafts_daftar(template, rows, scope)
    if template.scope == "pengurus":
        if template.kind == "keterangan":
            rows = [r for r in rows if r.nomor_kpj]
            if not scope.inactive_allowed:
                _refuse_inactive(rows, on)
        if scope.price is not None:  # the monthly amount stated is the letter month's (a UMK tariff: that year's)
            price, month = scope.price, YearMonth.of(on)
            rows = [r._replace(monthly_amount=price(r, month).amount) if r.tariff_code else r for r in rows]
        return _drafts_pengurus(rows, scope)
    if scope.period is None:
        raise UserError("Periode iuran wajib diisi (mis. 2027-01..2027-12).", field="period")
    rows = [
        r for r in rows if r.nomor_kpj and r.registered_on and r.ended_on is None and r.funding_source in DESA_FUNDED
    ]
    return _drafts_iuran(rows, *scope.period, scope)


def _refuse_inactive(rows: Sequence[Subject], on: dt.date) -> None:
    """A keterangan states cover; for an official who is not aktif on ``on`` it is refused, naming who and why."""
    inactive = [(s, text) for s in rows for status, text in [s.status(on)] if status is not CoverageStatus.aktif]
    if not inactive:
        return
    lines = [f"{s.nama} ({s.jabatan_lengkap}, Desa {title_case(s.desa_nama)}): {text}" for s, text in inactive]
    shown = "; ".join(lines[:10]) + (f"; dan {len(lines) - 10} orang lainnya" if len(lines) > 10 else "")
    raise UserError(
        f"Surat keterangan kepesertaan tidak dibuat: {len(inactive)} pengurus tidak aktif pada tanggal "
        f"{format_date(on)}: {shown}. Surat keterangan hanya dibuat untuk peserta yang aktif; pilih pengurus "
        "yang aktif, atau izinkan surat keterangan bagi pengurus yang tidak aktif di Pengaturan, tab Kantor "
        "(surat akan menyebut status kepesertaan yang sebenarnya).",
        details=lines,
    )


_NOTHING = {
    "pengantar": (
        "Tidak ada pengurus yang perlu diajukan: semua pengurus yang menjabat sudah diajukan dengan surat pengantar "
        "atau sudah terdaftar."
    ),
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


def _with_insured(drafts: list[_Draft], rules: Sequence[InsuredPostsRule], on: dt.date) -> list[_Draft]:
    """Add ``{{jabatan_ditanggung}}``: who the ADD pays for on the letter's date, as the lampiran lists them."""
    label = insured_rule_on(rules, on).label
    return [dataclasses.replace(d, values={"jabatan_ditanggung": label, **d.values}) for d in drafts]


# ---------------------------------------------------------------------------------------------- issuing


def _claims(drafted: _Draft) -> dict[str, Any]:
    """What a letter adds to its signed claims: how many officials, the desa, the one official, the total iuran."""
    claims: dict[str, Any] = {"m": len(drafted.subjects)}
    if drafted.desa:
        claims["t"] = drafted.values.get("desa") or title_case(drafted.subjects[0].desa_nama)
    if len(drafted.subjects) == 1:
        s = drafted.subjects[0]
        claims["s"] = [s.nama, mask_nik(s.nik), codes.mask_kpj(s.nomor_kpj)]
    if drafted.extra and "total_iuran" in drafted.extra:
        claims["r"] = drafted.extra["total_iuran"]
    return claims


def _check_signatory(
    template: LetterTemplate, office: OfficeInfo, settings: letterhead.LetterSettings, on: dt.date
) -> None:
    values = office_values(office, settings, nomor="", on=on)
    if not templates.fill(template.ttd_nama, values).strip():
        raise UserError(
            "Nama penanda tangan surat belum diisi. Isi nama, pangkat dan NIP camat di Pengaturan kantor "
            "(atau penanda tangan pada templat surat) lalu coba lagi."
        )


def _payload(template: LetterTemplate, drafted: _Draft, nomor: str, office: OfficeInfo,
             settings: letterhead.LetterSettings, on: dt.date, extra: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    """A drafted letter's payload under ``nomor``: the office's values, then the draft's, then ``extra``."""
    values = {**office_values(office, settings, nomor=nomor, on=on), **drafted.values}
    return build(
        template,
        values,
        office=office,
        settings=settings,
        on=on,
        rincian=drafted.rincian,
        attachment=drafted.attachment,
        extra={"desa_kode": drafted.desa, **extra},
    )


def _letter(template: LetterTemplate, drafted: _Draft, nomor: str, office: OfficeInfo,
            settings: letterhead.LetterSettings, on: dt.date) -> NewDocument:  # fmt: skip
    payload = _payload(template, drafted, nomor, office, settings, on, drafted.extra or {})
    recipients = tuple(payload["yth"]) or drafted.recipients
    return NewDocument(payload, _claims(drafted), recipients, tuple(s.id for s in drafted.subjects), drafted.desa)


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
    on = on or ctx.today()
    _check_period(period)
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
    scope = _Scope(period, kec, on, rules, inactive_allowed, funding, _price(defaults))
    drafts = _with_insured(_select(template, rows, scope), rules, on)
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
    scope = _Scope(None, title_case(office.kecamatan) if office.kecamatan else "Klaten", on, rules, True,
                   str(setting(ctx, FUNDING_KEY)), _price(Defaults(ctx)))  # fmt: skip
    paid = str(YearMonth.of(on))
    people = [
        SYNTHETIC._replace(id=f"contoh{i}", nama=f"Contoh Nama Pengurus {i}", rt=i, paid_through=paid)
        for i in range(1, count + 1)
    ]
    if template.scope == "daftar":
        drafted = _drafts_daftar(template, [p._replace(enrollment_id=None) for p in people], scope)[0]
    elif template.scope == "pengurus":
        drafted = _drafts_pengurus(people[:1], scope)[0]
    else:
        start = YearMonth(on.year, 1)
        drafted = _drafts_iuran(people, start, YearMonth(on.year, 12), scope)[0]
    drafted = _with_insured([drafted], rules, on)[0]
    nomor = f"{settings.klasifikasi_for(template.kind)}/000/{settings.kode_unit}/{on.year} (CONTOH)"
    payload = _payload(template, drafted, nomor, office, settings, on, {"preview": True})
    claims = claims_of(payload, "0" * codes.SHORT_LENGTH, _claims(drafted))
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
