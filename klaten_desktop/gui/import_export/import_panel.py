"""Impor: choose a desa's spreadsheet, check the column mapping, look at the dry run, then save it in one go.

The widget binds: its signals call the presenter (``import_presenter``, the screen's state without Qt), the
presenter's jobs run on the task slot, and what the presenter holds is shown (``import_layout`` lays it out).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from klaten_desktop.gui.import_export.desa_choices import DesaChoice
from klaten_desktop.gui.import_export.import_layout import NOTHING_SAVED_STYLE, SAVED_STYLE, ImportView
from klaten_desktop.gui.import_export.import_presenter import (
    ImportPresenter,
    Job,
    Phase,
    Status,
    one_desa,
    rejected_saved_text,
    save_question,
    template_saved_text,
)
from klaten_desktop.gui.import_export.jobs import LoadedFile, Preview
from klaten_desktop.gui.import_export.preview_model import DESA_COLUMN, ROW_COLUMN
from klaten_desktop.gui.import_export.preview_rows import OUTCOME_LABELS
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.status_style import ERROR_COLOR
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.imports import ColumnMapping, ImportResult, Outcome

OPEN_FILTERS = "Lembar kerja dan CSV (*.xlsx *.xlsm *.xls *.ods *.csv);;Semua berkas (*)"
XLSX_FILTER = "Lembar kerja Excel (*.xlsx)"
NO_ROWS_TEXT = "Tidak ada baris untuk pilihan ini."
PICK_ROW_TEXT = "Pilih sebuah baris untuk melihat keterangan lengkapnya."
REPLAN_DELAY_MS = 250  # a re-preview after a choice waits this long: stepping through a list starts only one
HEADER_DELAY_MS = 350  # the header row is taken once the spin box rests


class ImportPanel(ImportView):
    imported = Signal()  # officials were written
    state_changed = Signal()  # what can be done now changed (buttons enabled or not)

    def __init__(
        self,
        ctx: ServiceContext,
        actor: Actor,
        desa: Sequence[DesaChoice],
        tasks: TaskSlot,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(desa, parent)
        self._presenter = ImportPresenter(ctx, actor, {d.kode: d.nama for d in desa})
        self._tasks = tasks
        self._focus_before: QWidget | None = None  # the focus when long work began
        self._focus_moved: QWidget | None = None  # where it went when the work disabled that widget
        self._kept_row: int | None = None  # the sheet row selected before the model was reset (sort, filter)
        self._header_timer = self._timer(HEADER_DELAY_MS, self._on_header_row_settled)
        # a re-preview asked for by a choice (mapping, desa) waits a moment: many steps start only one preview
        self._replan_timer = self._timer(REPLAN_DELAY_MS, self.replan)
        self._bind()
        self._show_plan()

    def _timer(self, interval_ms: int, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    def _bind(self) -> None:
        self.choose_button.clicked.connect(self.choose_file)
        self.template_button.clicked.connect(self.save_template)
        self.desa_combo.currentIndexChanged.connect(self._on_desa_changed)
        self.header_spin.valueChanged.connect(lambda _v: self._header_timer.start())
        self.sheet_combo.activated.connect(lambda _i: self.choose_sheet(self.sheet_combo.currentText()))
        self.mapping.field_changed.connect(self._on_field_changed)
        self.restore_button.clicked.connect(self.restore_mapping)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self._show_detail(current.row()))
        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.replan_button.clicked.connect(self.replan)
        self.rejected_button.clicked.connect(self.save_rejected)
        self.apply_button.clicked.connect(self.apply)
        self._tasks.busy_changed.connect(self._on_busy_changed)

    # ------------------------------------------------------------------------------ state

    @property
    def preview(self) -> Preview | None:
        """The preview of the current file, mapping and desa; None while none is made or one is about to be remade
        (the table still shows the last one meanwhile)."""
        return self._presenter.preview

    @property
    def current_mapping(self) -> ColumnMapping | None:
        return self._presenter.mapping

    @property
    def busy(self) -> bool:
        """Long work runs (this tab's or the Ekspor tab's): the buttons that would start more are disabled."""
        return self._presenter.busy

    def desa_kode(self) -> str | None:
        return self._presenter.desa_kode

    def _update_buttons(self) -> None:
        can = self._presenter.actions()
        self.choose_button.setEnabled(can.choose)
        self.template_button.setEnabled(can.template)
        self.replan_button.setEnabled(can.replan)
        self.apply_button.setEnabled(can.apply)
        self.rejected_button.setEnabled(can.rejected)
        self.restore_button.setEnabled(can.restore)
        self.desa_combo.setEnabled(can.desa)
        self.mapping_box.setEnabled(can.mapping)
        self.state_changed.emit()

    def _want_replan(self) -> None:
        self._replan_timer.start()
        self._presenter.replan_pending = True

    def _drop_replan(self) -> None:
        self._replan_timer.stop()
        self._presenter.replan_pending = False

    def _on_busy_changed(self, busy: bool) -> None:
        self._presenter.busy = busy  # TaskSlot.busy still reads False while busy_changed(True) is emitted
        focus = QApplication.focusWidget()
        if busy:  # the focused button may be disabled now: the focus comes back to it afterwards
            self._focus_before = focus if focus is not None and self.isAncestorOf(focus) else None
            self._update_buttons()
            self._focus_moved = QApplication.focusWidget()  # where Qt moved it (None: nowhere)
            return
        self._update_buttons()
        before, moved = self._focus_before, self._focus_moved
        self._focus_before = self._focus_moved = None
        if (
            before is not None
            and isValid(before)
            and before.isEnabled()
            and before.isVisible()
            and (focus is None or focus is moved)  # unless the user went elsewhere meanwhile
        ):
            before.setFocus()

    def _set_status(self, status: Status) -> None:
        self._presenter.status = status
        self._show_status()

    def _show_status(self) -> None:
        status = self._presenter.status
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if status.error else "")
        self.status.setText(status.text)

    def _run(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[], None] | None = None,
    ) -> bool:
        """Run ``job`` on the task slot, the status line saying ``job.status`` meanwhile.

        ``on_done(result)`` says what came of it (or, with ``job.restore_status``, the status line says again what
        it said before); after a failure or a cancel the status line is restored and ``on_failed`` runs.
        """
        presenter = self._presenter
        previous = presenter.status
        state = {"done": False, "ok": False}

        def work(progress: Any, cancelled: Callable[[], bool], *work_args: Any) -> Any:
            result = job.fn(progress, cancelled, *work_args)
            state["ok"] = not cancelled()
            return result

        def done(result: object) -> None:
            state["done"] = True
            if job.restore_status:
                self._set_status(previous)
            if on_done is not None:
                on_done(result)

        def failed() -> None:
            if state["done"]:
                return
            if presenter.status.text == job.status:
                self._set_status(previous)
            if on_failed is not None:
                on_failed()

        def end() -> None:  # the slot calls it before ``done``
            presenter.ended()
            if state["ok"]:  # ``done`` follows at once; this only catches a cancel that came too late
                QTimer.singleShot(0, self, failed)
            else:
                failed()

        before = presenter.begin(job)
        if not self._tasks.run(job.label, work, *job.args, on_done=done, on_end=end, cancellable=job.cancellable):
            presenter.refused(before)
            return False
        self._set_status(Status(job.status))
        return True

    # ------------------------------------------------------------------------------ reading the file

    def choose_file(self) -> None:
        if self._tasks.busy:
            return
        title = "Pilih berkas data pengurus dari desa"
        path = messages.ask_open_path(self, title, OPEN_FILTERS, self._presenter.folder)
        if path is not None:
            self._run(self._presenter.open_job(path), on_done=self._on_loaded)

    def choose_sheet(self, name: str) -> None:
        """Read another sheet of the file chosen (one that also holds a list)."""
        job = self._presenter.sheet_job(name)
        if job is not None and not self._tasks.busy:
            self._run(job, on_done=self._on_loaded)

    def _on_loaded(self, loaded: object) -> None:
        assert isinstance(loaded, LoadedFile)
        self._presenter.file_read(loaded)
        self.result.hide()
        table = loaded.table
        where = f" \u00b7 lembar \u201c{table.sheet}\u201d" if table.sheet else ""
        # all the rows of the sheet (titles, header, totals too), not the data rows the preview counts
        self.file_label.setText(
            f"<b>{_escape(loaded.path.name)}</b>{_escape(where)} \u00b7 {len(table.rows)} baris di lembar"
        )
        self.file_label.setToolTip(str(loaded.path))
        self.sheet_combo.clear()
        self.sheet_combo.addItems([table.sheet, *table.other_sheets])
        self.sheet_label.setVisible(bool(table.other_sheets))
        self.sheet_combo.setVisible(bool(table.other_sheets))
        self._show_mapping(rebuild=True)
        self.replan()

    def _show_mapping(self, *, rebuild: bool) -> None:
        """Show the presenter's mapping: the choosers made anew (``rebuild``: another header row) or updated."""
        loaded, mapping = self._presenter.loaded, self._presenter.mapping
        assert loaded is not None and mapping is not None
        if rebuild:
            self.mapping.set_mapping(loaded.table, mapping)
            self._set_tab_order()
            self.header_spin.blockSignals(True)
            self.header_spin.setRange(0, max(1, len(loaded.table.rows)))  # 0: the sheet has no header row
            self.header_spin.setValue(mapping.header_row + 1)
            self.header_spin.blockSignals(False)
        else:
            self.mapping.update_fields(mapping)
        notes = self._presenter.mapping_notes()
        self.mapping_note.setText(
            "<br>".join(
                f"<span style='color:{ERROR_COLOR}'>{_escape(n.text)}</span>" if n.error else _escape(n.text)
                for n in notes
            )
        )
        self._update_buttons()

    def _on_field_changed(self, column: int, field: str) -> None:
        if self._presenter.mapping is None:
            return
        self._presenter.choose_field(column, field)
        self._show_mapping(rebuild=False)
        self._schedule_replan()

    def _on_desa_changed(self, _index: int) -> None:
        self._presenter.choose_desa(str(self.desa_combo.currentData() or "") or None)
        if self._presenter.mapping is not None:
            self._show_mapping(rebuild=False)  # the "missing" note for the chosen desa, at once
        self._schedule_replan()

    def _on_header_row_settled(self) -> None:
        if self._presenter.choose_header_row(self.header_spin.value() - 1):
            self._show_mapping(rebuild=True)
            self.replan()

    def restore_mapping(self) -> None:
        """Go back to the mapping (and header row) found when the file was read."""
        if self._presenter.loaded is None or self._tasks.busy:
            return
        focus = QApplication.focusWidget()
        had_focus = focus is self.restore_button or (focus is not None and self.mapping.isAncestorOf(focus))
        self._header_timer.stop()
        self._show_mapping(rebuild=self._presenter.restore_found())
        combos = self.mapping.combos()
        now = QApplication.focusWidget()
        if had_focus and combos and (now is None or not self.mapping.isAncestorOf(now)):
            combos[0].setFocus()  # the button is disabled now, or the choosers were made anew: stay in the mapping
        self.replan()

    # ------------------------------------------------------------------------------ the dry run

    def _schedule_replan(self) -> None:
        """A choice changed what the preview shows: make it again in a moment (once for many quick steps)."""
        presenter = self._presenter
        if presenter.loaded is None or presenter.mapping is None:
            return
        if presenter.busy and presenter.phase is Phase.CHECKING:
            self._tasks.cancel(quiet=True)  # it shows the old choice; the new preview follows
        self._want_replan()
        self._update_buttons()  # the preview shown is about to be remade: nothing to save from it meanwhile

    def replan(self) -> None:
        """Make the preview again for the current file, mapping and desa (nothing is written)."""
        presenter = self._presenter
        if presenter.loaded is None or presenter.mapping is None:
            return
        if self._tasks.busy:
            if presenter.phase is Phase.CHECKING:
                self._tasks.cancel(quiet=True)  # made for an earlier choice
            self._want_replan()  # after the running task (one pending preview, however often asked)
            return
        self._drop_replan()
        self._show_mapping(rebuild=False)  # refresh the "missing" note for the chosen desa
        presenter.show_plan(None)
        self._show_plan()
        job = presenter.plan_job()
        if job is None:
            self._show_status()
            return

        def done(result: object) -> None:
            assert isinstance(result, Preview)
            presenter.show_plan(result)
            self._show_plan()

        def failed() -> None:
            presenter.plan_failed()
            self._show_status()

        self._run(job, on_done=done, on_failed=failed)

    def _show_plan(self) -> None:
        preview = self._presenter.shown
        self.model.set_rows(preview.rows if preview is not None else [])  # the selection follows (modelReset)
        self.counts.setText(self._presenter.counts_line())
        if preview is not None:
            hidden = one_desa(preview.plan)
            if hidden != self.table.isColumnHidden(DESA_COLUMN):
                self.table.setColumnHidden(DESA_COLUMN, hidden)
                self._fit_columns(again=True)
        self._show_status()
        self._update_buttons()

    def _on_filter_changed(self, _index: int) -> None:
        wanted = self.filter_combo.currentData()
        self.model.set_filter(Outcome(wanted) if wanted in set(Outcome) else wanted)  # the selection follows

    def _keep_selection(self) -> None:
        current = self.table.currentIndex()
        self._kept_row = self.model.row_at(current.row()).sheet_row if current.isValid() else None

    def _restore_selection(self) -> None:
        """After a sort, a filter or a new preview: the same sheet row stays selected, or none is."""
        kept, self._kept_row = self._kept_row, None
        position = self.model.position_of(kept) if kept is not None else None
        if position is None:
            self._show_detail(-1)
            return
        self.table.setCurrentIndex(self.model.index(position, ROW_COLUMN))  # selects the row, shows its detail
        self.table.scrollTo(self.model.index(position, ROW_COLUMN))

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            empty = self.model.total_count() > 0 and self.model.rowCount() == 0
            self.detail.setText(NO_ROWS_TEXT if empty else PICK_ROW_TEXT)
            self.detail.setStyleSheet("" if empty else "color: palette(mid);")
            return
        r = self.model.row_at(row)
        notes = r.notes_text or "Tidak ada catatan."
        person = f"{r.nama or '(tanpa nama)'}, " + (f"NIK {r.nik}" if r.nik else "tanpa NIK")
        self.detail.setStyleSheet(f"color: {ERROR_COLOR};" if r.errors else "")
        self.detail.setText(f"Baris {r.sheet_row} \u2013 {person} ({OUTCOME_LABELS[r.outcome].lower()}): {notes}")

    # ------------------------------------------------------------------------------ saving

    def apply(self) -> None:
        job = self._presenter.apply_job()
        preview = self._presenter.preview
        if job is None or preview is None or self._tasks.busy:
            return
        if not messages.confirm(self, save_question(preview.plan), title="Simpan hasil impor", yes="Simpan"):
            return
        # refused (the data changed meanwhile) or failed: nothing was written, the preview is made again
        self._run(job, on_done=self._on_applied, on_failed=self.replan)

    def _on_applied(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self._presenter.saved(result)
        self._show_status()
        message = self._presenter.status.text
        messages.info(self, message, title="Hasil impor")
        self.result.setText(message)
        self.result.setStyleSheet(SAVED_STYLE if result.written else NOTHING_SAVED_STYLE)
        self.result.show()
        self.imported.emit()
        self.replan()  # the file against the new data: every saved row now shows "tidak berubah"

    def save_rejected(self) -> None:
        suggested = self._presenter.rejected_suggestion()
        if suggested is None or self._tasks.busy:
            return
        chosen = messages.ask_save_path(self, "Simpan baris yang ditolak", XLSX_FILTER, suggested)
        if chosen is None:
            return
        path = self._presenter.chosen_path(chosen)

        def done(count: object) -> None:
            messages.info(self, rejected_saved_text(count, path), title="Baris yang ditolak")

        self._run(self._presenter.rejected_job(path), on_done=done)

    def save_template(self) -> None:
        if self._tasks.busy:
            return
        suggested = self._presenter.template_suggestion()
        chosen = messages.ask_save_path(self, "Simpan templat impor", XLSX_FILTER, suggested)
        if chosen is None:
            return
        path = self._presenter.chosen_path(chosen)

        def done(_result: object) -> None:
            messages.info(self, template_saved_text(path), title="Templat impor")

        self._run(self._presenter.template_job(path), on_done=done)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
