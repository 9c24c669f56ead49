"""Kemendagri region codes for Kabupaten Klaten (docs/domain.md section 4)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

KLATEN_KODE = "33.10"
TINGKAT = ("provinsi", "kabupaten", "kecamatan", "desa", "kelurahan")

_KECAMATAN_RE = re.compile(r"^33\.10\.\d{2}$", re.ASCII)
_DESA_RE = re.compile(r"^33\.10\.\d{2}\.[12]\d{3}$", re.ASCII)
_CODE_PATTERNS = {
    "provinsi": re.compile(r"^\d{2}$", re.ASCII),
    "kabupaten": re.compile(r"^\d{2}\.\d{2}$", re.ASCII),
    "kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$", re.ASCII),
    "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[23]\d{3}$", re.ASCII),
    "kelurahan": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.1\d{3}$", re.ASCII),
}


@dataclass(frozen=True)
class Wilayah:
    kode: str
    nama: str
    tingkat: str
    kode_induk: str

    @property
    def is_desa(self) -> bool:
        return self.tingkat == "desa"

    @property
    def is_kelurahan(self) -> bool:
        return self.tingkat == "kelurahan"

    @property
    def is_kecamatan(self) -> bool:
        return self.tingkat == "kecamatan"

    @property
    def kecamatan_kode(self) -> str | None:
        """ "33.10.NN" for a kecamatan, desa or kelurahan; None for higher levels."""
        parts = self.kode.split(".")
        if len(parts) < 3:
            return None
        return ".".join(parts[:3])

    @property
    def nik_prefix(self) -> str | None:
        """The six NIK digits of this region's kecamatan: "33.10.01.2001" -> "331001"."""
        kec = self.kecamatan_kode
        return kec.replace(".", "") if kec else None


def is_valid_kecamatan_kode(s: str) -> bool:
    return bool(_KECAMATAN_RE.match(s))


def is_valid_desa_kode(s: str) -> bool:
    """A Klaten desa or kelurahan code, "33.10.NN.NNNN" (1xxx kelurahan, 2xxx desa)."""
    return bool(_DESA_RE.match(s))


_KODE_POS_RE = re.compile(r"^57\d{3}$", re.ASCII)


def check_kode_pos(text: str) -> str:
    """A Klaten postal code: five digits beginning 57 (the Klaten area's postal codes, docs/domain.md 4);
    :class:`ValueError` with the Indonesian message otherwise. Returns the digits without spaces."""
    code = "".join(text.split())
    if not _KODE_POS_RE.fullmatch(code):
        raise ValueError(
            f"Kode pos {text.strip()!r} tidak sah: kode pos di Kabupaten Klaten terdiri dari 5 angka berawalan 57."
        )
    return code


def parse_wilayah_csv(text: str) -> list[Wilayah]:
    """Parse ``kode,nama,tingkat,kode_induk`` rows; ValueError naming the line on a bad row."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or [h.strip().lower() for h in header] != ["kode", "nama", "tingkat", "kode_induk"]:
        raise ValueError("Berkas wilayah harus berkepala kolom: kode,nama,tingkat,kode_induk.")
    result: list[Wilayah] = []
    seen: set[str] = set()
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 4:
            raise ValueError(f"Baris {line_no} berkas wilayah harus berisi 4 kolom (terisi {len(row)}).")
        kode, nama, tingkat, induk = (c.strip() for c in row)
        tingkat = tingkat.lower()
        pattern = _CODE_PATTERNS.get(tingkat)
        if pattern is None:
            raise ValueError(f"Baris {line_no}: tingkat wilayah {tingkat!r} tidak dikenal.")
        if not pattern.match(kode):
            raise ValueError(f"Baris {line_no}: kode {kode!r} tidak sesuai format untuk tingkat {tingkat}.")
        if not nama:
            raise ValueError(f"Baris {line_no}: nama wilayah untuk kode {kode} kosong.")
        expected_parent = kode.rsplit(".", 1)[0] if "." in kode else ""
        if induk != expected_parent:
            raise ValueError(f"Baris {line_no}: kode induk {induk!r} tidak cocok dengan kode {kode}.")
        if kode in seen:
            raise ValueError(f"Baris {line_no}: kode {kode} muncul lebih dari sekali.")
        seen.add(kode)
        result.append(Wilayah(kode, nama, tingkat, induk))
    return result


def desa_label(w: Wilayah) -> str:
    if w.is_kelurahan:
        return f"Kelurahan {w.nama}"
    if w.is_desa:
        return f"Desa {w.nama}"
    if w.is_kecamatan:
        return f"Kecamatan {w.nama}"
    return w.nama
