"""The one composition root: folders, logging, the database, the services; then the GUI or a CLI command."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klaten_desktop.runtime.logs import enable_crash_log, setup_logging
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import bootstrap, server
from klaten_desktop.services.errors import EnvironmentProblem, UserError

if TYPE_CHECKING:  # SQLAlchemy is imported only once a database is opened
    import argparse

    from klaten_desktop.runtime.clock import Clock
    from klaten_desktop.services.context import ServiceContext
    from klaten_desktop.services.renderers import Renderers


def open_context(paths: AppPaths, *, clock: Clock | None = None) -> ServiceContext:
    """The services of the office in ``paths``, wired: its database opened and migrated, the renderers handed over."""
    return bootstrap.open_context(paths, clock=clock, renderers=build_renderers())


def build_renderers() -> Renderers:
    """The reportlab renderers of ``reports/`` (recap, daftar hadir, letters, certificates), handed to the services,
    which never import ``reports/``. Each ``reports`` module (and reportlab) is imported when its first document is
    drawn: the window's first paint needs none of them (they pulled in xml.sax, urllib and http.client). The imports
    are plain statements in the functions below, so the frozen build's analysis still finds them."""
    from klaten_desktop.services.renderers import Renderers

    return Renderers(recap=_recap, attendance=_attendance, letters=_letters, certificates=_certificates)


def _recap(*args: Any, **kwargs: Any) -> Any:
    from klaten_desktop.reports import recap_pdf

    return recap_pdf.render(*args, **kwargs)


def _attendance(*args: Any, **kwargs: Any) -> Any:
    from klaten_desktop.reports import attendance_pdf

    return attendance_pdf.render_attendance(*args, **kwargs)


def _letters(*args: Any, **kwargs: Any) -> Any:
    from klaten_desktop.reports.letters import render_letters

    return render_letters(*args, **kwargs)


def _certificates(*args: Any, **kwargs: Any) -> Any:
    from klaten_desktop.reports.certificate_pdf import render_certificates

    return render_certificates(*args, **kwargs)


def _gui_arguments(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """``(data_dir, verbose)`` when ``argv`` only opens the GUI, else None (a command, --help, --version ...).

    The GUI path skips building the command-line parser, which would import every command module.
    """
    data_dir: str | None = None
    verbose = False
    rest = list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--data-dir" and rest:
            data_dir = rest.pop(0)
        elif arg.startswith("--data-dir="):
            data_dir = arg.split("=", 1)[1]
        elif arg == "--verbose":
            verbose = True
        else:
            return None
    return data_dir, verbose


def _ensure_streams() -> None:
    """Make stdout and stderr safe to write to, in UTF-8 when they are not a console.

    A windowed Windows program has no stdout/stderr (None); writing to them would crash, so they go nowhere.
    When the output is a pipe or a file, Windows would encode it in the ANSI code page (cp1252), which cannot
    hold every name and which a reader expecting UTF-8 misreads; a frozen exe ignores ``PYTHONIOENCODING``, so
    the program itself switches to UTF-8. A console keeps Python's own Unicode console output.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115, PTH123 - process lifetime
            continue
        encoding = (getattr(stream, "encoding", None) or "").replace("-", "").lower()
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding != "utf8" and reconfigure is not None and not stream.isatty():
            reconfigure(encoding="utf-8", errors="backslashreplace" if name == "stderr" else "strict")


def main(argv: Sequence[str] | None = None) -> int:
    _ensure_streams()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:  # answered without importing the command modules
        from klaten_desktop import __version__

        sys.stdout.write(f"Klaten Desktop {__version__}\n")
        return 0
    gui_only = _gui_arguments(argv)
    if gui_only is not None:
        data_dir, verbose = gui_only
        return _run_gui(AppPaths.resolve(data_dir), verbose)

    from klaten_desktop import cli
    from klaten_desktop.cli import key_commands
    from klaten_desktop.cli.base import ask_server_password

    args = cli.parse(argv)
    paths = AppPaths.resolve(args.data_dir, args.db_url)
    if args.self_test:
        return _run_self_test(args, paths)
    if args.command is None:
        return _run_gui(paths, args.verbose)
    try:
        if getattr(args, "folder_handler", None) is not None:  # restore, backup list: the database stays closed
            return cli.run_on_folder(args, server.with_stored_server(paths, ask=None))
        paths.ensure()
        setup_logging(paths, verbose=args.verbose)
        ctx = server.open_stored(paths, open_context, ask=ask_server_password)
    except (UserError, EnvironmentProblem) as exc:
        sys.stderr.write(f"Gagal: {exc}\n")
        return cli.EXIT_FAILED
    try:
        return cli.run(args, ctx, before=key_commands.prompt_when_locked)
    finally:
        ctx.dispose()


def _run_self_test(args: argparse.Namespace, paths: AppPaths) -> int:
    """The self-test in a scratch folder; on the PostgreSQL server of ``--db-url`` or of this installation's stored
    setting (in a scratch database made and dropped on it, docs/server-mode.md), else on SQLite."""
    from klaten_desktop.selftest.runner import run_self_test

    try:
        url = server.with_stored_server(paths, ask=None).database_url
    except UserError as exc:
        sys.stderr.write(f"Gagal: {exc}\n")
        return 1  # cli.EXIT_FAILED
    data_dir = Path(args.data_dir) if args.data_dir else None  # the self-test's own (empty) folder
    return run_self_test(data_dir, sys.stdout, renderers=build_renderers(), database_url=url)


def _run_gui(paths: AppPaths, verbose: bool) -> int:
    from klaten_desktop.gui.application import run

    def start_services(opened: AppPaths) -> ServiceContext:
        """``opened``: ``paths``, or with the server the person chose at the first start or the stored one."""
        opened.ensure()
        setup_logging(opened, verbose=verbose)
        enable_crash_log(opened)
        return open_context(opened)

    return run(paths, start_services)


def main_gui() -> int:
    return main(None)


if __name__ == "__main__":
    raise SystemExit(main())
