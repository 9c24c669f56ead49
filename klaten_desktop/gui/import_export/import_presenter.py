"""The Impor screen without Qt: what it holds (file, column mapping, desa, preview), the phase of its work, which
actions each phase allows, and the work each action hands to the task runner.

The work itself is the plain functions of ``jobs`` (``fn(progress, cancelled, ...)``); a :class:`Job` says which
one runs with which arguments, what the progress dialog and the status line say meanwhile. The widget
(``import_panel``) binds its signals to these methods, runs the jobs and shows what this holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from klaten_desktop.gui.import_export.jobs import (
    LoadedFile,
    Preview,
    apply_plan,
    load_file,
    make_preview,
    save_rejected,
    save_template,
)
from klaten_desktop.gui.import_export.preview_rows import column_letter, counts_text
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.imports import ColumnMapping, ImportPlan, ImportResult, mapping_from_header_row
from klaten_desktop.services.imports.columns import FIELD_LABELS

START_TEXT = (
    "Pilih berkas Excel (.xlsx) atau CSV kiriman desa. Aplikasi membaca berkas, mencocokkan kolomnya, lalu "
    "menampilkan pratinjau. Tidak ada data yang disimpan sebelum Anda menekan \u201cSimpan ke basis data\u201d."
)
READING_TEXT = "Membaca berkas…"
CHECKING_TEXT = "Memeriksa setiap baris…"
SAVING_TEXT = "Menyimpan…"
NOT_PLANNED_TEXT = "Pratinjau belum dibuat. Tekan \u201cPratinjau ulang\u201d untuk mencoba lagi."
TEMPLATE_NAME = "Templat data pengurus RT RW.xlsx"


class Phase(Enum):
    IDLE = "idle"  # no file read yet
    READING = "reading"  # a file, or another sheet of it, is read
    PLANNED = "planned"  # a file is read: its preview is shown (or about to be remade, or cannot be made yet)
    CHECKING = "checking"  # the dry run: every row is checked against the database, nothing is written
    SAVING = "saving"  # the preview is written to the database in one go
    DONE = "done"  # saved, and nothing chosen since: the preview shows the file against the new data


#: The phases in which the screen's own work runs on the task runner.
WORKING = frozenset({Phase.READING, Phase.CHECKING, Phase.SAVING})


@dataclass(frozen=True)
class Status:
    """The line under the preview."""

    text: str
    error: bool = False


@dataclass(frozen=True)
class Actions:
    """What may be done now: one flag per button, and whether the inputs of the dry run may change."""

    choose: bool  # Pilih berkas (Ctrl+O)
    template: bool  # Unduh templat
    replan: bool  # Pratinjau ulang
    apply: bool  # Simpan ke basis data (Ctrl+S)
    rejected: bool  # Simpan baris yang ditolak
    restore: bool  # Kembalikan pemetaan awal
    desa: bool  # the desa for the whole file
    mapping: bool  # the column mapping (header row, sheet, field choosers)


@dataclass(frozen=True)
class Job:
    """Work for the task runner: ``fn(progress, cancelled, *args)``."""

    phase: Phase | None  # the phase while it runs; None: a file is written beside the import (the phase stays)
    label: str  # the progress dialog
    status: str  # the status line meanwhile
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    cancellable: bool = True
    restore_status: bool = False  # when it is done the status line says again what it said before


class ImportPresenter:
    """The state of one Impor screen. ``busy`` is the task runner's (this screen's work or the Ekspor tab's);
    ``replan_pending`` is true while a preview asked for by a choice waits to start (the table shows the old one)."""

    def __init__(self, ctx: ServiceContext, actor: Actor, desa_names: Mapping[str, str]) -> None:
        self.ctx = ctx
        self.actor = actor
        self.desa_names = dict(desa_names)
        self.phase = Phase.IDLE
        self.busy = False
        self.replan_pending = False
        self.loaded: LoadedFile | None = None
        self.mapping: ColumnMapping | None = None
        self.desa_kode: str | None = None  # one desa for the whole file (None: the file's Desa column)
        self.shown: Preview | None = None  # the preview in the table (perhaps about to be remade)
        self.result: ImportResult | None = None  # the last save of this file
        self.status = Status(START_TEXT)
        self.moved_note = ""  # said once after a choice took a field from another column
        self.folder: Path | None = None  # where the last file was opened or saved
        self._corrected = False  # the user changed the mapping found (it is remembered when saved)
        self._saved = False  # saved, and nothing chosen since

    # ------------------------------------------------------------------------------ what the screen shows

    @property
    def preview(self) -> Preview | None:
        """The preview of the current file, mapping and desa; None while none is made or one is about to be remade."""
        return None if self.replan_pending else self.shown

    def actions(self) -> Actions:
        busy = self.busy
        plan = self.preview.plan if self.preview is not None else None
        # while a file is read or a save runs nothing may change what it works on; a preview is simply remade
        inputs = not busy or self.phase is Phase.CHECKING
        return Actions(
            choose=not busy,
            template=not busy,
            replan=not busy and self.loaded is not None,
            apply=not busy and plan is not None and plan.writes > 0,
            rejected=not busy and plan is not None and plan.rejected > 0,
            restore=not busy and self.mapping_changed(),
            desa=inputs,
            mapping=self.loaded is not None and inputs,
        )

    def mapping_changed(self) -> bool:
        """The mapping differs from the one found when the file was read."""
        if self.loaded is None or self.mapping is None:
            return False
        found = self.loaded.mapping
        return (self.mapping.header_row, self.mapping.fields) != (found.header_row, found.fields)

    def missing(self) -> list[str]:
        """The fields the preview needs that no column gives (the desa is not needed when one is chosen)."""
        return self.mapping.missing(desa_chosen=self.desa_kode is not None) if self.mapping is not None else []

    def mapping_notes(self) -> list[Status]:
        """The lines above the field choosers (``error``: said in red)."""
        assert self.loaded is not None and self.mapping is not None
        notes: list[Status] = []
        if self.loaded.problem and not self._corrected:
            notes.append(Status(self.loaded.problem, error=True))
        elif self.mapping.remembered:
            notes.append(Status("Pemetaan diambil dari koreksi Anda sebelumnya untuk berkas berbentuk sama."))
        else:
            notes.append(Status("Periksa isian tiap kolom; ubah bila ada yang keliru. Pratinjau langsung diperbarui."))
        if self.moved_note:
            notes.append(Status(self.moved_note))
        missing = self.missing()
        if missing:
            notes.append(Status(f"Belum dipetakan: {', '.join(missing)}.", error=True))
        return notes

    def counts_line(self) -> str:
        if self.shown is None:
            return "Belum ada pratinjau" if self.loaded is None else ""
        plan = self.shown.plan
        return f"{plan.rows_read} baris data: {counts_text(plan)}"

    # ------------------------------------------------------------------------------ the phases

    def begin(self, job: Job) -> Phase:
        """``job`` goes to the task runner: its phase begins (a side job keeps the phase). Returns the phase before,
        for :meth:`refused`."""
        before = self.phase
        if job.phase is not None:
            self.phase = job.phase
        return before

    def refused(self, before: Phase) -> None:
        """The task runner did not take the job."""
        self.phase = before

    def ended(self) -> None:
        """The screen's work ended (its result, if any, follows): back to the phase of what is held."""
        if self.phase in WORKING:
            self.phase = self._settled()

    def _settled(self) -> Phase:
        if self.loaded is None:
            return Phase.IDLE
        return Phase.DONE if self._saved else Phase.PLANNED

    def _chose(self) -> None:
        """A choice changed what the preview is made of: a save done before no longer describes it."""
        self._saved = False
        if self.phase is Phase.DONE:
            self.phase = Phase.PLANNED

    # ------------------------------------------------------------------------------ reading the file

    def open_job(self, path: Path) -> Job:
        self.folder = path.parent
        return Job(Phase.READING, f"Membaca {path.name}…", READING_TEXT, load_file, (self.ctx, path, None))

    def sheet_job(self, name: str) -> Job | None:
        """Read another sheet of the file (None: no file, or that sheet is the one read)."""
        if self.loaded is None or name == self.loaded.table.sheet:
            return None
        args = (self.ctx, self.loaded.path, name)
        return Job(Phase.READING, f"Membaca lembar \u201c{name}\u201d…", READING_TEXT, load_file, args)

    def file_read(self, loaded: LoadedFile) -> None:
        self.loaded = loaded
        self.mapping = loaded.mapping
        self._corrected = False
        self.moved_note = ""
        self.result = None
        self._saved = False
        self.phase = Phase.PLANNED

    # ------------------------------------------------------------------------------ choices

    def choose_field(self, column: int, field: str) -> None:
        """Column ``column`` gives ``field`` ("": nothing); a column that gave it before is ignored now."""
        if self.mapping is None:
            return
        self._corrected = True
        before = self.mapping.column_of(field) if field else None
        self.moved_note = ""
        if before is not None and before != column:  # one column per field: the other one is now ignored
            self.moved_note = (
                f"{FIELD_LABELS[field]} kini diambil dari kolom {column_letter(column)}; "
                f"kolom {column_letter(before)} diabaikan."
            )
        self.mapping = self.mapping.with_field(column, field or None)
        self._chose()

    def choose_desa(self, kode: str | None) -> None:
        self.desa_kode = kode
        self._chose()

    def choose_header_row(self, row: int) -> bool:
        """The column titles are on sheet row ``row`` (0-based; -1: none). True when the mapping was made anew."""
        if self.loaded is None or self.mapping is None or row == self.mapping.header_row:
            return False
        self._corrected = True
        self.moved_note = ""
        self.mapping = mapping_from_header_row(self.loaded.table, row)
        self._chose()
        return True

    def restore_found(self) -> bool:
        """Back to the mapping found when the file was read. True when the header row changes with it."""
        assert self.loaded is not None and self.mapping is not None
        self._corrected = False
        self.moved_note = ""
        found = self.loaded.mapping
        rebuild = found.header_row != self.mapping.header_row
        self.mapping = found
        self._chose()
        return rebuild

    # ------------------------------------------------------------------------------ the dry run

    def show_plan(self, preview: Preview | None) -> None:
        """``preview`` is shown (None: the table is emptied); the status line says what can be done with it."""
        self.shown = preview
        if preview is None:
            if self.loaded is None:
                self.status = Status(START_TEXT)
            return
        self.status = plan_status(preview.plan)

    def plan_job(self) -> Job | None:
        """The dry run of the current file, mapping and desa; None (the status line says why) while the mapping
        lacks a column the preview needs."""
        assert self.loaded is not None and self.mapping is not None
        missing = self.missing()
        if missing:
            self.status = Status(
                "Pratinjau belum dapat dibuat. Kolom berikut belum dipetakan: "
                + ", ".join(missing)
                + ". Pilih isiannya pada pemetaan kolom di sebelah kiri.",
                error=True,
            )
            return None
        args = (self.ctx, self.loaded.table, self.mapping, self.desa_kode, self.desa_names)
        return Job(Phase.CHECKING, CHECKING_TEXT, CHECKING_TEXT, make_preview, args)

    def plan_failed(self) -> None:
        """The dry run failed or was cancelled: said so unless a preview is shown or another one follows."""
        if self.shown is None and not self.replan_pending:
            self.status = Status(NOT_PLANNED_TEXT)

    # ------------------------------------------------------------------------------ saving

    def apply_job(self) -> Job | None:
        """Write the preview shown (None: there is none, or it writes nothing)."""
        preview = self.preview
        if preview is None or preview.plan.writes == 0:
            return None
        args = (self.ctx, self.actor, preview.plan, self._corrected)
        return Job(Phase.SAVING, "Menyimpan ke basis data…", SAVING_TEXT, apply_plan, args, cancellable=False)

    def saved(self, result: ImportResult) -> None:
        self._corrected = False
        self.result = result
        self._saved = True
        self.phase = Phase.DONE
        self.status = Status(result.message())

    # ------------------------------------------------------------------------------ files written beside

    def rejected_suggestion(self) -> Path | None:
        """Where the rejected rows would go (None: nothing rejected in the preview shown)."""
        preview = self.preview
        if preview is None or preview.plan.rejected == 0 or self.loaded is None:
            return None
        return (self.folder or Path.home()) / f"{Path(preview.plan.source).stem} - baris ditolak.xlsx"

    def template_suggestion(self) -> Path:
        return (self.folder or Path.home()) / TEMPLATE_NAME

    def chosen_path(self, path: Path) -> Path:
        """The path chosen in a save dialog, .xlsx added if it lacks it; the next dialog opens in its folder."""
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self.folder = path.parent
        return path

    def rejected_job(self, out: Path) -> Job:
        assert self.shown is not None and self.loaded is not None
        text = "Menyimpan baris yang ditolak…"
        args = (self.shown.plan, self.loaded.table, out)
        return Job(None, text, text, save_rejected, args, restore_status=True)

    def template_job(self, out: Path) -> Job:
        return Job(None, "Membuat templat…", "Membuat templat…", save_template, (self.ctx, out), restore_status=True)


def plan_status(plan: ImportPlan) -> Status:
    """What the status line says about a preview made."""
    if plan.rows_read == 0:
        return Status("Tidak ada baris data di bawah baris judul. Periksa baris judul kolom.", error=True)
    if plan.writes == 0:
        return Status(
            "Tidak ada yang perlu disimpan: semua baris tidak berubah atau ditolak."
            + (" Simpan baris yang ditolak untuk dikirim kembali ke desa." if plan.rejected else "")
        )
    rejected = f" {plan.rejected} baris yang ditolak tidak ikut disimpan." if plan.rejected else ""
    return Status(
        f"Belum ada yang disimpan. Periksa pratinjau, lalu tekan \u201cSimpan ke basis data\u201d untuk "
        f"menyimpan {plan.created} pengurus baru dan {plan.updated} perubahan sekaligus.{rejected}"
    )


def save_question(plan: ImportPlan) -> str:
    """The confirmation asked before a save."""
    return (
        f"Simpan hasil impor \u201c{plan.source}\u201d ke basis data?\n\n"
        f"{plan.created} pengurus baru dan {plan.updated} perubahan data akan disimpan sekaligus. "
        f"{plan.unchanged} baris tidak berubah."
        + (f" {plan.skipped} baris salinan dilewati." if plan.skipped else "")
        + (f" {plan.rejected} baris ditolak tidak disimpan." if plan.rejected else "")
    )


def one_desa(plan: ImportPlan) -> bool:
    """One desa for the whole file and no desa column: the Desa column would repeat it on every line."""
    return plan.desa_kode is not None and not plan.mapping.has("desa") and not plan.mapping.has("kode_desa")


def rejected_saved_text(count: object, out: Path) -> str:
    return (
        f"{count} baris yang ditolak disimpan ke {out.name}, dengan kolom \u201cAlasan Ditolak\u201d. "
        "Kirim berkas ini ke desa untuk diperbaiki, lalu impor lagi."
    )


def template_saved_text(out: Path) -> str:
    return f"Templat disimpan ke {out.name}. Kirim ke desa; lembar \u201cPetunjuk\u201d menjelaskan cara mengisinya."
