"""The work behind the Sinkronisasi screen: plain functions ``fn(progress, cancelled, ...)`` for a Worker.

A package that is refused is not a failure of the whole batch: each file's outcome (result or the service's
Indonesian reason) is returned so the screen can list them side by side.
"""

from __future__ import annotations

from pathlib import Path

from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.sync import export, importer


def export_package(
    progress: Progress,
    cancelled: CancelCheck,
    ctx: ServiceContext,
    actor: Actor,
    path: Path,
    full: bool,
    to: str | None,
) -> export.ExportResult:
    return export.export(ctx, actor, path, full=full, to=to, progress=progress, cancelled=cancelled)


def check_packages(
    progress: Progress,
    cancelled: CancelCheck,
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    new_install: bool,
    rebase: bool = False,
) -> list[importer.PackageOutcome]:
    """Dry run of the files as one batch (each sees the ones before it); nothing is written."""
    return importer.import_packages(
        ctx, actor, paths, dry_run=True, new_install=new_install, rebase=rebase, progress=progress, cancelled=cancelled
    )


def import_packages(
    progress: Progress,
    cancelled: CancelCheck,
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    new_install: bool,
    rebase: bool = False,
) -> list[importer.PackageOutcome]:
    """The real import (after an automatic backup): one transaction, each package whole or not at all. A cancel
    keeps nothing and says so."""
    return importer.import_packages(
        ctx, actor, paths, dry_run=False, new_install=new_install, rebase=rebase, progress=progress, cancelled=cancelled
    )


def import_return_package(
    _progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext, actor: Actor, path: Path
) -> importer.ImportResult:
    """A return package at a kecamatan: its corrections wait for review, nothing is applied yet."""
    return importer.import_package(ctx, actor, path)
