"""This installation's cryptographic identity: an Ed25519 signing key and an X25519 encryption key.

Made once at ``init``; letters and certificates are signed with the signing key, sync packages are signed with
it and encrypted to the receiver's X25519 key. ``cryptography`` is imported only when a key is used.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import IdentityKey, Office
from klaten_desktop.services.context import ServiceContext, session_now
from klaten_desktop.services.errors import UserError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey


@dataclass(frozen=True)
class PublicIdentity:
    install_id: str
    office_code: str
    role: str
    name: str
    signing_public_b64: str
    encryption_public_b64: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public_b64, self.encryption_public_b64)


def fingerprint(signing_public_b64: str, encryption_public_b64: str) -> str:
    """Groups of hex a person can read out over the phone: SHA-256 over both public keys, first 20 bytes."""
    digest = hashlib.sha256(base64.b64decode(signing_public_b64) + base64.b64decode(encryption_public_b64)).hexdigest()[
        :40
    ]
    return " ".join(digest[i : i + 4].upper() for i in range(0, 40, 4))


def create_keys(session: Session, passphrase: str | None = None, *, wrapped: bool = False) -> dict[str, bytes]:
    """Generate both key pairs (called inside the ``init`` transaction); returns the raw private bytes.

    With ``wrapped`` the private keys are stored wrapped (``services/key_protection.py``) with ``passphrase``, or by
    Windows for this user when it is None; otherwise clear until the first start wraps them (docs/keys.md).
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from klaten_desktop.services import key_protection

    public_raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    private = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    pem = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    keys: dict[str, Ed25519PrivateKey | X25519PrivateKey] = {
        "signing": Ed25519PrivateKey.generate(),
        "encryption": X25519PrivateKey.generate(),
    }
    raw = {purpose: key.private_bytes(*private) for purpose, key in keys.items()}
    public = {
        purpose: base64.b64encode(key.public_key().public_bytes(*public_raw)).decode("ascii")
        for purpose, key in keys.items()
    }
    if wrapped:
        stored = key_protection.wrap(raw, public, passphrase)
    else:
        stored = {purpose: key.private_bytes(*pem).decode("ascii") for purpose, key in keys.items()}
    now = session_now(session)
    for purpose in keys:
        session.add(
            IdentityKey(purpose=purpose, private_pem=stored[purpose], public_b64=public[purpose], created_at=now)
        )
    return raw


def signing_key(ctx: ServiceContext) -> Ed25519PrivateKey:
    """The office's signing key; :class:`key_protection.KeysLocked` while it is wrapped and not unlocked."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from klaten_desktop.services import key_protection

    return Ed25519PrivateKey.from_private_bytes(key_protection.private_raw(ctx, "signing"))


def encryption_key(ctx: ServiceContext) -> X25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from klaten_desktop.services import key_protection

    return X25519PrivateKey.from_private_bytes(key_protection.private_raw(ctx, "encryption"))


def public_identity(ctx: ServiceContext) -> PublicIdentity:
    with ctx.read() as session:
        office = session.get(Office, 1)
        keys = dict(session.execute(select(IdentityKey.purpose, IdentityKey.public_b64)).tuples().all())
        if office is None or set(keys) != {"signing", "encryption"}:
            raise UserError("Kantor atau kuncinya belum diatur (init).")
        return PublicIdentity(
            install_id=office.install_id,
            office_code=office.office_code,
            role=office.role,
            name=office.name,
            signing_public_b64=keys["signing"],
            encryption_public_b64=keys["encryption"],
        )
