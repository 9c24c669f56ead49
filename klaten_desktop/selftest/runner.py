"""Running the self-test: each check in order, one report line each, a summary and the exit code."""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from klaten_desktop import __version__
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.selftest.checks import (
    check_accounts,
    check_excel,
    check_fixture_migration,
    check_fresh_migration,
    check_integrity,
    check_letters,
    check_logging,
    check_office_and_demo,
    check_paths,
    check_server_driver,
    check_sync,
)
from klaten_desktop.selftest.qt_checks import check_main_window, check_qt
from klaten_desktop.selftest.state import EXIT_FAILED, EXIT_OK, Check, SelfTestState, Skip
from klaten_desktop.services import bootstrap, files, server
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.renderers import Renderers

log = logging.getLogger(__name__)

CHECKS: tuple[Check, ...] = (
    Check("jalur", check_paths),
    Check("log", check_logging),
    Check("migrasi-baru", check_fresh_migration),
    Check("migrasi-lama", check_fixture_migration),
    Check("kantor-dan-data-contoh", check_office_and_demo),
    Check("integritas", check_integrity),
    Check("surat-pdf", check_letters),
    Check("excel", check_excel),
    Check("sinkronisasi", check_sync),
    Check("akun", check_accounts),
    Check("pengandar-server", check_server_driver),
    Check("qt", check_qt),
    Check("jendela-utama", check_main_window),
)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UserError | EnvironmentProblem):
        return exc.message
    text = str(exc).strip()
    if isinstance(exc, RuntimeError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _say(out: TextIO, text: str) -> None:
    """Write a line even to a console or pipe that cannot encode it (a Windows code page, a user's folder name)."""
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))


def _prepare_root(data_dir: Path | None) -> tuple[Path, bool]:
    """The folder to work in and whether to delete it afterwards."""
    if data_dir is None:
        return Path(tempfile.mkdtemp(prefix="klaten-uji-mandiri-")), True
    root = data_dir.expanduser().resolve()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UserError(
            f"Folder {root} tidak kosong. Uji mandiri hanya memakai folder baru atau kosong "
            "agar data kantor tidak tersentuh."
        )
    root.mkdir(parents=True, exist_ok=True)
    return root, False


def _remove(root: Path, temporary: bool) -> None:
    if temporary:
        files.release_scratch()  # its open lock file would keep the folder on Windows
        shutil.rmtree(root, ignore_errors=True)


def _detach_log_handlers() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_klaten", False):
            root.removeHandler(handler)
            handler.close()


def run_self_test(
    data_dir: Path | None,
    out: TextIO,
    *,
    checks: Sequence[Check] = CHECKS,
    renderers: Renderers | None = None,
    database_url: str | None = None,
) -> int:
    """Run every check, print one line each and a summary; 0 when none failed, else 1.

    With ``database_url`` (a PostgreSQL server: ``--db-url`` or the installation's stored server) the office's
    database of the checks is a scratch database made on that server and dropped afterwards; the office's own
    database there is never opened.
    """
    started = time.perf_counter()
    frozen = "bundel" if getattr(sys, "frozen", False) else "sumber"
    _say(out, f"Uji mandiri Klaten Desktop {__version__} ({frozen}, Python {sys.version.split()[0]})\n")
    try:
        root, temporary = _prepare_root(data_dir)
    except UserError as exc:
        _say(out, f"GAGAL jalur: {exc.message}\n")
        out.flush()
        return EXIT_FAILED
    _say(out, f"Folder uji: {root}" + (" (dihapus setelah selesai)\n" if temporary else "\n"))
    scratch: str | None = None
    if database_url is not None:
        try:
            scratch = server.create_scratch_database(database_url)
        except (UserError, EnvironmentProblem) as exc:
            _say(out, f"GAGAL server: {exc.message}\n")
            out.flush()
            _remove(root, temporary)
            return EXIT_FAILED
        _say(out, f"Basis data uji di server: {bootstrap.server_label(scratch)} (dihapus setelah selesai)\n")
    state = SelfTestState(root=root, paths=AppPaths(root / "data", database_url=scratch), renderers=renderers)
    passed = failed = skipped = 0
    try:
        for check in checks:
            t0 = time.perf_counter()
            try:
                detail = check.run(state)
            except Skip as exc:
                skipped += 1
                _say(out, f"LEWATI {check.name}: {exc}\n")
            except Exception as exc:
                failed += 1
                _say(out, f"GAGAL {check.name}: {_reason(exc)}\n")
                log.error("Self-test check %s failed:\n%s", check.name, traceback.format_exc())
            else:
                passed += 1
                took = time.perf_counter() - t0
                suffix = f" ({detail}; {took:.2f} s)" if detail else f" ({took:.2f} s)"
                _say(out, f"OK {check.name}{suffix}\n")
            out.flush()
    finally:
        state.close()
        _detach_log_handlers()
        if scratch is not None and database_url is not None:
            server.drop_scratch_database(scratch, via=database_url)
        _remove(root, temporary)
    total = time.perf_counter() - started
    verdict = "BERHASIL" if failed == 0 else "GAGAL"
    _say(
        out,
        f"Uji mandiri {verdict}: {passed} OK, {failed} GAGAL, {skipped} LEWATI dalam {total:.1f} detik"
        + ("" if temporary else f"; berkas uji di {root}")
        + "\n",
    )
    out.flush()
    return EXIT_OK if failed == 0 else EXIT_FAILED
