"""Open the database: refuse a newer schema, back up with the SQLite backup API, then run Alembic to head.

Alembic is imported only when a migration is needed, so a normal start pays nothing for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from klaten_desktop.db.engine import make_engine, make_engine_url, writer
from klaten_desktop.runtime.paths import PRIVATE_FILE_MODE

log = logging.getLogger(__name__)

# Every revision this version of the app knows, oldest first. tests/db/test_migrations.py checks that it
# matches the Alembic scripts exactly, so adding a revision without listing it here fails CI.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_coverage_summary",
    "0003_official_email_ibu",
    "0005_accounts",
    "0006_audit_chain",
    "0007_payment_void",
    "0008_server_speed",
    "0009_worklist_counts",
    "0010_pg_worklists",
    "0011_sync_archive",
)
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
    """The file is not a Klaten Desktop database (damaged, foreign, or empty); nothing in it was changed."""


#: SQLite's result codes that mean the file itself is damaged or not a database (the only ones that may say so).
DAMAGED_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


def is_damage(exc: BaseException) -> bool:
    """True when ``exc`` is SQLite saying the file is damaged or not a database."""
    for candidate in (exc, getattr(exc, "orig", None)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in DAMAGED_CODES:
            return True
    return False


def damaged_message(name: str) -> str:
    return (
        f"Berkas basis data {name} rusak atau bukan basis data Klaten Desktop; berkas itu tidak diubah. "
        "Jangan menghapus berkas apa pun di folder data. Pulihkan cadangan terbaru "
        "(klaten-desktop restore BERKAS, atau menu Berkas > Pulihkan dari cadangan); lihat docs/backup-restore.md."
    )


def _has_log(database: Path) -> bool:
    """Whether a ``-wal`` beside ``database`` holds pages (more than its 32-byte header)."""
    try:
        return database.with_name(database.name + "-wal").stat().st_size > 32
    except OSError:
        return False


def probe_revision(database: Path) -> str | None:
    """The schema revision of an existing file, read without changing one byte of it.

    Raises :class:`DatabaseUnreadableError` for an empty (0-byte), damaged or foreign file; any other SQLite or OS
    error (a full disk, a locked or unreadable file) is raised as it is, for the caller to explain.

    When a ``-wal`` holds pages not yet in the file (after a power cut, or while another window writes), the file
    is read with them through ``PRAGMA quick_check`` first: the last read-write connection to close copies the
    ``-wal`` into the file and deletes it, so a ``-wal`` that does not belong to this file (one copied from another
    PC) would otherwise be merged into it for good, and the evidence gone.
    """
    if database.stat().st_size == 0:
        raise DatabaseUnreadableError(
            f"Berkas basis data {database.name} kosong (0 byte) dan tidak diganti dengan basis data baru. "
            "Pulihkan cadangan terbaru (klaten-desktop restore BERKAS, atau menu Berkas > Pulihkan dari cadangan). "
            "Hanya untuk pemasangan baru yang belum berisi data: pindahkan berkas kosong itu dari folder data."
        )
    conn = sqlite3.connect(f"file:{database.as_posix()}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            if tables:
                raise DatabaseUnreadableError(
                    f"Berkas {database.name} berisi tabel yang tidak dikenal; bukan basis data Klaten Desktop. "
                    "Berkas itu tidak diubah. Periksa folder data (--data-dir); bila berkas ini seharusnya basis data "
                    "kantor, pulihkan cadangan terbaru (klaten-desktop restore BERKAS)."
                )
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if _has_log(database) and [r[0] for r in conn.execute("PRAGMA quick_check")] != ["ok"]:
            raise DatabaseUnreadableError(damaged_message(database.name))
        return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise DatabaseUnreadableError(damaged_message(database.name)) from exc
        raise
    finally:
        conn.close()


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


STALE_PART_SECONDS = 3600


def _remove_stale_parts(folder: Path) -> None:
    """``*.part`` files an interrupted backup (a power cut) left behind, older than an hour."""
    limit = time.time() - STALE_PART_SECONDS
    for part in folder.glob("*.part"):
        with contextlib.suppress(OSError):
            if part.stat().st_mtime < limit:
                part.unlink()


def backup_database(source: Path, target: Path, *, verify: bool = True) -> Path:
    """A consistent copy through the SQLite online backup API (a file copy of a WAL database is not a backup).

    The copy is written beside the target as ``*.part``, checked with ``PRAGMA quick_check`` and renamed into
    place only once complete and sound; on any failure (a full disk) the ``.part`` file is removed. ``verify=False``
    keeps a copy of a file already known to be damaged (before ``check --repair``).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_parts(target.parent)
    # a name of its own: two backups in the same second (the periodic one and "Cadangkan sekarang") never share it
    partial = target.with_name(f"{target.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        # made first with the owner's mode: a backup holds every NIK (SQLite then writes into the empty file)
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE_MODE))
        # not mode=ro: a read-only connection to a WAL database can fail (SQLITE_READONLY_RECOVERY) while another
        # connection of the app resets the log; the backup API only reads the source
        src = sqlite3.connect(source, timeout=15)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                verdict = [r[0] for r in dst.execute("PRAGMA quick_check")] if verify else ["ok"]
            finally:
                dst.close()
        finally:
            src.close()
        if verdict != ["ok"]:
            raise DatabaseUnreadableError(damaged_message(source.name))
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        partial.with_name(partial.name + "-journal").unlink(missing_ok=True)
        raise
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


def upgrade_connection(connection: Connection, revision: str = "head") -> None:
    """Run the migrations to ``revision`` on ``connection`` inside the caller's transaction (``migrate-to`` builds
    the schema and copies the data in one transaction on the server)."""
    from alembic import command

    command.upgrade(_alembic_config(connection), revision)  # type: ignore[arg-type]


def script_revisions() -> list[str]:
    """Revision ids of the Alembic scripts, oldest first."""
    from alembic.script import ScriptDirectory

    from klaten_desktop.runtime.paths import migrations_dir

    scripts = ScriptDirectory(str(migrations_dir()))
    return [rev.revision for rev in reversed(list(scripts.walk_revisions()))]


def open_database(database: Path, backups_dir: Path, *, now: dt.datetime | None = None) -> OpenResult:
    """Open (creating if needed) and migrate the database at ``database``.

    An existing file is first read without changing it (:func:`probe_revision`): a damaged, foreign, empty or
    newer file is refused untouched. Only SQLITE_CORRUPT/SQLITE_NOTADB are called damage; any other error (a full
    disk) is raised as it is.
    """
    database.parent.mkdir(parents=True, exist_ok=True)
    existed = database.exists()
    revision = probe_revision(database) if existed else None
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(revision)
    engine = make_engine(database)
    try:
        if revision == HEAD_REVISION:
            return OpenResult(engine, created=False, migrated_from=revision, backup=None)
        backup: Path | None = None
        if existed:
            stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
            target = backups_dir / f"sebelum-migrasi-{revision or 'kosong'}-{stamp}.sqlite"
            backup = backup_database(database, target)
            log.info("Backup before migration written to %s", backup)
        upgrade(engine)
    except BaseException as exc:
        engine.dispose()
        if not existed:  # a new file we could not finish (a full disk) must not stay behind as an empty database
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(OSError):
                    database.with_name(database.name + suffix).unlink(missing_ok=True)
        if is_damage(exc):
            raise DatabaseUnreadableError(damaged_message(database.name)) from exc
        raise
    log.info("Database migrated from %s to %s", revision, HEAD_REVISION)
    return OpenResult(engine, created=not existed, migrated_from=revision, backup=backup)


def open_database_url(url: str) -> OpenResult:
    """Open and migrate the PostgreSQL database at ``url`` (server mode, docs/server-mode.md).

    A database written by a newer version is refused untouched. The upgrade runs in one transaction (PostgreSQL's
    DDL is transactional: a failed migration leaves the database as it was) holding the write lock, so PCs
    starting at once migrate one after another and the later ones find nothing left to do. No backup is taken
    here: on a server that is the job of ``pg_dump``, scheduled by the IT staff.
    """
    engine = make_engine_url(url)
    try:
        revision = current_revision(engine)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise NewerSchemaError(revision)
        if revision != HEAD_REVISION:
            upgrade(writer(engine))
            log.info("Database on the server migrated from %s to %s", revision, HEAD_REVISION)
    except BaseException:
        engine.dispose()
        raise
    return OpenResult(engine, created=revision is None, migrated_from=revision, backup=None)
