"""The encrypted key backup: the office's private keys in one file protected by a passphrase (docs/keys.md).

Written by an admin (``keys backup --out FILE``, Pengaturan › Sinkronisasi › Kunci kantor) and kept apart from
the data backups; on a new
PC (a fresh data folder set up for the same office, or a restored database whose keys this PC cannot open)
``keys restore FILE`` puts the keys back, wrapped for the new PC. The file is JSON: the office's public identity
in the clear (to say whose keys it holds) and the two raw private keys sealed with AES-256-GCM under a key derived
by scrypt from the backup passphrase, the clear part being the associated data.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.services import identity, key_protection, keywrap
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.files import write_bytes
from klaten_desktop.services.sync.package import read_file

FORMAT = "klaten-desktop-cadangan-kunci"
VERSION = 1
BACKUP_PASSPHRASE_ENV = "KLATEN_KEY_BACKUP_PASSPHRASE"


@dataclass(frozen=True)
class KeyBackup:
    office_code: str
    role: str
    name: str
    fingerprint: str


def _header(me: identity.PublicIdentity, salt: bytes) -> dict[str, object]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "install_id": me.install_id,
        "office_code": me.office_code,
        "role": me.role,
        "name": me.name,
        "signing_public_b64": me.signing_public_b64,
        "encryption_public_b64": me.encryption_public_b64,
        "fingerprint": me.fingerprint,
        "kdf": {
            "name": "scrypt",
            "log2_n": keywrap.SCRYPT_LOG2_N,
            "r": keywrap.SCRYPT_R,
            "p": keywrap.SCRYPT_P,
            "salt": base64.b64encode(salt).decode("ascii"),
        },
    }


def _aad(header: dict[str, object]) -> bytes:
    return json.dumps(header, sort_keys=True, ensure_ascii=False).encode("utf-8")


def backup(ctx: ServiceContext, actor: Actor, path: Path, passphrase: str) -> KeyBackup:
    """Write the encrypted key backup to ``path`` (the keys must be open in this session)."""
    require(actor, Permission.keys)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from klaten_desktop.services import audit

    keywrap.check_passphrase(passphrase)
    me = identity.public_identity(ctx)
    raw = {purpose: key_protection.private_raw(ctx, purpose) for purpose in key_protection.PURPOSES}
    salt, nonce = os.urandom(16), os.urandom(12)
    header = _header(me, salt)
    secret = keywrap.derive(passphrase, salt, keywrap.SCRYPT_LOG2_N, keywrap.SCRYPT_R, keywrap.SCRYPT_P)
    plain = json.dumps({p: base64.b64encode(b).decode("ascii") for p, b in raw.items()}).encode("ascii")
    sealed = AESGCM(secret).encrypt(nonce, plain, _aad(header))
    document = {
        **header,
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(sealed).decode("ascii"),
    }
    write_bytes(Path(path), json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8"))
    with ctx.write() as session:
        audit.record(
            session, actor, "kunci_dicadangkan", "identity_key", None,
            new={"sidik_jari": me.fingerprint}, summary="Cadangan kunci kantor dibuat",
        )  # fmt: skip
    return KeyBackup(me.office_code, me.role, me.name, me.fingerprint)


def _read(path: Path, passphrase: str) -> tuple[dict[str, object], dict[str, bytes]]:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    bad = UserError("Berkas cadangan kunci tidak sah atau rusak.")
    try:
        document = json.loads(read_file(Path(path)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise bad
    if not isinstance(document.get("version"), int) or document["version"] > VERSION:
        raise UserError("Berkas cadangan kunci dibuat oleh versi aplikasi yang lebih baru. Perbarui Klaten Desktop.")
    header = {k: v for k, v in document.items() if k not in ("nonce", "ciphertext")}
    try:
        kdf = header["kdf"]
        assert isinstance(kdf, dict) and kdf.get("name") == "scrypt"
        secret = keywrap.derive(
            passphrase, base64.b64decode(kdf["salt"], validate=True), int(kdf["log2_n"]), int(kdf["r"]), int(kdf["p"])
        )
        nonce = base64.b64decode(str(document["nonce"]), validate=True)
        sealed = base64.b64decode(str(document["ciphertext"]), validate=True)
    except (AssertionError, KeyError, TypeError, ValueError):
        raise bad from None
    try:
        plain = json.loads(AESGCM(secret).decrypt(nonce, sealed, _aad(header)))
    except InvalidTag:
        raise UserError("Frasa sandi cadangan kunci salah, atau berkas itu diubah.") from None
    raw = {p: base64.b64decode(plain[p], validate=True) for p in key_protection.PURPOSES}
    return header, raw


def restore(
    ctx: ServiceContext, actor: Actor, path: Path, backup_passphrase: str, key_passphrase: str | None
) -> KeyBackup:
    """Put the keys of a key backup into this office (same office code and role), wrapped with ``key_passphrase``
    (or by Windows for this user when None). The installation keeps its own id; docs/keys.md says what follows."""
    require(actor, Permission.keys)
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    if key_passphrase is not None:
        keywrap.check_passphrase(key_passphrase)
    elif not keywrap.dpapi_available():
        raise UserError("Beri frasa sandi kunci untuk melindungi kunci yang dipulihkan di komputer ini.")
    header, raw = _read(path, backup_passphrase)
    me = identity.public_identity(ctx)
    if (header.get("office_code"), header.get("role")) != (me.office_code, me.role):
        raise UserError(
            f"Cadangan kunci ini milik {header.get('name')} ({header.get('office_code')}), bukan kantor ini "
            f"({me.name}, {me.office_code}). Kunci tidak diubah."
        )
    fmt = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    public = {
        "signing": Ed25519PrivateKey.from_private_bytes(raw["signing"]).public_key().public_bytes(*fmt),
        "encryption": X25519PrivateKey.from_private_bytes(raw["encryption"]).public_key().public_bytes(*fmt),
    }
    public_b64 = {p: base64.b64encode(b).decode("ascii") for p, b in public.items()}
    if (public_b64["signing"], public_b64["encryption"]) != (
        header.get("signing_public_b64"),
        header.get("encryption_public_b64"),
    ):
        raise UserError("Berkas cadangan kunci tidak sah atau rusak.")
    fingerprint = identity.fingerprint(public_b64["signing"], public_b64["encryption"])
    key_protection.store(
        ctx, actor, raw, key_passphrase, action="kunci_dipulihkan",
        summary=f"Kunci kantor dipulihkan dari cadangan (sidik jari {fingerprint})", public=public_b64,
    )  # fmt: skip
    return KeyBackup(me.office_code, me.role, me.name, fingerprint)
