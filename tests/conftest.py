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

os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "0")
if "QT_QPA_PLATFORM" not in os.environ:
    from klaten_desktop.runtime.paths import use_offscreen_qt

    use_offscreen_qt()  # offscreen, with the Windows fonts folder on Windows
elif sys.platform == "win32":
    from klaten_desktop.runtime.paths import windows_fonts_dir

    os.environ.setdefault("QT_QPA_FONTDIR", str(windows_fonts_dir()))

import pytest

from klaten_desktop.app import open_context
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.nik import KnownKecamatan
from klaten_desktop.domain.wilayah import parse_wilayah_csv
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths, resources_dir
from klaten_desktop.services import office
from klaten_desktop.services.context import SYSTEM, ServiceContext

# The tests' "today": a fixed date so coverage rules are reproducible (past the 15th of the month).
TODAY = dt.date(2026, 11, 24)
PRAMBANAN = "33.10.01"
SENGON = "33.10.01.2001"  # a desa of Prambanan
COPY_NAME = "klaten.sqlite"


def _copy_db(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One migrated database per office role, made once."""
    built: dict[str, Path] = {}
    for key, role, kec, name in (
        ("kecamatan", OfficeRole.kecamatan, PRAMBANAN, "Kecamatan Prambanan"),
        ("kabupaten", OfficeRole.kabupaten, None, "Pemerintah Kabupaten Klaten"),
        ("empty", None, None, None),
    ):
        paths = AppPaths(tmp_path_factory.mktemp(f"template-{key}"))
        ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
        if role is not None:
            office.init(
                ctx,
                SYSTEM,
                role=role,
                name=name or "",
                kecamatan_kode=kec,
                address="Jl. Raya Prambanan No. 1, Klaten",
                camat_nama="Drs. Contoh Camat, M.Si.",
                camat_nip="197001011990031001",
                camat_pangkat="Pembina Tk. I (IV/b)",
            )
        ctx.dispose()
        built[key] = paths.database
    return built


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
def make_ctx(_templates: dict[str, Path], tmp_path: Path) -> Iterator[Callable[..., ServiceContext]]:
    """Factory: ``make_ctx(role="kecamatan"|"kabupaten"|"empty", today=TODAY, name="data")``."""
    opened: list[ServiceContext] = []

    def factory(role: str = "kecamatan", *, today: dt.date = TODAY, name: str = "data") -> ServiceContext:
        paths = AppPaths(tmp_path / name)
        if not paths.database.exists():
            _copy_db(_templates[role], paths.database)
        ctx = open_context(paths, clock=ShiftedClock.on(today))
        opened.append(ctx)
        return ctx

    yield factory
    for ctx in opened:
        ctx.dispose()


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
