"""Whether the office's private keys are wrapped, and opening them for this session (docs/keys.md).

The keys in ``identity_key.private_pem`` are wrapped (``services/keywrap.py``): on Windows by the data protection
API of the signed-in Windows user (opened without asking), elsewhere by the office's key passphrase (asked once
per start: the GUI's prompt, ``KLATEN_KEY_PASSPHRASE`` or a prompt in the CLI). The opened key bytes live only in
this process, in ``ctx.unlocked_keys``; :func:`lock` forgets them. Public keys stay clear, so verifying letters and
reading packages need no unlock; signing (letters, certificates, packages, identity files) does.

A database made before keys were wrapped keeps its clear keys, and keeps signing, until its first unlock: on
Windows the first start wraps them (:func:`protect_at_start`); elsewhere the first passphrase given
(:func:`protect`, the GUI's prompt at start, ``keys protect`` or ``KLATEN_KEY_PASSPHRASE``) wraps them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.dialects import erase_old_row_versions, secure_delete
from klaten_desktop.db.models import IdentityKey
from klaten_desktop.services import audit, keywrap
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError

PURPOSES = ("signing", "encryption")
PASSPHRASE_ENV = "KLATEN_KEY_PASSPHRASE"
PROTECTION_LABELS = {
    keywrap.DPAPI: "dilindungi Windows (pengguna ini)",
    keywrap.SCRYPT: "dilindungi frasa sandi kunci",
    keywrap.CLEAR: "belum dilindungi",
}


class KeysLocked(UserError):
    """Signing was asked for while the key passphrase has not been given in this session."""

    def __init__(self) -> None:
        super().__init__(
            "Kunci tanda tangan kantor masih terkunci. Buka dengan frasa sandi kunci (Pengaturan › Sinkronisasi › "
            f"Kunci kantor; di baris perintah: variabel {PASSPHRASE_ENV}), lalu ulangi."
        )


@dataclass(frozen=True)
class KeyStatus:
    protection: str  # keywrap.DPAPI, keywrap.SCRYPT or keywrap.CLEAR
    unlocked: bool  # signing works now

    @property
    def label(self) -> str:
        return PROTECTION_LABELS[self.protection]

    @property
    def needs_passphrase(self) -> bool:
        """The GUI asks at start: a passphrase to open the keys, or (clear keys, not on Windows) to wrap them."""
        return not self.unlocked or (self.protection == keywrap.CLEAR and not keywrap.dpapi_available())


def _rows(session: Session) -> dict[str, IdentityKey]:
    rows = {row.purpose: row for row in session.scalars(select(IdentityKey))}
    if set(rows) != set(PURPOSES):
        raise UserError("Kunci kantor belum dibuat. Atur kantor terlebih dahulu (init).")
    return rows


def status(ctx: ServiceContext) -> KeyStatus:
    with ctx.read() as session:
        kinds = {keywrap.kind_of(row.private_pem) for row in _rows(session).values()}
    protection = (
        keywrap.SCRYPT if keywrap.SCRYPT in kinds else keywrap.DPAPI if keywrap.DPAPI in kinds else keywrap.CLEAR
    )
    unlocked = (
        protection == keywrap.CLEAR
        or set(ctx.unlocked_keys) == set(PURPOSES)
        or (protection == keywrap.DPAPI and keywrap.dpapi_available())
    )
    return KeyStatus(protection, unlocked)


def private_raw(ctx: ServiceContext, purpose: str) -> bytes:
    """The raw 32 bytes of a private key: opened in this session, a clear key of an older database, or opened by
    Windows for this user; :class:`KeysLocked` while a passphrase-wrapped key has not been unlocked."""
    cached = ctx.unlocked_keys.get(purpose)
    if cached is not None:
        return cached
    with ctx.read() as session:
        row = session.scalar(select(IdentityKey).where(IdentityKey.purpose == purpose))
        if row is None:
            raise UserError("Kunci kantor belum dibuat. Atur kantor terlebih dahulu (init).")
        stored, public_b64 = row.private_pem, row.public_b64
    kind = keywrap.kind_of(stored)
    if kind == keywrap.CLEAR:
        return keywrap.clear_raw(stored)
    if kind == keywrap.SCRYPT:
        passphrase = ctx.ask_key_passphrase() if ctx.ask_key_passphrase is not None else None
        if not passphrase:
            raise KeysLocked
        unlock(ctx, SYSTEM, passphrase)
        return ctx.unlocked_keys[purpose]
    raw = keywrap.unwrap_dpapi(stored, purpose, public_b64)
    ctx.unlocked_keys[purpose] = raw
    return raw


def unlock(ctx: ServiceContext, actor: Actor, passphrase: str) -> KeyStatus:
    """Open passphrase-wrapped keys for this session; clear keys (an older database) are wrapped with it first."""
    if status(ctx).protection == keywrap.CLEAR:
        return protect(ctx, actor, passphrase)
    secret = keywrap.Passphrase(passphrase)
    with ctx.read() as session:
        opened = {
            purpose: keywrap.unwrap_scrypt(row.private_pem, purpose, row.public_b64, secret)
            for purpose, row in _rows(session).items()
            if keywrap.kind_of(row.private_pem) == keywrap.SCRYPT
        }
    ctx.unlocked_keys.update(opened)
    return status(ctx)


def unlock_from_environment(ctx: ServiceContext, actor: Actor) -> KeyStatus | None:
    """The CLI's unlock: ``KLATEN_KEY_PASSPHRASE`` when set (None when it is not)."""
    passphrase = os.environ.get(PASSPHRASE_ENV)
    return None if not passphrase else unlock(ctx, actor, passphrase)


def lock(ctx: ServiceContext) -> None:
    """Forget the opened keys (the session is locked or the user switched)."""
    ctx.unlocked_keys.clear()


def protect(ctx: ServiceContext, actor: Actor, passphrase: str | None) -> KeyStatus:
    """Wrap the keys (again) with ``passphrase``, or with Windows' data protection when it is None.

    The keys must be readable now (clear, or unlocked); used for the first wrapping and to change the passphrase.
    """
    require(actor, Permission.keys)
    if passphrase is None and not keywrap.dpapi_available():
        raise UserError("Perlindungan kunci oleh Windows hanya tersedia di Windows; gunakan frasa sandi kunci.")
    if passphrase is not None:
        keywrap.check_passphrase(passphrase)
    raw = {purpose: private_raw(ctx, purpose) for purpose in PURPOSES}
    store(ctx, actor, raw, passphrase, action="kunci_dilindungi", summary="Kunci kantor dilindungi")
    return status(ctx)


def protect_at_start(ctx: ServiceContext, actor: Actor) -> KeyStatus | None:
    """At start: on Windows wrap clear keys (an older database) for this Windows user; the status either way
    (None before the office is set up)."""
    with ctx.read() as session:
        if session.scalar(select(IdentityKey.purpose).limit(1)) is None:
            return None
    current = status(ctx)
    if current.protection == keywrap.CLEAR and keywrap.dpapi_available():
        try:
            return protect(ctx, actor, None)
        except UserError:
            return current  # Windows refused: the clear keys keep working; Pengaturan offers a passphrase
    return current


def wrap(raw: dict[str, bytes], public: dict[str, str], passphrase: str | None) -> dict[str, str]:
    """The stored text of each key: scrypt-wrapped with one salt for both, or by Windows when no passphrase."""
    if passphrase is None:
        return {purpose: keywrap.wrap_dpapi(raw[purpose], purpose, public[purpose]) for purpose in raw}
    secret, salt = keywrap.Passphrase(passphrase), os.urandom(16)
    return {purpose: keywrap.wrap_scrypt(raw[purpose], purpose, public[purpose], secret, salt) for purpose in raw}


def store(
    ctx: ServiceContext,
    actor: Actor,
    raw: dict[str, bytes],
    passphrase: str | None,
    *,
    action: str,
    summary: str,
    public: dict[str, str] | None = None,
) -> None:
    """Replace both private keys (and, for a restore, their public keys) by their wrapped form.

    ``secure_delete`` zeroes the space the old (possibly clear) key occupied, and a TRUNCATE checkpoint empties
    the write-ahead log, so the old bytes stay neither in the database file nor beside it.
    """
    with ctx.write() as session:
        rows = _rows(session)
        public = public or {purpose: row.public_b64 for purpose, row in rows.items()}
        wrapped = wrap(raw, public, passphrase)
        secure_delete(session, True)
        for purpose, row in rows.items():
            row.private_pem = wrapped[purpose]
            row.public_b64 = public[purpose]
        session.flush()
        secure_delete(session, False)
        protection = keywrap.DPAPI if passphrase is None else keywrap.SCRYPT
        audit.record(session, actor, action, "identity_key", None, new={"perlindungan": protection}, summary=summary)
    truncate_log(ctx)
    ctx.unlocked_keys.clear()
    ctx.unlocked_keys.update(raw)


def truncate_log(ctx: ServiceContext) -> None:
    """Copy the write-ahead log into the database and empty it (old key pages must not stay in the log); on a
    PostgreSQL server, rewrite the key table without its old row versions."""
    erase_old_row_versions(ctx.engine, IdentityKey.__tablename__)
