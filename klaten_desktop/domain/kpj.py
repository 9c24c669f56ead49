"""Nomor KPJ (BPJS Ketenagakerjaan membership number). Usually 11 digits (docs/domain.md 1.5, probable)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from klaten_desktop.domain.coverage import (
    EnrollmentFacts,
    effective_paid_through,
    paid_through_from_months,
    status_statement,
    unpaid_months,
)
from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.validation import CheckResult

KPJ_LENGTH = 11

_STRIP_RE = re.compile(r"[\s.\-'\u00a0]")


def normalize_kpj(text: str) -> str:
    return _STRIP_RE.sub("", text)


def check_kpj(kpj: str, field: str = "nomor_kpj") -> CheckResult:
    if not kpj or not kpj.strip():
        return CheckResult.error(field, "kpj_empty", "Nomor KPJ wajib diisi.")
    if not (kpj.isascii() and kpj.isdigit()):
        return CheckResult.error(field, "kpj_digits", "Nomor KPJ hanya boleh berisi angka 0-9.")
    if len(kpj) != KPJ_LENGTH:
        return CheckResult.warning(
            field,
            "kpj_length",
            f"Nomor KPJ biasanya {KPJ_LENGTH} digit (terisi {len(kpj)} digit). "
            "Periksa kembali dengan kartu peserta; bila memang benar, nomor ini boleh tetap disimpan.",
        )
    return CheckResult()


# A KPJ start date this many days or more before the day it is checked on (when the official was never submitted)
# is far enough back to be a likely typing error (docs/domain.md 1.5).
FAR_BACK_DAYS = 365


@dataclass(frozen=True)
class StartDateCheck:
    """What a KPJ start date would do, when it is unusual: each warning says it and what the status becomes.
    ``before_submission``: the start precedes the submission, which is allowed only when confirmed."""

    warnings: tuple[str, ...] = ()
    before_submission: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings)


def check_start_date(
    start: date, *, submitted_on: date | None, today: date, paid: Iterable[YearMonth] = ()
) -> StartDateCheck:
    """Warnings for a KPJ start date far from the submission (before it, or years before today when there was
    none) or after today, each with the status the official will have today; ``paid``: months already recorded."""
    paid_through = paid_through_from_months(YearMonth.of(start), paid)
    facts = EnrollmentFacts(submitted_on, start, "kpj", None, paid_through)
    status, effect = status_statement(on=today, enrollment=facts, term_ended_on=None)
    paid_until = effective_paid_through(facts)
    if status in (CoverageStatus.menunggak, CoverageStatus.nonaktif) and paid_until is not None:
        unpaid = unpaid_months(paid_until, today)
        effect = f"{status.label}: {unpaid} bulan iuran sejak {(paid_until + 1).label()} belum dibayar"
    effect = f"Status hari ini menjadi {effect}."
    warnings: list[str] = []
    before = submitted_on is not None and start < submitted_on
    if before:
        assert submitted_on is not None
        warnings.append(
            f"Tanggal mulai {format_date(start)} lebih awal daripada tanggal pengajuan {format_date(submitted_on)}; "
            f"iuran dihitung terutang sejak {YearMonth.of(start).label()}. {effect}"
        )
    elif submitted_on is None and (today - start).days >= FAR_BACK_DAYS:
        warnings.append(
            f"Tanggal mulai {format_date(start)} lebih dari setahun sebelum hari ini; iuran dihitung terutang "
            f"sejak {YearMonth.of(start).label()}. {effect}"
        )
    if start > today:
        warnings.append(
            f"Tanggal mulai {format_date(start)} belum tiba (hari ini {format_date(today)}); sampai tanggal itu "
            f"pengurus belum aktif. {effect}"
        )
    return StartDateCheck(tuple(warnings), before)
