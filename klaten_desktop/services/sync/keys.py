"""Public identity files: export this installation's public keys, trust another installation's."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from klaten_desktop.db.models import TrustedPeer
from klaten_desktop.domain.wilayah import is_valid_kecamatan_kode
from klaten_desktop.services import audit, identity
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.files import write_bytes
from klaten_desktop.services.sync.package import read_file

IDENTITY_FORMAT = "klaten-desktop-identitas"
IDENTITY_VERSION = 1
BUNDLE_FORMAT = "klaten-desktop-bundel-verifikasi"
BUNDLE_VERSION = 1
_FIELDS = ("install_id", "office_code", "role", "name", "signing_public_b64", "encryption_public_b64")


@dataclass(frozen=True)
class PeerData:
    install_id: str
    office_code: str
    role: str
    name: str
    signing_public_b64: str
    encryption_public_b64: str
    fingerprint: str


@dataclass(frozen=True)
class IdentityFile:
    """What ``keys import`` shows before trusting: who it is, the fingerprint, and whom it would replace."""

    peer: PeerData
    already_trusted: bool
    replaces: tuple[PeerData, ...]


def export_identity(ctx: ServiceContext, path: Path) -> PeerData:
    """Write this installation's public identity (no private key) to ``path``, signed with its own key."""
    me = identity.public_identity(ctx)
    body = {name: getattr(me, name) for name in _FIELDS}
    body["format"] = IDENTITY_FORMAT
    body["version"] = IDENTITY_VERSION
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    signature = identity.signing_key(ctx).sign(payload)
    document = {**body, "signature": base64.b64encode(signature).decode("ascii")}
    write_bytes(Path(path), json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8"))
    return PeerData(**{name: getattr(me, name) for name in _FIELDS}, fingerprint=me.fingerprint)


def read_identity(ctx: ServiceContext, path: Path) -> IdentityFile:
    """Parse and check an identity file (self-signature, fields) without trusting it yet."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    bad = UserError("Berkas kunci tidak sah atau rusak. Minta berkas kunci yang baru dari kantor tersebut.")
    try:
        document = json.loads(read_file(Path(path)).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad from None
    if not isinstance(document, dict) or document.get("format") != IDENTITY_FORMAT:
        raise bad
    if not isinstance(document.get("version"), int) or document["version"] > IDENTITY_VERSION:
        raise UserError("Berkas kunci dibuat oleh versi aplikasi yang lebih baru. Perbarui Klaten Desktop.")
    if set(document) != {*_FIELDS, "format", "version", "signature"}:
        raise bad
    if not all(isinstance(document[name], str) for name in (*_FIELDS, "signature")):
        raise bad
    body = {k: v for k, v in document.items() if k != "signature"}
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(document["signing_public_b64"], validate=True))
        key.verify(base64.b64decode(document["signature"], validate=True), payload)
        if len(base64.b64decode(document["encryption_public_b64"], validate=True)) != 32:
            raise ValueError
    except (InvalidSignature, ValueError):
        raise bad from None
    role = document["role"]
    code = document["office_code"]
    if role not in ("kecamatan", "kabupaten") or (role == "kecamatan" and not is_valid_kecamatan_kode(code)):
        raise bad
    peer = PeerData(
        **{name: document[name] for name in _FIELDS},
        fingerprint=identity.fingerprint(document["signing_public_b64"], document["encryption_public_b64"]),
    )
    me = identity.public_identity(ctx)
    if peer.install_id == me.install_id:
        raise UserError("Berkas kunci ini milik instalasi ini sendiri; impor berkas kunci kantor lain.")
    if me.role == role:
        raise UserError(
            "Kantor kecamatan hanya memercayai kunci kabupaten, dan kabupaten hanya kunci kecamatan."
            if role == "kecamatan"
            else "Kantor kabupaten tidak mengimpor kunci kabupaten lain."
        )
    with ctx.read() as session:
        trusted = session.get(TrustedPeer, peer.install_id)
        stmt = select(TrustedPeer).where(TrustedPeer.install_id != peer.install_id)
        stmt = stmt.where(TrustedPeer.role == "kabupaten" if role == "kabupaten" else TrustedPeer.office_code == code)
        others = tuple(_peer(p) for p in session.scalars(stmt))
        already = trusted is not None and trusted.signing_public_b64 == peer.signing_public_b64
    return IdentityFile(peer=peer, already_trusted=already, replaces=others if role == "kabupaten" else ())


def _peer(row: TrustedPeer) -> PeerData:
    return PeerData(
        row.install_id,
        row.office_code,
        row.role,
        row.name,
        row.signing_public_b64,
        row.encryption_public_b64,
        row.fingerprint,
    )


def trust(ctx: ServiceContext, actor: Actor, found: IdentityFile) -> PeerData:
    """Trust the identity read by :func:`read_identity` (after the user compared the fingerprint).

    A kecamatan trusts one regency: a new regency key replaces the old one. The regency may trust several
    installations of one kecamatan (a replaced PC); which one speaks for the office is decided at import.
    """
    require(actor, Permission.keys)
    peer = found.peer
    with ctx.write() as session:
        for old in found.replaces:
            row = session.get(TrustedPeer, old.install_id)
            if row is not None:
                session.delete(row)
        row = session.get(TrustedPeer, peer.install_id)
        if row is None:
            row = TrustedPeer(install_id=peer.install_id)
            session.add(row)
        row.office_code = peer.office_code
        row.role = peer.role
        row.name = peer.name
        row.signing_public_b64 = peer.signing_public_b64
        row.encryption_public_b64 = peer.encryption_public_b64
        row.fingerprint = peer.fingerprint
        row.imported_at = ctx.now()
        audit.record(
            session,
            actor,
            "trust",
            "trusted_peer",
            peer.install_id,
            new={
                "office_code": peer.office_code,
                "role": peer.role,
                "name": peer.name,
                "fingerprint": peer.fingerprint,
            },
            summary=f"Kunci {peer.name} ({peer.office_code}) dipercaya",
        )
    return peer


def trusted_peers(ctx: ServiceContext) -> list[PeerData]:
    with ctx.read() as session:
        return [_peer(p) for p in session.scalars(select(TrustedPeer).order_by(TrustedPeer.office_code))]


def peer(ctx: ServiceContext, install_id: str) -> PeerData | None:
    with ctx.read() as session:
        row = session.get(TrustedPeer, install_id)
        return None if row is None else _peer(row)


@dataclass(frozen=True)
class BundleData:
    """What ``keys export --bundle`` wrote: the offices whose documents the bundle can check."""

    path: Path
    made_by: PeerData
    offices: tuple[PeerData, ...]  # this installation first, then the trusted ones by office code


def export_bundle(ctx: ServiceContext, path: Path) -> BundleData:
    """Write the verification bundle (docs/verification.md): the public identity of this installation and of
    every installation it trusts (at the regency: every kecamatan; at a kecamatan: the regency), one JSON file
    signed with this installation's key, for checking letters and certificates offline with klaten_verify.py."""
    me = identity.public_identity(ctx)
    own = PeerData(**{name: getattr(me, name) for name in _FIELDS}, fingerprint=me.fingerprint)
    offices = (own, *trusted_peers(ctx))
    body = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "made_by": me.install_id,
        "made_on": ctx.today().isoformat(),
        "offices": [{name: getattr(o, name) for name in (*_FIELDS, "fingerprint")} for o in offices],
    }
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
    signature = identity.signing_key(ctx).sign(payload)
    document = {**body, "signature": base64.b64encode(signature).decode("ascii")}
    write_bytes(Path(path), json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8"))
    return BundleData(Path(path), own, offices)
