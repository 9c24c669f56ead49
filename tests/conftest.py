"""Shared fixtures: every test gets its own data folder under tmp_path and a real, migrated SQLite file.

A migrated and initialised database is built once per session and copied (SQLite backup API) for each test,
so tests stay fast while still running on the production engine, pragmas and schema.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "0")
if "QT_QPA_PLATFORM" not in os.environ:
    from klaten_desktop.runtime.paths import use_offscreen_qt

    use_offscreen_qt()  # offscreen, with the Windows fonts folder on Windows
elif sys.platform == "win32":
    from klaten_desktop.runtime.paths import windows_fonts_dir

    os.environ.setdefault("QT_QPA_FONTDIR", str(windows_fonts_dir()))

import pytest

if sys.platform == "win32":  # the Windows check: the suite runs with a Windows CPython under Wine
    import subprocess
    import time

    _run = subprocess.run
    #: The exit status of the venv's python.exe (a launcher that starts the base interpreter) when it could not
    #: create that process (CPython's PC/launcher.c, RC_CREATE_PROCESS): "Unable to create process using '...'".
    LAUNCHER_COULD_NOT_START = 101

    def _run_again_if_never_started(*args: Any, **kwargs: Any) -> Any:
        """``subprocess.run``, tried again when the venv launcher reports that it could not start the interpreter:
        under Wine its CreateProcess fails now and then while other processes start (seen once in a whole run,
        on the first test). The program itself never ran, so nothing of ours happened; any other result, and a
        third such failure, is returned as it is."""
        for attempt in range(3):
            result = _run(*args, **kwargs)
            err = result.stderr
            text = err.decode(errors="replace") if isinstance(err, bytes) else (err or "")
            if (
                result.returncode != LAUNCHER_COULD_NOT_START
                or "Unable to create process using" not in text
                or attempt == 2
            ):
                return result
            time.sleep(0.5)
        raise AssertionError("unreachable")

    subprocess.run = _run_again_if_never_started  # type: ignore[assignment]

from klaten_desktop.app import open_context
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.nik import KnownKecamatan
from klaten_desktop.domain.wilayah import parse_wilayah_csv
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths, resources_dir
from klaten_desktop.services import office
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext

# The tests' "today": a fixed date so coverage rules are reproducible (past the 15th of the month).
TODAY = dt.date(2026, 11, 24)
PRAMBANAN = "33.10.01"
SENGON = "33.10.01.2001"  # a desa of Prambanan
COPY_NAME = "klaten.sqlite"
# the person at the PC in GUI tests: a logged-in admin (services/accounts.py), so the login is not shown in every test
TEST_ADMIN = Actor("admin.uji", "Admin Uji", "admin")


def _copy_db(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


OFFICES = {
    "kecamatan": (OfficeRole.kecamatan, PRAMBANAN, "Kecamatan Prambanan"),
    "kabupaten": (OfficeRole.kabupaten, None, "Pemerintah Kabupaten Klaten"),
}


def _make_template(paths: AppPaths, key: str) -> None:
    """A migrated database for the office ``key`` (``empty``: not initialised)."""
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    try:
        if key in OFFICES:
            role, kec, name = OFFICES[key]
            office.init(
                ctx,
                SYSTEM,
                role=role,
                name=name,
                kecamatan_kode=kec,
                address="Jl. Raya Prambanan No. 1, Klaten",
                camat_nama="Drs. Contoh Camat, M.Si.",
                camat_nip="197001011990031001",
                camat_pangkat="Pembina Tk. I (IV/b)",
            )
    finally:
        ctx.dispose()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One migrated database per office role, made once."""
    built: dict[str, Path] = {}
    for key in ("kecamatan", "kabupaten", "empty"):
        paths = AppPaths(tmp_path_factory.mktemp(f"template-{key}"))
        _make_template(paths, key)
        built[key] = paths.database
    return built


@pytest.fixture(scope="session")
def _pg_templates(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    """With ``--db postgresql``: the name of a template database per office role on the server, made when first
    asked for (each test's database is a copy: CREATE DATABASE ... TEMPLATE)."""
    from sqlalchemy.engine import make_url

    built: dict[str, str] = {}

    def template(key: str) -> str:
        if key not in built:
            url = request.getfixturevalue("pg_databases").create()
            _make_template(AppPaths(tmp_path_factory.mktemp(f"pg-template-{key}"), database_url=url), key)
            built[key] = make_url(url).database or ""
        return built[key]

    return template


class _WarningRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def _no_unexpected_log_warnings(request: pytest.FixtureRequest) -> Iterator[_WarningRecords]:
    """A WARNING-or-higher record from a klaten_desktop logger fails the test (as in qutebrowser): an expected
    failure (a UserError) is not logged as a problem, and a real problem is not hidden in the log. A test that
    provokes one on purpose says so with ``@pytest.mark.log_warnings_expected``."""
    handler = _WarningRecords()
    logger = logging.getLogger("klaten_desktop")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("log_warnings_expected") is None:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"unexpected log records (mark the test log_warnings_expected if intended):\n{lines}")


#: The PostgreSQL server of the tests (server mode, docs/server-mode.md): a database on it, used only to create and
#: drop the test run's own database. Overridden with KLATEN_TEST_PG.
PG_ADMIN_URL = os.environ.get("KLATEN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the engine of the ctx/make_ctx fixtures: the SQLite file (default) or a fresh database on the "
        "PostgreSQL server of KLATEN_TEST_PG (server mode, docs/server-mode.md)",
    )


class PgDatabases:
    """Fresh databases ``klaten_test_<random>`` on the test PostgreSQL server: made by :meth:`create` (a copy of a
    template database when given), dropped by :meth:`drop` or at the end of the run."""

    def __init__(self, admin: Any) -> None:
        self.admin = admin
        self.made: list[str] = []

    def create(self, template: str | None = None) -> str:
        import uuid

        from sqlalchemy.engine import make_url

        name = f"klaten_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        self.made.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database or ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.made.remove(name)


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases]:
    """The test PostgreSQL server (KLATEN_TEST_PG); every database made on it is dropped at the end of the run.
    Skipped with the reason when psycopg is missing or the server cannot be reached."""
    if sys.platform == "win32":  # the Windows check runs under Wine on the CI machine; the server runs on Linux
        pytest.skip("PostgreSQL server tests run in the Linux part of CI (the Windows check covers the SQLite PC)")
    pytest.importorskip("psycopg", reason="psycopg is not installed: PostgreSQL tests skipped")
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL server {make_url(PG_ADMIN_URL).host} unreachable: {exc.orig}")
    databases = PgDatabases(admin)
    try:
        yield databases
    finally:
        for name in list(databases.made):
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url(pg_databases: PgDatabases) -> str:
    """The URL of a fresh, empty PostgreSQL database made for this test run (dropped at the end)."""
    return pg_databases.create()


@pytest.fixture(scope="session")
def klaten_kecamatan() -> KnownKecamatan:
    """The kecamatan of the region table shipped in resources/ (what the migrated database holds)."""
    rows = parse_wilayah_csv((resources_dir() / "reference" / "wilayah_klaten.csv").read_text(encoding="utf-8"))
    return KnownKecamatan.of(w.kode for w in rows if w.is_kecamatan)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def app_paths(data_dir: Path) -> AppPaths:
    return AppPaths(data_dir)


@pytest.fixture
def make_ctx(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., ServiceContext]]:
    """Factory: ``make_ctx(role="kecamatan"|"kabupaten"|"empty", today=TODAY, name="data")``; on the PostgreSQL
    server with ``--db postgresql`` (a fresh database per ``name``, dropped after the test)."""
    opened: list[ServiceContext] = []
    on_server = request.config.getoption("--db") == "postgresql"
    urls: dict[str, str] = {}
    server: list[PgDatabases] = []

    def factory(role: str = "kecamatan", *, today: dt.date = TODAY, name: str = "data") -> ServiceContext:
        paths = AppPaths(tmp_path / name)
        if on_server:
            if name not in urls:
                template = request.getfixturevalue("_pg_templates")(role)
                server[:] = [request.getfixturevalue("pg_databases")]
                urls[name] = server[0].create(template)
            paths = AppPaths(tmp_path / name, database_url=urls[name])
        elif not paths.database.exists():
            _copy_db(request.getfixturevalue("_templates")[role], paths.database)
        ctx = open_context(paths, clock=ShiftedClock.on(today))
        opened.append(ctx)
        return ctx

    yield factory
    for ctx in opened:
        ctx.dispose()
    for url in urls.values():
        server[0].drop(url)


@pytest.fixture
def ctx(make_ctx: Callable[..., ServiceContext]) -> ServiceContext:
    """A Prambanan kecamatan office on a fresh, migrated database; today is 24 November 2026."""
    return make_ctx("kecamatan")


@dataclass
class Shown:
    """What the GUI would have shown or asked (the ``shown`` fixture): message texts, crash reports, and queued
    answers to confirmations and file dialogs (first queued, first used)."""

    info: list[str] = field(default_factory=list)
    warn: list[str] = field(default_factory=list)
    error: list[str] = field(default_factory=list)
    crash: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)  # the questions asked
    confirm_answer: bool = True  # the answer once ``confirm_answers`` is empty
    confirm_answers: list[bool] = field(default_factory=list)
    open_paths: list[Path] = field(default_factory=list)  # answers to ask_open_path
    open_path: Path | None = None  # the answer once ``open_paths`` is empty
    save_paths: list[Path] = field(default_factory=list)  # answers to ask_save_path (None once empty)
    save_asked: list[Path | None] = field(default_factory=list)  # the names suggested to ask_save_path
    opened: list[Path] = field(default_factory=list)  # files handed to the system viewer (where recorded)
    open_many: list[list[Path]] = field(default_factory=list)  # answers to a multi-file dialog (where recorded)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    """Message boxes, crash dialogs and file dialogs recorded instead of shown (GUI tests)."""
    from klaten_desktop.gui import crash
    from klaten_desktop.gui.kit import messages

    record = Shown()

    def confirm(_parent: object, text: str, **_kwargs: object) -> bool:
        record.confirm.append(text)
        return record.confirm_answers.pop(0) if record.confirm_answers else record.confirm_answer

    def ask_save(_parent: object, _title: str, _filters: str, suggested: Path | None = None) -> Path | None:
        record.save_asked.append(suggested)
        return record.save_paths.pop(0) if record.save_paths else None

    def ask_open(*_args: object, **_kwargs: object) -> Path | None:
        return record.open_paths.pop(0) if record.open_paths else record.open_path

    monkeypatch.setattr(messages, "info", lambda _p, text, **_k: record.info.append(text))
    monkeypatch.setattr(messages, "warn", lambda _p, text, **_k: record.warn.append(text))
    monkeypatch.setattr(messages, "error", lambda _p, text, **_k: record.error.append(text))
    monkeypatch.setattr(messages, "confirm", confirm)
    monkeypatch.setattr(messages, "ask_open_path", ask_open)
    monkeypatch.setattr(messages, "ask_save_path", ask_save)
    monkeypatch.setattr(crash, "show_crash", lambda _intro, details: record.crash.append(details))
    return record


# --------------------------------------------------------------------------- personal data in the app's logs

#: What no log file may hold (issue #20): a 16-digit run (a NIK), a birth date of the last century as the app
#: and the test data write it (ISO or dd-mm-yyyy; log timestamps are of this century), and a name of the test data.
LOG_LEAKS = re.compile(
    r"(?<![0-9])[0-9]{16}(?![0-9])"
    r"|(?<![0-9])19[0-9]{2}-[01][0-9]-[0-3][0-9](?![0-9])"
    r"|(?<![0-9])[0-3][0-9]-[01][0-9]-19[0-9]{2}(?![0-9])"
    r"|Sumarno|Suminah"
)


def personal_data_in_logs(root: Path) -> list[str]:
    """Every log file the app wrote under ``root`` (runtime/logs.py: ``<data folder>/log/*.log*``, crash.log too)
    that holds :data:`LOG_LEAKS`, as "path: what", the match masked."""
    found = []
    for path in sorted(root.glob("**/log/*.log*")):
        text = path.read_text(encoding="utf-8", errors="replace")
        match = LOG_LEAKS.search(text)
        if match is not None:
            found.append(f"{path}: {match.group()[:4]}…")
    return found


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when a log file written by the suite's data folders holds a NIK, a birth date or a name."""
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    base = factory.getbasetemp()
    leaks = personal_data_in_logs(base)
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Data pribadi dalam berkas log (issue #20):", red=True)
            for line in leaks:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
