"""The engines: the SQLite file (the default) with the production pragmas, or a PostgreSQL server (issue #21).

Python's sqlite3 module opens transactions on its own and so breaks SAVEPOINT and transactional DDL; we use
SQLAlchemy's documented pysqlite recipe: autocommit at the driver, and SQLAlchemy emits BEGIN itself.
Write transactions use ``BEGIN IMMEDIATE`` so two processes never both think they hold the next number.

On PostgreSQL (``make_engine_url``) a write transaction takes one transaction-level advisory lock first
(``pg_advisory_xact_lock(WRITE_LOCK_KEY)``): writers queue one after another exactly as ``BEGIN IMMEDIATE``
makes them on SQLite, while readers never wait. Under READ COMMITTED every statement after the lock sees what
the writer before committed, so a number taken from a sequence row is never taken twice (docs/server-mode.md).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 15_000
WRITE_CACHE = "PRAGMA cache_size=-32768"
#: The page cache of a read transaction: 4 MiB. A connection kept in the pool keeps its cache, and one read over a
#: big file (the officials list, the integrity check, a dashboard count) filled it to 32 MiB for the rest of the day:
#: measured with 100,000 officials, the pool's idle connections held ~100 MB once the start-up work had run.
#: Setting a smaller size frees the pages beyond it; the operating system's file cache still holds them.
READ_CACHE = "PRAGMA cache_size=-4096"
SQLITE_SOFT_HEAP_LIMIT = 8 * 1024 * 1024
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # Page cache of up to 32 MiB per connection in a write transaction (SQLite's default is 2 MiB, taken only as
    # pages are read). Inserts land at random places in the indexes on UUID keys; with 2 MiB the cache spilled dirty
    # pages into the WAL mid-transaction and read them back. Measured on the sync import of 26 packages (162,000
    # rows): 1.57 GB written before, 0.59 GB with this and the next pragma. A read transaction sets the smaller
    # READ_CACHE (see _on_begin).
    WRITE_CACHE,
    # Temporary files in memory: the savepoints of a bulk write (sync import) keep their undo pages there
    # instead of in a temporary file on disk.
    "PRAGMA temp_store=MEMORY",
    # A committing connection checkpoints the WAL into the database itself only once the log holds 50,000 pages
    # (about 200 MB; SQLite's default is 1,000): a bound. Normally the window does it on a background thread
    # (services/housekeeping.py), and SQLite at the last close, so bulk writes do not wait for the copy (the
    # sync import of 26 packages: about 0.5 s of its 5 s), and a page rewritten by several of them (26
    # packages one after another) is copied once (measured: 0.43 GB written instead of 0.59 GB).
    "PRAGMA wal_autocheckpoint=50000",
    # SQLite's memory, all connections together (a process-wide setting): past 8 MiB, page caches recycle their
    # pages instead of growing. Each pooled connection otherwise keeps the pages of its last reads (up to
    # READ_CACHE each; the dashboard's and the sections' queries run on several): measured with 100,000 officials,
    # SQLite held 8-11 MB after the app had opened both officials tables, and the app's resident memory fell from
    # 214 to 206 MB (median of 3) with this. 4 MiB saved 3 MB more but slowed the worklist counts ~30%.
    f"PRAGMA soft_heap_limit={SQLITE_SOFT_HEAP_LIMIT}",
)
WRITE_OPTION = "klaten_write"
#: The advisory lock every PostgreSQL write transaction holds until it ends (the bytes of "KLATENWR").
WRITE_LOCK_KEY = 0x4B4C4154454E5752
#: A writer waiting longer than this for the write lock fails (SQLite's busy timeout, the same bound).
PG_LOCK_TIMEOUT = f"{BUSY_TIMEOUT_MS}ms"


def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_begin(conn: Any) -> None:
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql(WRITE_CACHE)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql(READ_CACHE)
        conn.exec_driver_sql("BEGIN")


def make_engine(database: Path, *, echo: bool = False) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{database.as_posix()}",
        echo=echo,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def make_readonly_engine(database: Path) -> Engine:
    """An engine that only reads the SQLite file ``database``: not one byte of it changes (used by ``migrate-to``,
    which must leave the file as it was). Each transaction is one snapshot (an explicit BEGIN).

    Without a ``-wal`` beside it (the app closed cleanly) the file is opened ``immutable``: a read-only connection
    to a WAL database would otherwise create an empty ``-wal`` and ``-shm`` beside it and leave them there. With a
    ``-wal`` (committed work not yet in the file) it is opened ``mode=ro`` and reads through the log.
    """
    wal = database.with_name(database.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    engine = create_engine(
        f"sqlite+pysqlite:///file:{database.as_posix()}?{mode}&uri=true",
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    def on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    return engine


def is_postgresql(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL server (the only other engine the app supports)."""
    return url.split(":", 1)[0].split("+", 1)[0] in ("postgresql", "postgres")


def _on_begin_pg(conn: Any) -> None:
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{PG_LOCK_TIMEOUT}'")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def make_engine_url(url: str, *, echo: bool = False) -> Engine:
    """The engine of a PostgreSQL server, ``postgresql+psycopg://USER@HOST[:PORT]/DB`` (driver psycopg 3).

    Write transactions (:func:`writer`) take the advisory write lock first; see the module's docstring.
    """
    if not is_postgresql(url):
        raise ValueError(f"not a PostgreSQL URL: {url.split('://', 1)[0]}://...")
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    # jit=off: the server compiles a query to machine code when its estimated cost is high, which the dashboard's
    # and worklists' one-pass counts over 100,000 officials are; compiling them took 5 s for a 0.2 s query
    # (bench/bench_dashboard.py). The app runs short statements only, for which the JIT never pays.
    engine = create_engine(url, echo=echo, pool_pre_ping=True, connect_args={"options": "-c jit=off"})
    event.listen(engine, "begin", _on_begin_pg)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock up front (SQLite: BEGIN IMMEDIATE; PostgreSQL:
    the advisory write lock)."""
    return engine.execution_options(**{WRITE_OPTION: True})
