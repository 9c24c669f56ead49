"""Dashboard and recap benchmarks over demo officials (all of Klaten, the regency's view).

    .venv/bin/python bench/bench_dashboard.py [--officials 100000] [--repeat 5] [--keep DIR]

Prints medians and ratios against bare sqlite3 running a GROUP BY over the same join. Targets: the dashboard's
figures (counts per status per desa and kecamatan) <= 150 ms; the recap report (data + PDF, data + xlsx) <= 2 s.
``--keep DIR`` keeps (and on the next run reuses) the populated database, which takes minutes to build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select

from klaten_desktop.app import open_context
from klaten_desktop.db.models import Official
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import dashboard, demo, office, recap, recap_files, worklists
from klaten_desktop.services.context import SYSTEM, ServiceContext

TODAY = dt.date(2026, 11, 24)
BARE_JOIN = (
    "SELECT o.desa_kode, count(*) FROM official o LEFT JOIN enrollment e ON e.official_id = o.id "
    "AND e.deleted_at IS NULL AND e.ended_on IS NULL WHERE o.deleted_at IS NULL GROUP BY o.desa_kode"
)


def timed(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def statements_of(ctx: ServiceContext, fn: Callable[[], object]) -> list[tuple[str, object]]:
    """The SQL statements (with their parameters) ``fn`` sends to the database, to run them bare."""
    sent: list[tuple[str, object]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: object, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(ctx.engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(ctx.engine, "before_cursor_execute", record)
    return sent


def prepare(root: Path, n: int) -> ServiceContext:
    paths = AppPaths(root)
    fresh = not paths.database.exists()
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    if fresh:
        office.init(ctx, SYSTEM, role=OfficeRole.kabupaten, name="Pemerintah Kabupaten Klaten")
        print(f"membuat {n:,} pengurus contoh ...", flush=True)
        start = time.perf_counter()
        demo.populate(ctx, SYSTEM, n)
        print(f"  selesai dalam {time.perf_counter() - start:.1f} s", flush=True)
    return ctx


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="folder data yang disimpan dan dipakai ulang")
    args = parser.parse_args()
    temp = None
    root = args.keep
    if root is None:
        temp = tempfile.TemporaryDirectory()
        root = Path(temp.name)
    ctx = prepare(root, args.officials)
    with ctx.read() as session:
        count = session.scalar(select(func.count()).select_from(Official))
    print(f"pengurus: {count:,}")
    assert ctx.database is not None
    bare = sqlite3.connect(ctx.database)
    on = TODAY
    own_sql = str(dashboard.desa_count_statement(on, None).compile(ctx.engine, compile_kwargs={"literal_binds": True}))
    plan = [row[3] for row in bare.execute("EXPLAIN QUERY PLAN " + own_sql)]
    print("plan of the dashboard's query:", "; ".join(plan))
    dashboard.figures(ctx)  # warm the page cache
    r = args.repeat
    bare_join = timed(lambda: bare.execute(BARE_JOIN).fetchall(), r)
    bare_same = timed(lambda: bare.execute(own_sql).fetchall(), r)
    figures = timed(lambda: dashboard.figures(ctx), r)
    trend = timed(lambda: dashboard.trend(ctx), r)
    counts_sql = statements_of(ctx, lambda: worklists.counts(ctx))
    bare_counts = timed(lambda: [bare.execute(sql, args).fetchall() for sql, args in counts_sql], r)  # type: ignore[call-overload]
    counts = timed(lambda: worklists.counts(ctx), r)
    out = Path(tempfile.mkdtemp())
    pdf = timed(lambda: recap_files.write_recap(ctx, recap.recap(ctx), out / "rekap.pdf"), r)
    xlsx = timed(lambda: recap_files.write_recap(ctx, recap.recap(ctx), out / "rekap.xlsx"), r)
    ms = 1000
    print(f"bare sqlite3 GROUP BY desa over the join:         {bare_join * ms:7.1f} ms")
    print(f"bare sqlite3, the dashboard's own query:          {bare_same * ms:7.1f} ms")
    print(
        f"dashboard figures (per desa, kecamatan, total):    {figures * ms:7.1f} ms  "
        f"({figures / bare_join:.2f}x bare join, {figures / bare_same:.2f}x same SQL)  target <= 150 ms"
    )
    print(
        f"12-month trend:                                    {trend * ms:7.1f} ms  ({trend / bare_join:.2f}x bare)  "
        "target <= 100 ms"
    )
    print(
        f"worklist counts (8 lists):                         {counts * ms:7.1f} ms  ({counts / bare_join:.2f}x bare "
        f"join; bare sqlite3 running the same {len(counts_sql)} statements {bare_counts * ms:.1f} ms, "
        f"{counts / bare_counts:.2f}x)  target <= 120 ms"
    )
    print(f"recap PDF (data + render):                         {pdf * ms:7.1f} ms  target <= 2000 ms")
    print(f"recap xlsx (data + write):                         {xlsx * ms:7.1f} ms  target <= 2000 ms")
    bare.close()
    ctx.dispose()
    if temp is not None:
        temp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
