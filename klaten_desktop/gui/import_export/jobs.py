"""The work behind the Impor/Ekspor screen: plain functions ``fn(progress, cancelled, ...)`` for a Worker.

A cancel comes out of the services as ``runtime.work.Cancelled``; the task shows its message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from klaten_desktop.gui.import_export.preview_rows import PreviewRow, preview_rows
from klaten_desktop.runtime.work import CancelCheck, Progress, check
from klaten_desktop.services import import_template
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.exports import export_officials
from klaten_desktop.services.imports import (
    ColumnMapping,
    ImportPlan,
    ImportResult,
    RawTable,
    apply_import,
    mapping_for,
    mapping_from_header_row,
    plan_import,
    read_workbook,
    remember_mapping,
    write_error_workbook,
)
from klaten_desktop.services.imports.plan import CANCELLED


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    table: RawTable
    mapping: ColumnMapping
    problem: str | None  # why no header row was found (the mapping then starts at the first row)


@dataclass(frozen=True)
class Preview:
    plan: ImportPlan
    rows: list[PreviewRow]


def load_file(
    _progress: Progress, cancelled: CancelCheck, ctx: ServiceContext, path: Path, sheet: str | None
) -> LoadedFile:
    """Read ``path`` (the sheet named ``sheet``, or the one holding the longest list) and map its columns."""
    table = read_workbook(path, sheet=sheet)
    check(cancelled, CANCELLED)
    try:
        return LoadedFile(path, table, mapping_for(ctx, table), None)
    except UserError as exc:  # no recognisable header: the user picks the header row
        return LoadedFile(path, table, mapping_from_header_row(table, 0), exc.message)


def make_preview(
    progress: Progress,
    cancelled: CancelCheck,
    ctx: ServiceContext,
    table: RawTable,
    mapping: ColumnMapping,
    desa_kode: str | None,
    desa_names: Mapping[str, str],
) -> Preview:
    plan = plan_import(ctx, table, mapping, desa_kode=desa_kode, progress=progress, cancelled=cancelled)
    check(cancelled, CANCELLED)
    return Preview(plan, preview_rows(plan, table, desa_names))


def apply_plan(
    _progress: Progress,
    _cancelled: CancelCheck,
    ctx: ServiceContext,
    actor: Actor,
    plan: ImportPlan,
    remember: bool,
) -> ImportResult:
    """Write the plan (one transaction), then remember the mapping the user corrected for the next file."""
    result = apply_import(ctx, actor, plan)
    if remember:
        remember_mapping(ctx, actor, plan.mapping)
    return result


def save_rejected(_progress: Progress, _cancelled: CancelCheck, plan: ImportPlan, table: RawTable, out: Path) -> int:
    return write_error_workbook(plan, table, out)


def save_template(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext, out: Path) -> Path:
    import_template.write_template(ctx, out)
    return out


def export_list(
    progress: Progress,
    cancelled: CancelCheck,
    ctx: ServiceContext,
    actor: Actor,
    out: Path,
    columns: Sequence[str],
    desa_kode: str | None,
    only_unregistered: bool,
    nik: str,
) -> int:
    return export_officials(
        ctx,
        actor,
        out,
        columns=columns,
        desa_kode=desa_kode,
        only_unregistered=only_unregistered,
        csv_for_excel=True,  # the screen offers .csv as "CSV untuk Excel"
        progress=progress,
        cancelled=cancelled,
        nik=nik,
    )
