"""Backups through the SQLite online backup API (a file copy of a live WAL database is not a backup), or on a
PostgreSQL server (server mode) through ``pg_dump -Fc`` (``services/pg_tools.py``).

- :func:`create`: one backup now, named ``klaten-cadangan-<YYYYMMDD-HHMMSS>[-<reason>].sqlite`` (the PC's local
  time of ``ctx.now()``), written as ``*.part``, checked with ``PRAGMA quick_check``, then renamed into place.
- :func:`auto`: the automatic backups (at start and every 30 minutes only when the database changed since the
  newest backup; before an import, a migration, a restore, a sync import always), then :func:`rotate`.
- :func:`rotate`: keeps the 10 newest, the newest of each of the last 7 days, 4 weeks and 12 months, judged by
  the time stamps in the file names (never by file dates, which a copy to a flash disk changes).
- :func:`copy_to`: a second copy in a chosen folder (a flash disk), on demand and at closing when set.

- :func:`make`: a backup someone asked for (the ``backup`` command, Cadangkan sekarang): an admin's or an
  operator's (``Permission.backup``; a backup holds every NIK, like an export), then rotation.

On a PostgreSQL server the same functions write ``klaten-cadangan-<YYYYMMDD-HHMMSS>[-<reason>].dump`` (custom
format, readable by ``pg_restore``) through the one file writer (``services/files.py``: the file appears only once
complete), checked with ``pg_restore --list`` before it is put in place, rotated by the same rules. The automatic
backups (:func:`auto`) are not made there: each PC dumping the shared database every 30 minutes would load the
server, and the server's own scheduled ``pg_dump`` is the safety net (docs/server-mode.md).

Restoring is in :mod:`klaten_desktop.services.restore`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.db.migrate import DatabaseUnreadableError, backup_database
from klaten_desktop.services import audit, pg_tools, settings
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message
from klaten_desktop.services.files import write_atomically

PREFIX = "klaten-cadangan-"
_NAME = re.compile(r"^(?:klaten-cadangan-|sebelum-migrasi-.*-)(\d{8}-\d{6})(?:-[a-z0-9-]+)?(?:-\d+)?\.(?:sqlite|dump)$")
_ROTATED = re.compile(r"^klaten-cadangan-(\d{8}-\d{6})(?:-[a-z0-9-]+)?\.(?:sqlite|dump)$")
#: The file name endings: the SQLite file's copy, a server's pg_dump archive.
SUFFIXES = (".sqlite", ".dump")

#: Reasons that back up only when the database changed since the newest backup.
IF_CHANGED = ("mulai", "berkala")
#: Every reason :func:`auto` knows (also the suffix of the file name).
REASONS = (*IF_CHANGED, "impor", "migrasi", "pemulihan", "impor-sinkron", "penutupan", "perbaikan")
#: How often the window asks for a periodic backup.
PERIOD_MINUTES = 30
KEEP_RECENT, KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 10, 7, 4, 12
#: The office setting holding the folder of the second copy (a flash disk), or None.
COPY_FOLDER_KEY = "cadangan.folder_salinan"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    modified: dt.datetime

    @property
    def taken(self) -> dt.datetime | None:
        """The local time in the file name (None for a file not named by the app)."""
        return stamp_of(self.path.name)

    def as_json(self) -> dict[str, object]:
        taken = self.taken
        return {
            "berkas": str(self.path),
            "ukuran": self.size,
            "waktu": taken.isoformat(sep=" ") if taken else None,
        }


def stamp_of(name: str) -> dt.datetime | None:
    match = _NAME.match(name)
    return dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S") if match else None


def _local_now(ctx: ServiceContext) -> dt.datetime:
    """The PC's local time of the one clock (``ctx.now()`` is naive UTC)."""
    return ctx.now().replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


def _info(path: Path) -> BackupInfo:
    stat = path.stat()
    return BackupInfo(path, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime))


def _suffix(ctx: ServiceContext) -> str:
    return ".dump" if ctx.on_server else ".sqlite"


def free_name(folder: Path, stem: str, suffix: str = ".sqlite") -> Path:
    target = folder / f"{stem}{suffix}"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def write_backup(database: Path, target: Path, *, verify: bool = True) -> BackupInfo:
    """Back ``database`` up to ``target`` (checked, no ``.part`` left on failure); errors in Indonesian."""
    try:
        backup_database(database, target, verify=verify)
    except DatabaseUnreadableError as exc:
        raise EnvironmentProblem(str(exc)) from exc
    except Exception as exc:
        message = environment_message(exc, folder=target.parent)
        if message is None and not isinstance(exc, OSError):
            raise
        raise EnvironmentProblem(message or f"Cadangan gagal ditulis ke {target.parent}.") from exc
    return _info(target)


def write_dump(url: str, target: Path) -> BackupInfo:
    """``pg_dump -Fc`` of the server database ``url`` to ``target``, checked with ``pg_restore --list`` before it is
    put in place (nothing is left under ``target``'s name when either fails); errors in Indonesian."""
    pg_dump = pg_tools.require("pg_dump", "Cadangan basis data server")
    pg_tools.require("pg_restore", "Pemeriksaan cadangan server")

    def dump(temp: Path) -> None:
        pg_tools.run(
            pg_dump, ["--format=custom", "--no-password", f"--file={temp}"], url, what="Cadangan basis data server"
        )
        pg_tools.archive_revision(temp)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentProblem(environment_message(exc) or f"Folder {target.parent} tidak dapat dibuat.") from exc
    write_atomically(target, dump, private=True)  # a backup holds every NIK
    return _info(target)


def _server_url(ctx: ServiceContext) -> str:
    return ctx.engine.url.render_as_string(hide_password=False)


def create(
    ctx: ServiceContext, target: Path | None = None, *, now: dt.datetime | None = None, reason: str | None = None
) -> BackupInfo:
    """One backup now (to ``target``, or named by the time in the backup folder); no role check (the automatic
    backups; a person's backup goes through :func:`make`)."""
    if ctx.backups_dir is None or (ctx.database is None and not ctx.on_server):
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    if target is None:
        stamp = (now or _local_now(ctx)).strftime("%Y%m%d-%H%M%S")
        name = f"{PREFIX}{stamp}" + (f"-{reason}" if reason else "")
        target = free_name(ctx.backups_dir, name, _suffix(ctx))
    elif target.suffix.lower() != _suffix(ctx):
        kind = "server (pg_dump)" if ctx.on_server else "berkas basis data"
        raise UserError(f"Nama cadangan {kind} harus berakhiran {_suffix(ctx)}, misalnya klaten{_suffix(ctx)}.")
    if ctx.on_server:
        return write_dump(_server_url(ctx), target)
    assert ctx.database is not None
    return write_backup(ctx.database, target)


def make(ctx: ServiceContext, actor: Actor, target: Path | None = None) -> BackupInfo:
    """A backup ``actor`` asked for (an admin or an operator): to ``target``, or into the backup folder and then
    rotated. Audited like an export (the file holds every NIK), after it is written."""
    require(actor, Permission.backup)
    info = create(ctx, target)
    if target is None and ctx.backups_dir is not None:
        rotate(ctx.backups_dir)
    with ctx.write() as session:
        audit.record(
            session,
            actor,
            "backup",
            "file",
            None,
            new={"berkas": info.path.name, "ukuran": info.size},
            summary=f"Cadangan {info.path.name}",
        )
    return info


def before_repair(ctx: ServiceContext) -> BackupInfo:
    """A copy of the file as it is (damaged, so not checked) before ``check --repair`` changes it; not rotated.
    (On a server ``check --repair`` changes only the coverage summaries and takes no copy.)"""
    if ctx.database is None or ctx.backups_dir is None:
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    stamp = _local_now(ctx).strftime("%Y%m%d-%H%M%S")
    return write_backup(ctx.database, free_name(ctx.backups_dir, f"sebelum-perbaikan-{stamp}"), verify=False)


def listing(ctx: ServiceContext) -> list[BackupInfo]:
    """Every backup in the backup folder named by the app, newest first (by the time in the name)."""
    if ctx.backups_dir is None:
        return []
    return list_folder(ctx.backups_dir)


def list_folder(folder: Path) -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    found = [
        _info(p) for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file() and stamp_of(p.name) is not None
    ]
    return sorted(found, key=lambda b: (b.taken or dt.datetime.min, b.path.name), reverse=True)


def latest(ctx: ServiceContext) -> BackupInfo | None:
    """The newest backup in the backup folder (scheduled, manual or pre-migration)."""
    found = listing(ctx)
    return found[0] if found else None


def changed_since_backup(ctx: ServiceContext) -> bool:
    """Whether the database (or its write-ahead log) was written after the newest backup was made."""
    if ctx.on_server:
        return True
    newest = latest(ctx)
    if newest is None or ctx.database is None:
        return True
    made = newest.path.stat().st_mtime_ns
    files = (ctx.database, ctx.database.with_name(ctx.database.name + "-wal"))
    return any(f.exists() and f.stat().st_mtime_ns > made for f in files)


def auto(ctx: ServiceContext, reason: str) -> BackupInfo | None:
    """An automatic backup for ``reason`` (see :data:`REASONS`), then rotation; None when none was due.

    ``mulai`` and ``berkala`` back up only when the database changed since the newest backup. None on a
    PostgreSQL server: its backups are the scheduled ``pg_dump`` and the ones people ask for (module text).
    """
    if reason not in REASONS:
        raise ValueError(reason)
    if ctx.on_server or ctx.database is None or ctx.backups_dir is None:
        return None
    if reason in IF_CHANGED and not changed_since_backup(ctx):
        return None
    info = create(ctx, reason=reason)
    rotate(ctx.backups_dir)
    return info


def keep_set(stamps: Iterable[dt.datetime]) -> set[dt.datetime]:
    """The time stamps rotation keeps: the 10 newest and the newest of each of the last 7 days, 4 ISO weeks and
    12 months (each rule counts only periods that have a backup)."""
    ordered = sorted(set(stamps), reverse=True)
    keep = set(ordered[:KEEP_RECENT])
    rules: tuple[tuple[int, Callable[[dt.datetime], object]], ...] = (
        (KEEP_DAILY, lambda t: t.date()),
        (KEEP_WEEKLY, lambda t: t.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda t: (t.year, t.month)),
    )
    for count, period in rules:
        seen: set[object] = set()
        for stamp in ordered:
            key = period(stamp)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > count:
                break
            keep.add(stamp)
    return keep


def rotate(folder: Path) -> list[Path]:
    """Remove the app's regular backups in ``folder`` that rotation does not keep; returns those removed.

    Pre-migration backups and files not named by the app are never touched.
    """
    named: dict[Path, dt.datetime] = {}
    for path in folder.glob(f"{PREFIX}*"):
        match = _ROTATED.match(path.name)
        if match:
            named[path] = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
    keep = keep_set(named.values())
    removed = [p for p, stamp in named.items() if stamp not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return sorted(removed)


def copy_folder(ctx: ServiceContext) -> Path | None:
    value = settings.get(ctx, COPY_FOLDER_KEY)
    return Path(value) if value else None


def set_copy_folder(ctx: ServiceContext, actor: Actor, folder: Path | None) -> None:
    require(actor, Permission.office_settings)
    settings.put(ctx, actor, COPY_FOLDER_KEY, str(folder) if folder else None)


def copy_to(ctx: ServiceContext, actor: Actor, folder: Path) -> BackupInfo:
    """A second backup in ``folder`` (a flash disk), checked after writing, rotated like the main folder.
    ``actor`` asked for it (the one who set the folder; at closing the program itself, :data:`SYSTEM`)."""
    require(actor, Permission.backup)
    if ctx.database is None and not ctx.on_server:
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    if not folder.is_dir():
        raise UserError(f"Folder {folder} tidak ditemukan. Pasang flashdisk itu atau pilih folder lain.")
    stamp = _local_now(ctx).strftime("%Y%m%d-%H%M%S")
    info = create(ctx, free_name(folder, f"{PREFIX}{stamp}", _suffix(ctx)))
    rotate(folder)
    return info
