"""Backups through the SQLite online backup API (a file copy of a live WAL database is not a backup)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.db.migrate import backup_database
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

PREFIX = "klaten-cadangan-"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    modified: dt.datetime


def create(ctx: ServiceContext, target: Path | None = None, *, now: dt.datetime | None = None) -> BackupInfo:
    if ctx.database is None or ctx.backups_dir is None:
        raise UserError("Lokasi basis data tidak diketahui; cadangan tidak dapat dibuat.")
    # the file name carries the PC's local time of the one clock (ctx.now() is naive UTC)
    local = now or ctx.now().replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)
    stamp = local.strftime("%Y%m%d-%H%M%S")
    target = target or ctx.backups_dir / f"{PREFIX}{stamp}.sqlite"
    try:
        backup_database(ctx.database, target)
    except OSError as exc:
        raise EnvironmentProblem(environment_message(exc) or f"Cadangan gagal ditulis: {exc.strerror}") from exc
    stat = target.stat()
    return BackupInfo(target, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime))


def latest(ctx: ServiceContext) -> BackupInfo | None:
    """The newest backup in the backup folder (scheduled, manual or pre-migration)."""
    if ctx.backups_dir is None or not ctx.backups_dir.exists():
        return None
    files = [p for p in ctx.backups_dir.glob("*.sqlite") if p.is_file()]
    if not files:
        return None
    newest = max(files, key=lambda p: p.stat().st_mtime)
    stat = newest.stat()
    return BackupInfo(newest, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime))
