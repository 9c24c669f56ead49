"""The SQLite engine with the production pragmas on every connection.

Python's sqlite3 module opens transactions on its own and so breaks SAVEPOINT and transactional DDL; we use
SQLAlchemy's documented pysqlite recipe: autocommit at the driver, and SQLAlchemy emits BEGIN itself.
Write transactions use ``BEGIN IMMEDIATE`` so two processes never both think they hold the next number.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry

BUSY_TIMEOUT_MS = 15_000
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
)
WRITE_OPTION = "klaten_write"


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
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
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


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions start with BEGIN IMMEDIATE (take the write lock up front)."""
    return engine.execution_options(**{WRITE_OPTION: True})
