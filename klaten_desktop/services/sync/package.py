"""The sync package file: a signed, encrypted zip of JSON lines (specified in docs/sync-format.md).

Layout::

    MAGIC (8 bytes) | header length (u32 BE) | header (UTF-8 JSON) | ciphertext length (u64 BE) | ciphertext
    | Ed25519 signature (64 bytes) over every byte before it

The ciphertext is AES-256-GCM of the inner zip, with the key from an ephemeral X25519 exchange with the
recipient's encryption key through HKDF-SHA256, and ``MAGIC + header`` as associated data. Every check that can
reject a file runs in :func:`open_package` before the database is touched.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

MAGIC = b"KLTSYNC\x01"
FORMAT_VERSION = 1
HKDF_INFO = b"klaten-desktop sync v1"
SIGNATURE_SIZE = 64
MAX_HEADER = 64 * 1024
MAX_FILE = 1024 * 1024 * 1024
MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 64
MANIFEST = "manifest.json"
# zlib's fastest level: measured on 100,000 officials it deflates about 3x faster than the default 6 for a
# package about a quarter bigger (15 MB instead of 12 MB), which a USB stick does not notice
COMPRESSLEVEL = 1
_ENTRY_NAME = re.compile(r"rows/[a-z_]{1,40}\.jsonl")
_HEADER_KEYS = {
    "format_version",
    "kind",
    "sender_install",
    "sender_office",
    "recipient_install",
    "recipient_office",
    "sequence",
    "ephemeral_public",
    "nonce",
}


class PackageRejected(UserError):
    """The file is not a package this office may import; nothing was changed."""


@dataclass(frozen=True)
class Header:
    format_version: int
    kind: str  # "data" (kecamatan -> regency) or "return" (regency -> kecamatan)
    sender_install: str
    sender_office: str
    recipient_install: str
    recipient_office: str
    sequence: int
    ephemeral_public: str
    nonce: str


@dataclass(frozen=True)
class Opened:
    """A package whose framing is sound; not yet authenticated."""

    header: Header
    header_bytes: bytes
    ciphertext: bytes
    signature: bytes
    signed: bytes
    sha256: str


def _reject(message: str) -> PackageRejected:
    return PackageRejected(message + " Tidak ada data yang diubah.")


# ---------------------------------------------------------------- writing


def build_zip(manifest: Mapping[str, Any], tables: Mapping[str, bytes], *, compresslevel: int = COMPRESSLEVEL) -> bytes:
    """The inner zip: ``manifest.json`` then one ``rows/<table>.jsonl`` per table."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1))
        for name, data in tables.items():
            zf.writestr(f"rows/{name}.jsonl", data)
    return buffer.getvalue()


def seal(
    *,
    kind: str,
    sender_install: str,
    sender_office: str,
    recipient_install: str,
    recipient_office: str,
    recipient_encryption_b64: str,
    sequence: int,
    payload: bytes,
    signing_key: Ed25519PrivateKey,
) -> bytes:
    """Encrypt ``payload`` to the recipient and sign the whole file with the sender's key."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    recipient_raw = base64.b64decode(recipient_encryption_b64)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = ephemeral.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_raw))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_raw + recipient_raw, info=HKDF_INFO).derive(shared)
    nonce = os.urandom(12)
    header = {
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "sender_install": sender_install,
        "sender_office": sender_office,
        "recipient_install": recipient_install,
        "recipient_office": recipient_office,
        "sequence": sequence,
        "ephemeral_public": base64.b64encode(ephemeral_raw).decode("ascii"),
        "nonce": base64.b64encode(nonce).decode("ascii"),
    }
    header_bytes = json.dumps(header, sort_keys=True).encode("utf-8")
    ciphertext = AESGCM(key).encrypt(nonce, payload, associated_data(header_bytes))
    signed = b"".join(
        (MAGIC, struct.pack(">I", len(header_bytes)), header_bytes, struct.pack(">Q", len(ciphertext)), ciphertext)
    )
    return signed + signing_key.sign(signed)


# ---------------------------------------------------------------- reading


def read_file(path: Path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise _reject("Berkas terlalu besar untuk sebuah paket sinkronisasi.")
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Berkas {path} tidak ditemukan.") from None
    except OSError as exc:
        message = environment_message(exc) or f"Berkas {path} tidak dapat dibaca: {exc.strerror or exc}."
        raise EnvironmentProblem(message) from exc


def open_package(data: bytes) -> Opened:
    """Check the framing (magic, lengths, header); raises :class:`PackageRejected`."""
    truncated = "Berkas paket terpotong atau rusak (mungkin flashdisk dicabut saat menyalin)."
    if len(data) < len(MAGIC) + 4:
        raise _reject(truncated if MAGIC.startswith(data[: len(MAGIC)]) else "Berkas ini bukan paket Klaten Desktop.")
    if data[: len(MAGIC)] != MAGIC:
        if data[:7] == MAGIC[:7]:
            raise _reject("Paket dibuat oleh versi aplikasi yang lebih baru. Perbarui Klaten Desktop lalu coba lagi.")
        raise _reject("Berkas ini bukan paket Klaten Desktop.")
    pos = len(MAGIC)
    (header_len,) = struct.unpack(">I", data[pos : pos + 4])
    pos += 4
    if header_len > MAX_HEADER:
        raise _reject("Berkas paket rusak (kepala berkas tidak sah).")
    if len(data) < pos + header_len + 8:
        raise _reject(truncated)
    header_bytes = data[pos : pos + header_len]
    pos += header_len
    (ct_len,) = struct.unpack(">Q", data[pos : pos + 8])
    pos += 8
    expected = pos + ct_len + SIGNATURE_SIZE
    if len(data) < expected:
        raise _reject(truncated)
    if len(data) > expected:
        raise _reject("Berkas paket rusak (ada data tambahan di ujung berkas).")
    try:
        raw = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _reject("Berkas paket rusak (kepala berkas tidak terbaca).") from None
    if not isinstance(raw, dict):
        raise _reject("Berkas paket rusak (kepala berkas tidak sah).")
    version = raw.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise _reject("Paket dibuat oleh versi aplikasi yang lebih baru. Perbarui Klaten Desktop lalu coba lagi.")
    if set(raw) != _HEADER_KEYS or version != FORMAT_VERSION or raw.get("kind") not in ("data", "return"):
        raise _reject("Berkas paket rusak (kepala berkas tidak sah).")
    if not isinstance(raw["sequence"], int) or raw["sequence"] < 1:
        raise _reject("Berkas paket rusak (nomor urut tidak sah).")
    header = Header(**raw)
    return Opened(
        header=header,
        header_bytes=header_bytes,
        ciphertext=data[pos : pos + ct_len],
        signature=data[pos + ct_len :],
        signed=data[: pos + ct_len],
        sha256=hashlib.sha256(data).hexdigest(),
    )


def verify(opened: Opened, signing_public_b64: str, sender_name: str) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(signing_public_b64))
    try:
        key.verify(opened.signature, opened.signed)
    except InvalidSignature:
        raise _reject(
            f"Tanda tangan paket tidak cocok dengan kunci {sender_name}: berkas telah berubah atau rusak "
            "(satu bit pun), atau bukan dibuat oleh kantor itu."
        ) from None


def associated_data(header_bytes: bytes) -> bytes:
    """The AES-GCM associated data: the 8 magic bytes (``KLTSYNC`` and the version byte 0x01), then the header
    bytes exactly as in the file, without their 4-byte length."""
    return MAGIC + header_bytes


def _wrong_associated_data(header_bytes: bytes) -> list[bytes]:
    """Associated data a writer following the format by hand might have used by mistake (diagnosis only)."""
    length = struct.pack(">I", len(header_bytes))
    return [MAGIC[:7] + header_bytes, header_bytes, MAGIC + length + header_bytes, MAGIC]


def decrypt(opened: Opened, encryption_key: X25519PrivateKey) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    other_key = _reject(
        "Paket tidak dapat dibuka dengan kunci kantor ini: paket dienkripsi untuk kunci lain. "
        "Minta kantor pengirim mengimpor berkas kunci terbaru kantor ini lalu mengekspor ulang."
    )
    try:
        ephemeral_raw = base64.b64decode(opened.header.ephemeral_public, validate=True)
        nonce = base64.b64decode(opened.header.nonce, validate=True)
    except ValueError:
        ephemeral_raw = nonce = b""
    if len(ephemeral_raw) != 32 or len(nonce) != 12:
        raise _reject(
            "Berkas paket rusak (kepala berkas tidak sah: ephemeral_public harus 32 byte dan nonce 12 byte, "
            "dalam base64 standar)."
        )
    own_raw = encryption_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    try:
        shared = encryption_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_raw))
    except ValueError:  # a low-order point: no shared secret
        raise other_key from None
    key = AESGCM(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_raw + own_raw, info=HKDF_INFO).derive(shared)
    )
    try:
        return key.decrypt(nonce, opened.ciphertext, associated_data(opened.header_bytes))
    except InvalidTag:
        pass
    for wrong in _wrong_associated_data(opened.header_bytes):
        try:
            key.decrypt(nonce, opened.ciphertext, wrong)
        except InvalidTag:
            continue
        raise _reject(
            "Paket dienkripsi untuk kantor ini, tetapi program pengirim memakai data terkait (associated data) "
            "AES-GCM yang salah: yang benar adalah 8 byte awal berkas (KLTSYNC dan byte 0x01) lalu kepala berkas "
            "tanpa 4 byte panjangnya (docs/sync-format.md). Paket ditolak; perbaiki program pengirim."
        )
    raise other_key


def _check_name(name: str) -> None:
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or re.match(r"[A-Za-z]:", name)
        or any(part in ("..", "") for part in name.split("/"))
    ):
        raise _reject(f"Paket berisi nama berkas yang keluar dari folder kerja ({name!r}); paket ditolak.")
    if name != MANIFEST and not _ENTRY_NAME.fullmatch(name):
        raise _reject(f"Paket berisi berkas yang tidak dikenal ({name!r}); paket ditolak.")


def read_zip(payload: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The manifest and the raw JSON lines per table, with path and decompression-bomb checks."""
    bomb = "Paket ditolak: isinya mengembang terlalu besar saat dibuka (kemungkinan 'bom dekompresi')."
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except zipfile.BadZipFile:
        raise _reject("Isi paket rusak (arsip tidak terbaca).") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _reject("Paket berisi terlalu banyak berkas.")
        # orig_filename: the name as the zip holds it (on Windows, zipfile turns a stored "\\" into "/" in filename)
        names = [info.orig_filename for info in infos]
        for name in names:
            _check_name(name)
        if len(set(names)) != len(names) or MANIFEST not in names:
            raise _reject("Isi paket rusak (daftar berkas tidak sah).")
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED:
            raise _reject(bomb)
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise _reject(bomb)
        contents: dict[str, bytes] = {}
        try:
            for info in infos:
                with zf.open(info) as fh:
                    data = fh.read(info.file_size + 1)
                if len(data) != info.file_size:
                    raise _reject(bomb)
                contents[info.filename] = data
        except (zipfile.BadZipFile, OSError, EOFError):
            raise _reject("Isi paket rusak (arsip tidak terbaca).") from None
    try:
        manifest = json.loads(contents.pop(MANIFEST).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _reject("Isi paket rusak (manifest tidak terbaca).") from None
    if not isinstance(manifest, dict):
        raise _reject("Isi paket rusak (manifest tidak sah).")
    tables = {name[len("rows/") : -len(".jsonl")]: data for name, data in contents.items()}
    return manifest, tables
