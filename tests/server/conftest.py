"""Server mode with several PCs at once (issue #21): real processes against one PostgreSQL database.

These tests run only with ``--db postgresql`` (``.ci/run`` runs them so); on the SQLite run they are skipped with
the reason. Each PC is a process of ``tests/server/worker.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from klaten_desktop.services.context import ServiceContext
from tests.imports.conftest import nik, write_xlsx

ROOT = Path(__file__).resolve().parents[2]
#: A bound for a broken test (a process that never answers), not a timing the tests measure.
PATIENCE_S = 180


@pytest.fixture(autouse=True)
def _server_only(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("several PCs on one database: server mode only (run with --db postgresql, as .ci/run does)")


def url_of(ctx: ServiceContext) -> str:
    """The URL of ``ctx``'s database on the server, password included (for the worker processes)."""
    assert ctx.on_server
    return ctx.engine.url.render_as_string(hide_password=False)


class Office:
    """The PCs of one office: worker processes started together, released together by ``go``."""

    def __init__(self, ctx: ServiceContext, folder: Path) -> None:
        self.ctx = ctx
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen[str]] = []

    def start(self, job: str, *args: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.server.worker", job, str(self.folder), url_of(self.ctx), *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.procs.append(proc)
        return proc

    def cli(self, *argv: str) -> subprocess.Popen[str]:
        """The command line of the app on this office's database (``--db-url``)."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "klaten_desktop", "--data-dir", str(self.folder / "cli"),
             "--db-url", url_of(self.ctx), *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.procs.append(proc)
        return proc

    def go(self, ready: int) -> None:
        """Wait until ``ready`` workers have opened the database, then let them all start."""
        deadline = time.monotonic() + PATIENCE_S
        while len(list(self.folder.glob("ready-*"))) < ready:
            assert time.monotonic() < deadline, "the worker processes did not start"
            for proc in self.procs:
                assert proc.poll() is None, proc.communicate()[1]
            time.sleep(0.01)
        (self.folder / "go").touch()

    @staticmethod
    def result(proc: subprocess.Popen[str]) -> Any:
        out, err = proc.communicate(timeout=PATIENCE_S)
        assert proc.returncode == 0, err
        return json.loads(out.strip().splitlines()[-1])

    def results(self, procs: Sequence[subprocess.Popen[str]]) -> list[Any]:
        return [self.result(p) for p in procs]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()


def rt_workbook(path: Path, count: int) -> Path:
    """A desa's list of ``count`` new ketua RT in RW 77 (synthetic people)."""
    rows: list[list[object]] = [["DAFTAR KETUA RT"], [], ["No", "Nama", "NIK", "RT", "RW", "Tanggal Lahir"]]
    for i in range(1, count + 1):
        day, month = 1 + i % 28, 1 + i % 12
        rows.append([i, f"Pengurus Impor {i}", nik(day, month, 1975, 7000 + i), i, 77, f"{day:02d}-{month:02d}-1975"])
    return write_xlsx(path, rows)


#: An MD5 of all rows of the table aliased ``r``, in a fixed order.
ROWS_MD5 = "md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), ''))"


def table_digests(ctx: ServiceContext) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and an MD5 of all its rows in a fixed order (what "unchanged"
    compares; sequences are left out, a rolled-back INSERT may have used up numbers)."""
    with ctx.read() as session:
        names = session.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        ).all()
        digests = {}
        for name in names:
            count, md5 = session.execute(text(f'SELECT count(*), {ROWS_MD5} FROM "{name}" r')).one()
            digests[name] = (int(count), str(md5))
        return digests


def locks_of_others(ctx: ServiceContext) -> list[tuple[Any, ...]]:
    """Locks on this database held by any server process but the test's own."""
    with ctx.read() as session:
        return [
            tuple(r)
            for r in session.execute(
                text(
                    "SELECT l.pid, l.locktype, l.mode FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE d.datname = current_database() AND l.pid <> pg_backend_pid()"
                )
            )
        ]


@pytest.fixture
def pcs(ctx: ServiceContext, tmp_path: Path) -> Iterator[Office]:
    """Worker processes on ``ctx``'s database (the Prambanan office on the server)."""
    office = Office(ctx, tmp_path / "pcs")
    try:
        yield office
    finally:
        office.stop()
