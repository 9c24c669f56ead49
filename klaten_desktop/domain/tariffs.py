"""Contribution tariffs (docs/domain.md 1.2 and 2.1). Money in whole Rupiah, rates in basis points (0,24 % is 24),
a UMK in sen (domain/umk.py).

Rounding, stated once: every amount billed is whole Rupiah per person per month, rounded half up. A BPU tariff
rounds each program (JKK on the income, JHT on the income; JKM is flat). A "persentase UMK" tariff rounds the
person's monthly total once: (sum of the chosen programs' rates) × the UMK of the month's year, e.g. 0,54 % ×
Rp 2.152.322,94 = Rp 11.622,54, billed Rp 11.623 (:data:`ROUNDING_RULE`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from klaten_desktop.domain.enums import Program
from klaten_desktop.domain.formatting import format_date, format_period, format_rupiah
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.umk import SEN, UmkEntry, umk_for

BPS = 10_000
ROUNDING_RULE = (
    "Iuran dibulatkan ke rupiah penuh per orang per bulan (setengah rupiah ke atas). Tarif persentase UMK: "
    "jumlah persentase program yang diikuti × UMK tahun bulan iuran, dibulatkan sekali untuk jumlah per orang "
    "per bulan (0,54 % × Rp 2.152.322,94 = Rp 11.622,54 → Rp 11.623)."
)


class TariffBasis(StrEnum):
    BPU = "bpu"  # JKK % of declared income, JKM flat, JHT optional %
    TETAP = "tetap"  # fixed amount per person per month
    UMK = "umk"  # JKK, JKM (and JHT) as % of the UMK of the month's year (domain/umk.py)


def format_bps(bps: int) -> str:
    """A rate in basis points as Indonesians write it: 24 -> "0,24 %", 100 -> "1 %", 675 -> "6,75 %"."""
    whole, part = divmod(bps, 100)
    return f"{whole}" + (f",{part:02d}".rstrip("0") if part else "") + " %"


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
    jkm_bps: int = 0  # JKM as a rate of the UMK (UMK basis only; a BPU's JKM is ``jkm_flat``)

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError("Kode tarif wajib diisi.")
        if not self.name.strip():
            raise ValueError(f"Nama tarif {self.code} wajib diisi.")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"Tarif {self.code}: tanggal akhir berlaku tidak boleh sebelum tanggal mulai.")
        for label, value in (("JKK", self.jkk_bps), ("JKM", self.jkm_bps), ("JHT", self.jht_bps)):
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
        if self.basis is TariffBasis.UMK:
            if self.jkk_bps == 0 or self.jkm_bps == 0:
                raise ValueError(f"Tarif {self.code}: tarif persentase UMK memerlukan persentase JKK dan JKM.")
            if self.discount_bps:
                raise ValueError(f"Tarif {self.code}: diskon hanya untuk tarif BPU.")
        elif self.jkm_bps:
            raise ValueError(f"Tarif {self.code}: persentase JKM hanya untuk tarif persentase UMK.")

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class ContributionBreakdown:
    jkk: int
    jkm: int
    jht: int
    total: int


def umk_rate(tariff: Tariff, programs: frozenset[Program]) -> int:
    """The summed rate (basis points) of the chosen programs under a UMK tariff; :class:`ValueError` for JHT
    chosen under a tariff that sets no JHT rate."""
    if Program.JHT in programs and tariff.jht_bps == 0:
        raise ValueError(
            f"Tarif {tariff.code} tidak menetapkan persentase JHT; pilih program tanpa JHT atau ubah tarif."
        )
    rates = {Program.JKK: tariff.jkk_bps, Program.JKM: tariff.jkm_bps, Program.JHT: tariff.jht_bps}
    return sum(rates[p] for p in programs)


def _umk_contribution(tariff: Tariff, umk: UmkEntry, programs: frozenset[Program]) -> ContributionBreakdown:
    """The total rounded once (:data:`ROUNDING_RULE`); the parts are each rounded and shown for information."""
    total = round_half_up_div(umk.amount_sen * umk_rate(tariff, programs), BPS * SEN)

    def part(program: Program, bps: int) -> int:
        return round_half_up_div(umk.amount_sen * bps, BPS * SEN) if program in programs else 0

    return ContributionBreakdown(
        part(Program.JKK, tariff.jkk_bps), part(Program.JKM, tariff.jkm_bps), part(Program.JHT, tariff.jht_bps), total
    )


def monthly_contribution(
    tariff: Tariff, *, declared_income: int | None, programs: frozenset[Program], umk: UmkEntry | None = None
) -> ContributionBreakdown:
    """One person's contribution for one month. ``umk``: the UMK of the month's year (UMK tariffs only)."""
    if tariff.basis is TariffBasis.TETAP:
        assert tariff.fixed_amount is not None
        return ContributionBreakdown(0, 0, 0, tariff.fixed_amount)
    if tariff.basis is TariffBasis.UMK:
        if umk is None:
            raise ValueError(f"Tarif {tariff.code} dihitung dari UMK; UMK tahun bulan iuran diperlukan.")
        return _umk_contribution(tariff, umk, programs)
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
        valid_to=date(2023, 12, 31),
        fixed_amount=11_623,
        note=(
            "Rp 11.623 per orang per bulan disebut pada sosialisasi Perbup Klaten 9/2022 (Desember 2022); "
            "sama dengan 0,54% (JKK 0,24% + JKM 0,30%) dari UMK Klaten 2023 Rp 2.152.322,94. Berakhir "
            "31 Desember 2023 karena UMK berganti setiap tahun; sejak itu dipakai tarif KLATEN-UMK. Kepesertaan "
            "yang dibuat dengan tarif ini tetap memakai iuran yang tercatat padanya."
        ),
    ),
    Tariff(
        code="KLATEN-UMK",
        name="Persentase UMK Klaten (JKK 0,24% + JKM 0,30%)",
        basis=TariffBasis.UMK,
        valid_from=date(2023, 1, 1),
        valid_to=None,
        jkk_bps=24,
        jkm_bps=30,
        jht_bps=0,
        jkm_flat=0,
        min_income=0,
        note=(
            "JKK 0,24% (kelompok risiko terendah) dan JKM 0,30% dari UMK Kabupaten Klaten tahun bulan iuran, "
            "seperti iuran penerima upah. Dugaan dasar angka Rp 11.623 yang disebut cabang BPJS Klaten pada "
            "Desember 2022 (0,54% × UMK 2023); caranya belum dipastikan sumber resmi (docs/domain.md 2.1)."
        ),
    ),
)


@dataclass(frozen=True)
class MonthFigure:
    """What one person pays for one month and the basis it was computed on, as letters and the recap print it:
    "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623", "tarif tetap Rp 11.623", "tarif BPU Rp 16.800"."""

    month: YearMonth
    amount: int
    basis: str
    on_umk: bool = False  # computed from a UMK (the rounding rule applies and is stated with it)


@dataclass(frozen=True)
class BasisRun:
    """Consecutive months billed on one basis, with the person-months and the Rupiah billed on it."""

    start: YearMonth
    end: YearMonth
    basis: str
    person_months: int
    amount: int
    on_umk: bool = False

    @property
    def period(self) -> str:
        """ "November–Desember 2023"."""
        return format_period(self.start, self.end)


def basis_runs(billed: Iterable[tuple[MonthFigure, int]]) -> tuple[BasisRun, ...]:
    """Figures billed to ``n`` persons each, as runs of consecutive months on the same basis, in month order."""
    by_basis: dict[tuple[YearMonth, str], list[int]] = {}
    on_umk: dict[str, bool] = {}
    for figure, n in billed:
        on_umk[figure.basis] = figure.on_umk
        line = by_basis.setdefault((figure.month, figure.basis), [0, 0])
        line[0] += n
        line[1] += figure.amount * n
    runs: list[BasisRun] = []
    for basis in dict.fromkeys(b for _, b in sorted(by_basis)):
        run: BasisRun | None = None
        for m in sorted(m for m, b in by_basis if b == basis):
            n, amount = by_basis[(m, basis)]
            if run is not None and run.end.next() == m:
                run = BasisRun(run.start, m, basis, run.person_months + n, run.amount + amount, on_umk[basis])
                continue
            if run is not None:
                runs.append(run)
            run = BasisRun(m, m, basis, n, amount, on_umk[basis])
        if run is not None:
            runs.append(run)
    return tuple(sorted(runs, key=lambda r: (r.start, r.basis)))


def tariff_for_month(tariffs: Iterable[Tariff], code: str, month: YearMonth) -> Tariff:
    """The version of ``code`` in force on the month's first day; else the latest version begun by the month's
    end (an ended tariff keeps pricing the enrollments made under it); else the earliest version."""
    versions = [t for t in tariffs if t.code == code]
    if not versions:
        raise LookupError(f"Tarif {code!r} tidak dikenal.")
    in_force = [t for t in versions if t.valid_on(month.first_day())]
    if in_force:
        return max(in_force, key=lambda t: t.valid_from)
    begun = [t for t in versions if t.valid_from <= month.last_day()]
    return max(begun, key=lambda t: t.valid_from) if begun else min(versions, key=lambda t: t.valid_from)


def month_figure(
    tariffs: Iterable[Tariff],
    umk_table: Mapping[int, UmkEntry],
    *,
    tariff_code: str,
    programs: frozenset[Program],
    recorded_amount: int,
    month: YearMonth,
) -> MonthFigure:
    """The one computation of a month's contribution for an enrollment and of the basis it states.

    A "persentase UMK" tariff is computed from the UMK of the month's year (:class:`~klaten_desktop.domain.umk.
    MissingUmk` when that year has none, never zero). Every other tariff bills the amount recorded on the
    enrollment when it was made (``recorded_amount``), so an ended tariff keeps its enrollments' history.
    """
    tariffs = list(tariffs)
    known = [t for t in tariffs if t.code == tariff_code]
    if not known:
        return MonthFigure(month, recorded_amount, f"tarif {tariff_code} {format_rupiah(recorded_amount)}")
    tariff = tariff_for_month(known, tariff_code, month)
    if tariff.basis is TariffBasis.UMK:
        umk = umk_for(umk_table, month.year)
        amount = monthly_contribution(tariff, declared_income=None, programs=programs, umk=umk).total
        return MonthFigure(month, amount, umk_basis_text(tariff, programs, umk, amount), on_umk=True)
    kind = "tarif tetap" if tariff.basis is TariffBasis.TETAP else "tarif BPU"
    return MonthFigure(month, recorded_amount, f"{kind} {format_rupiah(recorded_amount)}")


def umk_basis_text(tariff: Tariff, programs: frozenset[Program], umk: UmkEntry, amount: int) -> str:
    """ "0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623"."""
    return f"{format_bps(umk_rate(tariff, programs))} × {umk.label} = {format_rupiah(amount)}"


def tariff_on(tariffs: Iterable[Tariff], code: str, on: date) -> Tariff:
    """The tariff with ``code`` valid on ``on`` (the latest starting one if several overlap)."""
    candidates = [t for t in tariffs if t.code == code and t.valid_on(on)]
    if not candidates:
        raise LookupError(f"Tidak ada tarif {code!r} yang berlaku pada tanggal {format_date(on)}.")
    return max(candidates, key=lambda t: t.valid_from)
