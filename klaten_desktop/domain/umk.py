"""Kabupaten Klaten's minimum wage (UMK) by year, the base of a "persentase UMK" tariff (docs/domain.md 2.1).

Amounts are kept in sen (1/100 Rupiah) as integers, because a UMK carries cents: Rp 2.152.322,94 is
``215_232_294``. The table is a setting the office keeps (``tarif.umk``); the values below are the defaults,
each with its source, and only those docs/domain.md can source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from klaten_desktop.domain.formatting import format_number

SEN = 100
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_UMK_SEN = 100_000_000 * SEN  # a typing guard: no UMK in Indonesia comes near Rp 100 juta


class MissingUmk(LookupError):
    """No UMK is recorded for a year a contribution needs."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"UMK Kabupaten Klaten tahun {year} belum diisi, sehingga iuran tarif persentase UMK bulan-bulan "
            f"tahun {year} tidak dapat dihitung. Isi UMK {year} beserta sumbernya di Pengaturan › Tarif › UMK "
            f"atau dengan perintah 'office umk set {year} JUMLAH --sumber TEKS'."
        )


@dataclass(frozen=True)
class UmkEntry:
    year: int
    amount_sen: int
    source: str

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"Tahun UMK harus antara {MIN_YEAR} dan {MAX_YEAR}.")
        if not 0 < self.amount_sen <= MAX_UMK_SEN:
            raise ValueError(f"UMK {self.year} harus lebih dari Rp 0 dan paling besar Rp 100.000.000.")
        if not " ".join(self.source.split()):
            raise ValueError(f"Sumber UMK {self.year} wajib diisi (peraturan, surat atau berita dan tanggalnya).")

    @property
    def label(self) -> str:
        """ "UMK 2023 Rp 2.152.322,94"."""
        return f"UMK {self.year} {format_rupiah_sen(self.amount_sen)}"


#: Known values, each with its source. The 2023 figure is from news reports (secondary): it was proposed
#: in early December 2022 and is the only one docs/domain.md can source; staff add the other years.
DEFAULT_UMK: tuple[UmkEntry, ...] = (
    UmkEntry(
        2023,
        215_232_294,
        "UMK Klaten 2023 menurut berita (sumber sekunder, belum dicocokkan dengan Keputusan Gubernur Jawa "
        "Tengah): suaraklaten.id 3 Desember 2022 (usulan kenaikan 6,75%) dan cilacap.pikiran-rakyat.com; "
        "docs/domain.md 2.1",
    ),
)


def umk_table(defaults: Iterable[UmkEntry], office: Iterable[UmkEntry]) -> dict[int, UmkEntry]:
    """The table in force: the defaults, each year the office entered replacing the default of that year."""
    table = {e.year: e for e in defaults}
    table.update({e.year: e for e in office})
    return dict(sorted(table.items()))


def umk_for(table: Mapping[int, UmkEntry], year: int) -> UmkEntry:
    try:
        return table[year]
    except KeyError:
        raise MissingUmk(year) from None


def format_rupiah_sen(sen: int) -> str:
    """ "Rp 2.152.322,94"; whole amounts without cents ("Rp 2.000.000")."""
    rupiah, cents = divmod(abs(sen), SEN)
    sign = "-" if sen < 0 else ""
    return f"{sign}Rp {format_number(rupiah)}" + (f",{cents:02d}" if cents else "")


_AMOUNT = re.compile(r"(?:rp\.?)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?")


def parse_rupiah_sen(text: str) -> int:
    """ "2.152.322,94", "Rp 2.152.322,94", "2152322,94" or "2152322" to sen; :class:`ValueError` otherwise.

    Indonesian notation only: the dot groups thousands, the comma marks the cents."""
    match = _AMOUNT.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(
            f"Jumlah {text.strip()!r} tidak dapat dibaca; tulis seperti 2.152.322,94 (titik pemisah ribuan, "
            "koma sebelum sen)."
        )
    rupiah = int(match.group(1).replace(".", ""))
    cents = match.group(2) or "0"
    return rupiah * SEN + int(cents.ljust(2, "0"))
