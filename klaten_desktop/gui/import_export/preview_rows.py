"""The dry-run preview's rows without Qt: one per spreadsheet row with its outcome and reasons, and the counts
sentence above them (the table model in ``preview_model`` shows them); how a sheet's columns are named."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.domain.formatting import format_rt_rw
from klaten_desktop.services.imports import ImportPlan, Outcome, PlannedRow, RawTable
from klaten_desktop.services.imports.cells import cell_text
from klaten_desktop.services.imports.columns import FIELD_LABELS

#: What the screen calls each outcome (the counts sentence uses the same words in lower case).
OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.created: "Baru",
    Outcome.updated: "Diperbarui",
    Outcome.unchanged: "Tidak berubah",
    Outcome.rejected: "Ditolak",
    Outcome.skipped: "Dilewati",
}
WARNINGS_FILTER = "warnings"

_CHANGE_LABELS = {**FIELD_LABELS, "desa_kode": "Desa"}


@dataclass(frozen=True)
class PreviewRow:
    sheet_row: int
    outcome: Outcome
    nama: str
    nik: str
    desa: str
    jabatan: str
    rt_rw: str
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    changed: tuple[str, ...]  # labels of the fields an update changes

    @property
    def notes(self) -> str:
        return "; ".join(self._note_parts())

    @property
    def notes_text(self) -> str:
        """The notes as sentences (the line under the table), not parted by semicolons."""
        return " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in self._note_parts())

    def _note_parts(self) -> list[str]:
        parts = list(self.errors)
        if self.changed:
            parts.append("Diubah: " + ", ".join(self.changed))
        parts.extend(f"Peringatan: {w}" for w in self.warnings)
        return parts


def counts_text(plan: ImportPlan) -> str:
    """ "12 baru, 3 diperbarui, 40 tidak berubah, 2 ditolak" (never "berhasil": nothing is written yet)."""
    text = f"{plan.created} baru, {plan.updated} diperbarui, {plan.unchanged} tidak berubah, {plan.rejected} ditolak"
    if plan.warnings:
        text += f" · {plan.warnings} baris dengan peringatan"
    return text


def preview_rows(plan: ImportPlan, table: RawTable, desa_names: Mapping[str, str]) -> list[PreviewRow]:
    """Rows for the preview: normalised values where the plan has them, else the cells as the sheet holds them."""
    col = {f: i for i, f in enumerate(plan.mapping.fields) if f is not None}

    def raw(cells: Sequence[object], field: str) -> str:
        i = col.get(field)
        if i is None or i >= len(cells):
            return ""
        return cell_text(cells[i]) or ""

    result: list[PreviewRow] = []
    for row in plan.rows:
        cells = table.rows[row.index]
        values = row.values
        result.append(
            PreviewRow(
                sheet_row=row.sheet_row,
                outcome=row.outcome,
                nama=row.nama or raw(cells, "nama"),
                nik=row.nik or raw(cells, "nik"),
                desa=_desa(row, cells, raw, desa_names),
                jabatan=Jabatan(values["jabatan"]).label if values and values.get("jabatan") else raw(cells, "jabatan"),
                rt_rw=_rt_rw(values, cells, raw),
                errors=row.errors,
                warnings=row.warnings,
                changed=tuple(_CHANGE_LABELS.get(c, c) for c, _old, _new in row.changes),
            )
        )
    return result


def _desa(
    row: PlannedRow, cells: Sequence[object], raw: Callable[[Sequence[object], str], str], names: Mapping[str, str]
) -> str:
    if row.desa_kode:
        return names.get(row.desa_kode, row.desa_kode)
    return raw(cells, "desa") or raw(cells, "kode_desa")


def _rt_rw(
    values: Mapping[str, Any] | None, cells: Sequence[object], raw: Callable[[Sequence[object], str], str]
) -> str:
    if values is not None:
        return format_rt_rw(values.get("rt"), values.get("rw"))
    pair = raw(cells, "rt_rw")
    if pair:
        return pair
    rt, rw = raw(cells, "rt"), raw(cells, "rw")
    return f"{rt or '-'}/{rw or '-'}" if rt or rw else ""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    letters = ""
    n = index + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
