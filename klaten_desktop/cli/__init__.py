"""The headless command line: the same services the GUI uses, for scripts, CI and the regency.

Each module here registers its subcommands; add a new area by adding its module to ``COMMAND_MODULES``.
Exit codes: 0 done, 1 the job failed (an Indonesian message on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from klaten_desktop import __version__
from klaten_desktop.cli import (
    backup,
    enrollment,
    events,
    imports,
    letters,
    office,
    registry,
    report,
    server_migration,
    sync,
    users,
)
from klaten_desktop.cli.base import EXIT_FAILED, EXIT_OK, EXIT_USAGE, IndonesianArgumentParser
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, ValidationFailed

__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_USAGE", "build_parser", "parse", "run", "run_on_folder"]

COMMAND_MODULES = (
    office,
    registry,
    enrollment,
    imports,
    sync,
    letters,
    report,
    events,
    backup,
    users,
    server_migration,
)


def build_parser() -> argparse.ArgumentParser:
    parser = IndonesianArgumentParser(
        prog="klaten-desktop",
        description="Klaten Desktop: registri kepesertaan BPJS Ketenagakerjaan Ketua RT/RW. "
        "Tanpa perintah, aplikasi desktop dibuka.",
    )
    parser.add_argument("--version", action="version", version=f"Klaten Desktop {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="folder data (bawaan: folder data pengguna)")
    parser.add_argument(
        "--db-url",
        metavar="URL",
        help="basis data di server PostgreSQL, postgresql+psycopg://PENGGUNA@HOST/NAMA (bawaan: berkas di folder data)",
    )
    parser.add_argument("--verbose", action="store_true", help="catat log lebih rinci")
    parser.add_argument(
        "--user",
        metavar="NAMA",
        help="akun yang menjalankan perintah (wajib setelah akun dibuat; kata sandi dari KLATEN_PASSWORD atau diminta)",
    )
    parser.add_argument("--self-test", action="store_true", help="uji mandiri tanpa tampilan (folder sementara)")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=IndonesianArgumentParser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def run(
    args: argparse.Namespace,
    ctx: ServiceContext,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    before: Callable[[ServiceContext], None] | None = None,
) -> int:
    """Run one subcommand as the logged-in ``--user`` (``cli/users.py``), after ``before`` (the start-up's key
    unlock); failures become an Indonesian message and an exit code."""

    def call(o: TextIO) -> int:
        args.actor = users.login(args, ctx)
        if before is not None:
            before(ctx)
        return int(args.handler(args, ctx, o))

    return _guarded(call, out or sys.stdout, err or sys.stderr)


def run_on_folder(
    args: argparse.Namespace, paths: AppPaths, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run a subcommand that works on the data folder without opening the database (``restore``, ``backup list``)."""
    return _guarded(lambda o: int(args.folder_handler(args, paths, o)), out or sys.stdout, err or sys.stderr)


def _guarded(call: Callable[[TextIO], int], out: TextIO, err: TextIO) -> int:
    try:
        code = call(out)
        out.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # the reader went away (``... | head``): stop quietly, as the Python docs' "Note on SIGPIPE" shows;
        # stdout now points at devnull so the interpreter's last flush cannot fail again
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except ValidationFailed as exc:
        err.write(f"Gagal: {exc.message}\n")
        for detail in exc.details[1:]:
            err.write(f"  - {detail}\n")
        return EXIT_FAILED
    except (UserError, EnvironmentProblem) as exc:
        err.write(f"Gagal: {exc.message}\n")
        return EXIT_FAILED
