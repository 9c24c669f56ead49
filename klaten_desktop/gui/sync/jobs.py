"""The work behind the Sinkronisasi screen: plain functions ``fn(progress, cancelled, ...)`` for a Worker.

A package that is refused is not a failure of the whole batch: each file's outcome (result or the service's
Indonesian reason) is returned so the screen can list them side by side.
"""

from __future__ import annotations

from pathlib import Path

from klaten_desktop.gui.kit.workers import CancelledFn, ProgressFn, WorkCancelled
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync import export, importer


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


def check_packages(
    progress: ProgressFn,
    cancelled: CancelledFn,
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    new_install: bool,
) -> list[importer.PackageOutcome]:
    """Dry run of the files as one batch (each sees the ones before it); nothing is written, so a cancel is
    quiet."""
    try:
        return importer.import_packages(
            ctx, actor, paths, dry_run=True, new_install=new_install, progress=progress, cancelled=cancelled
        )
    except importer.BatchCancelled:
        raise WorkCancelled from None


def import_packages(
    progress: ProgressFn,
    cancelled: CancelledFn,
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    new_install: bool,
) -> list[importer.PackageOutcome]:
    """The real import: one transaction, each package whole or not at all. A cancel keeps nothing and says so
    (the service's :class:`importer.BatchCancelled` message is shown like any refusal)."""
    return importer.import_packages(
        ctx, actor, paths, dry_run=False, new_install=new_install, progress=progress, cancelled=cancelled
    )


def import_return_package(
    _progress: ProgressFn, _cancelled: CancelledFn, ctx: ServiceContext, actor: Actor, path: Path
) -> importer.ImportResult:
    """A return package at a kecamatan: its corrections wait for review, nothing is applied yet."""
    return importer.import_package(ctx, actor, path)
