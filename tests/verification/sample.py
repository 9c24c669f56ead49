"""The sample in docs/verification.md, made again from its published seed: a fictitious
keterangan letter of "Kecamatan Contoh" signed with a key everyone may know (never used by a real office)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from klaten_desktop.services import identity
from klaten_desktop.services.documents import codes
from klaten_desktop.services.sync import keys

SEED_TEXT = "klaten-desktop contoh verifikasi"
CLAIMS: dict[str, Any] = {
    "v": 1, "c": "K7Q29MXD4T", "n": "400.10.3/001/Kec.Cth/2026", "d": "2026-11-24", "k": "keterangan",
    "o": "33.10.01", "m": 1, "t": "Sengon", "s": ["Contoh Nama Pengurus", "331001******0001", "******5815"],
    "x": "QGJ3NNDSOP2TUNVX",
}  # fmt: skip


@dataclass(frozen=True)
class Sample:
    private_key: Ed25519PrivateKey
    bundle: str
    qr: str


def _raw_public(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def make() -> Sample:
    seed = hashlib.sha256(SEED_TEXT.encode("utf-8")).digest()
    signing = Ed25519PrivateKey.from_private_bytes(seed)
    encryption = X25519PrivateKey.from_private_bytes(hashlib.sha256(seed).digest())
    office = {
        "install_id": "00000000-0000-4000-8000-000000000001", "office_code": "33.10.01", "role": "kecamatan",
        "name": "Kecamatan Contoh", "signing_public_b64": _raw_public(signing),
        "encryption_public_b64": _raw_public(encryption),
    }  # fmt: skip
    office["fingerprint"] = identity.fingerprint(office["signing_public_b64"], office["encryption_public_b64"])
    body = {
        "format": keys.BUNDLE_FORMAT, "version": keys.BUNDLE_VERSION, "made_by": office["install_id"],
        "made_on": "2026-11-24", "offices": [office],
    }  # fmt: skip
    signature = signing.sign(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    bundle = {**body, "signature": base64.b64encode(signature).decode("ascii")}
    qr = codes.encode_qr(CLAIMS, signing.sign(codes.pack_claims(CLAIMS)))
    return Sample(signing, json.dumps(bundle, sort_keys=True, ensure_ascii=False, indent=1), qr)
