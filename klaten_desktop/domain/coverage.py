"""Coverage status of an enrolled official: the key rule of the application.

BPU contributions for a month are due on the 15th of that month (docs/domain.md 1.3). A month is counted as
unpaid from the 16th. One or two unpaid months: *menunggak*; three or more: *nonaktif* (protection stops).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.months import YearMonth

DUE_DAY = 15
NONAKTIF_AFTER_MONTHS = 3


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
