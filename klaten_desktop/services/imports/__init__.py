"""Importing desa spreadsheets of RT/RW officials: read, map columns, dry run, apply in one transaction.

Typical use (the GUI does the same with a preview between plan and apply)::

    table = read_workbook(path)
    mapping = mapping_for(ctx, table)          # or detect_mapping(table), then mapping.with_field(...)
    plan = plan_import(ctx, table, mapping, desa_kode=None)
    result = apply_import(ctx, actor, plan)
    write_error_workbook(plan, table, "ditolak.xlsx")
"""

from __future__ import annotations

from klaten_desktop.services.imports.apply import ImportResult, apply_import
from klaten_desktop.services.imports.error_workbook import write_error_workbook
from klaten_desktop.services.imports.header import ColumnMapping, detect_mapping, mapping_from_header_row
from klaten_desktop.services.imports.mapping_memory import mapping_for, remember_mapping
from klaten_desktop.services.imports.plan import ImportPlan, Outcome, PlannedRow, plan_import
from klaten_desktop.services.imports.reader import RawTable, read_workbook

__all__ = [
    "ColumnMapping",
    "ImportPlan",
    "ImportResult",
    "Outcome",
    "PlannedRow",
    "RawTable",
    "apply_import",
    "detect_mapping",
    "mapping_for",
    "mapping_from_header_row",
    "plan_import",
    "read_workbook",
    "remember_mapping",
    "write_error_workbook",
]
