"""The work behind the Sinkronisasi screen: plain functions ``fn(progress, cancelled, ...)`` for a Worker.

A package that is refused is not a failure of the whole batch: each file's outcome (result or the service's
Indonesian reason) is returned so the screen can list them side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.gui.workers import CancelledFn, ProgressFn, WorkCancelled
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.sync import export, importer


@dataclass(frozen=True)
class FileOutcome:
    """One package file: the import (or dry-run) result, or why it was refused."""

    path: Path
    result: importer.ImportResult | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.result is not None


def export_package(
    progress: ProgressFn,
    cancelled: CancelledFn,
    ctx: ServiceContext,
    actor: Actor,
    path: Path,
    full: bool,
    to: str | None,
) -> export.ExportResult:
    try:
        return export.export(ctx, actor, path, full=full, to=to, progress=progress, cancelled=cancelled)
    except UserError:
        if cancelled():  # the service rolled back and said so; a cancel is quiet
            raise WorkCancelled from None
        raise


def _one(ctx: ServiceContext, actor: Actor, path: Path, dry_run: bool, new_install: bool) -> FileOutcome:
    try:
        result = importer.import_package(ctx, actor, path, dry_run=dry_run, new_install=new_install)
    except (UserError, EnvironmentProblem) as exc:
        return FileOutcome(path, None, exc.message)
    return FileOutcome(path, result, None)


def check_packages(
    progress: ProgressFn,
    cancelled: CancelledFn,
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    new_install: bool,
) -> list[FileOutcome]:
    """Dry run of every file (nothing is written); stops between files when cancelled."""
    outcomes = []
    for n, path in enumerate(paths):
        if cancelled():
            raise WorkCancelled
        outcomes.append(_one(ctx, actor, path, True, new_install))
        progress(n + 1, len(paths))
    return outcomes


def import_packages(
    progress: ProgressFn,
    _cancelled: CancelledFn,
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    new_install: bool,
) -> list[FileOutcome]:
    """The real import, one transaction per package (all of a package or none of it). Not cancellable:
    the files already imported stay imported, and the list says which."""
    outcomes = []
    for n, path in enumerate(paths):
        outcomes.append(_one(ctx, actor, path, False, new_install))
        progress(n + 1, len(paths))
    return outcomes


def import_return_package(
    _progress: ProgressFn, _cancelled: CancelledFn, ctx: ServiceContext, actor: Actor, path: Path
) -> importer.ImportResult:
    """A return package at a kecamatan: its corrections wait for review, nothing is applied yet."""
    return importer.import_package(ctx, actor, path)
