"""What differs between the two engines (the SQLite file, a PostgreSQL server) in the SQL the services send: the
one place for it (issue #21). Everything else is the same SQL on both.

- Placeholders of hand-written driver SQL (the bulk paths send ``exec_driver_sql`` with a DBAPI executemany):
  written with ``?`` and turned into the driver's own style here (sqlite3: ``?``; psycopg: ``%s``).
- ``INSERT ... ON CONFLICT`` (an upsert): SQLAlchemy builds it per dialect; :func:`upsert` picks the one of the
  connection.
- Dates and timestamps: the SQLite file stores them as text (SQLAlchemy's format), which is also how they travel in
  sync packages; PostgreSQL's driver hands out ``date``/``datetime``. :func:`stored_text` writes the SQLite text.
- A list of ids as one JSON parameter (:func:`id_list`): SQLite's ``json_each``, PostgreSQL's
  ``json_array_elements_text``.
- Foreign keys checked at commit during a sync import (:func:`defer_foreign_keys`).
- SQLite's own maintenance (``PRAGMA secure_delete``, WAL checkpoints) and PostgreSQL's (``VACUUM``): see
  :func:`secure_delete` and :func:`erase_old_row_versions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import orjson
from sqlalchemy import Engine, String, Table, cast, func, literal, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSON
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


def upsert(model: type[Any], bind: Session | Connection | Dialect) -> Any:
    """``INSERT`` into the table of ``model`` (a mapped class) with ``on_conflict_do_update`` and
    ``on_conflict_do_nothing``, for ``bind``'s engine."""
    return (postgresql.insert if is_postgresql(bind) else sqlite.insert)(model)


def insert_or_ignore(model: type[Any], bind: Session | Connection | Dialect) -> Any:
    """``INSERT`` that leaves out a row whose key is already there (SQLite's ``INSERT OR IGNORE``)."""
    return upsert(model, bind).on_conflict_do_nothing()


def insert_or_replace(model: type[Any], bind: Session | Connection | Dialect) -> Any:
    """``INSERT`` that overwrites the row of the same primary key (SQLite's ``INSERT OR REPLACE``)."""
    stmt = upsert(model, bind)
    table: Table = model.__table__
    keys = list(table.primary_key)
    others = {c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key}
    return stmt.on_conflict_do_update(index_elements=keys, set_=others)


def stored_text(value: Any) -> Any:
    """A date or timestamp as the SQLite file stores it (``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM:SS.ffffff``: the sync
    format's text); any other value as it is."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def id_list(ids: Iterable[str], bind: Session | Connection | Dialect) -> Any:
    """``ids`` as one JSON array parameter, a table of one column ``value``: one query for any number of ids."""
    array = orjson.dumps(list(ids)).decode("utf-8")
    if is_postgresql(bind):
        return func.json_array_elements_text(cast(literal(array, String), JSON)).table_valued("value")
    return func.json_each(array).table_valued("value")


def defer_foreign_keys(session: Session) -> None:
    """Check foreign keys at the commit from now on in this transaction (PostgreSQL: they are declared
    ``DEFERRABLE INITIALLY IMMEDIATE`` there, revision 0008)."""
    if is_postgresql(session):
        session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
    else:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))


def secure_delete(session: Session, on: bool) -> None:
    """SQLite: overwrite freed space with zeros from now on (``on``) or not. PostgreSQL keeps old row versions
    until a vacuum instead: :func:`erase_old_row_versions` after the commit."""
    if not is_postgresql(session):
        session.execute(text(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}"))


def erase_old_row_versions(engine: Engine, table: str) -> None:
    """After rows of ``table`` were rewritten (old key material): SQLite copies the write-ahead log into the file
    and empties it; PostgreSQL rewrites the table without its dead row versions (``VACUUM FULL``)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM FULL {table}")
        return
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        cursor.close()
    finally:
        raw.close()


def _dialect(bind: Session | Connection | Dialect) -> Dialect:
    if isinstance(bind, Session):
        return bind.get_bind().dialect
    if isinstance(bind, Connection):
        return bind.dialect
    return bind
