"""keyring's backend chosen for a test (keyring lets a program set it: ``keyring.set_keyring``): a store in memory,
or keyring's ``fail`` backend (what a Linux PC without a desktop keyring has). A test needing the store is skipped
when keyring is missing. Test modules wrap these in fixtures."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest


@contextlib.contextmanager
def _backend(backend: Any) -> Iterator[None]:
    import keyring

    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@contextlib.contextmanager
def memory() -> Iterator[dict[tuple[str, str], str]]:
    """A store in memory; yields what it keeps, ``{(service, account): password}``."""
    pytest.importorskip("keyring", reason="keyring is pinned (requirements/constraints.txt)")
    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    kept: dict[tuple[str, str], str] = {}

    class Memory(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service: str, username: str) -> str | None:
            return kept.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            kept[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if kept.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    with _backend(Memory()):
        yield kept


@contextlib.contextmanager
def none() -> Iterator[None]:
    """keyring's ``fail`` backend: no store, passwords are asked (without keyring installed there is none anyway)."""
    try:
        from keyring.backends import fail
    except ImportError:
        yield
        return
    with _backend(fail.Keyring()):
        yield
