"""Which field each column of a hand-made desa spreadsheet holds: the field labels, the header synonyms, finding
the header row (with a sub-header and a row of column numbers under it).

Everything here takes plain cell values (str, float, int, date, datetime, None, ...); the finders never raise.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from klaten_desktop.services.imports.cells import is_blank

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
    "email": "Email",
    "nama_ibu_kandung": "Nama Ibu Kandung",
}
#: Fields whose value, when present, is imported (``no`` only identifies the row for the desa).
IMPORT_FIELDS = tuple(k for k in FIELD_LABELS if k != "no")
#: Fields about the person. A row with none of them filled is not an official, whatever else it holds: a
#: list prepared by the desa repeats the desa, the RT/RW slots, the jabatan and the SK on rows still empty.
PERSON_FIELDS = ("nik", "nama", "ttl", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "sex_l", "sex_p", "alamat",
                 "telepon", "email", "nama_ibu_kandung")  # fmt: skip

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
    "email": ("email", "alamatemail", "surel", "alamatsurel", "suratelektronik", "emailaktif", "alamatemailaktif"),
    "nama_ibu_kandung": ("namaibukandung", "ibukandung", "namaibu", "namaibukandungsesuaikk", "namaibukandungktp"),
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
    if has("ibu") and has("kandung"):
        return "nama_ibu_kandung"
    if has("email") or has("surel"):
        return "email"
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


FieldOf = Callable[[object], str | None]


def _row_fields(cells: Sequence[object], field_of: FieldOf = field_for_header) -> list[str | None]:
    return [field_of(c) for c in cells]


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


def find_header(
    rows: Sequence[Sequence[object]], *, scan: int = HEADER_SCAN_ROWS, field_of: FieldOf = field_for_header
) -> HeaderGuess | None:
    """Find the header row among the first ``scan`` rows; None when no row names a NIK or name column.

    ``field_of`` names the field of a header cell: the officials' columns by default; another list read with the
    same header finding (the KPJ numbers the BPJS branch sends back, ``services/kpj_import.py``) gives its own."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(rows[:scan]):
        score = _score(_row_fields(cells, field_of))
        if score >= 2 and (best is None or score > best[1]):
            best = (index, score)
    if best is None:
        return None
    return guess_from_header_row(rows, best[0], field_of=field_of)


def guess_from_header_row(
    rows: Sequence[Sequence[object]], header_row: int, *, field_of: FieldOf = field_for_header
) -> HeaderGuess:
    """Read the columns of a chosen header row, with a sub-header row and a row of column numbers under it."""
    width = max((len(r) for r in rows), default=0)
    header = list(rows[header_row]) if 0 <= header_row < len(rows) else []
    header += [None] * (width - len(header))
    if header_row > 0:
        # a two-level header found on its lower row: a label merged down from the row above ("Jabatan" over
        # both rows) shows only in the upper cell; take it where the lower one is blank
        above = list(rows[header_row - 1]) + [None] * width
        taken = {f for f in _row_fields(header, field_of) if f is not None}
        for i, cell in enumerate(header):
            field = field_of(above[i]) if is_blank(cell) else None
            if field is not None and field not in taken:
                header[i] = above[i]
                taken.add(field)
    labels = [_label(c) for c in header]
    fields = _row_fields(header, field_of)
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
