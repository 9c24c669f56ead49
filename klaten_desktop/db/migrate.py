"""Open the database: refuse a newer schema, back up with the SQLite backup API, then run Alembic to head.

Alembic is imported only when a migration is needed, so a normal start pays nothing for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from klaten_desktop.db.engine import make_engine

log = logging.getLogger(__name__)

# Every revision this version of the app knows, oldest first. tests/db/test_migrations.py checks that it
# matches the Alembic scripts exactly, so adding a revision without listing it here fails CI.
KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial", "0002_coverage_summary", "0003_official_email_ibu")
HEAD_REVISION = KNOWN_REVISIONS[-1]


class NewerSchemaError(RuntimeError):
    """The database was written by a newer version of the app."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            "Basis data ini dibuat oleh versi Klaten Desktop yang lebih baru "
            f"(skema {revision}). Perbarui aplikasi ini; data tidak diubah."
        )
        self.revision = revision


class DatabaseUnreadableError(RuntimeError):
    pass


@dataclass(frozen=True)
class OpenResult:
    engine: Engine
    created: bool
    migrated_from: str | None
    backup: Path | None


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def backup_database(source: Path, target: Path) -> Path:
    """A consistent copy through the SQLite online backup API (a file copy of a WAL database is not a backup).

    The copy is written beside the target and renamed into place only once complete.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target


def _alembic_config(connection: object) -> object:
    from alembic.config import Config

    from klaten_desktop.runtime.paths import migrations_dir

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), revision)  # type: ignore[arg-type]


def script_revisions() -> list[str]:
    """Revision ids of the Alembic scripts, oldest first."""
    from alembic.script import ScriptDirectory

    from klaten_desktop.runtime.paths import migrations_dir

    scripts = ScriptDirectory(str(migrations_dir()))
    return [rev.revision for rev in reversed(list(scripts.walk_revisions()))]


def open_database(database: Path, backups_dir: Path, *, now: dt.datetime | None = None) -> OpenResult:
    """Open (creating if needed) and migrate the database at ``database``."""
    database.parent.mkdir(parents=True, exist_ok=True)
    existed = database.exists() and database.stat().st_size > 0
    engine = make_engine(database)
    try:
        revision = current_revision(engine)
    except Exception as exc:
        engine.dispose()
        raise DatabaseUnreadableError(
            f"Berkas basis data {database.name} tidak dapat dibaca: bukan basis data Klaten Desktop atau rusak."
        ) from exc
    if revision == HEAD_REVISION:
        return OpenResult(engine, created=False, migrated_from=revision, backup=None)
    if revision is not None and revision not in KNOWN_REVISIONS:
        engine.dispose()
        raise NewerSchemaError(revision)
    if existed and revision is None:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
        if tables:
            engine.dispose()
            raise DatabaseUnreadableError(
                f"Berkas {database.name} berisi tabel yang tidak dikenal; bukan basis data Klaten Desktop."
            )
    backup: Path | None = None
    if existed:
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        backup = backup_database(database, backups_dir / f"sebelum-migrasi-{revision or 'kosong'}-{stamp}.sqlite")
        log.info("Backup before migration written to %s", backup)
    upgrade(engine)
    log.info("Database migrated from %s to %s", revision, HEAD_REVISION)
    return OpenResult(engine, created=not existed, migrated_from=revision, backup=backup)
