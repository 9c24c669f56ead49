"""The letterhead: the office as its documents name it, and the document settings kept in the ``setting`` table
under keys starting with ``surat.``.

Number format, kode klasifikasi per letter kind, kode unit, one shared sequence or one per kind, paper size,
the place on the date line and the optional logo of the kop; :func:`office_info` reads the office's names,
signatories and BPJS branch for letters and certificates alike.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import string
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office, Setting, Wilayah
from klaten_desktop.services import audit
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

PREFIX = "surat."
DEFAULT_FORMAT = "{kode_klasifikasi}/{nomor:03d}/{kode_unit}/{tahun}"
# Permendagri 83/2022: 400.10.3 Kelembagaan dan Pelatihan Masyarakat (RT/RW); see docs/letters.md
DEFAULT_KLASIFIKASI = "400.10.3"
FORMAT_FIELDS = frozenset({"kode_klasifikasi", "nomor", "kode_unit", "tahun", "bulan", "bulan_romawi"})
SEQUENCE_MODES = ("bersama", "per_jenis")
PAPERS = ("A4", "F4")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
MAX_LOGO_BYTES = 2_000_000
#: the logo is printed about 2.5 cm wide: fewer pixels look blurred, far more only make every PDF bigger
MIN_LOGO_PIXELS, MAX_LOGO_PIXELS = 32, 4000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (baseline, progressive, lossless ...): not C4 (DHT), C8 (JPG), CC (DAC)
_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


@dataclass(frozen=True)
class LetterSettings:
    format_nomor: str = DEFAULT_FORMAT
    klasifikasi: Mapping[str, str] = field(default_factory=dict)
    kode_unit: str | None = None
    urutan: str = "bersama"
    kertas: str = "A4"
    tempat: str | None = None
    logo: str | None = None  # SHA-256 of the logo image stored under surat.logo.<sha>

    def klasifikasi_for(self, kind: str) -> str:
        return self.klasifikasi.get(kind) or self.klasifikasi.get("*") or DEFAULT_KLASIFIKASI

    def sequence_for(self, kind: str) -> str:
        return "surat" if self.urutan == "bersama" else f"surat.{kind}"


_KEYS = {
    "format_nomor": "surat.format_nomor",
    "klasifikasi": "surat.klasifikasi",
    "kode_unit": "surat.kode_unit",
    "urutan": "surat.urutan",
    "kertas": "surat.kertas",
    "tempat": "surat.tempat",
    "logo": "surat.logo",
}


def derive_kode_unit(kecamatan_nama: str | None) -> str:
    """ "Prambanan" -> "Kec.Prb": the initial and the first consonant of the next two syllables."""
    if not kecamatan_nama:
        return "Pemkab.Klt"
    words = [w for w in re.split(r"[^A-Za-z]+", kecamatan_nama) if w]
    if not words:
        return "Kec"
    word = words[0].lower()
    vowels = "aeiou"
    onsets = [word[i - 1] for i in range(2, len(word)) if word[i] in vowels and word[i - 1] not in vowels]
    letters = word[0] + "".join(onsets[:2])
    if len(letters) < 3:
        rest = [ch for ch in word[1:] if ch not in vowels and ch not in letters[1:]]
        letters = (letters + "".join(rest))[:3]
    if len(words) > 1:
        letters = letters[:2] + words[1][0]
    return "Kec." + letters[0].upper() + letters[1:]


def format_nomor(fmt: str, *, kode_klasifikasi: str, nomor: int, kode_unit: str, tahun: int, bulan: int) -> str:
    return fmt.format(
        kode_klasifikasi=kode_klasifikasi,
        nomor=nomor,
        kode_unit=kode_unit,
        tahun=tahun,
        bulan=bulan,
        bulan_romawi=ROMAN[bulan - 1],
    )


def check_format(fmt: str) -> None:
    """UserError when the number format uses unknown fields or has no {nomor}."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(fmt) if name is not None}
    except ValueError as exc:
        raise UserError(f"Format nomor surat tidak sah: {exc}.", field="format_nomor") from exc
    unknown = sorted(names - FORMAT_FIELDS)
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in sorted(FORMAT_FIELDS))
        raise UserError(
            f"Format nomor surat memakai kolom yang tidak dikenal: {', '.join(unknown)}. Pilihan: {allowed}.",
            field="format_nomor",
        )
    if "nomor" not in names:
        raise UserError("Format nomor surat wajib memuat {nomor} (nomor urut).", field="format_nomor")
    try:
        format_nomor(fmt, kode_klasifikasi="400.10.3", nomor=1, kode_unit="Kec.Prb", tahun=2026, bulan=1)
    except (ValueError, IndexError, KeyError) as exc:
        raise UserError(f"Format nomor surat tidak sah: {exc}.", field="format_nomor") from exc


def _raw(session: Session) -> dict[str, Any]:
    rows = session.execute(select(Setting.key, Setting.value).where(Setting.key.in_(list(_KEYS.values()))))
    by_key = {key: json.loads(value) for key, value in rows}
    return {name: by_key[key] for name, key in _KEYS.items() if key in by_key}


def load(session: Session) -> LetterSettings:
    """The settings with defaults; the kode unit and place are derived from the kecamatan when not set."""
    values = _raw(session)
    office = session.get(Office, 1)
    nama = None
    if office is not None and office.role == "kecamatan":
        nama = session.scalar(select(Wilayah.nama).where(Wilayah.kode == office.office_code))
    base = LetterSettings(**values)
    kode_unit = base.kode_unit or derive_kode_unit(nama)
    tempat = base.tempat or (nama.title() if nama else "Klaten")
    return LetterSettings(
        format_nomor=base.format_nomor,
        klasifikasi=dict(base.klasifikasi),
        kode_unit=kode_unit,
        urutan=base.urutan,
        kertas=base.kertas,
        tempat=tempat,
        logo=base.logo,
    )


def get(ctx: ServiceContext) -> LetterSettings:
    with ctx.read() as session:
        return load(session)


def _put(session: Session, key: str, value: Any, now: dt.datetime) -> Any:
    row = session.get(Setting, key)
    old = None if row is None else json.loads(row.value)
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(Setting(key=key, value=encoded, updated_at=now))
    else:
        row.value = encoded
        row.updated_at = now
    return old


def update(ctx: ServiceContext, actor: Actor, **changes: Any) -> LetterSettings:
    """Change some settings; ``None`` restores the default of kode_unit and tempat."""
    require(actor, Permission.office_settings)
    unknown = set(changes) - (set(_KEYS) - {"logo"})
    if unknown:
        raise ValueError(f"unknown letter settings: {sorted(unknown)}")
    if "format_nomor" in changes:
        check_format(str(changes["format_nomor"]))
    if "urutan" in changes and changes["urutan"] not in SEQUENCE_MODES:
        raise UserError("Urutan nomor harus 'bersama' atau 'per_jenis'.", field="urutan")
    if "kertas" in changes and changes["kertas"] not in PAPERS:
        raise UserError("Ukuran kertas harus A4 atau F4.", field="kertas")
    if "klasifikasi" in changes:
        for kind, code in dict(changes["klasifikasi"]).items():
            if not re.fullmatch(r"\d{3}(\.\d+)*", str(code)):
                raise UserError(f"Kode klasifikasi {code!r} untuk {kind} tidak sah (contoh: 400.10.3).")
    for key in ("kode_unit", "tempat"):
        if key in changes and changes[key] is not None:
            changes[key] = " ".join(str(changes[key]).split()) or None
    with ctx.write() as session:
        for name, value in changes.items():
            old = _put(session, _KEYS[name], value, ctx.now())
            audit.record(session, actor, "update", "setting", _KEYS[name], old={"value": old}, new={"value": value})
        return load(session)


def read_logo(path: Path) -> bytes:
    """The image of a logo file, checked by :func:`check_logo` (UserError) or EnvironmentProblem if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EnvironmentProblem(environment_message(exc) or f"Berkas logo tidak dapat dibaca: {exc}") from exc
    check_logo(data)
    return data


def set_logo(ctx: ServiceContext, actor: Actor, path: Path | None) -> LetterSettings:
    """Use a PNG or JPEG image as the logo of the kop (``None`` removes it). Old logos are kept for reprints."""
    require(actor, Permission.office_settings)
    if path is None:
        with ctx.write() as session:
            old = _put(session, _KEYS["logo"], None, ctx.now())
            audit.record(session, actor, "update", "setting", _KEYS["logo"], old={"value": old}, new={"value": None})
            return load(session)
    data = read_logo(path)
    sha = hashlib.sha256(data).hexdigest()
    with ctx.write() as session:
        _put(session, f"{PREFIX}logo.{sha}", base64.b64encode(data).decode("ascii"), ctx.now())
        old = _put(session, _KEYS["logo"], sha, ctx.now())
        audit.record(session, actor, "update", "setting", _KEYS["logo"], old={"value": old}, new={"value": sha})
        return load(session)


def _png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a whole PNG (every chunk's CRC right, IHDR first, IDAT, IEND last), else None."""
    pos, size, seen_idat = len(_PNG_SIGNATURE), None, False
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length or data[pos + 8 + length : pos + 12 + length] != struct.pack(
            ">I", zlib.crc32(kind + body)
        ):
            return None
        if size is None:
            if kind != b"IHDR" or length != 13:
                return None
            size = struct.unpack(">II", body[:8])
        seen_idat = seen_idat or kind == b"IDAT"
        pos += 12 + length
        if kind == b"IEND":
            return size if seen_idat else None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a JPEG's start-of-frame segment, when a scan follows and the image ends, else None."""
    pos, size = 2, None
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if length < 2 or pos + 2 + length > len(data):
            return None
        if marker in _JPEG_SOF and length >= 7:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: compressed data up to the end-of-image marker
            return size if size is not None and b"\xff\xd9" in data[pos + 2 + length :] else None
        pos += 2 + length
    return None


def check_logo(data: bytes) -> None:
    """UserError unless ``data`` is a whole PNG or JPEG image of at most 2 MB, 32 to 4000 pixels a side."""
    if len(data) > MAX_LOGO_BYTES:
        raise UserError("Berkas logo terlalu besar (paling besar 2 MB).")
    if data.startswith(_PNG_SIGNATURE):
        size, kind = _png_size(data), "PNG"
    elif data.startswith(b"\xff\xd8"):
        size, kind = _jpeg_size(data), "JPEG"
    else:
        raise UserError("Logo harus berupa gambar PNG atau JPEG.")
    if size is None:
        raise UserError(f"Berkas logo rusak atau tidak utuh: bukan gambar {kind} yang dapat dibaca.")
    width, height = size
    if min(width, height) < MIN_LOGO_PIXELS or max(width, height) > MAX_LOGO_PIXELS:
        raise UserError(
            f"Ukuran logo {width}×{height} piksel tidak wajar: setiap sisi harus {MIN_LOGO_PIXELS} sampai "
            f"{MAX_LOGO_PIXELS} piksel."
        )


def images(session: Session, keys: set[str]) -> dict[str, bytes]:
    """The logo images named in payloads (by SHA-256)."""
    if not keys:
        return {}
    rows = session.execute(
        select(Setting.key, Setting.value).where(Setting.key.in_([f"{PREFIX}logo.{k}" for k in keys]))
    )
    return {key.rsplit(".", 1)[1]: base64.b64decode(json.loads(value)) for key, value in rows}


def logo_image(ctx: ServiceContext) -> bytes | None:
    """The office's current kop logo image, or None when the kop has no logo."""
    with ctx.read() as session:
        sha = load(session).logo
        if sha is None:
            return None
        return images(session, {sha}).get(sha)


class OfficeInfo(NamedTuple):
    """The office as its documents name it: the letterhead, the signatories, the BPJS branch."""

    office_code: str
    install_id: str
    name: str
    kecamatan: str | None
    address: str | None
    phone: str | None
    email: str | None
    camat_nama: str | None
    camat_nip: str | None
    camat_pangkat: str | None
    bpjs_branch_name: str | None
    bpjs_branch_address: str | None
    bpjs_branch_head: str | None = None


def office_info(session: Session) -> OfficeInfo:
    """The office's letterhead data (refused before ``init``)."""
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    kec = None
    if office.role == "kecamatan":
        kec = session.scalar(select(Wilayah.nama).where(Wilayah.kode == office.office_code))
    return OfficeInfo(
        office.office_code,
        office.install_id,
        office.name,
        kec,
        office.address,
        office.phone,
        office.email,
        office.camat_nama,
        office.camat_nip,
        office.camat_pangkat,
        office.bpjs_branch_name,
        office.bpjs_branch_address,
        office.bpjs_branch_head,
    )
