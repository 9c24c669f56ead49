"""Server mode (issue #21): what the environment does to a PostgreSQL database comes out as an Indonesian
EnvironmentProblem, as on SQLite (services/errors.py), with nothing changed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from klaten_desktop.app import open_context
from klaten_desktop.db import engine as db_engine
from klaten_desktop.db.models import AuditLog
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import audit
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import SERVER_BUSY, SERVER_LOST, EnvironmentProblem


@pytest.fixture
def server_ctx(pg_databases: Any, _pg_templates: Callable[[str], str], tmp_path: Path) -> Iterator[ServiceContext]:
    url = pg_databases.create(_pg_templates("kecamatan"))
    ctx = open_context(AppPaths(tmp_path / "data", database_url=url))
    try:
        yield ctx
    finally:
        ctx.dispose()
        pg_databases.drop(url)


def _audit_rows(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def test_a_writer_kept_waiting_by_another_pc_gets_a_clear_message(
    server_ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_engine, "PG_LOCK_TIMEOUT", "200ms")  # instead of SQLite's 15 s busy timeout
    before = _audit_rows(server_ctx)
    other_pc = db_engine.make_engine_url(server_ctx.engine.url.render_as_string(hide_password=False))
    try:
        with db_engine.writer(other_pc).begin() as held:
            held.exec_driver_sql("SELECT 1")  # the other PC's write transaction holds the write lock
            with pytest.raises(EnvironmentProblem) as failed, server_ctx.write() as session:
                audit.record(session, SYSTEM, "repair", "database", None, summary="tidak pernah tercatat")
    finally:
        other_pc.dispose()
    assert failed.value.message == SERVER_BUSY
    assert _audit_rows(server_ctx) == before


def test_a_connection_cut_by_the_server_gets_a_clear_message(server_ctx: ServiceContext) -> None:
    before = _audit_rows(server_ctx)
    with pytest.raises(EnvironmentProblem) as failed, server_ctx.write() as session:
        audit.record(session, SYSTEM, "repair", "database", None, summary="tidak pernah tercatat")
        session.connection().exec_driver_sql("SELECT pg_terminate_backend(pg_backend_pid())")
    assert failed.value.message == SERVER_LOST
    assert _audit_rows(server_ctx) == before  # nothing kept; the pool replaced the broken connection
