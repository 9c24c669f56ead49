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


def create_keys(session: Session) -> None:
    """Generate both key pairs (called inside the ``init`` transaction)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    pem = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    signing = Ed25519PrivateKey.generate()
    encryption = X25519PrivateKey.generate()
    now = session_now(session)
    for purpose, key in (("signing", signing), ("encryption", encryption)):
        session.add(
            IdentityKey(
                purpose=purpose,
                private_pem=key.private_bytes(*pem).decode("ascii"),
                public_b64=base64.b64encode(key.public_key().public_bytes(*raw)).decode("ascii"),
                created_at=now,
            )
        )


def _private_pem(ctx: ServiceContext, purpose: str) -> bytes:
    with ctx.read() as session:
        pem = session.scalar(select(IdentityKey.private_pem).where(IdentityKey.purpose == purpose))
    if pem is None:
        raise UserError("Kunci kantor belum dibuat. Atur kantor terlebih dahulu (init).")
    return pem.encode("ascii")


def signing_key(ctx: ServiceContext) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(_private_pem(ctx, "signing"), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key


def encryption_key(ctx: ServiceContext) -> X25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(_private_pem(ctx, "encryption"), password=None)
    assert isinstance(key, X25519PrivateKey)
    return key


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
