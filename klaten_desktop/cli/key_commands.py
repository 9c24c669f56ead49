"""``keys status|protect|backup|restore``: the office's private keys, wrapped and backed up (docs/keys.md).

Passphrases come from the environment (``KLATEN_KEY_PASSPHRASE`` for the key passphrase of this PC,
``KLATEN_KEY_BACKUP_PASSPHRASE`` for a key backup) or, at a terminal, from a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any, TextIO

from klaten_desktop.cli.base import EXIT_OK, emit, stdin_is_console
from klaten_desktop.services import key_backup, key_protection, keywrap
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError


def register(ksub: Any) -> None:
    e = ksub.add_parser("status", help="apakah kunci pribadi kantor terlindungi dan terbuka")
    e.set_defaults(handler=_status)
    e.add_argument("--json", action="store_true")
    e = ksub.add_parser("protect", help="lindungi kunci pribadi kantor (atau ganti frasa sandi kuncinya)")
    e.set_defaults(handler=_protect)
    e.add_argument("--windows", action="store_true", help="lindungi dengan akun Windows ini, tanpa frasa sandi")
    e = ksub.add_parser("backup", help="tulis cadangan kunci terenkripsi (frasa sandi cadangan)")
    e.set_defaults(handler=_backup)
    e.add_argument("--out", type=Path, required=True, metavar="BERKAS")
    e = ksub.add_parser("restore", help="pulihkan kunci kantor dari cadangan kunci di komputer ini")
    e.set_defaults(handler=_restore)
    e.add_argument("file", type=Path, metavar="BERKAS")
    e.add_argument("--windows", action="store_true", help="lindungi dengan akun Windows ini, tanpa frasa sandi")


def ask(env: str, prompt: str, *, confirm: bool = False) -> str:
    """A passphrase from ``env``, or from a prompt at a terminal; a clear message otherwise."""
    value = os.environ.get(env)
    if value:
        return value
    if not stdin_is_console():
        raise UserError(f"Frasa sandi diperlukan: setel variabel lingkungan {env} atau jalankan di terminal.")
    value = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass("Ulangi frasa sandi: ") != value:
        raise UserError("Kedua frasa sandi tidak sama. Tidak ada yang diubah.")
    return value


def prompt_when_locked(ctx: ServiceContext) -> None:
    """The CLI's start: ``KLATEN_KEY_PASSPHRASE`` unlocks (or first wraps) the keys; otherwise a command that needs
    a locked key asks at a terminal."""
    if key_protection.protect_at_start(ctx, SYSTEM) is None:
        return  # no office yet (init)
    key_protection.unlock_from_environment(ctx, SYSTEM)
    if stdin_is_console():  # on Windows isatty() is also true for NUL, where nobody answers
        ctx.ask_key_passphrase = lambda: getpass.getpass("Frasa sandi kunci kantor: ")


def _status(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    state = key_protection.status(ctx)
    if args.json:
        emit(out, {"protection": state.protection, "unlocked": state.unlocked})
    else:
        opened = "terbuka untuk menandatangani" if state.unlocked else "terkunci"
        out.write(f"Kunci pribadi kantor: {state.label}; {opened}.\n")
    return EXIT_OK


def _local_passphrase(windows: bool) -> str | None:
    if windows:
        if not keywrap.dpapi_available():
            raise UserError("--windows hanya dapat dipakai di Windows.")
        return None
    return ask(key_protection.PASSPHRASE_ENV, "Frasa sandi kunci kantor (baru)", confirm=True)


def _protect(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    state = key_protection.protect(ctx, args.actor, _local_passphrase(args.windows))
    out.write(f"Kunci pribadi kantor {state.label}.\n")
    return EXIT_OK


def _backup(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    passphrase = ask(key_backup.BACKUP_PASSPHRASE_ENV, "Frasa sandi cadangan kunci", confirm=True)
    made = key_backup.backup(ctx, args.actor, args.out, passphrase)
    out.write(
        f"Cadangan kunci {made.name} ditulis ke {args.out} (sidik jari {made.fingerprint}). Simpan berkas ini dan "
        "frasa sandinya di tempat terpisah.\n"
    )
    return EXIT_OK


def _restore(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    backup_passphrase = ask(key_backup.BACKUP_PASSPHRASE_ENV, "Frasa sandi cadangan kunci")
    made = key_backup.restore(ctx, args.actor, args.file, backup_passphrase, _local_passphrase(args.windows))
    out.write(f"Kunci {made.name} dipulihkan (sidik jari {made.fingerprint}).\n")
    return EXIT_OK
