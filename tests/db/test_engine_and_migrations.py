"""The database file: production pragmas, migrations, refusal of newer schemas, backups before migrating."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from klaten_desktop.app import open_context
from klaten_desktop.db.migrate import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    DatabaseUnreadableError,
    NewerSchemaError,
    backup_database,
    open_database,
    script_revisions,
)
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schema"


def test_every_connection_has_production_pragmas(ctx: ServiceContext) -> None:
    with ctx.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000


def test_known_revisions_match_alembic_scripts() -> None:
    assert script_revisions() == list(KNOWN_REVISIONS)
    assert KNOWN_REVISIONS[-1] == HEAD_REVISION


def test_fresh_database_is_created_at_head_with_reference_data(tmp_path: Path) -> None:
    result = open_database(tmp_path / "db.sqlite", tmp_path / "backups")
    try:
        assert result.created and result.migrated_from is None and result.backup is None
        with result.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
            counts = dict(conn.execute(text("SELECT tingkat, count(*) FROM wilayah GROUP BY tingkat")).all())
            jetis = conn.execute(text("SELECT count(*) FROM wilayah WHERE nama = 'Jetis'")).scalar()
    finally:
        result.engine.dispose()
    assert counts == {"kabupaten": 1, "kecamatan": 26, "desa": 391, "kelurahan": 10}
    assert jetis == 4


def test_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    db = AppPaths(tmp_path).database
    open_database(db, tmp_path / "b").engine.dispose()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    before = db.read_bytes()
    with pytest.raises(NewerSchemaError, match="versi Klaten Desktop yang lebih baru"):
        open_database(db, tmp_path / "b")
    assert db.read_bytes() == before
    with pytest.raises(UserError, match="lebih baru"):
        open_context(AppPaths(tmp_path))  # the composition root turns it into a user-facing error


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseUnreadableError, match="bukan basis data Klaten Desktop"):
        open_database(db, tmp_path / "b")


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "broken.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseUnreadableError):
        open_database(db, tmp_path / "b")


def test_backup_uses_the_backup_api_and_is_complete(ctx: ServiceContext, tmp_path: Path) -> None:
    assert ctx.database is not None
    with ctx.engine.begin() as conn:  # uncommitted-to-main-file data sits in the WAL
        conn.execute(text("INSERT INTO setting (key, value, updated_at) VALUES ('x', '1', '2026-01-01')"))
    target = backup_database(ctx.database, tmp_path / "copy.sqlite")
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT value FROM setting WHERE key = 'x'").fetchone() == ("1",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite")), ids=lambda p: p.stem)
def test_fixture_database_of_each_released_schema_migrates_without_loss(fixture: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    db.write_bytes(fixture.read_bytes())
    with sqlite3.connect(db) as conn:
        before = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("official", "enrollment", "contribution_payment", "audit_log", "wilayah")
        }
        old_rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    result = open_database(db, tmp_path / "backups")
    try:
        with result.engine.connect() as conn:
            after = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in before}
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    finally:
        result.engine.dispose()
    assert after == before
    assert before["official"] > 0
    if old_rev != HEAD_REVISION:
        assert result.backup is not None and result.backup.exists()


def test_there_is_a_fixture_for_the_current_schema() -> None:
    assert (FIXTURES / f"{HEAD_REVISION}.sqlite").exists(), "run scripts/make_schema_fixture.py"


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    """Alembic's autogenerate comparison finds nothing to add or drop: the models and the revisions agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import klaten_desktop.db.models_events
    import klaten_desktop.db.models_sync  # noqa: F401  (their tables join Base.metadata)
    from klaten_desktop.db.models import Base

    result = open_database(tmp_path / "fresh.sqlite", tmp_path / "backups")
    try:
        with result.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        result.engine.dispose()
    assert diff == []
