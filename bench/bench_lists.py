"""The officials list and the service-side searches over demo officials, SQLite and PostgreSQL side by side.

    .venv/bin/python bench/bench_lists.py [--officials 100000] [--repeat 3] [--engines sqlite,postgresql]
        [--pg-url URL] [--pg-database NAME] [--keep DIR]

The same demo data as ``bench_dashboard.py`` (its contexts, options and scratch database are reused). Timed through
our services and bare, the very statements our code sends (caught at the cursor) run on the driver's own
connection (sqlite3 / psycopg, a plain client-side cursor) and fetched:

* the list load: ``officials.list_rows`` of every live official, what the GUI's officials store loads at start and
  after every change (``gui/officials/store.py``), streamed and turned into rows;
* the list of one desa, of one kecamatan's serving officials (``list_rows`` filtered, the CLI's ``registry list``);
* a NIK looked up (``officials.find_by_nik``, the NIK search of the forms and letters);
* the candidates for a socialisation event searched by a part of a name and by NIK digits
  (``events.participants.candidates``).

The machine's load average is printed: figures measured while other work runs are slower than on an idle PC.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import PG_URL, pg_context, sqlite_context, statements_of, timed
from sqlalchemy import func, select

from klaten_desktop.db.models import Official
from klaten_desktop.services import officials
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.events.participants import candidates

LABELS = {
    "list": "list load, every live official",
    "desa": "list of one desa",
    "kecamatan": "one kecamatan's serving officials",
    "nik": "NIK looked up",
    "name": "event candidates, part of a name",
    "digits": "event candidates, NIK digits",
}


def _samples(ctx: ServiceContext) -> dict[str, Any]:
    """A desa, a kecamatan, a NIK and a name fragment of the data (the same on both engines: the same seed)."""
    with ctx.read() as session:
        desa, office_code = session.execute(
            select(Official.desa_kode, Official.office_code)
            .where(Official.deleted_at.is_(None))
            .group_by(Official.desa_kode, Official.office_code)
            .order_by(func.count().desc(), Official.desa_kode)
            .limit(1)
        ).one()
        nik, nama = session.execute(
            select(Official.nik, Official.nama).where(Official.deleted_at.is_(None)).order_by(Official.nik).limit(1)
        ).one()
    return {"desa": desa, "kecamatan": office_code, "nik": nik, "name": nama.split()[0][:4], "digits": nik[4:10]}


def measure(ctx: ServiceContext, repeat: int) -> tuple[dict[str, tuple[float, float, int]], dict[str, Any]]:
    """(ours, bare median seconds, rows) per figure, and the samples searched."""
    s = _samples(ctx)
    work: dict[str, Callable[[], list[Any]]] = {
        "list": lambda: officials.list_rows(ctx),
        "desa": lambda: officials.list_rows(ctx, desa_kode=s["desa"]),
        "kecamatan": lambda: officials.list_rows(ctx, kecamatan_kode=s["kecamatan"], serving_only=True),
        "nik": lambda: officials.find_by_nik(ctx, s["nik"]),
        "name": lambda: candidates(ctx, search=s["name"]),
        "digits": lambda: candidates(ctx, search=s["digits"]),
    }
    results: dict[str, tuple[float, float, int]] = {}
    raw = ctx.engine.raw_connection()  # the driver's own connection: sqlite3 or psycopg
    try:
        cursor = raw.cursor()

        def bare(statements: list[tuple[str, Any]]) -> None:
            for sql, params in statements:
                cursor.execute(sql, params)
                if cursor.description is not None:  # not a SET
                    cursor.fetchall()

        for name, fn in work.items():
            n = len(fn())  # warm the caches
            sent = statements_of(ctx, fn)
            ours = timed(fn, repeat)
            results[name] = (ours, timed(lambda sent=sent: bare(sent), repeat), n)  # type: ignore[misc]
        raw.rollback()
    finally:
        raw.close()
    return results, s


def report(n: int, by_engine: dict[str, dict[str, tuple[float, float, int]]]) -> None:
    engines = list(by_engine)
    head = "".join(f"{e:>38}" for e in engines)
    print(f"\n{n:,} pengurus (median ms; load average {os.getloadavg()[0]:.1f}){head}")
    print(f"{'':40}" + "".join(f"{'rows':>8}{'ours':>10}{'bare':>10}{'ratio':>10}" for _ in engines))
    for key, label in LABELS.items():
        cells = []
        for engine in engines:
            ours, bare, rows = by_engine[engine][key]
            cells.append(f"{rows:8,}{ours * 1000:10.1f}{bare * 1000:10.1f}{ours / bare:9.2f}x")
        print(f"{label:40}" + "".join(cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", default="100000", help="sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--pg-url", default=PG_URL, help="a database on the server, used to create the scratch one")
    parser.add_argument("--pg-database", help="use and keep this database (populated on the first run)")
    parser.add_argument("--keep", type=Path, help="folder of the SQLite data, kept and reused")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",")]
    temp = None
    root = args.keep
    if root is None:
        temp = tempfile.TemporaryDirectory()
        root = Path(temp.name)
    try:
        for n in (int(s) for s in args.officials.split(",")):
            by_engine: dict[str, dict[str, tuple[float, float, int]]] = {}
            for engine in engines:
                print(f"{engine}, {n:,} pengurus", flush=True)
                if engine == "sqlite":
                    with sqlite_context(root, n) as ctx:
                        by_engine["SQLite"], samples = measure(ctx, args.repeat)
                else:
                    database = f"{args.pg_database}_{n}" if args.pg_database else None
                    with pg_context(root, n, args.pg_url, database) as ctx:
                        by_engine["PostgreSQL"], samples = measure(ctx, args.repeat)
                print(f"  searched: {', '.join(f'{k} {v!r}' for k, v in samples.items() if k != 'nik')}")
            report(n, by_engine)
    finally:
        if temp is not None:
            temp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
