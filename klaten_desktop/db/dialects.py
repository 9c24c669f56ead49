"""The one home of the SQL that differs between the SQLite file and a PostgreSQL server (server mode, issue #21).

Services write portable SQLAlchemy; where SQLite and PostgreSQL need different statements for the same work,
they call a function here, which looks at the connection's dialect. docs/server-mode.md lists what each becomes.

* :func:`defer_foreign_keys`: a transaction's foreign keys checked at COMMIT: ``PRAGMA defer_foreign_keys`` and
  ``SET CONSTRAINTS ALL DEFERRED``.
* :func:`insert_or_ignore`, :func:`insert_or_replace`: ``INSERT OR IGNORE`` / ``OR REPLACE`` and
  ``ON CONFLICT DO NOTHING`` / ``DO UPDATE``; :func:`insert_upsertable` for an explicit ``ON CONFLICT``.
* :func:`id_in`: "column among these ids" as one parameter for any number of ids (SQLite's ``json_each`` of a
  JSON array, PostgreSQL's ``= ANY`` of an array).
* :class:`stored_date_text`, :class:`stored_datetime_text`: a date or timestamp column as the text SQLite
  stores (PostgreSQL: ``to_char``), so received and stored sync rows compare alike on both engines.
* :func:`driver_sql`: hand-written driver SQL (``exec_driver_sql`` with a DBAPI executemany) written with ``?`` and
  turned into the driver's own placeholders (sqlite3 ``?``, psycopg ``%s``).
* :func:`secure_delete`, :func:`erase_old_row_versions`: old key material gone for good (SQLite: ``PRAGMA
  secure_delete`` and a WAL checkpoint; PostgreSQL: ``VACUUM FULL`` of the table).
* :func:`store_staged`: many rows into a table through a temporary staging table (SQLite: executemany into
  the stage; PostgreSQL: ``COPY`` into the stage), then one ``INSERT ... SELECT`` or ``UPDATE ... FROM``.
* :func:`refresh_statistics`: after a bulk load, the planner's statistics of the tables that changed by a tenth or
  more (PostgreSQL: ``ANALYZE``; SQLite: nothing, its plans are made without statistics).
* :func:`stream_rows`: a big result read a chunk at a time (SQLite: SQLAlchemy's ``stream_results``; PostgreSQL:
  psycopg's chunked rows mode of the one query, no server-side cursor and its round trip per chunk).
* :func:`plan_for_cached_data`: a read transaction's planner told that the data is in memory and the statement
  short (PostgreSQL: ``SET LOCAL random_page_cost``, no parallel workers; SQLite: nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Select, String, any_, func, literal, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.schema import Table

POSTGRESQL = "postgresql"


def is_postgresql(bind: Session | Connection) -> bool:
    """Whether ``bind`` (a session or a connection) talks to a PostgreSQL server."""
    return bind.get_bind().dialect.name == POSTGRESQL if isinstance(bind, Session) else bind.dialect.name == POSTGRESQL


def defer_foreign_keys(session: Session) -> None:
    """Check the transaction's foreign keys at COMMIT (PostgreSQL: they are DEFERRABLE since revision
    0008_server_speed)."""
    if is_postgresql(session):
        session.connection().exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")


def insert_or_ignore(session: Session, table: Any) -> Insert:
    """An INSERT that skips rows a unique rule already holds."""
    if is_postgresql(session):
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).prefix_with("OR IGNORE")


def insert_or_replace(session: Session, table: Any) -> Insert:
    """An INSERT that replaces the row of the same primary key."""
    if not is_postgresql(session):
        return sqlite.insert(table).prefix_with("OR REPLACE")
    t: Table = table.__table__ if hasattr(table, "__table__") else table
    keys = [c.name for c in t.primary_key.columns]
    stmt = postgresql.insert(t)
    others = {c.name: stmt.excluded[c.name] for c in t.columns if c.name not in keys}
    return stmt.on_conflict_do_update(index_elements=keys, set_=others)


def insert_upsertable(session: Session, table: Any) -> Any:
    """The engine's own INSERT, which has ``on_conflict_do_update`` (both dialects spell it alike)."""
    return postgresql.insert(table) if is_postgresql(session) else sqlite.insert(table)


def id_in(session: Session, column: Any, ids: Iterable[str]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, as one parameter whatever their number."""
    values = list(ids)
    if is_postgresql(session):
        in_array: ColumnElement[bool] = column == any_(literal(values, postgresql.ARRAY(String)))
        return in_array
    wanted = func.json_each(orjson.dumps(values).decode("utf-8")).table_valued("value")
    return column.in_(select(wanted.c.value))  # type: ignore[no-any-return]


def driver_sql(sql: str, bind: Session | Connection | Dialect) -> str:
    """``sql`` written with ``?`` placeholders, in the driver's own style (a literal ``%`` kept for psycopg)."""
    if isinstance(bind, Session):
        paramstyle = bind.get_bind().dialect.paramstyle
    else:
        paramstyle = bind.paramstyle if isinstance(bind, Dialect) else bind.dialect.paramstyle
    if paramstyle == "qmark":
        return sql
    if paramstyle in ("format", "pyformat"):
        return sql.replace("%", "%%").replace("?", "%s")
    raise ValueError(f"unsupported paramstyle {paramstyle}")


def secure_delete(session: Session, on: bool) -> None:
    """SQLite: overwrite freed space with zeros from now on (``on``) or not. PostgreSQL keeps old row versions
    until a vacuum instead: :func:`erase_old_row_versions` after the commit."""
    if not is_postgresql(session):
        session.execute(text(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}"))


def erase_old_row_versions(engine: Engine, table: str) -> None:
    """After rows of ``table`` were rewritten (old key material): SQLite copies the write-ahead log into the file
    and empties it; PostgreSQL rewrites the table without its dead row versions (``VACUUM FULL``)."""
    if engine.dialect.name == POSTGRESQL:
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


def store_staged(
    connection: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, update: bool
) -> None:
    """Store ``rows`` (values in ``columns`` order, as received) into ``table``: inserted, or with ``update`` the
    rows of the same ``id`` overwritten, through a staging table made and dropped inside the caller's savepoint
    (a failed statement's rollback takes it away too). Raises IntegrityError when a rule of ``table`` objects.

    SQLite: the statement journal of one executemany inside a savepoint copied every touched page again for each
    row (enrollment inserts, whose coverage trigger also updates the official, took 3x as long); the stage keeps
    the values as received (no declared types) and the target table applies its affinity; inserted in the
    stage's order. PostgreSQL: new rows are copied straight into the table with ``COPY``, the fastest way in (the
    text it parses is what the package holds: ISO dates, ``YYYY-MM-DD HH:MM:SS.ffffff`` times); updates go through
    a stage of the target's column types filled by ``COPY``.
    """
    quoted = ", ".join(f'"{c}"' for c in columns)
    others = [c for c in columns if c != "id"]
    if connection.dialect.name == POSTGRESQL:
        if not update:  # new rows: COPY straight into the table (its triggers and rules apply as to an INSERT)
            _copy(connection, f'"{table}"', quoted, rows)
            return
        stage = f'"sync_stage_{table}"'
        connection.exec_driver_sql(f'CREATE TEMP TABLE {stage} AS SELECT {quoted} FROM "{table}" WITH NO DATA')
        _copy(connection, stage, quoted, rows)
    else:
        stage = f'temp."sync_stage_{table}"'
        marks = ", ".join("?" for _ in columns)
        connection.exec_driver_sql(f"CREATE TEMP TABLE {stage} ({quoted})")
        connection.exec_driver_sql(f"INSERT INTO {stage} ({quoted}) VALUES ({marks})", list(rows))
    if update:
        assignments = ", ".join(f'"{c}" = s."{c}"' for c in others)
        connection.exec_driver_sql(f'UPDATE "{table}" SET {assignments} FROM {stage} AS s WHERE "{table}".id = s.id')
    else:
        connection.exec_driver_sql(f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM {stage} ORDER BY rowid')
    connection.exec_driver_sql(f"DROP TABLE {stage}")


def _copy(connection: Connection, target: str, quoted: str, rows: Sequence[Sequence[Any]]) -> None:
    """``COPY target FROM STDIN`` of ``rows`` on the connection's own psycopg cursor (in its transaction); a rule
    of the table refusing a row raises SQLAlchemy's IntegrityError, as a statement would."""
    driver: Any = connection.dialect.dbapi
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    statement = f"COPY {target} ({quoted}) FROM STDIN"
    try:
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except driver.IntegrityError as exc:
        raise IntegrityError(statement, None, exc) from exc
    finally:
        cursor.close()


#: A table is analysed after a bulk load when the rows it received are at least this many and this share of the
#: rows the planner thinks it holds: autovacuum's own rule (``autovacuum_analyze_threshold`` and ``_scale_factor``),
#: applied at once instead of a minute or more later.
ANALYZE_ROWS = 50
ANALYZE_SHARE = 0.1


def refresh_statistics(connection: Connection, changed: Mapping[str, int]) -> None:
    """After a bulk load (``migrate-to``, a sync import, demo data), ``changed`` rows per table: the planner's
    statistics made afresh of the tables that changed by a tenth or more, inside the caller's transaction (its own
    new rows count). PostgreSQL otherwise plans with the statistics of the empty or smaller tables until autovacuum
    analyses them, and the extended statistics of revision 0010 (the RT/RW positions) are only filled by
    ``ANALYZE``: planned without them, the Beranda worklist counts hashed 100,000 positions past ``work_mem`` (330
    ms instead of 100-150). ``ANALYZE official`` takes 0.4-1.0 s at 100,000 officials (load 5), hence only on a
    large change. SQLite: nothing (the app's plans are made without ``sqlite_stat1``; its indexes are chosen so)."""
    if connection.dialect.name != POSTGRESQL:
        return
    wanted = {name: n for name, n in changed.items() if n >= ANALYZE_ROWS}
    if not wanted:
        return
    rows = connection.exec_driver_sql(
        "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND relname = ANY(%(names)s) "
        "AND relnamespace = to_regnamespace(current_schema())::oid",
        {"names": list(wanted)},
    )
    estimates = {str(name): max(float(tuples), 0.0) for name, tuples in rows}  # -1: never analysed
    for table, n in sorted(wanted.items()):
        if n >= ANALYZE_SHARE * estimates.get(table, 0.0):
            connection.exec_driver_sql(f'ANALYZE "{table}"')


#: PostgreSQL's cost of reading a page at random relative to reading the next one (the server's default is 4, for
#: spinning disks). The app's data is small enough to stay in the server's memory, where both cost the same.
CACHED_RANDOM_PAGE_COST = 1.1


def stream_rows(connection: Connection, stmt: Select[Any], chunk: int) -> Iterator[Sequence[Any]]:
    """The rows of ``stmt`` (as tuples), read ``chunk`` at a time inside the connection's transaction: a big result
    is never held whole, by the driver or by SQLAlchemy. Read every row before the connection runs anything else.

    SQLite: SQLAlchemy's ``stream_results``. PostgreSQL: SQLAlchemy streams through a server-side cursor, one
    ``FETCH`` round trip per chunk; psycopg's ``stream`` reads the one query's result in chunks as the server
    sends it (libpq 17's chunked rows mode), 2-3x as fast: 100,000 officials of the list in 0.7-0.9 s instead of
    1.3-1.9 s, and faster than fetching them all at once (1.1-1.5 s; bench/bench_lists.py, load 8). Used there
    only where the statement's columns and parameters need no conversion by SQLAlchemy (else its own stream)."""
    if connection.dialect.name == POSTGRESQL:
        compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
        dialect = connection.dialect
        converted = any(
            b.type.dialect_impl(dialect).bind_processor(dialect) is not None for b in compiled.binds.values()
        ) or any(
            c.type.dialect_impl(dialect).result_processor(dialect, None) is not None for c in stmt.selected_columns
        )
        if not converted:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            try:
                yield from cursor.stream(compiled.string, compiled.construct_params(), size=chunk)
            finally:
                cursor.close()
            return
    yield from connection.execution_options(stream_results=True, max_row_buffer=chunk).execute(stmt)


def plan_for_cached_data(session: Session) -> None:
    """In the session's read transaction (PostgreSQL: until it ends), plan for data read from memory: a covering
    index is then read rather than the wider table. The Beranda worklist counts scanned the official table (52 MB
    at 100,000 officials) instead of ``ix_official_worklists`` (18 MB): with it, 100-150 ms instead of 160-225
    (bench/bench_dashboard.py, load 6). And no parallel workers: starting two to share a 100-ms scan cost more
    than they saved, the statement waiting for them to be scheduled (interleaved on the same server, 15 runs, load
    3: 89 ms fastest, 114 median, against 107 and 130 with them). SQLite: nothing (it prefers a covering index
    unasked and runs single-threaded)."""
    if is_postgresql(session):
        session.execute(text(f"SET LOCAL random_page_cost = {CACHED_RANDOM_PAGE_COST}"))
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


class stored_date_text(FunctionElement[str]):
    """A DATE column as the text SQLite stores (``YYYY-MM-DD``), on either engine (sync rows compare as text)."""

    type = String()
    name = "stored_date_text"
    inherit_cache = True


class stored_datetime_text(FunctionElement[str]):
    """A DATETIME column as the text SQLite stores (``YYYY-MM-DD HH:MM:SS.ffffff``), on either engine."""

    type = String()
    name = "stored_datetime_text"
    inherit_cache = True


@compiles(stored_date_text)
@compiles(stored_datetime_text)
def _stored_as_is(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))  # SQLite: the stored text itself


@compiles(stored_date_text, POSTGRESQL)
def _date_text_pg(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@compiles(stored_datetime_text, POSTGRESQL)
def _datetime_text_pg(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD HH24:MI:SS.US')"
