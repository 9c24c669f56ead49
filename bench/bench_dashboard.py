"""Dashboard benchmarks over demo officials (all of Klaten, the regency's view), SQLite and PostgreSQL side by side.

    .venv/bin/python bench/bench_dashboard.py [--officials 13000,100000] [--repeat 5] [--engines sqlite,postgresql]
        [--pg-url URL] [--pg-database NAME] [--keep DIR] [--recap]

For every size and engine the same demo data (``demo.populate`` with its fixed seed) is made, then each figure is
timed through our services and bare: the very statements our code sends (caught at the cursor), run on the
driver's own connection (sqlite3 / psycopg) and fetched, so the ratio measures our code around the SQL. Targets
(issues #21 and #22): the dashboard's figures (counts per status per desa and kecamatan) <= 150 ms on either
engine; the 12-month trend <= 100 ms; the worklist counts (8 lists) <= 120 ms and <= 1.3x bare. The counts' CPU
time is printed too: this process's, plus (PostgreSQL on this machine) the server processes' of the database, read
from /proc (parallel workers not counted): steadier than the wall time while other work runs.

PostgreSQL: a scratch database ``klaten_bench_<random>`` is created on the server of ``--pg-url`` (default the
tests' server, KLATEN_TEST_PG) and dropped at the end; ``--pg-database NAME`` uses (and keeps) that database
instead, populated on the first run. ``--keep DIR`` keeps (and on the next run reuses) the SQLite data folders,
which take about a minute per 100,000 officials to build. ``--recap`` also times the recap report (data + PDF,
data + xlsx; target <= 2 s) on SQLite.

The machine's load average is printed: figures measured while other work runs are slower than on an idle PC.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import make_url

from klaten_desktop.app import open_context
from klaten_desktop.db.models import Official
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import dashboard, demo, office, recap, recap_files, worklists
from klaten_desktop.services.context import SYSTEM, ServiceContext

TODAY = dt.date(2026, 11, 24)
PG_URL = os.environ.get("KLATEN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BARE_JOIN = (
    "SELECT o.desa_kode, count(*) FROM official o LEFT JOIN enrollment e ON e.official_id = o.id "
    "AND e.deleted_at IS NULL AND e.ended_on IS NULL WHERE o.deleted_at IS NULL GROUP BY o.desa_kode"
)
TARGETS = {"figures": 150.0, "trend": 100.0, "counts": 120.0}
LABELS = {
    "figures": "dashboard figures (desa, kecamatan, total)",
    "trend": "12-month trend",
    "counts": "worklist counts (8 lists)",
    "join": "reference: bare GROUP BY desa over the join",
}


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def statements_of(ctx: ServiceContext, fn: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECT statements (with their parameters, as the driver got them) ``fn`` sends, to run them bare, and
    the settings it makes for them (``SET LOCAL``: dialects.plan_for_cached_data): through SQLAlchemy, and on
    PostgreSQL also straight to psycopg's chunked stream (``dialects.stream_rows``)."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: Any, *_args: object) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "SET ")):
            sent.append((statement, parameters))

    streamed: Any = None
    if ctx.on_server:
        import psycopg

        streamed = psycopg.Cursor.stream

        def stream(self: Any, query: Any, params: Any = None, **kw: Any) -> Any:
            sent.append((query, params))
            return streamed(self, query, params, **kw)

        psycopg.Cursor.stream = stream  # type: ignore[method-assign]
    event.listen(ctx.engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(ctx.engine, "before_cursor_execute", record)
        if streamed is not None:
            psycopg.Cursor.stream = streamed  # type: ignore[method-assign]
    return sent


def populate(ctx: ServiceContext, n: int) -> None:
    with ctx.read() as session:
        present = session.scalar(select(func.count()).select_from(Official)) or 0
    if present:
        return
    office.init(ctx, SYSTEM, role=OfficeRole.kabupaten, name="Pemerintah Kabupaten Klaten")
    print(f"  membuat {n:,} pengurus contoh ...", flush=True)
    start = time.perf_counter()
    demo.populate(ctx, SYSTEM, n)
    print(f"  selesai dalam {time.perf_counter() - start:.1f} s", flush=True)


@contextmanager
def sqlite_context(root: Path, n: int) -> Iterator[ServiceContext]:
    ctx = open_context(AppPaths(root / f"sqlite-{n}"), clock=ShiftedClock.on(TODAY))
    try:
        populate(ctx, n)
        yield ctx
    finally:
        ctx.dispose()


@contextmanager
def pg_context(root: Path, n: int, admin_url: str, database: str | None) -> Iterator[ServiceContext]:
    """A context on a scratch database of the server (dropped afterwards), or on ``database`` (kept)."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = database or f"klaten_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        exists = conn.exec_driver_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).first()
        if not exists:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    ctx = open_context(AppPaths(root / f"pg-{n}", database_url=url), clock=ShiftedClock.on(TODAY))
    try:
        populate(ctx, n)
        with ctx.engine.connect() as conn:  # fresh statistics, as autovacuum would leave them after a while
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
        yield ctx
    finally:
        ctx.dispose()
        if database is None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _server_cpu(ctx: ServiceContext) -> float | None:
    """CPU seconds used so far by the server processes serving this database (PostgreSQL on this machine: read
    from /proc; parallel workers, which come and go, are not counted), 0 for SQLite, None when unreadable."""
    if not ctx.on_server:
        return 0.0
    with ctx.engine.connect() as conn:
        pids = conn.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").scalars()
        total = 0.0
        try:
            for pid in pids:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            return None
    return total


def cpu_ms(ctx: ServiceContext, fn: Callable[[], object], repeat: int) -> float | None:
    """Mean CPU milliseconds of ``fn``: this process and (PostgreSQL on this machine) the server's: steadier than
    the wall time while other work runs, which on PostgreSQL also waits for the server process to be scheduled."""
    server = _server_cpu(ctx)
    start = time.process_time()
    for _ in range(repeat):
        fn()
    ours = time.process_time() - start
    after = _server_cpu(ctx)
    if server is None or after is None:
        return None
    return (ours + after - server) / repeat * 1000


def measure(ctx: ServiceContext, repeat: int) -> dict[str, tuple[float, float]]:
    """(ours, bare) median seconds per figure."""
    work: dict[str, Callable[[], object]] = {
        "figures": lambda: dashboard.figures(ctx),
        "trend": lambda: dashboard.trend(ctx),
        "counts": lambda: worklists.counts(ctx),
    }
    for fn in work.values():
        fn()  # warm the caches
    raw = ctx.engine.raw_connection()  # the driver's own connection: sqlite3 or psycopg
    try:
        cursor = raw.cursor()

        def bare(statements: list[tuple[str, Any]]) -> None:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:  # not a SET
                    cursor.fetchall()

        results: dict[str, tuple[float, float]] = {}
        for name, fn in work.items():
            sent = statements_of(ctx, fn)
            results[name] = (timed(fn, repeat), timed(lambda sent=sent: bare(sent), repeat))  # type: ignore[misc]
        cpu = cpu_ms(ctx, work["counts"], max(repeat, 10))
        print(f"  worklist counts: CPU {'?' if cpu is None else f'{cpu:.1f}'} ms (ours + the server's, mean)")
        join = timed(lambda: bare([(BARE_JOIN, ())]), repeat)
        results["join"] = (join, join)
        raw.rollback()
    finally:
        raw.close()
    return results


def recap_figures(ctx: ServiceContext, repeat: int) -> None:
    out = Path(tempfile.mkdtemp())
    pdf = timed(lambda: recap_files.write_recap(ctx, SYSTEM, recap.recap(ctx), out / "rekap.pdf"), repeat)
    xlsx = timed(lambda: recap_files.write_recap(ctx, SYSTEM, recap.recap(ctx), out / "rekap.xlsx"), repeat)
    print(f"  recap PDF (data + render):  {pdf * 1000:7.1f} ms  target <= 2000 ms")
    print(f"  recap xlsx (data + write):  {xlsx * 1000:7.1f} ms  target <= 2000 ms")


def report(n: int, by_engine: dict[str, dict[str, tuple[float, float]]]) -> None:
    engines = list(by_engine)
    head = "".join(f"{e:>30}" for e in engines)
    print(f"\n{n:,} pengurus (median ms; load average {os.getloadavg()[0]:.1f}){head}")
    print(f"{'':52}" + "".join(f"{'ours':>10}{'bare':>10}{'ratio':>10}" for _ in engines))
    for key in ("figures", "trend", "counts", "join"):
        label = LABELS[key] + (f" (<= {TARGETS[key]:.0f})" if key in TARGETS else "")
        cells = []
        for engine in engines:
            ours, bare = by_engine[engine][key]
            if key == "join":
                cells.append(f"{'':>10}{bare * 1000:10.1f}{'':>10}")
            else:
                cells.append(f"{ours * 1000:10.1f}{bare * 1000:10.1f}{ours / bare:9.2f}x")
        print(f"{label:52}" + "".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", default="13000,100000", help="sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--pg-url", default=PG_URL, help="a database on the server, used to create the scratch one")
    parser.add_argument("--pg-database", help="use and keep this database (populated on the first run)")
    parser.add_argument("--keep", type=Path, help="folder of the SQLite data, kept and reused")
    parser.add_argument("--recap", action="store_true", help="also time the recap report (SQLite)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.officials.split(",")]
    engines = [e.strip() for e in args.engines.split(",")]
    temp = None
    root = args.keep
    if root is None:
        temp = tempfile.TemporaryDirectory()
        root = Path(temp.name)
    try:
        for n in sizes:
            by_engine: dict[str, dict[str, tuple[float, float]]] = {}
            for engine in engines:
                print(f"{engine}, {n:,} pengurus", flush=True)
                if engine == "sqlite":
                    with sqlite_context(root, n) as ctx:
                        by_engine["SQLite"] = measure(ctx, args.repeat)
                        if args.recap:
                            recap_figures(ctx, args.repeat)
                else:
                    database = f"{args.pg_database}_{n}" if args.pg_database else None
                    with pg_context(root, n, args.pg_url, database) as ctx:
                        by_engine["PostgreSQL"] = measure(ctx, args.repeat)
            report(n, by_engine)
    finally:
        if temp is not None:
            temp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
