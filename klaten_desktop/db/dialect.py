"""What differs between the two engines (the SQLite file, a PostgreSQL server) in the SQL the services send: the
one place for it (issue #21). Everything else is the same SQL on both.

- Placeholders of hand-written driver SQL (the bulk paths send ``exec_driver_sql`` with a DBAPI executemany):
  written with ``?`` and turned into the driver's own style here (sqlite3: ``?``; psycopg: ``%s``).
- ``INSERT ... ON CONFLICT`` (an upsert): SQLAlchemy builds it per dialect; :func:`upsert` picks the one of the
  connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session


def is_postgresql(bind: Session | Connection | Dialect) -> bool:
    """Whether ``bind`` talks to the PostgreSQL server (else the SQLite file)."""
    return _dialect(bind).name == "postgresql"


def driver_sql(sql: str, bind: Session | Connection | Dialect) -> str:
    """``sql`` written with ``?`` placeholders, in the driver's own style (a literal ``%`` kept for psycopg)."""
    paramstyle = _dialect(bind).paramstyle
    if paramstyle == "qmark":
        return sql
    if paramstyle in ("format", "pyformat"):
        return sql.replace("%", "%%").replace("?", "%s")
    raise ValueError(f"unsupported paramstyle {paramstyle}")


def upsert(table: Table, bind: Session | Connection | Dialect) -> Any:
    """``INSERT`` into ``table`` with ``on_conflict_do_update``/``on_conflict_do_nothing`` for ``bind``'s engine."""
    return (postgresql.insert if is_postgresql(bind) else sqlite.insert)(table)


def _dialect(bind: Session | Connection | Dialect) -> Dialect:
    if isinstance(bind, Session):
        return bind.get_bind().dialect
    if isinstance(bind, Connection):
        return bind.dialect
    return bind
