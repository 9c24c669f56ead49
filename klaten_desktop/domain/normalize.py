"""How an official's name and telephone number are stored, whoever types them (the form, an import, demo data).

A name in ALL CAPS or all lower case becomes title case (keeping titles such as "S.Pd."); a telephone number
becomes digits only, "08..." for a mobile and "0<kode area>..." for a landline, or :class:`PhoneError` (a
``ValueError``) with an Indonesian message naming the value.
"""

from __future__ import annotations

import math
import re

# --------------------------------------------------------------------------- phone


class PhoneError(ValueError):
    """A telephone number that cannot be normalised; the message is Indonesian."""


_PHONE_STRIP = re.compile(r"[\s\-.()/\u00a0']")


def normalize_phone(raw: str | int | float | None) -> str | None:
    """Return "08..." (mobile) or "0..." (landline) digits only; None for blank; PhoneError otherwise."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise PhoneError(f"Nomor telepon {raw!r} tidak valid.")
    if isinstance(raw, float):
        if not math.isfinite(raw) or raw != int(raw) or raw < 0:
            raise PhoneError(f"Nomor telepon {raw!r} tidak valid.")
        text = str(int(raw))
    elif isinstance(raw, int):
        if raw < 0:
            raise PhoneError(f"Nomor telepon {raw!r} tidak valid.")
        text = str(raw)
    elif isinstance(raw, str):
        text = raw
    else:
        raise PhoneError(f"Nomor telepon {raw!r} tidak valid.")
    cleaned = _PHONE_STRIP.sub("", text)
    if not cleaned:
        return None
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
        if not cleaned.startswith("62"):
            raise PhoneError(f"Nomor telepon {text.strip()!r} bukan nomor Indonesia (+62).")
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise PhoneError(f"Nomor telepon {text.strip()!r} hanya boleh berisi angka, spasi, tanda - dan +62.")
    if cleaned.startswith("62"):
        cleaned = "0" + cleaned[2:]
    elif cleaned.startswith("8"):
        cleaned = "0" + cleaned
    if cleaned.startswith("08"):
        if 10 <= len(cleaned) <= 14:
            return cleaned
        raise PhoneError(
            f"Nomor HP {text.strip()!r} harus 10 sampai 14 digit diawali 08 (terisi {len(cleaned)} digit)."
        )
    if cleaned.startswith("0") and not cleaned.startswith("00") and 9 <= len(cleaned) <= 12:
        return cleaned
    raise PhoneError(
        f"Nomor telepon {text.strip()!r} tidak valid. Gunakan nomor HP 08xx atau nomor telepon rumah "
        "dengan kode area, misalnya 0272 321456."
    )


def mask_phone(phone: str) -> str:
    """A stored telephone number with the middle hidden, enough to recognise and not to call:
    "0812••••5678" (the first four and the last four digits kept; short numbers keep only the last two)."""
    if len(phone) >= 10:
        return phone[:4] + "•" * (len(phone) - 8) + phone[-4:]
    return "•" * max(len(phone) - 2, 0) + phone[-2:]


# --------------------------------------------------------------------------- names

_LOWER_PARTICLES = frozenset({"bin", "binti", "van", "der", "de"})
_ABBREVIATIONS: dict[str, str] = {
    "s.ip.": "S.IP.", "s.ip": "S.IP", "s.h.": "S.H.", "s.e.": "S.E.", "s.t.": "S.T.", "dr.": "dr.",
    "m.m.": "M.M.", "a.md.": "A.Md.", "a.ma.": "A.Ma.", "a.ma.pd.": "A.Ma.Pd.",
}  # fmt: skip


def _title_word(word: str) -> str:
    lower = word.lower()
    if lower in _LOWER_PARTICLES:
        return lower
    trail = ""
    core = lower
    while core and core[-1] in ",;":
        trail = core[-1] + trail
        core = core[:-1]
    if core in _ABBREVIATIONS:
        return _ABBREVIATIONS[core] + trail
    if "." in core:
        return ".".join(part[:1].upper() + part[1:] for part in core.split(".")) + trail
    return "-".join(part[:1].upper() + part[1:] for part in core.split("-")) + trail


def normalize_name(text: str) -> str:
    """Collapse whitespace; turn ALL CAPS or all lower case into title case (keeping "H.", "S.Pd." ...)."""
    collapsed = " ".join(text.split())
    letters = [c for c in collapsed if c.isalpha()]
    if not letters:
        return collapsed
    if all(c.isupper() for c in letters) or all(c.islower() for c in letters):
        return " ".join(_title_word(w) for w in collapsed.split(" "))
    return collapsed
