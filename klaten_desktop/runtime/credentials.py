"""The database server's password in the OS credential store (Windows Credential Manager, the Secret Service of a
Linux desktop, the macOS keychain) through the ``keyring`` library: the one module that imports it.

Where no store exists (keyring missing, or only its ``fail`` backend, as on a Linux PC without a desktop keyring)
nothing is kept and the application asks for the password at each start. A store that refuses (locked, denied) is
treated the same way; the password itself is never logged.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

SERVICE = "Klaten Desktop: server basis data"


def _store() -> Any | None:
    """keyring's backend when it can keep passwords, else None."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration: no store, the password is asked
        log.warning("OS credential store unavailable", exc_info=True)
        return None
    if isinstance(backend, fail.Keyring):
        return None
    return backend


def available() -> bool:
    """True when passwords can be kept on this PC."""
    return _store() is not None


def store_name() -> str:
    """What the store is called, for the settings page (Indonesian where it is ours)."""
    backend = _store()
    if backend is None:
        return "tidak ada"
    name = type(backend).__module__
    if name.endswith("Windows"):
        return "Windows Credential Manager"
    if name.endswith("SecretService"):
        return "Secret Service (keyring desktop)"
    if name.endswith("macOS"):
        return "Keychain macOS"
    return str(getattr(backend, "name", type(backend).__name__))


def load(account: str) -> str | None:
    """The password kept for ``account``, or None (none kept, or no store)."""
    backend = _store()
    if backend is None:
        return None
    try:
        value = backend.get_password(SERVICE, account)
    except Exception:  # a locked or refusing store: the password is asked instead
        log.warning("Reading the server password from the OS credential store failed", exc_info=True)
        return None
    return value if isinstance(value, str) else None


def save(account: str, password: str) -> bool:
    """Keep ``password`` for ``account``; False when there is no store or it refused (then it is asked at start)."""
    backend = _store()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, account, password)
    except Exception:  # see load()
        log.warning("Keeping the server password in the OS credential store failed", exc_info=True)
        return False
    return True


def forget(account: str) -> None:
    """Remove what is kept for ``account`` (nothing happens when nothing is kept)."""
    backend = _store()
    if backend is None:
        return
    try:
        backend.delete_password(SERVICE, account)
    except Exception:  # nothing kept (PasswordDeleteError) or a refusing store
        log.debug("No server password removed from the OS credential store for this account")
