"""Contribution tariffs (docs/domain.md 1.2 and 2.1). Money in whole Rupiah, rates in basis points."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from klaten_desktop.domain.enums import Program
from klaten_desktop.domain.formatting import format_date

BPS = 10_000


class TariffBasis(StrEnum):
    BPU = "bpu"  # JKK % of declared income, JKM flat, JHT optional %
    TETAP = "tetap"  # fixed amount per person per month


def round_half_up_div(numerator: int, denominator: int) -> int:
    """Integer division rounding halves up (for non-negative values)."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Tariff:
    """A dated tariff.

    ``discount_bps`` supports temporary relief such as PP 50/2025 (BPU JKK+JKM at 50%, i.e. 5000 bps
    discount; JHT is not discounted). Whether it applies to RT/RW funded through APBDes/ADD is uncertain
    (docs/domain.md 1.2), so no default tariff carries it: an office adds a dated tariff when it is confirmed.
    """

    code: str
    name: str
    basis: TariffBasis
    valid_from: date
    valid_to: date | None
    jkk_bps: int = 100
    jkm_flat: int = 6800
    jht_bps: int = 200
    min_income: int = 1_000_000
    max_income: int | None = None
    fixed_amount: int | None = None
    note: str = ""
    discount_bps: int = 0

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError("Kode tarif wajib diisi.")
        if not self.name.strip():
            raise ValueError(f"Nama tarif {self.code} wajib diisi.")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"Tarif {self.code}: tanggal akhir berlaku tidak boleh sebelum tanggal mulai.")
        for label, value in (("JKK", self.jkk_bps), ("JHT", self.jht_bps)):
            if not 0 <= value <= BPS:
                raise ValueError(f"Tarif {self.code}: persentase {label} harus antara 0% dan 100%.")
        if self.jkm_flat < 0:
            raise ValueError(f"Tarif {self.code}: iuran JKM tidak boleh negatif.")
        if not 0 <= self.discount_bps <= BPS:
            raise ValueError(f"Tarif {self.code}: diskon harus antara 0% dan 100%.")
        if self.min_income < 0:
            raise ValueError(f"Tarif {self.code}: penghasilan minimum tidak boleh negatif.")
        if self.max_income is not None and self.max_income < self.min_income:
            raise ValueError(f"Tarif {self.code}: penghasilan maksimum lebih kecil dari penghasilan minimum.")
        if self.basis is TariffBasis.TETAP:
            if self.fixed_amount is None or self.fixed_amount <= 0:
                raise ValueError(f"Tarif {self.code}: tarif tetap memerlukan besaran iuran lebih dari Rp 0.")
        elif self.fixed_amount is not None:
            raise ValueError(f"Tarif {self.code}: besaran iuran tetap hanya untuk tarif jenis tetap.")

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class ContributionBreakdown:
    jkk: int
    jkm: int
    jht: int
    total: int


def monthly_contribution(
    tariff: Tariff, *, declared_income: int | None, programs: frozenset[Program]
) -> ContributionBreakdown:
    if tariff.basis is TariffBasis.TETAP:
        assert tariff.fixed_amount is not None
        return ContributionBreakdown(0, 0, 0, tariff.fixed_amount)
    income = tariff.min_income if declared_income is None else declared_income
    if income < tariff.min_income:
        raise ValueError(
            f"Penghasilan yang dilaporkan (Rp {income:,}) di bawah batas minimum (Rp {tariff.min_income:,}).".replace(
                ",", "."
            )
        )
    if tariff.max_income is not None and income > tariff.max_income:
        raise ValueError(
            f"Penghasilan yang dilaporkan (Rp {income:,}) di atas batas maksimum (Rp {tariff.max_income:,}).".replace(
                ",", "."
            )
        )
    keep = BPS - tariff.discount_bps
    jkk = round_half_up_div(income * tariff.jkk_bps, BPS) if Program.JKK in programs else 0
    jkm = tariff.jkm_flat if Program.JKM in programs else 0
    if tariff.discount_bps:
        jkk = round_half_up_div(jkk * keep, BPS)
        jkm = round_half_up_div(jkm * keep, BPS)
    jht = round_half_up_div(income * tariff.jht_bps, BPS) if Program.JHT in programs else 0
    return ContributionBreakdown(jkk, jkm, jht, jkk + jkm + jht)


DEFAULT_TARIFFS: tuple[Tariff, ...] = (
    Tariff(
        code="BPU-PP82-2019",
        name="BPU (Bukan Penerima Upah) PP 82/2019",
        basis=TariffBasis.BPU,
        valid_from=date(2019, 12, 2),
        valid_to=None,
        jkk_bps=100,
        jkm_flat=6800,
        jht_bps=200,
        min_income=1_000_000,
        note=(
            "JKK 1% dari penghasilan yang dilaporkan (minimum Rp 1.000.000 menurut Lampiran II PP 44/2015), "
            "JKM Rp 6.800, JHT 2% bila diikuti. Paket minimum JKK+JKM Rp 16.800; dengan JHT Rp 36.800."
        ),
    ),
    Tariff(
        code="KLATEN-TETAP-2022",
        name="Iuran tetap RT/RW Klaten (sosialisasi Perbup 9/2022)",
        basis=TariffBasis.TETAP,
        valid_from=date(2022, 12, 1),
        valid_to=None,
        fixed_amount=11_623,
        note=(
            "Rp 11.623 per orang per bulan disebut pada sosialisasi Perbup Klaten 9/2022 (Desember 2022). "
            "Dasar perhitungannya belum pasti (kemungkinan 0,54% dari UMK Klaten 2023); "
            "sesuaikan bila ada ketentuan resmi."
        ),
    ),
)


def tariff_on(tariffs: Iterable[Tariff], code: str, on: date) -> Tariff:
    """The tariff with ``code`` valid on ``on`` (the latest starting one if several overlap)."""
    candidates = [t for t in tariffs if t.code == code and t.valid_on(on)]
    if not candidates:
        raise LookupError(f"Tidak ada tarif {code!r} yang berlaku pada tanggal {format_date(on)}.")
    return max(candidates, key=lambda t: t.valid_from)
