"""``--user`` and ``users``: who runs a command once accounts exist, and the accounts themselves, headless.

Before the first admin account exists every command runs as *sistem*, as it always did (scripts, the test suite,
a fresh install); ``users add`` then makes the first admin. From then on every command needs ``--user NAME`` with
the password from the ``KLATEN_PASSWORD`` environment variable or a prompt; a wrong password exits 1 and is
audited (``services/accounts.py``).
"""

from __future__ import annotations

import argparse
import getpass
import os
from typing import Any, TextIO

from klaten_desktop.cli.base import EXIT_OK, IndonesianArgumentParser, add_command, emit, stdin_is_console
from klaten_desktop.services import accounts
from klaten_desktop.services.access import PERSON_ROLES
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError

PASSWORD_ENV = "KLATEN_PASSWORD"
NEW_PASSWORD_ENV = "KLATEN_NEW_PASSWORD"
_ROLES = [str(r) for r in PERSON_ROLES]


def login(args: argparse.Namespace, ctx: ServiceContext) -> Actor:
    """The actor of this command: *sistem* while no admin account exists, else the ``--user`` account."""
    name = getattr(args, "user", None)
    if name is None:
        if accounts.has_admin(ctx):
            raise UserError(
                "Akun pengguna sudah ada: jalankan dengan --user NAMA (kata sandi dari variabel lingkungan "
                f"{PASSWORD_ENV} atau diminta)."
            )
        return SYSTEM
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not stdin_is_console():  # on Windows isatty() is also true for NUL, where nobody answers
            raise UserError(f"Kata sandi {name} diperlukan: setel variabel lingkungan {PASSWORD_ENV}.")
        password = getpass.getpass(f"Kata sandi {name}: ")
    return accounts.authenticate(ctx, name, password)


def register(sub: Any) -> None:
    p = sub.add_parser("users", help="akun pengguna: tambah, daftar, nonaktifkan, ganti kata sandi, peran")
    usub = p.add_subparsers(dest="users_action", metavar="AKSI", required=True, parser_class=IndonesianArgumentParser)
    e = add_command(usub, "add", _add, "tambah akun (akun pertama: admin, tanpa --user)")
    e.add_argument("username", metavar="NAMA_PENGGUNA")
    e.add_argument("--nama", required=True, metavar="TEKS", help="nama lengkap")
    e.add_argument("--peran", required=True, choices=_ROLES)
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = add_command(usub, "list", _list, "daftar akun")
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    for name, handler, text in (
        ("disable", _disable, "nonaktifkan akun (admin terakhir tidak bisa)"),
        ("enable", _enable, "aktifkan lagi akun"),
        ("reset-password", _reset, f"kata sandi baru (dari {NEW_PASSWORD_ENV} atau diminta)"),
    ):
        e = add_command(usub, name, handler, text)
        e.add_argument("username", metavar="NAMA_PENGGUNA")
        e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")
    e = add_command(usub, "set-role", _set_role, "ubah peran akun (admin terakhir tetap admin)")
    e.add_argument("username", metavar="NAMA_PENGGUNA")
    e.add_argument("peran", choices=_ROLES)
    e.add_argument("--json", action="store_true", help="keluaran JSON satu baris")


def _new_password() -> str:
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password
    if not stdin_is_console():
        raise UserError(f"Kata sandi baru diperlukan: setel variabel lingkungan {NEW_PASSWORD_ENV}.")
    first = getpass.getpass("Kata sandi baru: ")
    if getpass.getpass("Ulangi kata sandi baru: ") != first:
        raise UserError("Kedua kata sandi tidak sama.")
    return first


def _said(args: argparse.Namespace, out: TextIO, row: accounts.UserRow, text: str) -> int:
    if args.json:
        emit(out, row.as_json())
    else:
        out.write(f"{text}: {row.username} ({row.display_name}, {row.role_label}).\n")
    return EXIT_OK


def _add(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    password = _new_password()
    if args.actor == SYSTEM and not accounts.has_admin(ctx):
        if args.peran != "admin":
            raise UserError("Akun pertama harus berperan admin (--peran admin).")
        accounts.create_first_admin(ctx, args.username, args.nama, password)
        row = next(r for r in accounts.list_users(ctx, SYSTEM) if r.username == args.username.strip().lower())
        return _said(args, out, row, "Akun admin pertama dibuat")
    return _said(
        args, out, accounts.add_user(ctx, args.actor, args.username, args.nama, args.peran, password), "Akun dibuat"
    )


def _list(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    rows = accounts.list_users(ctx, args.actor)
    if args.json:
        emit(out, {"pengguna": [r.as_json() for r in rows]})
        return EXIT_OK
    if not rows:
        out.write("Belum ada akun. Buat akun admin pertama: users add NAMA --nama TEKS --peran admin\n")
    for r in rows:
        state = "aktif" if r.active else "nonaktif"
        out.write(f"{r.username:<20} {r.role_label:<9} {state:<9} {r.display_name}\n")
    return EXIT_OK


def _disable(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    return _said(args, out, accounts.set_active(ctx, args.actor, args.username, False), "Akun dinonaktifkan")


def _enable(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    return _said(args, out, accounts.set_active(ctx, args.actor, args.username, True), "Akun diaktifkan")


def _reset(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    row = accounts.reset_password(ctx, args.actor, args.username, _new_password())
    return _said(args, out, row, "Kata sandi diganti")


def _set_role(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    return _said(args, out, accounts.set_role(ctx, args.actor, args.username, args.peran), "Peran diubah")
