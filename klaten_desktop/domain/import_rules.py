"""Pure rules for reading hand-made desa spreadsheets: header synonyms, header-row finding, cell helpers.

Everything here takes plain cell values (str, float, int, date, datetime, None, ...) and never raises anything
but ``ValueError`` (with an Indonesian message) from the ``parse_*`` helpers; the finders never raise.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.nik import KLATEN_PREFIX, MAX_AGE, MIN_AGE, PROVINCE_CODES, age_on, nik_birth_and_sex
from klaten_desktop.domain.official_rules import (
    MAX_LENGTHS,
    MIN_DATE,
    MIN_NAME_LENGTH,
    OfficialFields,
    odd_characters,
)
from klaten_desktop.domain.parsing import RT_RW_MAX, is_placeholder, normalize_phone
from klaten_desktop.domain.wilayah import is_valid_desa_kode

#: The fields a column can be mapped to, with the label used in templates, exports and error workbooks.
FIELD_LABELS: dict[str, str] = {
    "no": "No",
    "nik": "NIK",
    "nama": "Nama",
    "ttl": "Tempat, Tanggal Lahir",
    "tempat_lahir": "Tempat Lahir",
    "tanggal_lahir": "Tanggal Lahir",
    "jenis_kelamin": "Jenis Kelamin",
    "sex_l": "L (centang)",
    "sex_p": "P (centang)",
    "alamat": "Alamat",
    "kode_desa": "Kode Desa",
    "desa": "Desa",
    "kecamatan": "Kecamatan",
    "rt_rw": "RT/RW",
    "rt": "RT",
    "rw": "RW",
    "jabatan": "Jabatan",
    "telepon": "Nomor HP",
    "term_start": "Awal Masa Jabatan",
    "term_end": "Akhir Masa Jabatan",
    "sk_nomor": "Nomor SK",
    "sk_tanggal": "Tanggal SK",
}
#: Fields whose value, when present, is imported (``no`` only identifies the row for the desa).
IMPORT_FIELDS = tuple(k for k in FIELD_LABELS if k != "no")
#: Fields about the person. A row with none of them filled is not an official, whatever else it holds: a
#: list prepared by the desa repeats the desa, the RT/RW slots, the jabatan and the SK on rows still empty.
PERSON_FIELDS = ("nik", "nama", "ttl", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "sex_l", "sex_p", "alamat",
                 "telepon")  # fmt: skip

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "no": ("no", "nomor", "nourut", "nomorurut", "urut"),
    "nik": (
        "nik", "noktp", "nomorktp", "nikktp", "noinduk", "nomorinduk", "nomorindukkependudukan",
        "noindukkependudukan", "ktp", "nonik", "nomornik", "nikeKTP", "niknoktp",
        # the long name with the short one: "NOMOR INDUK KEPENDUDUKAN (NIK)", "NIK (Nomor Induk Kependudukan)"
        "nomorindukkependudukannik", "noindukkependudukannik", "niknomorindukkependudukan",
        "niknoindukkependudukan", "noniktp", "nomorniktp", "nonikktp", "nomornikktp", "nonikektp",
    ),
    "nama": (
        "nama", "namalengkap", "namaketua", "namapengurus", "namasesuaiktp", "namaketuart", "namaketuarw",
        "namaketuartrw", "namapeserta", "namatenagakerja",
    ),
    "ttl": (
        "ttl", "tempattanggallahir", "tempattgllahir", "tempattgllhr", "tempatdantanggallahir",
        "tempattanggallhr", "tmptgllahir", "tmptlahirtgllahir", "tempatlahirtanggallahir", "tempattgl",
        "tempatlahirtgllahir",
    ),
    "tempat_lahir": ("tempatlahir", "tempat", "tmplahir", "tmptlahir", "tempatlhr", "kotalahir"),
    "tanggal_lahir": ("tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "tgllahirddmmyyyy", "lahir"),
    "jenis_kelamin": ("lp", "jeniskelamin", "jk", "kelamin", "sex", "gender", "jnskelamin", "jeniskelaminlp"),
    # a "Jenis Kelamin" header over two columns "L" | "P" that are ticked: as the error workbook names them
    "sex_l": ("lcentang", "jeniskelaminl", "jeniskelaminlcentang"),
    "sex_p": ("pcentang", "jeniskelaminp", "jeniskelaminpcentang"),
    "alamat": ("alamat", "dukuh", "alamatrumah", "alamatlengkap", "dusun", "alamatdukuh"),
    "kode_desa": ("kodedesa", "kodedesakelurahan", "kodekelurahan", "kodewilayah", "kodedesakel"),
    "desa": (
        "desa", "kelurahan", "desakelurahan", "kelurahandesa", "namadesa", "desakel", "kel", "namadesakelurahan",
        "dskel", "keldesa",
    ),
    "kecamatan": ("kecamatan", "kec", "kodekecamatan", "namakecamatan"),
    "rt_rw": ("rtrw", "nortrw", "nomorrtrw", "rtrwno"),
    "rt": ("rt", "nort", "nomorrt"),
    "rw": ("rw", "norw", "nomorrw"),
    "jabatan": ("jabatan", "kedudukan", "jabatanrtrw", "jabatandalamrtrw", "jabatanpengurus", "posisi"),
    "telepon": (
        "telepon", "nohp", "hp", "nomorhp", "notelp", "telp", "nohpwa", "wa", "nowa", "nomortelepon", "kontak",
        "notelepon", "nohptelp", "telphp", "nomorhpwa", "nohandphone", "handphone", "telpon", "notelpon",
    ),
    "term_start": (
        "awalmasajabatan", "mulaimenjabat", "tmt", "tmtjabatan", "masajabatanmulai", "awaljabatan",
        "tanggalmulai", "mulai",
    ),
    "term_end": ("akhirmasajabatan", "akhirjabatan", "masajabatansampai", "selesaimenjabat", "sampai", "selesai"),
    "sk_nomor": ("nomorsk", "nosk", "sk", "nomorskpengangkatan", "noskpengangkatan"),
    "sk_tanggal": ("tanggalsk", "tglsk", "tanggalskpengangkatan"),
}  # fmt: skip

_EXACT: dict[str, str] = {}
for _field, _names in _SYNONYMS.items():
    for _name in _names:
        _EXACT.setdefault(_name.lower(), _field)

_MAX_FUZZY = 30  # longer cells are titles, not headers
HEADER_SCAN_ROWS = 40


def header_key(value: object) -> str:
    """A header cell squashed for matching: "N I K" -> "nik", "No. HP / WA" -> "nohpwa"."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def field_for_header(value: object) -> str | None:
    """The field a header cell names, or None."""
    key = header_key(value)
    if not key or key.isdigit():
        return None
    exact = _EXACT.get(key)
    if exact is not None:
        return exact
    if len(key) > _MAX_FUZZY:
        return None
    return _fuzzy_field(key)


def _fuzzy_field(key: str) -> str | None:
    has = key.__contains__
    if key.startswith("kode") and ("desa" in key or "kel" in key):
        return "kode_desa"
    if key.startswith(("nik", "noktp", "nomorktp")) or (has("nik") and len(key) <= 6):
        return "nik"
    if has("tempat") and (has("tgl") or has("tanggal")):
        return "ttl"
    if has("tempat") and has("lahir"):
        return "tempat_lahir"
    if (has("tgl") or has("tanggal")) and has("lahir"):
        return "tanggal_lahir"
    if (has("tgl") and has("sk")) or has("tanggalsk"):
        return "sk_tanggal"
    if key.startswith(("nosk", "nomorsk")):
        return "sk_nomor"
    if key.startswith("nama") and not has("desa") and not has("kec") and not has("ibu"):
        return "nama"
    if key.startswith(("namadesa", "desa")):
        return "desa"
    if key.startswith(("namakec", "kec")):
        return "kecamatan"
    if has("kelamin"):
        return "jenis_kelamin"
    if has("rtrw"):
        return "rt_rw"
    if has("hp") or has("telp") or has("telepon") or has("whatsapp"):
        return "telepon"
    if key.startswith("jabatan"):
        return "jabatan"
    if key.startswith("alamat"):
        return "alamat"
    return None


def is_blank(value: object) -> bool:
    """None, only spaces, or a placeholder desa type for "nothing" ("-")."""
    return value is None or (isinstance(value, str) and is_placeholder(value))


def is_blank_row(cells: Sequence[object]) -> bool:
    return all(is_blank(c) for c in cells)


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None


_COLUMN_NUMBER = re.compile(r"^\s*[(\[]?\s*(\d{1,3})\s*[)\].]?\s*$", re.ASCII)


def _column_number(value: object) -> int | None:
    """1, "1", "(1)", "[1]", "1." as a column number."""
    if isinstance(value, str):
        m = _COLUMN_NUMBER.match(value)
        return int(m.group(1)) if m else None
    return _as_int(value)


def is_column_number_row(cells: Sequence[object]) -> bool:
    """A row of column numbers under the header: 1, 2, 3, ... or (1), (2), (3) (blanks allowed between)."""
    numbers = [_column_number(c) for c in cells if not is_blank(c)]
    if len(numbers) < 3 or any(n is None for n in numbers):
        return False
    values = [n for n in numbers if n is not None]
    return values[0] == 1 and all(b == a + 1 for a, b in itertools.pairwise(values))


@dataclass(frozen=True)
class HeaderGuess:
    """Where the header is and what each column holds (``fields[i]`` is None for an ignored column)."""

    header_row: int  # index into the rows passed in
    data_start: int  # index of the first row after the header (and sub-header / column numbers)
    labels: tuple[str, ...]  # the effective label of each column
    fields: tuple[str | None, ...]


def _row_fields(cells: Sequence[object]) -> list[str | None]:
    return [field_for_header(c) for c in cells]


def is_header_like(cells: Sequence[object]) -> bool:
    """A row that reads as a header of column names: only short texts (no numbers), at least half of them
    column names as the synonym table writes them, three or more, NIK or Nama among them. A person's row
    ("Niken", "Desa Sengon", 2, 1) is not one."""
    filled = [c for c in cells if not is_blank(c)]
    if any(not isinstance(c, str) or _as_int(c) is not None or len(c) > _MAX_FUZZY * 2 for c in filled):
        return False
    # column names as written, not guessed: a name like "Anik" or a cell "Desa Sengon" would pass a guess
    fields = [f for f in (_EXACT.get(header_key(c)) for c in filled) if f is not None]
    known = set(fields)
    return len(known) >= 3 and ("nik" in known or "nama" in known) and len(fields) * 2 >= len(filled)


def same_columns(cells: Sequence[object], header: Sequence[object]) -> bool:
    """True when ``cells`` names the same field in every column as ``header`` does ("NAMA" and "Nama ")."""
    width = max(len(cells), len(header))
    padded = [*cells, *[None] * (width - len(cells))]
    return _row_fields(padded) == _row_fields([*header, *[None] * (width - len(header))])


def _score(fields: Sequence[str | None]) -> int:
    found = {f for f in fields if f is not None}
    if "nik" not in found and "nama" not in found:
        return 0
    return len(found)


def _dedupe(fields: list[str | None]) -> list[str | None]:
    """Each field is taken by its first column only; ttl beats separate place/date only when they are absent."""
    seen: set[str] = set()
    result: list[str | None] = []
    for f in fields:
        if f is None or f in seen:
            result.append(None)
            continue
        seen.add(f)
        result.append(f)
    return result


def _label(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def find_header(rows: Sequence[Sequence[object]], *, scan: int = HEADER_SCAN_ROWS) -> HeaderGuess | None:
    """Find the header row among the first ``scan`` rows; None when no row names a NIK or name column."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(rows[:scan]):
        score = _score(_row_fields(cells))
        if score >= 2 and (best is None or score > best[1]):
            best = (index, score)
    if best is None:
        return None
    return guess_from_header_row(rows, best[0])


def guess_from_header_row(rows: Sequence[Sequence[object]], header_row: int) -> HeaderGuess:
    """Read the columns of a chosen header row, with a sub-header row and a row of column numbers under it."""
    width = max((len(r) for r in rows), default=0)
    header = list(rows[header_row]) if 0 <= header_row < len(rows) else []
    header += [None] * (width - len(header))
    if header_row > 0:
        # a two-level header found on its lower row: a label merged down from the row above ("Jabatan" over
        # both rows) shows only in the upper cell; take it where the lower one is blank
        above = list(rows[header_row - 1]) + [None] * width
        taken = {f for f in _row_fields(header) if f is not None}
        for i, cell in enumerate(header):
            field = field_for_header(above[i]) if is_blank(cell) else None
            if field is not None and field not in taken:
                header[i] = above[i]
                taken.add(field)
    labels = [_label(c) for c in header]
    fields = _row_fields(header)
    start = header_row + 1
    if start < len(rows) and _is_sub_header(rows[start], header):
        sub = list(rows[start]) + [None] * (width - len(rows[start]))
        parent: str | None = None
        for i, cell in enumerate(sub):
            if not is_blank(header[i]):
                parent = fields[i]
            if is_blank(cell):
                continue
            chosen = _sub_field(parent, header_key(cell))
            if chosen is not None and (is_blank(header[i]) or fields[i] in (None, "ttl", "rt_rw", "jenis_kelamin")):
                fields[i] = chosen
                labels[i] = _label(cell)
        start += 1
    if start < len(rows) and is_column_number_row(rows[start]):
        start += 1
    return HeaderGuess(header_row, start, tuple(labels), tuple(_dedupe(fields)))


_SUB_TTL = {"tempat": "tempat_lahir", "tmp": "tempat_lahir", "tmpt": "tempat_lahir", "tanggal": "tanggal_lahir",
            "tgl": "tanggal_lahir"}  # fmt: skip
_SUB_SEX = {"l": "sex_l", "lk": "sex_l", "laki": "sex_l", "lakilaki": "sex_l", "pria": "sex_l", "p": "sex_p",
            "pr": "sex_p", "perempuan": "sex_p", "wanita": "sex_p"}  # fmt: skip


def _sub_field(parent: str | None, key: str) -> str | None:
    if parent == "ttl" and key in _SUB_TTL:
        return _SUB_TTL[key]
    if parent == "jenis_kelamin" and key in _SUB_SEX:
        return _SUB_SEX[key]
    if parent == "term_start" and key in ("sampai", "akhir", "selesai", "sd"):
        return "term_end"
    if parent in ("sk_nomor", "sk_tanggal") and key in ("nomor", "no"):
        return "sk_nomor"
    if parent in ("sk_nomor", "sk_tanggal") and key in ("tanggal", "tgl"):
        return "sk_tanggal"
    return field_for_header(key)


def _is_sub_header(cells: Sequence[object], header: Sequence[object]) -> bool:
    """A second header line: short labels only (no numbers), at least one of them a known column name."""
    filled = [c for c in cells if not is_blank(c)]
    if not filled or is_column_number_row(cells):
        return False
    if any(not isinstance(c, str) or _as_int(c) is not None or len(c) > _MAX_FUZZY for c in filled):
        return False
    known = sum(
        1 for c in filled if field_for_header(c) is not None or header_key(c) in _SUB_TTL or header_key(c) in _SUB_SEX
    )
    return known * 2 >= len(filled)


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


# --------------------------------------------------------------------------- the quick check of a clean row

#: A mobile number exactly as ``normalize_phone`` returns it (it would return it unchanged).
NORMAL_MOBILE = re.compile(r"08[0-9]{8,12}", re.ASCII)
_JABATAN_CODES = frozenset(j.value for j in Jabatan)


def official_is_clean(f: OfficialFields, *, today: dt.date, kecamatan_kode: str | None) -> bool:
    """True only when ``check_official`` would find no issue at all (no error, no warning).

    A quick path for imports of thousands of rows: it skips building issues and messages. False means "not
    sure": the caller runs ``check_official``. A hypothesis test (tests/imports) checks that True never hides
    an issue.
    """
    values = {name: getattr(f, name) for name in _FIELD_NAMES}
    values["jenis_kelamin"] = f.jenis_kelamin.value if f.jenis_kelamin is not None else None
    values["jabatan"] = f.jabatan.value if f.jabatan is not None else None
    return values_are_clean(values, today=today, kecamatan_kode=kecamatan_kode)


_FIELD_NAMES = tuple(OfficialFields.__dataclass_fields__)


_TEXT_LIMITS = tuple(MAX_LENGTHS.items())


def values_are_clean(v: Mapping[str, Any], *, today: dt.date, kecamatan_kode: str | None) -> bool:
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
                len(text) > limit or (not (text.isascii() and text.isprintable()) and odd_characters(text))
            ):
                return False
        nik = v["nik"]
        decoded = nik_birth_and_sex(nik, today=today)
        if decoded is None or nik[:2] not in PROVINCE_CODES or nik[:4] != KLATEN_PREFIX:
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
    except Exception:  # "not sure": check_official gives the answer (or raises the same error)
        return False
    return True
