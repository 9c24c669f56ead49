"""Coverage status of an enrolled official: the key rule of the application.

BPU contributions for a month are due on the 15th of that month (docs/domain.md 1.3). A month is counted as
unpaid from the 16th. One or two unpaid months: *menunggak*; three or more: *nonaktif* (protection stops).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from klaten_desktop.domain.enums import CoverageStatus, Jabatan
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import YearMonth

DUE_DAY = 15
NONAKTIF_AFTER_MONTHS = 3

# Perbup Klaten 9/2022 (docs/domain.md 2.1): the ADD pays the protection of the Ketua RT and the Ketua RW.
HEAD_POSTS: frozenset[str] = frozenset({Jabatan.ketua_rt.value, Jabatan.ketua_rw.value})
ALL_POSTS: frozenset[str] = frozenset(j.value for j in Jabatan)
PERBUP_SOURCE = "Peraturan Bupati Klaten Nomor 9 Tahun 2022 (perubahan kedua Perbup 92/2019 tentang ADD)"


@dataclass(frozen=True)
class InsuredPostsRule:
    """Which posts are submitted, billed to the ADD and counted in the coverage figures, from ``valid_from``.

    ``other_posts`` False: only the Ketua RT and the Ketua RW (the Perbup); True: Sekretaris, Bendahara and
    other posts too (an office's own decision, dated, with who set it and on what basis)."""

    valid_from: date
    other_posts: bool
    source: str
    set_by: str = "bawaan"
    set_at: str | None = None

    @property
    def posts(self) -> frozenset[str]:
        return ALL_POSTS if self.other_posts else HEAD_POSTS

    @property
    def label(self) -> str:
        """What the letters say is covered."""
        if self.other_posts:
            return "Ketua RT, Ketua RW, Sekretaris, Bendahara dan pengurus RT/RW lainnya"
        return "Ketua RT dan Ketua RW"


DEFAULT_INSURED_RULE = InsuredPostsRule(valid_from=date(1900, 1, 1), other_posts=False, source=PERBUP_SOURCE)


def insured_rule_on(rules: Iterable[InsuredPostsRule], on: date) -> InsuredPostsRule:
    """The rule in force on ``on``: the latest ``valid_from`` not after it (the built-in rule before any)."""
    current = DEFAULT_INSURED_RULE
    for rule in rules:
        if rule.valid_from <= on and rule.valid_from >= current.valid_from:
            current = rule
    return current


@dataclass(frozen=True)
class EnrollmentFacts:
    submitted_on: date | None
    registered_on: date | None
    nomor_kpj: str | None
    ended_on: date | None
    paid_through: YearMonth | None


def unpaid_months(paid_through: YearMonth, on: date) -> int:
    """Months after ``paid_through`` whose due date (the 15th) has passed on ``on``; never negative."""
    current = YearMonth.of(on)
    last_due = current if on.day > DUE_DAY else current.prev()
    return max(0, last_due - paid_through)


def effective_paid_through(facts: EnrollmentFacts) -> YearMonth | None:
    """The recorded paid-through month, or (nothing paid yet) the month before registration."""
    if facts.paid_through is not None:
        return facts.paid_through
    if facts.registered_on is not None:
        return YearMonth.of(facts.registered_on).prev()
    return None


def coverage_status(*, on: date, enrollment: EnrollmentFacts | None, term_ended_on: date | None) -> CoverageStatus:
    if term_ended_on is not None and term_ended_on <= on:
        return CoverageStatus.berakhir
    if enrollment is None:
        return CoverageStatus.belum_terdaftar
    if enrollment.ended_on is not None and enrollment.ended_on <= on:
        return CoverageStatus.berakhir
    if enrollment.registered_on is None or enrollment.registered_on > on:
        if enrollment.submitted_on is not None and enrollment.submitted_on <= on:
            return CoverageStatus.diajukan
        return CoverageStatus.belum_terdaftar
    paid = effective_paid_through(enrollment)
    assert paid is not None  # registered_on is set
    unpaid = unpaid_months(paid, on)
    if unpaid == 0:
        return CoverageStatus.aktif
    if unpaid < NONAKTIF_AFTER_MONTHS:
        return CoverageStatus.menunggak
    return CoverageStatus.nonaktif


def menunggak_from(paid_through: YearMonth) -> date:
    """First day on which a participant paid through ``paid_through`` is in arrears."""
    return (paid_through + 1).first_day().replace(day=DUE_DAY + 1)


def nonaktif_from(paid_through: YearMonth) -> date:
    """First day on which protection lapses (three unpaid months)."""
    return (paid_through + NONAKTIF_AFTER_MONTHS).first_day().replace(day=DUE_DAY + 1)


def paid_through_from_months(start: YearMonth, paid: Iterable[YearMonth]) -> YearMonth | None:
    """Last month M such that every month from ``start`` to M is paid; None when ``start`` is unpaid."""
    paid_set = {m for m in paid if m >= start}
    if start not in paid_set:
        return None
    current = start
    while current.next() in paid_set:
        current = current.next()
    return current


def status_statement(
    *, on: date, enrollment: EnrollmentFacts | None, term_ended_on: date | None
) -> tuple[CoverageStatus, str]:
    """The status on ``on`` and how a letter states it, in words nobody can misread, e.g.
    "aktif; iuran terbayar s.d. Oktober 2026", "menunggak sejak September 2026 (2 bulan) ...",
    "nonaktif sejak 16 Juli 2026 ...", "kepesertaan berakhir 31 Agustus 2026"."""
    status = coverage_status(on=on, enrollment=enrollment, term_ended_on=term_ended_on)
    if status is CoverageStatus.berakhir:
        if term_ended_on is not None and term_ended_on <= on:
            return status, f"kepesertaan berakhir; masa jabatan berakhir {format_date(term_ended_on)}"
        ended = enrollment.ended_on if enrollment is not None else None
        return status, f"kepesertaan berakhir {format_date(ended)}" if ended else "kepesertaan berakhir"
    if enrollment is None or status is CoverageStatus.belum_terdaftar:
        return status, "belum terdaftar sebagai peserta"
    if status is CoverageStatus.diajukan:
        if enrollment.registered_on is not None:
            return status, f"belum aktif; kepesertaan baru berlaku mulai {format_date(enrollment.registered_on)}"
        return status, f"diajukan {format_date(enrollment.submitted_on)}; belum terdaftar (belum ada nomor KPJ)"
    paid = effective_paid_through(enrollment)
    assert paid is not None  # registered
    if status is CoverageStatus.aktif:
        return status, f"aktif; iuran terbayar s.d. {paid.label()}"
    if status is CoverageStatus.menunggak:
        months = unpaid_months(paid, on)
        return status, (
            f"menunggak sejak {(paid + 1).label()} ({months} bulan); iuran terbayar s.d. {paid.label()}; "
            f"menjadi nonaktif pada {format_date(nonaktif_from(paid))} bila belum dibayar"
        )
    return status, (
        f"nonaktif sejak {format_date(nonaktif_from(paid))}; perlindungan tidak berlaku; "
        f"iuran terakhir terbayar untuk {paid.label()}"
    )
