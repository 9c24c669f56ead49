"""``backup [--out FILE]``, ``backup list`` and ``restore FILE``: on the SQLite file, or with ``--db-url`` on a
PostgreSQL server (``pg_dump -Fc`` archives, ``.dump``). ``backup`` needs an admin or an operator, ``restore`` an
admin (once accounts exist).

``backup list`` and ``restore`` work on the data folder without opening the database (it may be the damaged
file being replaced): they set ``folder_handler`` instead of ``handler`` and ``app.main`` runs them before the
database is opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from klaten_desktop.cli import users
from klaten_desktop.cli.base import EXIT_FAILED, EXIT_OK, Subparsers, add_command, ask_yes, emit
from klaten_desktop.domain.formatting import format_datetime
from klaten_desktop.runtime.instance import InstanceLock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import access, backup, bootstrap, restore
from klaten_desktop.services.access import Permission
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError

FolderHandler = Callable[[argparse.Namespace, AppPaths, TextIO], int]


def register(sub: Subparsers) -> None:
    p = add_command(
        sub, "backup", _backup, "buat cadangan basis data, diperiksa (berkas: API cadangan SQLite; server: pg_dump)"
    )
    p.add_argument("--out", metavar="BERKAS", help="tulis cadangan ke berkas ini (bawaan: folder cadangan)")
    p.add_argument("--json", action="store_true")
    bsub = p.add_subparsers(dest="backup_action", metavar="TINDAKAN", parser_class=type(p))
    lp = bsub.add_parser("list", help="daftar cadangan di folder cadangan, terbaru lebih dulu")
    lp.add_argument("--json", action="store_true")
    lp.set_defaults(folder_handler=_list)

    r = sub.add_parser("restore", help="pulihkan basis data dari berkas cadangan")
    r.add_argument("file", metavar="BERKAS", help="berkas cadangan (.sqlite; di server: .dump dari pg_dump -Fc)")
    r.add_argument("--yes", action="store_true", help="jangan meminta konfirmasi")
    r.add_argument("--json", action="store_true")
    r.set_defaults(folder_handler=_restore)


def _backup(args: argparse.Namespace, ctx: ServiceContext, out: TextIO) -> int:
    info = backup.make(ctx, args.actor, Path(args.out).resolve() if args.out else None)
    if args.json:
        emit(out, info.as_json())
    else:
        out.write(f"Cadangan dibuat dan diperiksa: {info.path} ({info.size:,} byte).\n".replace(",", "."))
    return EXIT_OK


def _list(args: argparse.Namespace, paths: AppPaths, out: TextIO) -> int:
    found = backup.list_folder(paths.backups)
    if args.json:
        emit(out, {"folder": str(paths.backups), "cadangan": [b.as_json() for b in found]})
        return EXIT_OK
    for info in found:
        taken = info.taken
        out.write(f"{format_datetime(taken) if taken else '-':<28} {info.path.name}\n")
    out.write(f"{len(found)} cadangan di {paths.backups}\n")
    return EXIT_OK


def _confirmed(source: Path, paths: AppPaths, out: TextIO) -> bool:
    return ask_yes(
        out,
        f"Basis data di {paths.data_dir} akan diganti dengan {source.name}. Berkas sekarang disisihkan ke folder "
        "cadangan (tidak dihapus).",
        refusal="Pemulihan mengganti basis data; tambahkan --yes untuk menjalankannya tanpa konfirmasi.",
    )


def _restore(args: argparse.Namespace, paths: AppPaths, out: TextIO) -> int:
    source = Path(args.file).expanduser().resolve()
    if paths.database_url is not None:
        return _restore_server(args, paths, source, out)
    restore.verify(source)
    actor = _restorer(args, paths)
    if not args.yes and not _confirmed(source, paths, out):
        out.write("Pemulihan dibatalkan; tidak ada yang berubah.\n")
        return EXIT_FAILED
    lock = InstanceLock(paths.data_dir)
    if not lock.acquire():
        raise UserError(
            "Klaten Desktop sedang terbuka untuk folder data ini. Tutup jendelanya lebih dulu, lalu ulangi pemulihan."
        )
    try:
        now = dt.datetime.now()
        result = restore.restore(paths.database, paths.backups, source, now=now, actor=actor)
    finally:
        lock.release()
    if args.json:
        emit(out, result.as_json())
        return EXIT_OK
    out.write(f"Cadangan {source.name} dipulihkan (skema {result.revision}).\n")
    if result.set_aside is not None:
        out.write(f"Basis data sebelumnya (dengan -wal-nya) disimpan di {result.set_aside}.\n")
    if not result.identity_kept:
        out.write("Identitas kantor dan kunci diambil dari cadangan (basis data sebelumnya tidak dapat dibaca).\n")
    out.write(result.sync.message + "\n")
    return EXIT_OK


def _restore_server(args: argparse.Namespace, paths: AppPaths, source: Path, out: TextIO) -> int:
    """``--db-url ... restore FILE.dump``: the archive checked, an admin logged in on the server, then put back."""
    assert paths.database_url is not None
    restore.verify_server_backup(source)
    ctx = bootstrap.open_context(paths)
    try:
        actor = users.login(args, ctx)
        access.require(actor, Permission.restore)
    finally:
        ctx.dispose()
    if not args.yes and not _confirmed_server(source, out):
        out.write("Pemulihan dibatalkan; tidak ada yang berubah.\n")
        return EXIT_FAILED
    result = restore.restore_server(paths.database_url, paths.backups, source, now=dt.datetime.now(), actor=actor)
    if args.json:
        emit(out, result.as_json())
        return EXIT_OK
    out.write(f"Cadangan {source.name} dipulihkan ke server {result.server} (skema {result.revision}).\n")
    if result.safety_copy is not None:
        out.write(f"Isi server sebelum pemulihan disimpan di {result.safety_copy}.\n")
    if result.identity_kept:
        out.write("Identitas kantor dan kuncinya dipertahankan.\n")
    out.write(result.sync.message + "\n")
    out.write("Buka kembali Klaten Desktop di setiap PC.\n")
    return EXIT_OK


def _confirmed_server(source: Path, out: TextIO) -> bool:
    return ask_yes(
        out,
        f"Seluruh isi basis data server akan diganti dengan {source.name}; isinya sekarang dicadangkan lebih dulu "
        "ke folder cadangan. Tutup Klaten Desktop di PC lain.",
        refusal="Pemulihan mengganti basis data server; tambahkan --yes untuk menjalankannya tanpa konfirmasi.",
    )


def _restorer(args: argparse.Namespace, paths: AppPaths) -> Actor:
    """Once accounts exist, only an admin (``--user``) restores; a database that cannot be opened (the damaged
    file being replaced) holds no account to ask for, and the restore goes on as the program itself."""
    if not paths.database.exists():
        return SYSTEM
    try:
        ctx = bootstrap.open_context(paths)
    except (UserError, EnvironmentProblem):
        return SYSTEM
    try:
        actor = users.login(args, ctx)
        access.require(actor, Permission.restore)
        return actor
    finally:
        ctx.dispose()
