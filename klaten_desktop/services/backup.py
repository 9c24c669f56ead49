"""Backups through the SQLite online backup API (a file copy of a live WAL database is not a backup).

- :func:`create`: one backup now, named ``klaten-cadangan-<YYYYMMDD-HHMMSS>[-<reason>].sqlite`` (the PC's local
  time of ``ctx.now()``), written as ``*.part``, checked with ``PRAGMA quick_check``, then renamed into place.
- :func:`auto`: the automatic backups (at start and every 30 minutes only when the database changed since the
  newest backup; before an import, a migration, a restore, a sync import always), then :func:`rotate`.
- :func:`rotate`: keeps the 10 newest, the newest of each of the last 7 days, 4 weeks and 12 months, judged by
  the time stamps in the file names (never by file dates, which a copy to a flash disk changes).
- :func:`copy_to`: a second copy in a chosen folder (a flash disk), on demand and at closing when set.

Restoring is in :mod:`klaten_desktop.services.restore`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.db.migrate import DatabaseUnreadableError, backup_database
from klaten_desktop.services import settings
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

PREFIX = "klaten-cadangan-"
_NAME = re.compile(r"^(?:klaten-cadangan-|sebelum-migrasi-.*-)(\d{8}-\d{6})(?:-[a-z0-9-]+)?(?:-\d+)?\.sqlite$")
_ROTATED = re.compile(r"^klaten-cadangan-(\d{8}-\d{6})(?:-[a-z0-9-]+)?\.sqlite$")

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


def _free_name(folder: Path, stem: str) -> Path:
    target = folder / f"{stem}.sqlite"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}.sqlite"
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


#: Backups of a database on a PostgreSQL server are the server's tools' job (for now; docs/server-mode.md).
SERVER_MESSAGE = (
    "Basis data berada di server PostgreSQL; cadangannya dibuat di server dengan pg_dump (mis. pg_dump -Fc -f "
    "klaten.dump NAMA_BASIS_DATA) dan dipulihkan dengan pg_restore, dijadwalkan oleh pengelola server. Klaten "
    "Desktop belum membuat cadangan server sendiri."
)


def refuse_on_server(ctx: ServiceContext) -> None:
    """A clear refusal, pointing to pg_dump, when the database is on a PostgreSQL server."""
    if ctx.on_server:
        raise UserError(SERVER_MESSAGE)


def create(
    ctx: ServiceContext, target: Path | None = None, *, now: dt.datetime | None = None, reason: str | None = None
) -> BackupInfo:
    refuse_on_server(ctx)
    if ctx.database is None or ctx.backups_dir is None:
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    if target is None:
        stamp = (now or _local_now(ctx)).strftime("%Y%m%d-%H%M%S")
        target = _free_name(ctx.backups_dir, f"{PREFIX}{stamp}" + (f"-{reason}" if reason else ""))
    return write_backup(ctx.database, target)


def before_repair(ctx: ServiceContext) -> BackupInfo:
    """A copy of the file as it is (damaged, so not checked) before ``check --repair`` changes it; not rotated."""
    refuse_on_server(ctx)
    if ctx.database is None or ctx.backups_dir is None:
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    stamp = _local_now(ctx).strftime("%Y%m%d-%H%M%S")
    return write_backup(ctx.database, _free_name(ctx.backups_dir, f"sebelum-perbaikan-{stamp}"), verify=False)


def listing(ctx: ServiceContext) -> list[BackupInfo]:
    """Every backup in the backup folder named by the app, newest first (by the time in the name)."""
    if ctx.backups_dir is None:
        return []
    return list_folder(ctx.backups_dir)


def list_folder(folder: Path) -> list[BackupInfo]:
    if not folder.is_dir():
        return []
    found = [_info(p) for p in folder.glob("*.sqlite") if p.is_file() and stamp_of(p.name) is not None]
    return sorted(found, key=lambda b: (b.taken or dt.datetime.min, b.path.name), reverse=True)


def latest(ctx: ServiceContext) -> BackupInfo | None:
    """The newest backup in the backup folder (scheduled, manual or pre-migration)."""
    found = listing(ctx)
    return found[0] if found else None


def changed_since_backup(ctx: ServiceContext) -> bool:
    """Whether the database (or its write-ahead log) was written after the newest backup was made."""
    newest = latest(ctx)
    if newest is None or ctx.database is None:
        return True
    made = newest.path.stat().st_mtime_ns
    files = (ctx.database, ctx.database.with_name(ctx.database.name + "-wal"))
    return any(f.exists() and f.stat().st_mtime_ns > made for f in files)


def auto(ctx: ServiceContext, reason: str) -> BackupInfo | None:
    """An automatic backup for ``reason`` (see :data:`REASONS`), then rotation; None when none was due.

    ``mulai`` and ``berkala`` back up only when the database changed since the newest backup.
    """
    if reason not in REASONS:
        raise ValueError(reason)
    if ctx.database is None or ctx.backups_dir is None:
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
    for path in folder.glob(f"{PREFIX}*.sqlite"):
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


def copy_to(ctx: ServiceContext, folder: Path) -> BackupInfo:
    """A second backup in ``folder`` (a flash disk), checked after writing, rotated like the main folder."""
    refuse_on_server(ctx)
    if ctx.database is None:
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    if not folder.is_dir():
        raise UserError(f"Folder {folder} tidak ditemukan. Pasang flashdisk itu atau pilih folder lain.")
    stamp = _local_now(ctx).strftime("%Y%m%d-%H%M%S")
    info = write_backup(ctx.database, _free_name(folder, f"{PREFIX}{stamp}"))
    rotate(folder)
    return info
