"""The Impor screen's presenter without Qt: its phases, the actions each allows, the jobs it hands out.

No widget and no qtbot: the jobs run here, inline, through their plain functions on the real SQLite file of ``ctx``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from klaten_desktop.gui.import_export.import_presenter import (
    CHECKING_TEXT,
    NOT_PLANNED_TEXT,
    START_TEXT,
    Actions,
    ImportPresenter,
    Job,
    Phase,
    Status,
    one_desa,
    save_question,
)
from klaten_desktop.gui.import_export.jobs import LoadedFile, Preview
from klaten_desktop.runtime.work import never_cancelled, no_progress
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.imports import ImportResult

from .conftest import SENGON

PHONE_COLUMN = 6  # "Keterangan", column G: the phone numbers, not recognised
NOTHING = Actions(
    choose=False, template=False, replan=False, apply=False, rejected=False, restore=False, desa=False, mapping=False
)


def run(presenter: ImportPresenter, job: Job | None) -> Any:
    """What the task slot does with a job: the phase begins, the runner is busy, the work runs, the phase ends."""
    assert job is not None
    presenter.begin(job)
    presenter.busy = True
    result = job.fn(no_progress, never_cancelled, *job.args)
    presenter.busy = False
    presenter.ended()
    return result


def presenter_for(ctx: ServiceContext) -> ImportPresenter:
    return ImportPresenter(ctx, SYSTEM, {SENGON: "Sengon"})


def read(presenter: ImportPresenter, path: Path) -> None:
    loaded = run(presenter, presenter.open_job(path))
    assert isinstance(loaded, LoadedFile)
    presenter.file_read(loaded)


def plan(presenter: ImportPresenter) -> Preview:
    preview = run(presenter, presenter.plan_job())
    assert isinstance(preview, Preview)
    presenter.show_plan(preview)
    return preview


@pytest.fixture
def planned(on_file: ServiceContext, messy_file: Path) -> ImportPresenter:
    """The messy Sengon file read and previewed for Sengon: 2 new, 2 unchanged, 1 rejected."""
    presenter = presenter_for(on_file)
    presenter.choose_desa(SENGON)
    read(presenter, messy_file)
    plan(presenter)
    return presenter


def test_before_a_file_only_a_file_or_the_template_can_be_chosen(ctx: ServiceContext) -> None:
    presenter = presenter_for(ctx)
    assert presenter.phase is Phase.IDLE
    assert presenter.status == Status(START_TEXT)
    assert presenter.counts_line() == "Belum ada pratinjau"
    assert presenter.actions() == Actions(
        choose=True, template=True, replan=False, apply=False, rejected=False, restore=False, desa=True, mapping=False
    )
    assert presenter.apply_job() is None and presenter.rejected_suggestion() is None
    assert presenter.sheet_job("Lembar2") is None


def test_work_of_the_ekspor_tab_or_a_side_file_locks_everything_and_keeps_the_phase(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    presenter = presenter_for(ctx)
    template = presenter.template_job(presenter.chosen_path(tmp_path / "templat"))
    assert template.args[1] == tmp_path / "templat.xlsx" and presenter.folder == tmp_path
    assert presenter.begin(template) is Phase.IDLE
    presenter.busy = True  # the runner's busy_changed(True)
    assert presenter.phase is Phase.IDLE
    assert presenter.actions() == NOTHING
    presenter.busy = False
    presenter.ended()
    assert presenter.phase is Phase.IDLE
    assert presenter.template_suggestion() == tmp_path / "Templat data pengurus RT RW.xlsx"


def test_reading_locks_the_inputs_then_the_file_is_planned(ctx: ServiceContext, messy_file: Path) -> None:
    presenter = presenter_for(ctx)
    job = presenter.open_job(messy_file)
    assert (job.phase, job.label, job.status) == (Phase.READING, "Membaca RT RW Sengon 2026.xlsx…", "Membaca berkas…")
    assert presenter.folder == messy_file.parent
    presenter.begin(job)
    presenter.busy = True
    assert presenter.phase is Phase.READING
    assert presenter.actions() == NOTHING  # nothing may change what the read works on
    loaded = job.fn(no_progress, never_cancelled, *job.args)
    presenter.busy = False
    presenter.ended()
    assert presenter.phase is Phase.IDLE  # the result follows: until then no file is held
    presenter.file_read(loaded)
    assert presenter.phase is Phase.PLANNED
    assert presenter.mapping is loaded.mapping and presenter.mapping.header_row == 3
    assert presenter.actions().replan and presenter.actions().mapping
    assert not presenter.actions().restore  # the mapping is the one found
    assert presenter.counts_line() == ""


def test_a_missing_column_stops_the_dry_run_until_a_desa_is_chosen(ctx: ServiceContext, messy_file: Path) -> None:
    presenter = presenter_for(ctx)
    read(presenter, messy_file)
    assert presenter.plan_job() is None  # the file has no Desa column
    assert presenter.status.error
    assert presenter.status.text.startswith("Pratinjau belum dapat dibuat. Kolom berikut belum dipetakan: Desa ")
    assert presenter.mapping_notes()[-1] == Status(
        "Belum dipetakan: Desa (atau pilih satu desa untuk seluruh berkas).", error=True
    )
    presenter.choose_desa(SENGON)
    job = presenter.plan_job()
    assert job is not None and job.phase is Phase.CHECKING and job.args[3] == SENGON
    assert all(not n.error for n in presenter.mapping_notes())


def test_while_checking_the_choices_stay_open_and_saving_waits(ctx: ServiceContext, messy_file: Path) -> None:
    presenter = presenter_for(ctx)
    presenter.choose_desa(SENGON)
    read(presenter, messy_file)
    job = presenter.plan_job()
    assert job is not None
    presenter.begin(job)
    presenter.busy = True
    assert presenter.phase is Phase.CHECKING
    # a change of desa or mapping cancels this dry run and starts another: those inputs stay usable
    assert presenter.actions() == replace(NOTHING, desa=True, mapping=True)


def test_a_preview_made_enables_saving_and_the_rejected_rows(planned: ImportPresenter) -> None:
    preview = planned.preview
    assert preview is not None and planned.phase is Phase.PLANNED
    assert planned.counts_line() == "5 baris data: 2 baru, 0 diperbarui, 2 tidak berubah, 1 ditolak"
    assert planned.status.text.startswith("Belum ada yang disimpan.") and not planned.status.error
    assert "menyimpan 2 pengurus baru dan 0 perubahan sekaligus. 1 baris yang ditolak" in planned.status.text
    actions = planned.actions()
    assert actions.apply and actions.rejected and actions.replan and not actions.restore
    assert one_desa(preview.plan)  # one desa for the file, no desa column: the Desa column is hidden
    assert "2 pengurus baru dan 0 perubahan data" in save_question(preview.plan)
    # a choice asks for a new preview: until it is made there is nothing to save from the old one
    planned.replan_pending = True
    assert planned.preview is None and planned.shown is preview
    assert not planned.actions().apply and not planned.actions().rejected


def test_saving_locks_everything_then_done_until_the_next_choice(
    planned: ImportPresenter, on_file: ServiceContext
) -> None:
    job = planned.apply_job()
    assert job is not None and job.phase is Phase.SAVING and not job.cancellable
    planned.begin(job)
    planned.busy = True
    assert planned.phase is Phase.SAVING
    assert planned.actions() == NOTHING  # the desa and the mapping too: the save works on them
    result = job.fn(no_progress, never_cancelled, *job.args)
    planned.busy = False
    planned.ended()
    assert isinstance(result, ImportResult)
    planned.saved(result)
    assert planned.phase is Phase.DONE
    assert planned.status == Status("Impor berhasil: 2 pengurus baru, 0 diubah, 2 tidak berubah, 1 ditolak.")
    assert len(officials.list_rows(on_file, serving_only=True)) == 4

    # the file against the new data: checked again, still done, nothing more to save
    planned.show_plan(None)
    checking = planned.plan_job()
    assert checking is not None and checking.status == CHECKING_TEXT
    assert planned.begin(checking) is Phase.DONE
    preview = checking.fn(no_progress, never_cancelled, *checking.args)
    planned.ended()
    planned.show_plan(preview)
    assert planned.phase is Phase.DONE
    assert planned.counts_line() == "5 baris data: 0 baru, 0 diperbarui, 4 tidak berubah, 1 ditolak"
    assert planned.status.text == (
        "Tidak ada yang perlu disimpan: semua baris tidak berubah atau ditolak. "
        "Simpan baris yang ditolak untuk dikirim kembali ke desa."
    )
    assert not planned.actions().apply and planned.actions().rejected

    # a choice: the save no longer describes what the preview is made of
    planned.choose_field(PHONE_COLUMN, "telepon")
    assert planned.phase is Phase.PLANNED
    assert planned.actions().restore
    assert planned.result is not None  # the line saying what was saved stays until another file is read


def test_a_failed_save_goes_back_to_planned_and_a_refused_job_to_the_phase_before(planned: ImportPresenter) -> None:
    job = planned.apply_job()
    assert job is not None
    planned.begin(job)
    planned.ended()  # failed: no result follows
    assert planned.phase is Phase.PLANNED
    before = planned.begin(job)
    planned.refused(before)  # the runner was busy
    assert planned.phase is Phase.PLANNED


def test_a_cancelled_dry_run_says_so_unless_another_follows(ctx: ServiceContext, messy_file: Path) -> None:
    presenter = presenter_for(ctx)
    presenter.choose_desa(SENGON)
    read(presenter, messy_file)
    presenter.replan_pending = True
    presenter.plan_failed()
    assert presenter.status != Status(NOT_PLANNED_TEXT)  # the next preview follows
    presenter.replan_pending = False
    presenter.plan_failed()
    assert presenter.status == Status(NOT_PLANNED_TEXT)


def test_mapping_choices_note_a_moved_field_and_restore_the_found_mapping(planned: ImportPresenter) -> None:
    found = planned.mapping
    assert found is not None
    planned.choose_field(PHONE_COLUMN, "nama")  # "Nama" was column B
    assert planned.moved_note == "Nama kini diambil dari kolom G; kolom B diabaikan."
    assert Status(planned.moved_note) in planned.mapping_notes()
    assert planned.mapping is not None and planned.mapping.column_of("nama") == PHONE_COLUMN
    assert planned.actions().restore
    assert planned.restore_found() is False  # the same header row: the choosers are only updated
    assert planned.mapping is found and planned.moved_note == "" and not planned.actions().restore

    assert planned.choose_header_row(3) is False  # the row already used
    assert planned.choose_header_row(-1) is True  # no header row: columns chosen by hand
    assert planned.mapping.header_row == -1 and planned.actions().restore
    assert planned.restore_found() is True  # back to header row 4: the choosers are made anew


def test_the_rejected_rows_go_to_a_workbook_beside_the_file(planned: ImportPresenter, tmp_path: Path) -> None:
    suggested = planned.rejected_suggestion()
    assert suggested == tmp_path / "RT RW Sengon 2026 - baris ditolak.xlsx"
    out = planned.chosen_path(tmp_path / "kembali")
    job = planned.rejected_job(out)
    assert (job.phase, job.restore_status) == (None, True)
    assert run(planned, job) == 1
    assert planned.phase is Phase.PLANNED
    rows = CalamineWorkbook.from_path(str(tmp_path / "kembali.xlsx")).get_sheet_by_index(0).to_python()
    assert any("Suparmi" in [str(c) for c in row] for row in rows)


def test_another_sheet_is_read_only_when_it_differs(planned: ImportPresenter) -> None:
    assert planned.loaded is not None
    assert planned.sheet_job(planned.loaded.table.sheet) is None
    job = planned.sheet_job("Rekap")
    assert job is not None and job.label == "Membaca lembar \u201cRekap\u201d…" and job.args[2] == "Rekap"
