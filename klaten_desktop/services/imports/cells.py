"""Reading single cells and rows of a hand-made desa spreadsheet: blanks and placeholders, the total and signature
rows under the table, a NIK attempt, free text, a jabatan, desa and kecamatan codes and names.

Everything here takes plain cell values (str, float, int, date, datetime, None, ...) and raises nothing but
``ValueError`` (with an Indonesian message) from ``parse_jabatan``; the other helpers never raise.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.services.imports.parsing import is_placeholder


def is_blank(value: object) -> bool:
    """None, only spaces, or a placeholder desa type for "nothing" ("-")."""
    return value is None or (isinstance(value, str) and is_placeholder(value))


def is_blank_row(cells: Sequence[object]) -> bool:
    return all(is_blank(c) for c in cells)


# --------------------------------------------------------------------------- rows under the table

_FOOTER = re.compile(
    r"^\s*(?:(?:jumlah|total|mengetahui|menyetujui|kepala\s+desa|kades|lurah|kepala\s+kelurahan|sekretaris\s+desa|"
    r"sekdes|camat|ttd|catatan|dibuat\s+oleh|petugas|yang\s+membuat)\b|a\.\s*n\.\s|keterangan\s*:)",
    re.IGNORECASE,
)


#: "Sengon, 20 November 2026", "Klaten, 20-11-2026", "Klaten, ............ 2026": where and when the list
#: was signed (the day often left blank to be written by hand).
_SIGNED = re.compile(r"^\s*[^\d,]{2,40},\D*(?:\d{1,2}\D+(?:\d{1,2}\D+)?)?(\d{4})\s*$")
#: A signing date is recent; a birth date written the same way ("Klaten, 12-05-1970") is not.
SIGNED_SINCE_YEAR = 2010


def _is_signing_line(text: str) -> bool:
    m = _SIGNED.match(text)
    return m is not None and int(m.group(1)) >= SIGNED_SINCE_YEAR


def is_footer_row(cells: Sequence[object]) -> bool:
    """A total row or a line of a signature block: its first filled cell says so ("Jumlah", "Mengetahui,",
    "Kepala Desa ...", "Sengon, 20 November 2026"). A word in a later cell (a note "Catatan: ..." beside a
    person) does not count."""
    first = next((c for c in cells if not is_blank(c)), None)
    return isinstance(first, str) and (_FOOTER.match(first) is not None or _is_signing_line(first))


_TOTAL = re.compile(r"^\s*(jumlah|total|jml\.?)(\s|:|$)", re.IGNORECASE)


def is_total_row(cells: Sequence[object]) -> bool:
    """A row that starts with "Jumlah"/"Total" (its counts may fill many columns)."""
    first = next((c for c in cells if not is_blank(c)), None)
    return isinstance(first, str) and _TOTAL.match(first) is not None


NIK_LIKE_DIGITS = 6
_SOME_DIGITS = re.compile(rf"(?:\D*\d){{{NIK_LIKE_DIGITS}}}")


def holds_nik_attempt(value: object) -> bool:
    """True when a NIK cell holds something meant as a NIK, right or wrong: a text with at least six digits
    ("3310 0105 0570 0001", a NIK short of a digit) or a number of six digits or more (a NIK Excel turned
    into a number). False for a blank, "Jumlah", "-", a count such as 4 under a total row."""
    if type(value) is str:
        return (len(value) >= NIK_LIKE_DIGITS and value.isdigit()) or _SOME_DIGITS.match(value) is not None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return bool(abs(value) >= 10 ** (NIK_LIKE_DIGITS - 1))


# --------------------------------------------------------------------------- cell values


def cell_text(value: object) -> str | None:
    """The text of a cell for free-text fields; None for blank. Numbers lose a trailing ".0".

    A leading apostrophe is content here (an xlsx text cell may hold "'=Hadi"); the one our CSV export puts
    before text that looks like a formula is taken off by the CSV reader.
    """
    if type(value) is str:
        text = " ".join(value.split())
        return text or None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.strftime("%d-%m-%Y")
    elif isinstance(value, dt.date):
        text = value.strftime("%d-%m-%Y") if value.year >= 1000 else value.isoformat()
    else:
        text = str(value)
    text = " ".join(text.split())
    return text or None


EXCEL_FLOAT_NIK_MESSAGE = (
    "NIK tersimpan sebagai angka, sehingga Excel hanya menyimpan 15 digit dan digit terakhir bisa berubah "
    "menjadi 0. Format kolom NIK sebagai Teks, lalu ketik ulang NIK sesuai KTP."
)


def parse_jabatan(value: object) -> Jabatan | None:
    """Read "Ketua RT", "Ka. RT", "KETUA RT 03", "RW"; None for blank; ValueError when unknown."""
    text = cell_text(value)
    if text is None:
        return None
    found = Jabatan.from_text(text)
    if found is None:
        found = Jabatan.from_text(re.sub(r"[\d/.\-]+", " ", text))
    if found is None:
        first = re.split(r"[\s,;(/]+", text.strip())
        found = Jabatan.from_text(" ".join(first[:2]))
    if found is None:
        raise ValueError(
            f"Jabatan {text!r} tidak dikenal. Isi Ketua RT, Ketua RW, Sekretaris, Bendahara, atau Lainnya."
        )
    return found


_KODE_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", re.ASCII)
_KODE_PLAIN = re.compile(r"^\d{10}$", re.ASCII)
_KEC_DOTTED = re.compile(r"^\d{2}\.\d{2}\.\d{2}$", re.ASCII)
_KEC_PLAIN = re.compile(r"^\d{6}$", re.ASCII)
_DESA_PREFIX = re.compile(r"^(desa|ds|kelurahan|kel|kalurahan)\b\.?\s*", re.IGNORECASE)
_KEC_PREFIX = re.compile(r"^(kecamatan|kec)\b\.?\s*", re.IGNORECASE)
_PAREN = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def desa_code_of(value: object) -> str | None:
    """ "33.10.01.2001" or "3310012001" (also as a number) -> "33.10.01.2001"; None when it is not a code."""
    text = cell_text(value)
    if text is None:
        return None
    text = text.strip()
    head = text.split(" ", 1)[0]
    if _KODE_DOTTED.match(head):
        return head
    if _KODE_PLAIN.match(head):
        return f"{head[:2]}.{head[2:4]}.{head[4:6]}.{head[6:]}"
    return None


def kecamatan_code_of(value: object) -> str | None:
    text = cell_text(value)
    if text is None:
        return None
    head = text.strip().split(" ", 1)[0]
    if _KEC_DOTTED.match(head):
        return head
    if _KEC_PLAIN.match(head):
        return f"{head[:2]}.{head[2:4]}.{head[4:]}"
    return None


def place_key(name: str) -> str:
    """A desa or kecamatan name squashed for lookup: "Ds. Sengon" -> "sengon", "KEC. PRAMBANAN" -> "prambanan"."""
    text = _KEC_PREFIX.sub("", _DESA_PREFIX.sub("", name.strip()))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def split_desa_cell(text: str) -> tuple[str, str | None]:
    """ "Sengon (Prambanan)" -> ("Sengon", "Prambanan"); "Sengon" -> ("Sengon", None)."""
    m = _PAREN.match(text)
    if m and m.group(1).strip() and m.group(2).strip():
        return m.group(1).strip(), m.group(2).strip()
    return text, None


def rt_rw_from_date(value: dt.date) -> tuple[int, int]:
    """Excel turned "3/2" into 3 February: read it back as RT 3, RW 2."""
    return value.day, value.month
