"""``migrate-to --db-url URL [--json]``: move this data folder's SQLite file into an empty PostgreSQL database.

A folder command (``app.main`` does not open the database first): the file is only read, never migrated or
written, so it stays exactly as it was. No account login is asked: logging in writes an audit entry into the
file, which must not change; whoever runs it holds the data folder and the server's credentials (the regency's
IT staff), which are the real keys here (docs/server-mode.md).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from klaten_desktop.cli.base import EXIT_FAILED, EXIT_OK, Subparsers, emit
from klaten_desktop.runtime.instance import InstanceLock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.runtime.work import Progress
from klaten_desktop.services import server_migration
from klaten_desktop.services.errors import UserError


def register(sub: Subparsers) -> None:
    p = sub.add_parser(
        "migrate-to",
        help="pindahkan basis data berkas (klaten.sqlite) ke basis data PostgreSQL yang kosong, lalu periksa",
    )
    p.add_argument(
        "--db-url",
        dest="target_url",
        metavar="URL",
        help="basis data tujuan yang kosong, postgresql+psycopg://PENGGUNA@HOST/NAMA",
    )
    p.add_argument("--json", action="store_true", help="laporan JSON satu baris")
    p.set_defaults(folder_handler=_migrate_to)


def _migrate_to(args: argparse.Namespace, paths: AppPaths, out: TextIO) -> int:
    url = args.target_url or paths.database_url
    if not url:
        raise UserError("Tulis alamat basis data tujuan: klaten-desktop migrate-to --db-url postgresql+psycopg://...")
    if not paths.database.exists():
        raise UserError(
            f"Tidak ada berkas basis data {paths.database.name} di folder data {paths.data_dir}; pilih folder data "
            "yang benar dengan --data-dir."
        )
    lock = InstanceLock(paths.data_dir)
    if not lock.acquire():
        raise UserError(
            "Klaten Desktop sedang terbuka untuk folder data ini. Tutup jendelanya lebih dulu, lalu ulangi migrate-to."
        )
    try:
        result = server_migration.migrate_to(paths.database, url, progress=_progress_on_console(args))
    finally:
        lock.release()
    if args.json:
        emit(out, result.as_json())
    else:
        out.write("\n".join(server_migration.report_lines(result)) + "\n")
    return EXIT_OK if result.ok else EXIT_FAILED


def _progress_on_console(args: argparse.Namespace) -> Progress | None:
    """A percentage on stderr when a person watches the console (a large office takes a minute or more)."""
    if args.json or sys.stderr is None or not sys.stderr.isatty():
        return None
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = done * 100 // total if total else 100
        if percent != shown[0]:
            shown[0] = percent
            sys.stderr.write(f"\rMemindahkan dan memeriksa: {percent}%" + ("\n" if percent >= 100 else ""))
            sys.stderr.flush()

    return progress
