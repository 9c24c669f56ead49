"""Server mode on PostgreSQL (issue #21): the engine's write lock and the Alembic revisions, on the real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, text

from klaten_desktop.db.engine import WRITE_LOCK_KEY, is_postgresql, make_engine_url, writer
from klaten_desktop.db.migrate import HEAD_REVISION, _alembic_config, current_revision, upgrade

TRIGGERS = {"trg_enrollment_coverage_insert", "trg_enrollment_coverage_delete", "trg_enrollment_coverage_update"}
ADVISORY = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"


@pytest.fixture(scope="module")
def engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine_url(pg_url)
    with engine.begin() as conn:  # a clean schema for this module: the run's database is shared
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    yield engine
    engine.dispose()


def test_url_kinds() -> None:
    assert is_postgresql("postgresql+psycopg://u@h/db")
    assert is_postgresql("postgresql://u@h/db")
    assert not is_postgresql("sqlite:///x.sqlite")
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        make_engine_url("sqlite:///x.sqlite")


def test_plain_url_gets_the_psycopg_driver(pg_url: str) -> None:
    engine = make_engine_url(pg_url.replace("postgresql+psycopg://", "postgresql://"))
    try:
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_writers_hold_the_write_lock_readers_do_not(engine: Engine) -> None:
    with writer(engine).begin() as conn:
        assert conn.execute(text(ADVISORY)).scalar() == 1
        objid = conn.execute(text("SELECT objid FROM pg_locks WHERE locktype = 'advisory'")).scalar()
        assert objid == WRITE_LOCK_KEY & 0xFFFFFFFF
    with engine.begin() as conn:
        assert conn.execute(text(ADVISORY)).scalar() == 0


def test_a_second_writer_waits_for_the_first(engine: Engine) -> None:
    with writer(engine).begin() as first:
        first.execute(text("SELECT 1"))
        with engine.connect() as other, other.begin():
            other.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
            got = other.execute(text(f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY})")).scalar()
            assert got is False
    with engine.connect() as other, other.begin():
        assert other.execute(text(f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY})")).scalar() is True


def _triggers(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT tgname FROM pg_trigger WHERE tgrelid = 'enrollment'::regclass AND NOT tgisinternal")
        )
        return {r[0] for r in rows}


def test_every_revision_upgrades_an_empty_database_and_downgrades(engine: Engine) -> None:
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    assert _triggers(engine) == TRIGGERS
    with engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001_initial")  # type: ignore[arg-type]
    assert current_revision(engine) == "0001_initial"
    assert _triggers(engine) == set()
    upgrade(engine)
    assert current_revision(engine) == HEAD_REVISION
    assert _triggers(engine) == TRIGGERS
