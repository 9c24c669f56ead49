"""Verification codes of every issued document: the short code people type and the signed string the QR code
holds.

- Short code: 10 random characters of Crockford base32 (50 bits), printed "K7Q2-9MXD-4T". Typing is forgiving:
  case, dashes and spaces are ignored, and O/I/L read as 0/1/1.
- QR string: ``KD1:`` + RFC 4648 base32 (no padding) of ``packed claims + 64-byte Ed25519 signature``. The claims
  are packed as ``|``-separated fields (see :data:`CLAIM_FIELDS`) to keep the QR code small; base32 keeps to the
  QR alphanumeric set, which a USB barcode scanner types on any keyboard layout. The claims hold no full NIK and
  no full KPJ.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
SHORT_LENGTH = 10
QR_PREFIX = "KD1:"
SIGNATURE_BYTES = 64


def new_short_code() -> str:
    """Ten random Crockford characters (stored without dashes)."""
    return "".join(secrets.choice(CROCKFORD) for _ in range(SHORT_LENGTH))


def group(code: str) -> str:
    """ "K7Q29MXD4T" -> "K7Q2-9MXD-4T"."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def normalize_short_code(text: str) -> str | None:
    """The stored form of a typed code, or None when it cannot be one."""
    cleaned = re.sub(r"[\s\-_.]", "", text.upper()).translate(_TYPO)
    if len(cleaned) != SHORT_LENGTH or any(ch not in CROCKFORD for ch in cleaned):
        return None
    return cleaned


def canonical(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def content_digest(payload: Mapping[str, Any]) -> str:
    """SHA-256 (first 10 bytes, base32) of the letter's payload without its verification block."""
    body = {k: v for k, v in payload.items() if k != "verification"}
    return base64.b32encode(hashlib.sha256(canonical(body)).digest()[:10]).decode("ascii")


def mask_kpj(kpj: str | None) -> str | None:
    if not kpj:
        return None
    return "*" * max(0, len(kpj) - 4) + kpj[-4:]


# v: format, c: short code, n: nomor, d: date, k: kind, o: office code, m: number of officials, t: desa,
# s0-s2: the one official's name, masked NIK, masked KPJ, x: digest of the archived content, r: total iuran
CLAIM_FIELDS = ("v", "c", "n", "d", "k", "o", "m", "t", "s0", "s1", "s2", "x", "r")


def pack_claims(claims: Mapping[str, Any]) -> bytes:
    """The signed bytes: the claims as ``|``-separated fields in a fixed order."""
    subject = list(claims.get("s") or ["", "", ""])
    values = {**claims, "s0": subject[0], "s1": subject[1], "s2": subject[2] or ""}
    fields = ["" if values.get(k) is None else str(values[k]).replace("|", "/") for k in CLAIM_FIELDS]
    return "|".join(fields).encode("utf-8")


def unpack_claims(raw: bytes) -> dict[str, Any] | None:
    try:
        fields = raw.decode("utf-8").split("|")
    except UnicodeDecodeError:
        return None
    if len(fields) != len(CLAIM_FIELDS) or fields[0] != "1":
        return None
    values = dict(zip(CLAIM_FIELDS, fields, strict=True))
    try:
        claims: dict[str, Any] = {
            "v": 1,
            "c": values["c"],
            "n": values["n"],
            "d": values["d"],
            "k": values["k"],
            "o": values["o"],
            "m": int(values["m"] or 0),
            "x": values["x"],
        }
        if values["r"]:
            claims["r"] = int(values["r"])
    except ValueError:
        return None
    if values["t"]:
        claims["t"] = values["t"]
    if values["s0"]:
        claims["s"] = [values["s0"], values["s1"], values["s2"] or None]
    return claims


_DARK_DIGITS = bytes([0x31] + [0x30] * 255)  # an image byte 0 (black, a dark module) is "1", any other "0"


def qr_modules(text: str) -> dict[str, Any]:
    """The QR code's dark modules, packed one bit per module and row by row (base64), for the archived payload.

    Encoding a QR code costs more than drawing the page, so it is done once when a document (letter or
    certificate) is issued; every print and reprint draws these modules. A fixed mask is used: readers decode any
    of the eight. zxing-cpp (C++) encodes in a fraction of a millisecond; segno, which gives the same modules, is
    the fallback.
    """
    try:
        import zxingcpp
    except ImportError:  # pragma: no cover - zxing-cpp is a dependency; segno stays as the fallback
        return _segno_modules(text)
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M", data_mask=0)
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    n = int(image.shape[0])
    dark = bytes(memoryview(image)).translate(_DARK_DIGITS)  # type: ignore[arg-type]
    bits = int(dark, 2) << (-(n * n) % 8)
    return {"n": n, "bits": base64.b64encode(bits.to_bytes((n * n + 7) // 8, "big")).decode("ascii")}


def _segno_modules(text: str) -> dict[str, Any]:
    import segno

    matrix = segno.make(text, error="m", micro=False, mask=0).matrix
    n = len(matrix)
    bits = bytearray((n * n + 7) // 8)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                i = r * n + c
                bits[i >> 3] |= 0x80 >> (i & 7)
    return {"n": n, "bits": base64.b64encode(bytes(bits)).decode("ascii")}


def encode_qr(claims: Mapping[str, Any], signature: bytes) -> str:
    raw = pack_claims(claims) + signature
    return QR_PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")


def decode_qr(text: str) -> tuple[bytes, dict[str, Any], bytes] | None:
    """(signed bytes, claims, signature) from a QR string, or None when it is not one of ours."""
    text = text.strip()
    if not text.upper().startswith(QR_PREFIX):
        return None
    body = re.sub(r"\s", "", text[len(QR_PREFIX) :]).upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError:
        return None
    if len(raw) <= SIGNATURE_BYTES:
        return None
    signed, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    claims = unpack_claims(signed)
    if claims is None:
        return None
    return signed, claims, signature
