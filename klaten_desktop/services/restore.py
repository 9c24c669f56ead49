"""Restoring a backup: check it, keep the current file aside, keep this PC's office identity and keys.

Order of work (:func:`restore`):

1. The backup is checked first (``PRAGMA integrity_check``, a Klaten Desktop schema this version knows): a damaged,
   foreign or newer backup is refused and nothing changes.
2. It is copied with the SQLite backup API to a staging file beside the database.
3. The ``office`` and ``identity_key`` rows of the CURRENT database are copied into the staging file. A restored PC
   must stay the same installation: with the backup's (older) keys, or another PC's, it would become a clone of
   whichever PC made the backup, and packages it signed afterwards would not match what the regency trusts.
   When the current file cannot be read at all, the backup's identity is kept and the result says so.
   The packages this installation sent after the backup was made are carried into the staging file too (from the
   current database, or from the signed state file in ``arsip-sinkron/`` when it cannot be read), and every sync
   stream is marked as restored: the next package continues the numbering and tells the regency
   (``services/sync/continuity.py``).
4. The current file with its ``-wal`` and ``-shm`` is moved (never deleted: the ``-wal`` holds committed work)
   into ``cadangan/disisihkan-<waktu>/``, and the staging file takes its place.

The caller makes sure no Klaten Desktop window uses the data folder (``runtime/instance.py``) and opens the
database afterwards, which migrates an older backup (with its own pre-migration backup).

On a PostgreSQL server (:func:`restore_server`) a ``pg_dump -Fc`` archive is put back all-or-nothing: the archive is
checked (``pg_restore --list``, a schema this version knows), the current database is dumped first into the backup
folder (``...-pemulihan.dump``, the counterpart of setting the file aside), and then ONE transaction (``psql
--single-transaction``, stopping at the first error) takes the app's write lock, keeps the office and key rows
aside, drops the app's tables and functions, runs the archive's script (``pg_restore --file=-``, no owners or
grants: the objects belong to the connecting user) and puts the office and key rows back (the columns both
have: an older backup may lack a newer column). Any failure rolls the
whole transaction back: the database stays as it was. In the same transaction the packages this installation
sent after the backup was made are carried forward from the current database and every sync stream is marked as
restored, as :func:`continuity.carry_forward` does for the file (the signed state file of a PC's data folder is not
read on the server), and the copies of those packages (``sync_package_archive``, where a server keeps them for a
byte-for-byte re-issue) are kept too.

Both need :data:`Permission.restore` (an admin).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from klaten_desktop.db.migrate import (
    KNOWN_REVISIONS,
    DatabaseUnreadableError,
    backup_database,
    is_damage,
    probe_revision,
)
from klaten_desktop.services import backup, pg_tools
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message
from klaten_desktop.services.sync import continuity

log = logging.getLogger(__name__)

IDENTITY_TABLES = ("office", "identity_key")
SIDE_FILES = ("", "-wal", "-shm")


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    revision: str
    set_aside: Path | None
    identity_kept: bool
    sync: continuity.Carried

    def as_json(self) -> dict[str, object]:
        return {
            "cadangan": str(self.source),
            "skema": self.revision,
            "berkas_lama_disisihkan_di": str(self.set_aside) if self.set_aside else None,
            "identitas_kantor_dipertahankan": self.identity_kept,
            "sinkronisasi": self.sync.as_json(),
        }


def verify(source: Path) -> str:
    """The schema revision of a sound Klaten Desktop backup; :class:`UserError` for anything else."""
    if not source.is_file():
        raise UserError(f"Berkas cadangan {source} tidak ditemukan.")
    try:
        revision = probe_revision(source)
        conn = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            verdict = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except DatabaseUnreadableError as exc:
        raise UserError(f"Cadangan {source.name} tidak dapat dipakai: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            raise UserError(f"Cadangan {source.name} rusak; pilih cadangan lain. Tidak ada yang diubah.") from exc
        raise EnvironmentProblem(environment_message(exc) or f"Cadangan {source.name} tidak dapat dibaca.") from exc
    if verdict != ["ok"]:
        raise UserError(f"Cadangan {source.name} rusak (pemeriksaan keutuhan gagal); pilih cadangan lain.")
    if revision is None:
        raise UserError(f"Cadangan {source.name} kosong: bukan cadangan basis data Klaten Desktop.")
    if revision not in KNOWN_REVISIONS:
        raise UserError(
            f"Cadangan {source.name} dibuat oleh versi Klaten Desktop yang lebih baru (skema {revision}). "
            "Perbarui aplikasi ini lebih dulu; tidak ada yang diubah."
        )
    return revision


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({table})")]


def keep_identity(current: Path, staged: Path) -> bool:
    """Copy the current database's office and key rows into ``staged``; False when they cannot be read."""
    # uri=True: SQLite reads the read-only URI below only when asked to (Windows' sqlite3.dll does not by default)
    conn = sqlite3.connect(staged, uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS cur", (current.resolve().as_uri() + "?mode=ro",))
    except sqlite3.Error:
        conn.close()
        return False
    try:
        found = 0
        with conn:
            for table in IDENTITY_TABLES:
                common = [c for c in _columns(conn, "cur", table) if c in _columns(conn, "main", table)]
                if not common or conn.execute(f"SELECT count(*) FROM cur.{table}").fetchone()[0] == 0:
                    continue
                cols = ", ".join(f'"{c}"' for c in common)
                conn.execute(f"DELETE FROM main.{table}")
                conn.execute(f"INSERT INTO main.{table} ({cols}) SELECT {cols} FROM cur.{table}")
                found += 1
        return found > 0
    except sqlite3.DatabaseError as exc:
        log.warning("Office identity could not be read from the current database: %s", exc)
        return False
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("DETACH DATABASE cur")
        conn.close()


def _set_aside(database: Path, folder: Path) -> Path | None:
    present = [database.with_name(database.name + s) for s in SIDE_FILES]
    present = [p for p in present if p.exists()]
    if not present:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    for path in present:
        path.replace(folder / path.name)
    return folder


def restore(database: Path, backups_dir: Path, source: Path, *, now: dt.datetime, actor: Actor) -> RestoreResult:
    """Put the backup ``source`` in place of ``database`` (see the module text); ``now`` is local time."""
    require(actor, Permission.restore)
    revision = verify(source)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    staged = database.with_name(database.name + ".pemulihan")
    try:
        staged.unlink(missing_ok=True)
        backup_database(source, staged)
        kept = database.exists() and keep_identity(database, staged)
        restored_at = now.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        carried = continuity.carry_forward(staged, database, database.parent, restored_at=restored_at)
        aside = _set_aside(database, backups_dir / f"disisihkan-{stamp}")
        try:
            staged.replace(database)
        except OSError:
            for path in aside.iterdir() if aside else ():  # put the current file back where it was
                path.replace(database.with_name(path.name))
            raise
    except (OSError, sqlite3.Error) as exc:
        staged.unlink(missing_ok=True)
        raise EnvironmentProblem(
            environment_message(exc) or f"Pemulihan gagal: {database.name} tidak dapat diganti. Tidak ada yang berubah."
        ) from exc
    except DatabaseUnreadableError as exc:
        staged.unlink(missing_ok=True)
        raise UserError(str(exc)) from exc
    log.info("Backup %s restored (schema %s); the previous file is kept in %s", source.name, revision, aside)
    return RestoreResult(source, revision, aside, kept, carried)


# ------------------------------------------------------------------------------------------ PostgreSQL server


@dataclass(frozen=True)
class ServerRestoreResult:
    source: Path
    revision: str
    server: str  # HOST/DB, never the password
    safety_copy: Path | None  # the current database dumped before it was replaced
    identity_kept: bool
    sync: continuity.Carried  # the sent packages carried past the backup (from the current database)

    def as_json(self) -> dict[str, object]:
        return {
            "cadangan": str(self.source),
            "skema": self.revision,
            "server": self.server,
            "cadangan_sebelum_pemulihan": str(self.safety_copy) if self.safety_copy else None,
            "identitas_kantor_dipertahankan": self.identity_kept,
            "sinkronisasi": self.sync.as_json(),
        }


def verify_server_backup(source: Path) -> str:
    """The schema revision of a sound ``pg_dump -Fc`` archive of a Klaten Desktop database; UserError otherwise."""
    if not source.is_file():
        raise UserError(f"Berkas cadangan {source} tidak ditemukan.")
    revision = pg_tools.archive_revision(source)
    if revision not in KNOWN_REVISIONS:
        raise UserError(
            f"Cadangan {source.name} dibuat oleh versi Klaten Desktop yang lebih baru (skema {revision}). "
            "Perbarui aplikasi ini lebih dulu; tidak ada yang diubah."
        )
    return revision


@dataclass(frozen=True)
class _Current:
    tables: list[str]
    functions: list[str]
    identity: list[str]  # the identity tables holding rows


def _current(url: str) -> _Current:
    from sqlalchemy import text

    from klaten_desktop.db.engine import make_engine_url

    not_extension = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = {oid} AND d.deptype = 'e')"
    engine = make_engine_url(url)
    try:
        with engine.connect() as conn:
            tables = list(
                conn.execute(
                    text(
                        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND "
                        + not_extension.format(oid="c.oid")
                        + " ORDER BY 1"
                    )
                ).scalars()
            )
            functions = list(
                conn.execute(
                    text(
                        "SELECT quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')' "
                        "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                        "WHERE n.nspname = 'public' AND " + not_extension.format(oid="p.oid") + " ORDER BY 1"
                    )
                ).scalars()
            )
            identity = [
                table
                for table in IDENTITY_TABLES
                if table in tables and conn.execute(text(f'SELECT count(*) FROM public."{table}"')).scalar_one()
            ]
    finally:
        engine.dispose()
    return _Current([str(t) for t in tables], [str(f) for f in functions], identity)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: What a server restore is called in its messages (and what the tools are asked for).
PURPOSE = "Pemulihan cadangan server"
#: Printed by the restore's SQL (a WARNING, so psql shows it) for each sent package carried past the backup.
_CARRIED = "klaten-terkirim"


#: The table holding the bytes of the sent packages on a server (``services/sync/archive.py``).
ARCHIVE_TABLE = "sync_package_archive"


def _sync_scripts(restored_at: str, *, archive: bool) -> tuple[str, str]:
    """Sync continuity on the server, as ``continuity.carry_forward`` does for the file: the packages this
    installation sent are kept aside; after the archive is loaded (and the identity put back) those the backup
    lacks are added again, and every stream is marked as restored (``continuity.RESTORED_KEY``). With ``archive``
    (the current database has the table ``sync_package_archive``) the copies of those packages are kept aside too
    and put back where the restored database lacks them, so each can still be re-issued byte for byte; a backup
    made before that table existed (revision 0010) gets no copies: those packages need a full package instead."""
    cols = ", ".join(_quoted(c) for c in continuity.COLUMNS)  # "full" is a reserved word
    kept = ", ".join(f"k.{_quoted(c)}" for c in continuity.COLUMNS)
    keep = (
        f"CREATE TEMP TABLE klaten_simpan_terkirim ON COMMIT DROP AS SELECT {cols} FROM public.sync_package "
        "WHERE direction = 'sent' AND sender_install = (SELECT install_id FROM public.office WHERE id = 1);"
    )
    carry = f"""DO $klaten$ DECLARE install text; streams jsonb; added record; BEGIN
SELECT install_id INTO install FROM public.office WHERE id = 1;
IF install IS NULL THEN RETURN; END IF;
SELECT jsonb_object_agg(s.r, coalesce(b.last, 0)) INTO streams FROM (
    SELECT recipient_install AS r FROM public.sync_package WHERE direction = 'sent' AND sender_install = install
    UNION SELECT recipient_install FROM pg_temp.klaten_simpan_terkirim WHERE sender_install = install) s
  LEFT JOIN (SELECT recipient_install, max(sequence) AS last FROM public.sync_package
    WHERE direction = 'sent' AND sender_install = install GROUP BY recipient_install) b ON b.recipient_install = s.r;
FOR added IN INSERT INTO public.sync_package (direction, {cols}) SELECT 'sent', {kept}
    FROM pg_temp.klaten_simpan_terkirim k WHERE k.sender_install = install AND NOT EXISTS (
      SELECT 1 FROM public.sync_package p WHERE p.direction = 'sent' AND p.sender_install = k.sender_install
      AND p.recipient_install = k.recipient_install AND p.sequence = k.sequence)
    RETURNING recipient_office, sequence LOOP
  RAISE WARNING '{_CARRIED} % %', added.recipient_office, added.sequence;
END LOOP;
IF streams IS NOT NULL THEN
  INSERT INTO public.setting (key, value, updated_at) VALUES ('{continuity.RESTORED_KEY}',
      jsonb_build_object('restored_at', '{restored_at}', 'last_in_backup', streams)::text, TIMESTAMP '{restored_at}')
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at;
END IF;
END $klaten$;"""
    if archive:
        keep += (
            f"\nCREATE TEMP TABLE klaten_simpan_arsip ON COMMIT DROP AS SELECT a.sha256, a.data, a.recorded_at "
            f"FROM public.{ARCHIVE_TABLE} a WHERE a.sha256 IN (SELECT sha256 FROM pg_temp.klaten_simpan_terkirim);"
        )
        carry += f"""
DO $klaten$ BEGIN
IF to_regclass('public.{ARCHIVE_TABLE}') IS NOT NULL THEN
  INSERT INTO public.{ARCHIVE_TABLE} (sha256, data, recorded_at) SELECT k.sha256, k.data, k.recorded_at
    FROM pg_temp.klaten_simpan_arsip k
    WHERE NOT EXISTS (SELECT 1 FROM public.{ARCHIVE_TABLE} a WHERE a.sha256 = k.sha256)
    AND EXISTS (SELECT 1 FROM public.sync_package p WHERE p.direction = 'sent' AND p.sha256 = k.sha256);
END IF;
END $klaten$;"""
    return keep, carry


def _carried(stderr: str) -> tuple[tuple[str, int], ...]:
    found = re.findall(rf"{_CARRIED} (\S+) (\d+)", stderr)
    return tuple(sorted((office, int(sequence)) for office, sequence in found))


def _server_scripts(current: _Current, restored_at: str) -> tuple[str, str]:
    """The SQL run before the archive's script (lock, keep the identity and the sent packages, drop the app's
    objects) and after it (the identity back, the sync streams continued)."""
    from klaten_desktop.db.engine import PG_LOCK_TIMEOUT, WRITE_LOCK_KEY

    before = [
        "SET client_min_messages = warning;",
        f"SET lock_timeout = '{PG_LOCK_TIMEOUT}';",
        f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY});",
    ]
    after: list[str] = []
    for table in current.identity:
        before.append(
            f"CREATE TEMP TABLE klaten_simpan_{table} ON COMMIT DROP AS SELECT * FROM public.{_quoted(table)};"
        )
        # the columns both the restored table and the kept rows have (an older backup may lack a newer column)
        after.append(
            "DO $klaten$ DECLARE cols text; BEGIN "
            "SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols FROM pg_attribute a "
            f"WHERE a.attrelid = 'public.{_quoted(table)}'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
            "AND a.attname IN (SELECT k.attname FROM pg_attribute k "
            f"WHERE k.attrelid = 'pg_temp.klaten_simpan_{table}'::regclass AND k.attnum > 0 AND NOT k.attisdropped); "
            f"EXECUTE 'DELETE FROM public.{_quoted(table)}'; "
            f"EXECUTE format('INSERT INTO public.{_quoted(table)} (%s) SELECT %s FROM pg_temp.klaten_simpan_{table}', "
            "cols, cols); END $klaten$;"
        )
    if "office" in current.identity and "sync_package" in current.tables:
        keep, carry = _sync_scripts(restored_at, archive=ARCHIVE_TABLE in current.tables)
        before.append(keep)
        after.append(carry)
    if current.tables:
        before.append("DROP TABLE IF EXISTS " + ", ".join(f"public.{_quoted(t)}" for t in current.tables) + " CASCADE;")
    for function in current.functions:
        before.append(f"DROP FUNCTION IF EXISTS public.{function} CASCADE;")
    return "\n".join(before), "\n".join(after) or "SELECT 1;"


def _feed(sink: IO[bytes], pg_restore: Path, source: Path, before: str, after: str, errors: IO[bytes]) -> int:
    """Write the whole transaction into psql's input; pg_restore's exit code (COMMIT written only when it is 0)."""
    try:
        script = subprocess.Popen(
            [str(pg_restore), "--no-owner", "--no-privileges", "--file=-", str(source)],
            stdout=subprocess.PIPE,
            stderr=errors,
            creationflags=pg_tools.NO_WINDOW,
        )
    except OSError:
        sink.close()
        return -1
    assert script.stdout is not None
    try:
        sink.write(f"BEGIN;\n{before}\n".encode())
        shutil.copyfileobj(script.stdout, sink, 1 << 20)
        code = script.wait()
        if code == 0:
            sink.write(f"\n{after}\nCOMMIT;\n".encode())
    except (BrokenPipeError, OSError):  # psql stopped at an error: it says why
        script.kill()
        code = script.wait()
    finally:
        script.stdout.close()
        with contextlib.suppress(OSError):
            sink.close()
    return code


def restore_server(url: str, backups_dir: Path, source: Path, *, now: dt.datetime, actor: Actor) -> ServerRestoreResult:
    """Put the ``pg_dump -Fc`` archive ``source`` back into the server database ``url``, all or nothing (see the
    module text); ``now`` is local time (the name of the safety copy)."""
    from klaten_desktop.services.bootstrap import server_label

    require(actor, Permission.restore)
    revision = verify_server_backup(source)
    purpose = PURPOSE
    pg_restore = pg_tools.require("pg_restore", purpose)
    psql = pg_tools.require("psql", purpose)
    label = server_label(url)
    try:
        current = _current(url)
    except Exception as exc:
        orig = getattr(exc, "orig", None)
        if orig is None and not isinstance(exc, OSError):
            raise
        raise EnvironmentProblem(
            f"Server basis data {label} tidak dapat dipakai saat ini ({str(orig or exc).strip().splitlines()[0]}). "
            "Tidak ada yang diubah."
        ) from exc
    safety = None
    if current.tables:
        stamp = now.strftime("%Y%m%d-%H%M%S")
        safety = backup.write_dump(
            url, backup.free_name(backups_dir, f"{backup.PREFIX}{stamp}-pemulihan", ".dump")
        ).path
    restored_at = now.astimezone(dt.UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    before, after = _server_scripts(current, restored_at)
    # psql runs one transaction we write ourselves: BEGIN, the SQL before, the archive's script as pg_restore
    # writes it, the SQL after, and COMMIT only once pg_restore finished well. Whatever stops early (pg_restore
    # failing, psql stopping at an error, this process killed) leaves the transaction open, and the server rolls
    # it back when psql's session ends.
    with tempfile.TemporaryFile() as script_errors, tempfile.TemporaryFile() as loader_errors:
        try:
            loader = subprocess.Popen(
                [str(psql), "--no-psqlrc", "--quiet", "--no-password", "--set=ON_ERROR_STOP=1", "--file=-"],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=loader_errors,
                env=pg_tools.environment(url),
                creationflags=pg_tools.NO_WINDOW,
            )
        except OSError as exc:
            raise EnvironmentProblem(f"{purpose} gagal: {psql.name} tidak dapat dijalankan ({exc}).") from exc
        assert loader.stdin is not None
        script_code = _feed(loader.stdin, pg_restore, source, before, after, script_errors)
        try:
            loader.wait(timeout=pg_tools.TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:  # never committed: the server rolls it back
            loader.kill()
            raise EnvironmentProblem(
                f"{purpose} gagal: {psql.name} tidak selesai; basis data server tidak diubah."
            ) from exc
        script_errors.seek(0)
        loader_errors.seek(0)
        script_text = script_errors.read().decode("utf-8", "replace")
        loader_text = loader_errors.read().decode("utf-8", "replace")
    if loader.returncode != 0:
        raise EnvironmentProblem(
            f"{purpose} gagal ({pg_tools.failure(psql, loader_text)}); seluruh pemulihan dibatalkan, basis data "
            f"server {label} tetap seperti sebelumnya."
        )
    if script_code != 0:
        raise EnvironmentProblem(
            f"{purpose} gagal ({pg_tools.failure(pg_restore, script_text)}); seluruh pemulihan dibatalkan, basis "
            f"data server {label} tetap seperti sebelumnya."
        )
    log.info("Server backup %s restored into %s (schema %s)", source.name, label, revision)
    carried = continuity.Carried(_carried(loader_text), False, False)
    return ServerRestoreResult(source, revision, label, safety, bool(current.identity), carried)
