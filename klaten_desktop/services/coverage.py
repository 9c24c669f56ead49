"""Coverage status for many officials at once.

The rule itself lives in :mod:`klaten_desktop.domain.coverage`; this module turns it, for one date, into two
month thresholds so that 100,000 rows are classified with string comparisons (and, for the dashboard, in SQL).
tests/unit/test_coverage_classifier.py checks it against the domain function on random cases.
"""

from __future__ import annotations

import datetime as dt

from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.months import YearMonth

BERAKHIR = CoverageStatus.berakhir.value
BELUM = CoverageStatus.belum_terdaftar.value
DIAJUKAN = CoverageStatus.diajukan.value
AKTIF = CoverageStatus.aktif.value
MENUNGGAK = CoverageStatus.menunggak.value
NONAKTIF = CoverageStatus.nonaktif.value


def effective_paid_through(paid_through: str | None, registered_on: dt.date | None) -> str | None:
    """The stored month, or the month before registration when nothing has been paid yet."""
    if paid_through is not None:
        return paid_through
    if registered_on is None:
        return None
    return str(YearMonth.of(registered_on).prev())


class StatusClassifier:
    """Classify rows as of one date. ``aktif_min``: the oldest paid-through month that is still aktif;
    ``nonaktif_max``: the newest paid-through month that is already nonaktif."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        current = YearMonth.of(on)
        newest_due = current if on.day > 15 else current.prev()
        self.aktif_min = str(newest_due)
        self.nonaktif_max = str(newest_due - 3)

    def paid_status(self, paid_through: str) -> str:
        if paid_through >= self.aktif_min:
            return AKTIF
        if paid_through > self.nonaktif_max:
            return MENUNGGAK
        return NONAKTIF

    def status(
        self,
        *,
        term_status: str,
        term_ended_on: dt.date | None,
        has_enrollment: bool,
        enrollment_ended_on: dt.date | None,
        submitted_on: dt.date | None,
        registered_on: dt.date | None,
        paid_through: str | None,
    ) -> str:
        on = self.on
        if term_status == "berakhir" and (term_ended_on is None or term_ended_on <= on):
            return BERAKHIR
        if not has_enrollment:
            return BELUM
        if enrollment_ended_on is not None and enrollment_ended_on <= on:
            return BERAKHIR
        if registered_on is None or registered_on > on:
            return DIAJUKAN if submitted_on is not None and submitted_on <= on else BELUM
        effective = paid_through if paid_through is not None else str(YearMonth.of(registered_on).prev())
        return self.paid_status(effective)
