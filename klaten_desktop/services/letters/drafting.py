"""Drafting letters: what each kind of letter says and about whom, from the officials the letter is about.

Pure work on :class:`Subject` rows (read by :func:`klaten_desktop.services.letters.issue.subjects`) and a
:class:`Scope` (the period, the date, the insured posts, the office's settings): no session, no file. A
pengantar or keterangan letter per desa or per official (:func:`select_drafts`), its payload under a number
(:func:`payload_of`) and what it adds to the signed claims (:func:`letter_claims`). Issuing (numbers, signatures, the
PDF) is :mod:`klaten_desktop.services.letters.issue` over the documents core.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from klaten_desktop.domain.coverage import InsuredPostsRule, insured_rule_on
from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.formatting import format_date, format_period, format_rupiah, terbilang_rupiah
from klaten_desktop.domain.months import YearMonth, month_range
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.domain.tariffs import MonthFigure
from klaten_desktop.services.documents import codes, letterhead
from klaten_desktop.services.documents.letterhead import OfficeInfo
from klaten_desktop.services.errors import UserError
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
from klaten_desktop.services.tariffs import Defaults

MAX_MONTHS = 24
DESA_FUNDED = ("ADD", "APBDes")


@dataclass(frozen=True)
class Draft:
    """One letter as drafted: its template values, the officials it is about, its desa and recipients, and the
    tables it carries (rincian in the body, an attachment, extra payload fields)."""

    values: dict[str, str]
    subjects: tuple[Subject, ...]
    desa: str
    recipients: tuple[str, ...]
    rincian: dict[str, Any] | list[dict[str, Any]] | None = None
    attachment: dict[str, Any] | None = None
    extra: dict[str, Any] | None = None


def by_desa(rows: Sequence[Subject]) -> dict[str, list[Subject]]:
    """The rows grouped by desa, in their order."""
    groups: dict[str, list[Subject]] = {}
    for row in rows:
        groups.setdefault(row.desa_kode, []).append(row)
    return groups


@dataclass(frozen=True)
class Scope:
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


def drafts_daftar(template: LetterTemplate, rows: Sequence[Subject], scope: Scope) -> list[Draft]:
    rule = insured_rule_on(scope.rules, scope.on)
    new = template.kind == "pengantar"  # its officials are submitted with the office's default funding
    drafts = []
    for group in by_desa(rows).values():
        desa = title_case(group[0].desa_nama)
        funding = funding_statement(group, rule, scope.funding, new_enrollments=new)
        drafts.append(
            Draft(
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


def drafts_pengurus(rows: Sequence[Subject], scope: Scope) -> list[Draft]:
    on = scope.on
    rule = insured_rule_on(scope.rules, on)
    return [
        Draft(
            values=subject_values(s, on, rule, scope.funding),
            subjects=(s,),
            desa=s.desa_kode,
            recipients=(s.nama,),
            rincian=subject_fields(s, on),
        )
        for s in rows
    ]


def price_of(defaults: Defaults) -> Callable[[Subject, YearMonth], MonthFigure]:
    """A month's contribution of an official's enrollment, as services/tariffs.py prices every month."""

    def price(s: Subject, month: YearMonth) -> MonthFigure:
        return defaults.figure(
            tariff_code=s.tariff_code or "",
            programs=s.programs or "",
            recorded_amount=s.monthly_amount or 0,
            month=month,
        )

    return price


def drafts_iuran(rows: Sequence[Subject], start: YearMonth, end: YearMonth, scope: Scope) -> list[Draft]:
    """One letter per desa: each official's months in the period from registration in which the post is insured,
    each priced on its own (a UMK tariff on the UMK of the month's year)."""
    assert scope.price is not None
    price = scope.price
    months = month_range(start, end)
    insured = {m: insured_rule_on(scope.rules, m.last_day()).posts for m in months}
    drafts = []
    for group in by_desa(rows).values():
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
            Draft(
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


def select_drafts(template: LetterTemplate, rows: list[Subject], scope: Scope) -> list[Draft]:
    on = scope.on
    if template.scope == "daftar":
        if template.kind == "pengantar":
            posts = insured_rule_on(scope.rules, on).posts
            rows = [r for r in rows if r.needs_pengantar() and r.jabatan in posts]
        return drafts_daftar(template, rows, scope)
    if template.scope == "pengurus":
        if template.kind == "keterangan":
            rows = [r for r in rows if r.nomor_kpj]
            if not scope.inactive_allowed:
                refuse_inactive(rows, on)
        if scope.price is not None:  # the monthly amount stated is the letter month's (a UMK tariff: that year's)
            price, month = scope.price, YearMonth.of(on)
            rows = [r._replace(monthly_amount=price(r, month).amount) if r.tariff_code else r for r in rows]
        return drafts_pengurus(rows, scope)
    if scope.period is None:
        raise UserError("Periode iuran wajib diisi (mis. 2027-01..2027-12).", field="period")
    rows = [
        r for r in rows if r.nomor_kpj and r.registered_on and r.ended_on is None and r.funding_source in DESA_FUNDED
    ]
    return drafts_iuran(rows, *scope.period, scope)


def refuse_inactive(rows: Sequence[Subject], on: dt.date) -> None:
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


def check_period(period: tuple[YearMonth, YearMonth] | None) -> None:
    if period is None:
        return
    start, end = period
    if end < start:
        raise UserError("Bulan akhir periode tidak boleh sebelum bulan awal.", field="period")
    if len(month_range(start, end)) > MAX_MONTHS:
        raise UserError(f"Periode iuran paling panjang {MAX_MONTHS} bulan.", field="period")


def with_insured(drafts: list[Draft], rules: Sequence[InsuredPostsRule], on: dt.date) -> list[Draft]:
    """Add ``{{jabatan_ditanggung}}``: who the ADD pays for on the letter's date, as the lampiran lists them."""
    label = insured_rule_on(rules, on).label
    return [dataclasses.replace(d, values={"jabatan_ditanggung": label, **d.values}) for d in drafts]


def letter_claims(drafted: Draft) -> dict[str, Any]:
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


def payload_of(template: LetterTemplate, drafted: Draft, nomor: str, office: OfficeInfo,
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
