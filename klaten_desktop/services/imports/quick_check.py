"""The quick check of a clean row: True only when ``check_official`` would find nothing to say about it.

An import of thousands of rows takes this path first and builds issues and messages only for rows it is not sure
of. It restates ``domain/official_rules.check_official`` (and the NIK rules it calls) as plain comparisons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.nik import (
    KLATEN_PREFIX,
    MAX_AGE,
    MIN_AGE,
    PROVINCE_CODES,
    KnownKecamatan,
    age_on,
    nik_birth_and_sex,
)
from klaten_desktop.domain.normalize import normalize_phone
from klaten_desktop.domain.official_rules import (
    MAX_LENGTHS,
    MIN_DATE,
    MIN_NAME_LENGTH,
    RT_RW_MAX,
    OfficialFields,
    odd_characters,
)
from klaten_desktop.domain.printable import unprintable
from klaten_desktop.domain.wilayah import is_valid_desa_kode

#: A mobile number exactly as ``normalize_phone`` returns it (it would return it unchanged).
NORMAL_MOBILE = re.compile(r"08[0-9]{8,12}", re.ASCII)
_JABATAN_CODES = frozenset(j.value for j in Jabatan)


def official_is_clean(
    f: OfficialFields, *, today: dt.date, kecamatan_kode: str | None, known_kecamatan: KnownKecamatan
) -> bool:
    """True only when ``check_official`` would find no issue at all (no error, no warning).

    A quick path for imports of thousands of rows: it skips building issues and messages. False means "not
    sure": the caller runs ``check_official``. A hypothesis test (tests/imports) checks that True never hides
    an issue.
    """
    values = {name: getattr(f, name) for name in _FIELD_NAMES}
    values["jenis_kelamin"] = f.jenis_kelamin.value if f.jenis_kelamin is not None else None
    values["jabatan"] = f.jabatan.value if f.jabatan is not None else None
    return values_are_clean(values, today=today, kecamatan_kode=kecamatan_kode, known_kecamatan=known_kecamatan)


_FIELD_NAMES = tuple(OfficialFields.__dataclass_fields__)


_TEXT_LIMITS = tuple(MAX_LENGTHS.items())


def values_are_clean(
    v: Mapping[str, Any], *, today: dt.date, kecamatan_kode: str | None, known_kecamatan: KnownKecamatan
) -> bool:
    """:func:`official_is_clean` of the fields as the database holds them (``jenis_kelamin`` "L"/"P",
    ``jabatan`` its code), so an import checks 13,000 rows without building ``OfficialFields``.
    """
    try:
        nama = v["nama"] or ""
        if len(nama) < MIN_NAME_LENGTH or not nama[:MIN_NAME_LENGTH].isalpha():
            return False
        for name, limit in _TEXT_LIMITS:
            text = v[name]
            if text is not None and (
                len(text) > limit
                or (not (text.isascii() and text.isprintable()) and (odd_characters(text) or unprintable(text)))
            ):
                return False
        nik = v["nik"]
        decoded = nik_birth_and_sex(nik, today=today)
        if decoded is None or nik[:2] not in PROVINCE_CODES or nik[:4] != KLATEN_PREFIX:
            return False
        if nik[:6] not in known_kecamatan.codes:  # also 00: no table holds a kecamatan 00
            return False
        nik_birth, nik_sex = decoded
        birth = v["tanggal_lahir"]
        if birth is not None and (birth != nik_birth or birth > today):
            return False
        sex = v["jenis_kelamin"]
        if sex is not None and sex != nik_sex:  # a Sex is equal to its code
            return False
        if not MIN_AGE <= age_on(birth if birth is not None else nik_birth, today) <= MAX_AGE:
            return False
        desa = v["desa_kode"]
        if not desa or not is_valid_desa_kode(desa):
            return False
        if kecamatan_kode is not None and not desa.startswith(kecamatan_kode + "."):
            return False
        rt, rw = v["rt"], v["rw"]
        if (rt is not None and not 1 <= rt <= RT_RW_MAX) or (rw is not None and not 1 <= rw <= RT_RW_MAX):
            return False
        jabatan = v["jabatan"]
        if jabatan not in _JABATAN_CODES:
            return False
        if jabatan == "ketua_rt" and (rw is None or rt is None):
            return False
        if jabatan == "ketua_rw" and (rw is None or rt is not None):
            return False
        start, end = v["term_start"], v["term_end"]
        if start is not None and (start < MIN_DATE or (end is not None and end < start)):
            return False
        if end is not None and end < MIN_DATE:
            return False
        sk = v["sk_tanggal"]
        if sk is not None and (sk > today or sk < MIN_DATE):
            return False  # a birth date is the NIK's (never before 1900) or the row is not clean
        telepon = v["telepon"]
        if telepon is not None and telepon.strip() and not NORMAL_MOBILE.fullmatch(telepon):
            normalize_phone(telepon)
        if v["email"] is not None:
            return False  # rare: check_official checks its form
    except Exception:  # "not sure": check_official gives the answer (or raises the same error)
        return False
    return True
