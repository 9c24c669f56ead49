"""Checks on an RT/RW official's record before it is saved."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date

from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.nik import KnownKecamatan, check_nik
from klaten_desktop.domain.normalize import PhoneError, normalize_phone
from klaten_desktop.domain.printable import describe, unprintable
from klaten_desktop.domain.validation import CheckResult, Issue, error, warning
from klaten_desktop.domain.wilayah import is_valid_desa_kode

MIN_NAME_LENGTH = 3
#: The highest RT or RW number a record holds (written with three digits: 001 to 999).
RT_RW_MAX = 999
#: The longest text each field holds (the lengths of the ``official`` columns).
MAX_LENGTHS = {"nama": 200, "tempat_lahir": 100, "sk_nomor": 100, "alamat": 300, "nama_ibu_kandung": 200}
_FIELD_TITLES = {"nama": "Nama", "tempat_lahir": "Tempat lahir", "sk_nomor": "Nomor SK", "alamat": "Alamat",
                 "nama_ibu_kandung": "Nama ibu kandung"}  # fmt: skip
#: The longest e-mail address (RFC 5321 path limit; the ``official.email`` column).
EMAIL_MAX = 254
#: An e-mail address as forms accept it: one @, a dot in the domain, no spaces (not the full RFC 5322 grammar).
EMAIL_PATTERN = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
#: No date of an official's record is older (a year typed as 0202 or 1899 is a typing mistake).
MIN_DATE = date(1900, 1, 1)
_DATE_TITLES = {"tanggal_lahir": "Tanggal lahir", "term_start": "Awal masa jabatan", "term_end": "Akhir masa jabatan",
                "sk_tanggal": "Tanggal SK"}  # fmt: skip
#: Unicode categories no name or place on a KTP holds: emoji and other symbols, control and unassigned ones.
_ODD_CATEGORIES = frozenset({"So", "Sk", "Cc", "Cf", "Cs", "Co", "Cn"})


def odd_characters(text: str) -> bool:
    """True when ``text`` holds an emoji, a control character or another sign no KTP carries."""
    if text.isascii():
        return not text.isprintable()
    return any(unicodedata.category(c) in _ODD_CATEGORIES for c in text)


@dataclass(frozen=True)
class OfficialFields:
    nik: str
    nama: str
    tempat_lahir: str | None
    tanggal_lahir: date | None
    jenis_kelamin: Sex | None
    alamat: str | None
    desa_kode: str | None
    rw: int | None
    rt: int | None
    jabatan: Jabatan | None
    term_start: date | None
    term_end: date | None
    sk_nomor: str | None
    sk_tanggal: date | None
    telepon: str | None
    # optional, never required (docs/domain.md 2.2)
    email: str | None = None
    nama_ibu_kandung: str | None = None


#: The field names of :class:`OfficialFields`, in order: also the ``official`` columns a form or an import fills.
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(OfficialFields))


def check_official(
    f: OfficialFields, *, today: date, kecamatan_kode: str | None, known_kecamatan: KnownKecamatan
) -> CheckResult:
    """Every rule for one official's fields, in the order a form shows them.

    ``kecamatan_kode``: the office's kecamatan (None at the regency); ``known_kecamatan``: the region table's
    kecamatan, for the NIK's kecamatan digits.
    """
    issues = _check_texts(f)
    nik = check_nik(
        f.nik, today=today, birth_date=f.tanggal_lahir, sex=f.jenis_kelamin, field="nik", kecamatan=known_kecamatan
    )
    issues += nik.issues
    issues += _check_birth_date(f, today)
    issues += _check_place(f, kecamatan_kode)
    issues += _check_post(f)
    issues += _check_term_dates(f, today)
    issues += _check_phone(f)
    issues += _check_email(f.email)
    return CheckResult(tuple(issues))


def _check_texts(f: OfficialFields) -> list[Issue]:
    """Name, texts within their lengths and characters, no date before 1900."""
    issues: list[Issue] = []
    nama = " ".join(f.nama.split()) if f.nama else ""
    if not nama:
        issues.append(error("nama", "nama_empty", "Nama wajib diisi sesuai KTP."))
    elif sum(c.isalpha() for c in nama) < MIN_NAME_LENGTH:
        issues.append(error("nama", "nama_short", f"Nama terlalu pendek (minimal {MIN_NAME_LENGTH} huruf)."))
    for name, when in ((n, getattr(f, n)) for n in _DATE_TITLES):
        if when is not None and when < MIN_DATE:
            issues.append(
                error(
                    name, f"{name}_too_old", f"{_DATE_TITLES[name]} tahun {when.year} tidak mungkin; periksa tahunnya."
                )
            )
    texts = (("nama", nama), ("tempat_lahir", f.tempat_lahir), ("sk_nomor", f.sk_nomor), ("alamat", f.alamat),
             ("nama_ibu_kandung", f.nama_ibu_kandung))  # fmt: skip
    for name, text in ((n, t or "") for n, t in texts):
        title = _FIELD_TITLES[name]
        if len(text) > MAX_LENGTHS[name]:
            issues.append(
                error(name, f"{name}_long", f"{title} terlalu panjang ({len(text)} karakter; paling banyak "
                      f"{MAX_LENGTHS[name]}).")
            )  # fmt: skip
        if odd_characters(text):
            issues.append(
                error(
                    name,
                    f"{name}_chars",
                    f"{title} berisi emoji atau tanda lain yang tidak lazim; hapus tanda itu.",
                )
            )
        elif missing := unprintable(text):
            issues.append(
                error(
                    name,
                    f"{name}_unprintable",
                    f"{title} berisi huruf {describe(missing)} yang tidak dapat dicetak pada surat; "
                    "ganti dengan huruf Latin.",
                )
            )
    return issues


def _check_birth_date(f: OfficialFields, today: date) -> list[Issue]:
    """A birth date not after today."""
    issues: list[Issue] = []
    if f.tanggal_lahir is not None and f.tanggal_lahir > today:
        issues.append(
            error(
                "tanggal_lahir",
                "birth_date_future",
                f"Tanggal lahir ({format_date(f.tanggal_lahir)}) tidak boleh setelah hari ini.",
            )
        )
    return issues


def _check_place(f: OfficialFields, kecamatan_kode: str | None) -> list[Issue]:
    """A known desa, inside the office's kecamatan."""
    issues: list[Issue] = []
    if not f.desa_kode:
        issues.append(error("desa_kode", "desa_missing", "Desa/kelurahan wajib dipilih."))
    elif not is_valid_desa_kode(f.desa_kode):
        issues.append(error("desa_kode", "desa_invalid", f"Kode desa {f.desa_kode!r} tidak dikenal."))
    elif kecamatan_kode is not None and not f.desa_kode.startswith(kecamatan_kode + "."):
        issues.append(
            error(
                "desa_kode",
                "desa_other_kecamatan",
                f"Desa dengan kode {f.desa_kode} tidak termasuk kecamatan ini ({kecamatan_kode}).",
            )
        )
    return issues


def _check_post(f: OfficialFields) -> list[Issue]:
    """RT/RW numbers in range and as the jabatan needs them."""
    issues: list[Issue] = []
    for name, value in (("rt", f.rt), ("rw", f.rw)):
        if value is not None and not 1 <= value <= RT_RW_MAX:
            issues.append(
                error(
                    name,
                    f"{name}_range",
                    f"Nomor {name.upper()} harus antara 1 dan {RT_RW_MAX} (terisi {value}).",
                )
            )

    if f.jabatan is None:
        issues.append(error("jabatan", "jabatan_missing", "Jabatan wajib dipilih."))
    elif f.jabatan is Jabatan.ketua_rt:
        if f.rw is None:
            issues.append(error("rw", "rw_missing", "Ketua RT harus diisi nomor RW-nya."))
        if f.rt is None:
            issues.append(error("rt", "rt_missing", "Ketua RT harus diisi nomor RT-nya."))
    elif f.jabatan is Jabatan.ketua_rw:
        if f.rw is None:
            issues.append(error("rw", "rw_missing", "Ketua RW harus diisi nomor RW-nya."))
        if f.rt is not None:
            issues.append(error("rt", "rt_for_rw_head", "Ketua RW tidak memiliki nomor RT. Kosongkan isian RT."))
    return issues


def _check_term_dates(f: OfficialFields, today: date) -> list[Issue]:
    """A term that ends after it starts; an SK not dated in the future."""
    issues: list[Issue] = []
    if f.term_start is not None and f.term_end is not None and f.term_end < f.term_start:
        issues.append(
            error(
                "term_end",
                "term_end_before_start",
                f"Akhir masa jabatan ({format_date(f.term_end)}) tidak boleh sebelum awal masa jabatan "
                f"({format_date(f.term_start)}).",
            )
        )

    if f.sk_tanggal is not None and f.sk_tanggal > today:
        issues.append(
            warning(
                "sk_tanggal",
                "sk_tanggal_future",
                f"Tanggal SK ({format_date(f.sk_tanggal)}) setelah hari ini. Periksa kembali tanggalnya.",
            )
        )
    return issues


def _check_phone(f: OfficialFields) -> list[Issue]:
    """A phone number that can be normalised, when given."""
    issues: list[Issue] = []
    if f.telepon is not None and f.telepon.strip():
        try:
            normalize_phone(f.telepon)
        except PhoneError as exc:
            issues.append(error("telepon", "telepon_invalid", str(exc)))
    return issues


def email_problem(email: str) -> str | None:
    """Why ``email`` is not a usable e-mail address, or None when it is."""
    text = email.strip()
    if len(text) > EMAIL_MAX:
        return f"Alamat email terlalu panjang ({len(text)} karakter; paling banyak {EMAIL_MAX})."
    if not EMAIL_PATTERN.fullmatch(text):
        return f"Alamat email {text!r} tidak valid (contoh: nama@contoh.id)."
    return None


def _check_email(email: str | None) -> list[Issue]:
    """An e-mail address of the usual form, when given (never required)."""
    problem = email_problem(email) if email is not None and email.strip() else None
    return [error("email", "email_invalid", problem)] if problem is not None else []
