"""Enumerations shared by the whole application (values are stored in the database)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum


class Sex(StrEnum):
    L = "L"
    P = "P"

    @property
    def label(self) -> str:
        return "Laki-laki" if self is Sex.L else "Perempuan"


_JABATAN_LABELS = {
    "ketua_rt": "Ketua RT",
    "ketua_rw": "Ketua RW",
    "sekretaris": "Sekretaris",
    "bendahara": "Bendahara",
    "lainnya": "Lainnya",
}


def _squash(text: str) -> str:
    """Lower-case, drop punctuation and all whitespace ("Ka. RT" -> "kart")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


class Jabatan(StrEnum):
    ketua_rt = "ketua_rt"
    ketua_rw = "ketua_rw"
    sekretaris = "sekretaris"
    bendahara = "bendahara"
    lainnya = "lainnya"

    @property
    def label(self) -> str:
        return _JABATAN_LABELS[self.value]

    @property
    def is_single_holder(self) -> bool:
        """True when a slot (desa, RW, RT) has at most one current holder of this jabatan."""
        return self is not Jabatan.lainnya

    @classmethod
    def from_text(cls, text: str | None) -> Jabatan | None:
        """Tolerant reading of a hand-typed jabatan; None when it is not recognised."""
        if text is None:
            return None
        key = _squash(text)
        if not key:
            return None
        return _JABATAN_ALIASES.get(key)


_JABATAN_ALIASES: dict[str, Jabatan] = {}
for _j in Jabatan:
    _JABATAN_ALIASES[_squash(_j.value)] = _j
    _JABATAN_ALIASES[_squash(_JABATAN_LABELS[_j.value])] = _j
for _alias in ("rt", "kart", "ketrt", "ketuart", "kepalart", "pakrt", "ketuarukuntetangga", "rukuntetangga"):
    _JABATAN_ALIASES[_alias] = Jabatan.ketua_rt
for _alias in ("rw", "karw", "ketrw", "ketuarw", "kepalarw", "pakrw", "ketuarukunwarga", "rukunwarga"):
    _JABATAN_ALIASES[_alias] = Jabatan.ketua_rw
for _alias in ("sekretaris", "sekr", "sek", "sekre", "sekertaris", "sekretarisrt", "sekretarisrw", "sekum"):
    _JABATAN_ALIASES[_alias] = Jabatan.sekretaris
for _alias in ("bendahara", "bend", "bendh", "bdh", "bendaharart", "bendahararw"):
    _JABATAN_ALIASES[_alias] = Jabatan.bendahara
for _alias in ("lainnya", "lain", "lainlain", "anggota", "pengurus"):
    _JABATAN_ALIASES[_alias] = Jabatan.lainnya


class FundingSource(StrEnum):
    ADD = "ADD"
    APBDES = "APBDes"
    APBD = "APBD"
    MANDIRI = "mandiri"

    @property
    def label(self) -> str:
        return {
            "ADD": "Alokasi Dana Desa (ADD)",
            "APBDes": "APBDes",
            "APBD": "APBD",
            "mandiri": "Mandiri",
        }[self.value]


class CoverageStatus(StrEnum):
    belum_terdaftar = "belum_terdaftar"
    diajukan = "diajukan"
    aktif = "aktif"
    menunggak = "menunggak"
    nonaktif = "nonaktif"
    berakhir = "berakhir"

    @property
    def label(self) -> str:
        return {
            "belum_terdaftar": "Belum terdaftar",
            "diajukan": "Diajukan",
            "aktif": "Aktif",
            "menunggak": "Menunggak",
            "nonaktif": "Nonaktif",
            "berakhir": "Berakhir",
        }[self.value]


class Program(StrEnum):
    JKK = "JKK"
    JKM = "JKM"
    JHT = "JHT"


_PROGRAM_ORDER = (Program.JKK, Program.JKM, Program.JHT)


def parse_programs(text: str) -> frozenset[Program]:
    """Read "JKK,JKM", "JKK + JKM", "jkk/jkm/jht" ...; ValueError on an unknown program name."""
    result: set[Program] = set()
    for part in re.split(r"[\s,;+/&]+|\bdan\b", text.strip(), flags=re.IGNORECASE):
        token = part.strip().strip(".").upper()
        if not token:
            continue
        try:
            result.add(Program(token))
        except ValueError:
            raise ValueError(
                f"Program BPJS Ketenagakerjaan tidak dikenal: {part.strip()!r} (pilihan: JKK, JKM, JHT)."
            ) from None
    return frozenset(result)


def format_programs(progs: Iterable[Program]) -> str:
    chosen = set(progs)
    return ",".join(p.value for p in _PROGRAM_ORDER if p in chosen)


class OfficeRole(StrEnum):
    kecamatan = "kecamatan"
    kabupaten = "kabupaten"


class TermStatus(StrEnum):
    menjabat = "menjabat"
    berakhir = "berakhir"


class EndReason(StrEnum):
    diganti = "diganti"
    masa_jabatan_habis = "masa_jabatan_habis"
    meninggal = "meninggal"
    mengundurkan_diri = "mengundurkan_diri"
    lainnya = "lainnya"

    @property
    def label(self) -> str:
        return {
            "diganti": "Diganti",
            "masa_jabatan_habis": "Masa jabatan habis",
            "meninggal": "Meninggal dunia",
            "mengundurkan_diri": "Mengundurkan diri",
            "lainnya": "Lainnya",
        }[self.value]
