"""NIK (Nomor Induk Kependudukan): decoding and checks (docs/domain.md section 3).

A NIK is ``PP KK CC DDMMYY SSSS``: province, kabupaten/kota and kecamatan where it was first issued, the
birth date (day + 40 for women) and a serial starting at 0001. A NIK never changes, even when its embedded
date is wrong, so region and date mismatches are warnings, never errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from klaten_desktop.domain.enums import Sex
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.validation import CheckResult, Issue, Severity

KLATEN_PREFIX = "3310"

#: Province codes of Kemendagri (Kepmendagri 100.1.1-6117/2022 and later, 38 provinces).
#: Papua: 91 Papua, 92 Papua Barat, 93 Papua Selatan, 94 Papua Tengah, 95 Papua Pegunungan,
#: 96 Papua Barat Daya. NIKs issued before 2022 may carry the older 91 (Papua Barat) / 94 (Papua),
#: which are in the set anyway.
PROVINCE_CODES: frozenset[str] = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

PROVINCE_NAMES: dict[str, str] = {
    "11": "Aceh", "12": "Sumatera Utara", "13": "Sumatera Barat", "14": "Riau", "15": "Jambi",
    "16": "Sumatera Selatan", "17": "Bengkulu", "18": "Lampung", "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau", "31": "DKI Jakarta", "32": "Jawa Barat", "33": "Jawa Tengah",
    "34": "DI Yogyakarta", "35": "Jawa Timur", "36": "Banten", "51": "Bali", "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur", "61": "Kalimantan Barat", "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan", "64": "Kalimantan Timur", "65": "Kalimantan Utara", "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah", "73": "Sulawesi Selatan", "74": "Sulawesi Tenggara", "75": "Gorontalo",
    "76": "Sulawesi Barat", "81": "Maluku", "82": "Maluku Utara", "91": "Papua", "92": "Papua Barat",
    "93": "Papua Selatan", "94": "Papua Tengah", "95": "Papua Pegunungan", "96": "Papua Barat Daya",
}  # fmt: skip

MIN_AGE = 17
MAX_AGE = 90

_STRIP_RE = re.compile(r"[\s.\-'\u00a0\u2007\u202f\u200b\u2010-\u2015]")
_SCI_RE = re.compile(r"^\s*\d(?:[.,]\d+)?\s*[eE]\s*\+?\s*\d+\s*$")


class NikError(ValueError):
    """A NIK that cannot be decoded; ``str(err)`` is an Indonesian message for the user."""

    def __init__(self, message: str, code: str = "nik_invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province: str
    regency: str
    kecamatan: str
    birth_date: date
    sex: Sex
    serial: str

    @property
    def is_klaten(self) -> bool:
        return self.regency == KLATEN_PREFIX


@dataclass(frozen=True)
class KnownKecamatan:
    """The kecamatan a region table knows, for the NIK's kecamatan digits (docs/domain.md section 3).

    ``codes`` are six NIK digits ("331001"); ``regencies`` the four digits of every kabupaten/kota whose whole
    kecamatan list the table holds. Klaten's table (``wilayah_klaten.csv``) holds only 33.10, so a kecamatan of
    another regency cannot be judged. The caller loads the table; this module reads no files.
    """

    codes: frozenset[str]
    regencies: frozenset[str]

    @classmethod
    def of(cls, kecamatan_kodes: Iterable[str]) -> KnownKecamatan:
        """From dotted kecamatan codes ("33.10.01"), e.g. the ``wilayah`` rows of tingkat kecamatan."""
        codes = frozenset(k.replace(".", "") for k in kecamatan_kodes)
        return cls(codes, frozenset(c[:4] for c in codes))


NO_KECAMATAN_TABLE = KnownKecamatan(frozenset(), frozenset())


def nik_kecamatan_unknown(nik: str, known: KnownKecamatan) -> bool:
    """True when the NIK's kecamatan digits (5 and 6) are certainly no kecamatan: 00 anywhere, or a code the
    table lacks in a regency whose kecamatan it lists. Elsewhere the table cannot tell, so False."""
    kecamatan = nik[4:6]
    if kecamatan == "00":
        return True
    return nik[:4] in known.regencies and nik[:6] not in known.codes


def _kecamatan_message(nik: str) -> str:
    dotted = f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"
    if nik[4:6] == "00":
        return (
            f"Kode kecamatan pada NIK ({dotted}) berakhir 00; tidak ada kecamatan berkode 00. "
            "Periksa kembali NIK dengan KTP."
        )
    where = "Kabupaten Klaten" if nik[:4] == KLATEN_PREFIX else f"kabupaten/kota {nik[:2]}.{nik[2:4]}"
    return f"Kode kecamatan pada NIK ({dotted}) tidak ada dalam daftar wilayah {where}. Periksa kembali NIK dengan KTP."


def normalize_nik(text: str) -> str:
    """Remove spaces, dots, dashes, apostrophes (Excel text marker) and NBSP; digits are not repaired."""
    return _STRIP_RE.sub("", text)


def looks_like_excel_float(raw: object) -> bool:
    """True when a cell value looks like a NIK that Excel turned into a number (last digits may be lost)."""
    if isinstance(raw, bool):
        return False
    if isinstance(raw, int | float):
        return raw >= 1e15
    if isinstance(raw, str):
        return bool(_SCI_RE.match(raw))
    return False


def age_on(birth: date, on: date) -> int:
    """Completed years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _decode_date(dd: int, mm: int, yy: int, today: date) -> tuple[date, Sex]:
    sex = Sex.L
    if 41 <= dd <= 71:
        dd -= 40
        sex = Sex.P
    if not 1 <= dd <= 31 or not 1 <= mm <= 12:
        raise ValueError
    try:
        candidate = date(2000 + yy, mm, dd)
    except ValueError:
        candidate = None
    if candidate is not None and candidate <= today:
        return candidate, sex
    return date(1900 + yy, mm, dd), sex


def nik_birth_and_sex(nik: str, *, today: date) -> tuple[date, Sex] | None:
    """The birth date and sex a NIK encodes, or None exactly when :func:`decode_nik` raises.

    For checking thousands of rows: no :class:`NikInfo` and no message is built.
    """
    if len(nik) != 16 or not (nik.isascii() and nik.isdigit()) or nik[12:] == "0000":
        return None
    ddmmyy = int(nik[6:12])
    try:
        return _decode_date(ddmmyy // 10000, ddmmyy // 100 % 100, ddmmyy % 100, today)
    except ValueError:
        return None


def decode_nik(nik: str, *, today: date) -> NikInfo:
    """Decode a normalised NIK; raise NikError with an Indonesian message when it cannot be valid."""
    if len(nik) != 16:
        raise NikError(f"NIK harus 16 digit angka (terisi {len(nik)} karakter).", "nik_length")
    if not (nik.isascii() and nik.isdigit()):
        raise NikError("NIK hanya boleh berisi angka 0-9.", "nik_digits")
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    try:
        birth, sex = _decode_date(dd, mm, yy, today)
    except ValueError:
        raise NikError(
            f"Digit ke-7 sampai ke-12 NIK ({nik[6:12]}) bukan tanggal lahir yang mungkin "
            "(format TTBBTT, tanggal ditambah 40 untuk perempuan).",
            "nik_date",
        ) from None
    if nik[12:] == "0000":
        raise NikError("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.", "nik_serial")
    return NikInfo(
        nik=nik,
        province=nik[:2],
        regency=nik[:4],
        kecamatan=nik[:6],
        birth_date=birth,
        sex=sex,
        serial=nik[12:],
    )


def check_nik(
    nik: str,
    *,
    today: date,
    birth_date: date | None = None,
    sex: Sex | None = None,
    field: str = "nik",
    kecamatan: KnownKecamatan = NO_KECAMATAN_TABLE,
) -> CheckResult:
    """Errors for impossible NIKs; warnings for the things a NIK may legitimately disagree with.

    ``kecamatan``: the region table's kecamatan; without it only kecamatan digits 00 are warned about.
    """
    if not nik or not nik.strip():
        return CheckResult.error(field, "nik_empty", "NIK wajib diisi (16 digit angka).")
    try:
        info = decode_nik(nik, today=today)
    except NikError as exc:
        if exc.code == "nik_length" and nik.isascii() and nik.isdigit():
            msg = f"NIK harus 16 digit angka (terisi {len(nik)} digit)."
        else:
            msg = exc.message
        return CheckResult.error(field, exc.code, msg)

    issues: list[Issue] = []

    def warn(code: str, msg: str) -> None:
        issues.append(Issue(field, code, msg, Severity.WARNING))

    if info.province not in PROVINCE_CODES:
        warn(
            "nik_province",
            f"Kode provinsi pada NIK ({info.province}) tidak dikenal. Periksa kembali NIK dengan KTP.",
        )
    if nik_kecamatan_unknown(nik, kecamatan):
        warn("nik_kecamatan", _kecamatan_message(nik))
    if info.regency != KLATEN_PREFIX:
        prov_name = PROVINCE_NAMES.get(info.province)
        where = f"provinsi {prov_name}" if prov_name else f"kode provinsi {info.province}"
        warn(
            "nik_region",
            f"NIK tidak diterbitkan di Kabupaten Klaten (kode wilayah {info.province}.{info.regency[2:]}, "
            f"{where}). Ini boleh saja bila yang bersangkutan pindahan; pastikan sesuai KTP.",
        )
    if birth_date is not None and birth_date != info.birth_date:
        warn(
            "nik_birth_date_mismatch",
            f"Tanggal lahir pada NIK ({format_date(info.birth_date)}) berbeda dengan tanggal lahir "
            f"yang dicatat ({format_date(birth_date)}). NIK tidak dapat diubah, "
            "jadi periksa tanggal lahir dengan KTP.",
        )
    if sex is not None and sex is not info.sex:
        warn(
            "nik_sex_mismatch",
            f"NIK menunjukkan jenis kelamin {info.sex.label}, sedangkan yang dicatat {sex.label}. "
            "Periksa kembali dengan KTP.",
        )
    effective_birth = birth_date if birth_date is not None else info.birth_date
    age = age_on(effective_birth, today)
    if age < MIN_AGE:
        warn("nik_age", f"Usia menurut tanggal lahir baru {max(age, 0)} tahun (di bawah {MIN_AGE} tahun).")
    elif age > MAX_AGE:
        warn("nik_age", f"Usia menurut tanggal lahir {age} tahun (lebih dari {MAX_AGE} tahun); periksa lagi.")
    return CheckResult(tuple(issues))


def mask_nik(nik: str) -> str:
    """Hide the birth date and most digits: "331001******0001"."""
    if len(nik) == 16:
        return nik[:6] + "*" * 6 + nik[-4:]
    if len(nik) <= 4:
        return "*" * len(nik)
    return "*" * (len(nik) - 4) + nik[-4:]


def kecamatan_kode_from_nik(nik: str) -> str:
    """The Kemendagri kecamatan code where the NIK was first issued, dotted: "33.10.01"."""
    if len(nik) < 6 or not nik[:6].isdigit():
        raise NikError("NIK terlalu pendek untuk membaca kode kecamatan.", "nik_length")
    return f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"


def mask_nik_display(nik: str) -> str:
    """A NIK as shown to whom may not see it whole, and as the audit trail keeps it: region and serial kept,
    the birth-date digits hidden, in groups of four: "3310 01•• •••• 0001" (the recognisable part only).

    Text that is not 16 digits keeps only its last four characters.
    """
    if len(nik) == 16:
        return f"{nik[:4]} {nik[4:6]}•• •••• {nik[12:]}"
    return mask_nik(nik).replace("*", "•")
