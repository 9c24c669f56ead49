"""Impor: choose a desa's spreadsheet, check the column mapping, look at the dry run, then save it in one go."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from klaten_desktop.gui.import_export.desa_choices import DesaChoice
from klaten_desktop.gui.import_export.jobs import (
    LoadedFile,
    Preview,
    apply_plan,
    load_file,
    make_preview,
    save_rejected,
    save_template,
)
from klaten_desktop.gui.import_export.mapping_table import MappingTable, column_letter
from klaten_desktop.gui.import_export.preview_model import (
    DESA_COLUMN,
    NOTES_COLUMN,
    OUTCOME_LABELS,
    ROW_COLUMN,
    WARNINGS_FILTER,
    PreviewTableModel,
    counts_text,
)
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.status_style import ERROR_COLOR
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.imports import ColumnMapping, ImportResult, Outcome, mapping_from_header_row
from klaten_desktop.services.imports.columns import FIELD_LABELS

OPEN_FILTERS = "Lembar kerja dan CSV (*.xlsx *.xlsm *.xls *.ods *.csv);;Semua berkas (*)"
START_TEXT = (
    "Pilih berkas Excel (.xlsx) atau CSV kiriman desa. Aplikasi membaca berkas, mencocokkan kolomnya, lalu "
    "menampilkan pratinjau. Tidak ada data yang disimpan sebelum Anda menekan \u201cSimpan ke basis data\u201d."
)
READING_TEXT = "Membaca berkas…"
CHECKING_TEXT = "Memeriksa setiap baris…"
SAVING_TEXT = "Menyimpan…"
NO_ROWS_TEXT = "Tidak ada baris untuk pilihan ini."
PICK_ROW_TEXT = "Pilih sebuah baris untuk melihat keterangan lengkapnya."
REPLAN_DELAY_MS = 250  # a re-preview after a choice waits this long: stepping through a list starts only one
NOTES_MIN_WIDTH = 180  # the Keterangan column gets this much before the other columns get their full width
PREVIEW = "preview"  # the job that leaves the inputs usable (a change cancels it and a new preview follows)


class ImportPanel(QWidget):
    imported = Signal()  # officials were written
    state_changed = Signal()  # what can be done now changed (buttons enabled or not)

    def __init__(
        self, ctx: ServiceContext, actor: Actor, desa: list[DesaChoice], tasks: TaskSlot, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._actor = actor
        self._tasks = tasks
        self._desa_names = {d.kode: d.nama for d in desa}
        self._loaded: LoadedFile | None = None
        self._mapping: ColumnMapping | None = None
        self._corrected = False
        self._preview: Preview | None = None
        self._folder: Path | None = None

        # ---- file and desa
        self.choose_button = QPushButton("&Pilih berkas…")
        self.choose_button.setToolTip("Pilih berkas .xlsx atau .csv dari desa (Ctrl+O)")
        self.file_label = QLabel("Belum ada berkas yang dipilih.")
        self.file_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # long names clip
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.desa_combo = QComboBox()
        self.desa_combo.addItem("Sesuai kolom Desa di berkas", "")
        for d in desa:
            self.desa_combo.addItem(d.label, d.kode)
        self.desa_combo.setMinimumContentsLength(22)
        desa_label = QLabel("Des&a untuk seluruh berkas:")
        desa_label.setBuddy(self.desa_combo)
        top = QHBoxLayout()
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        top.addWidget(desa_label)
        top.addWidget(self.desa_combo)
        top.addSpacing(16)
        self.template_button = QPushButton("Unduh te&mplat…")
        self.template_button.setToolTip(
            "Simpan templat Excel kosong untuk diisi desa: ada petunjuk, pilihan desa dan jabatan, NIK sebagai teks"
        )
        top.addWidget(self.template_button)

        # ---- mapping
        self.header_spin = QSpinBox()
        self.header_spin.setRange(1, 1)
        self.header_spin.setAccessibleName("Baris judul kolom")
        self.header_spin.setSpecialValueText("tanpa judul")  # 0: data from the first row, columns chosen by hand
        self.header_spin.setToolTip(
            "Nomor baris berisi judul kolom. Pilih 0 (\u201ctanpa judul\u201d) bila lembar tidak punya baris judul: "
            "data dibaca mulai baris pertama dan isian tiap kolom dipilih sendiri."
        )
        header_label = QLabel("Baris &judul kolom:")
        header_label.setBuddy(self.header_spin)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.mapping = MappingTable()
        # shown only when more than one sheet of the file holds a list
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Lembar yang dibaca")
        self.sheet_combo.setToolTip("Berkas ini berisi lebih dari satu daftar; pilih lembar yang diimpor")
        self.sheet_label = QLabel("Lemba&r:")  # not L&embar: Alt+E is the Ekspor tab
        self.sheet_label.setBuddy(self.sheet_combo)
        header_row = QHBoxLayout()
        header_row.addWidget(header_label)
        header_row.addWidget(self.header_spin)
        header_row.addSpacing(12)
        header_row.addWidget(self.sheet_label)
        header_row.addWidget(self.sheet_combo, 1)
        header_row.addStretch(1)
        self.mapping_box = QGroupBox("Pemetaan kolom")
        mapping_layout = QVBoxLayout(self.mapping_box)
        mapping_layout.addLayout(header_row)
        mapping_layout.addWidget(self.mapping_note)
        mapping_layout.addWidget(self.mapping, 1)
        self.restore_button = QPushButton("&Kembalikan pemetaan awal")
        self.restore_button.setToolTip("Pakai lagi pemetaan kolom yang dikenali saat berkas dibaca")
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_button)
        restore_row.addStretch(1)
        mapping_layout.addLayout(restore_row)

        # ---- preview
        self.counts = QLabel()
        self.counts.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.counts.setWordWrap(True)
        self.filter_combo = QComboBox()
        self.filter_combo.addItem("Semua baris", None)
        for outcome in Outcome:
            self.filter_combo.addItem(OUTCOME_LABELS[outcome], outcome.value)
        self.filter_combo.addItem("Dengan peringatan", WARNINGS_FILTER)
        filter_label = QLabel("Tampilka&n:")
        filter_label.setBuddy(self.filter_combo)
        self.model = PreviewTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Pratinjau impor")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move between rows
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(NOTES_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.viewport().installEventFilter(self)  # the columns are fitted to the width (_fit_columns)
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # names as typed in the sheet, never markup
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(36)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel(START_TEXT)
        self.status.setWordWrap(True)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setStyleSheet("background: #d5f0dc; color: #0b5323; padding: 4px 8px; border-radius: 4px;")
        self.result.hide()
        self.replan_button = QPushButton("Pratinjau &ulang")
        self.replan_button.setToolTip(
            "Periksa lagi setiap baris dengan pemetaan sekarang dan data terbaru di basis data"
        )
        self.rejected_button = QPushButton("Simpan baris yang dito&lak…")
        self.rejected_button.setToolTip(
            "Buat berkas Excel berisi baris yang ditolak beserta alasannya, untuk diperbaiki desa"
        )
        self.apply_button = QPushButton("&Simpan ke basis data")
        self.apply_button.setToolTip("Simpan data baru dan perubahan dari pratinjau (Ctrl+S)")
        self.apply_button.setDefault(True)
        preview_top = QHBoxLayout()
        preview_top.addWidget(self.counts, 1)
        preview_top.addWidget(filter_label)
        preview_top.addWidget(self.filter_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.replan_button)
        buttons.addWidget(self.rejected_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        self.preview_box = QGroupBox("Pratinjau (belum disimpan)")
        preview_layout = QVBoxLayout(self.preview_box)
        preview_layout.addLayout(preview_top)
        preview_layout.addWidget(self.table, 1)
        preview_layout.addWidget(self.detail)
        preview_layout.addWidget(self.result)
        preview_layout.addWidget(self.status)
        preview_layout.addLayout(buttons)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.mapping_box)
        self.splitter.addWidget(self.preview_box)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([430, 920])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        self._set_tab_order()

        self._busy = False  # from busy_changed: TaskSlot.busy still reads False while busy_changed(True) is emitted
        self._job: str | None = None  # what this panel runs now (None: nothing, or the Ekspor tab's work)
        self._status_error = False
        self._focus_before: QWidget | None = None  # the focus when long work began
        self._focus_moved: QWidget | None = None  # where it went when the work disabled that widget
        self._moved_note = ""  # said once after a choice took a field from another column
        self._kept_row: int | None = None  # the sheet row selected before the model was reset (sort, filter)
        self._fitted_width = -1

        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(350)
        self._header_timer.timeout.connect(self._on_header_row_settled)
        # a re-preview asked for by a choice (mapping, desa) waits a moment: many steps start only one preview
        self._replan_timer = QTimer(self)
        self._replan_timer.setSingleShot(True)
        self._replan_timer.setInterval(REPLAN_DELAY_MS)
        self._replan_timer.timeout.connect(self.replan)

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
        tasks.busy_changed.connect(self._on_busy_changed)
        self.sheet_label.hide()
        self.sheet_combo.hide()
        self._show_plan(None)

    # ------------------------------------------------------------------------------ state

    @property
    def preview(self) -> Preview | None:
        """The preview of the current file, mapping and desa; None while none is made or one is about to be remade
        (the table still shows the last one meanwhile)."""
        return None if self._replan_timer.isActive() else self._preview

    @property
    def current_mapping(self) -> ColumnMapping | None:
        return self._mapping

    @property
    def busy(self) -> bool:
        """Long work runs (this tab's or the Ekspor tab's): the buttons that would start more are disabled."""
        return self._busy

    def desa_kode(self) -> str | None:
        return str(self.desa_combo.currentData() or "") or None

    def _mapping_changed(self) -> bool:
        """The mapping differs from the one found when the file was read."""
        if self._loaded is None or self._mapping is None:
            return False
        found = self._loaded.mapping
        return (self._mapping.header_row, self._mapping.fields) != (found.header_row, found.fields)

    def _update_buttons(self) -> None:
        busy = self._busy
        plan = self._preview.plan if self._preview is not None else None
        current = plan is not None and not self._replan_timer.isActive()  # not about to be made again
        # while a file is read or a save runs nothing may change what it works on; a preview is simply remade
        inputs = not busy or self._job == PREVIEW
        self.choose_button.setEnabled(not busy)
        self.template_button.setEnabled(not busy)
        self.replan_button.setEnabled(not busy and self._loaded is not None)
        self.apply_button.setEnabled(not busy and current and plan is not None and plan.writes > 0)
        self.rejected_button.setEnabled(not busy and current and plan is not None and plan.rejected > 0)
        self.restore_button.setEnabled(not busy and self._mapping_changed())
        self.desa_combo.setEnabled(inputs)
        self.mapping_box.setEnabled(self._loaded is not None and inputs)
        self.state_changed.emit()

    def _on_busy_changed(self, busy: bool) -> None:
        self._busy = busy
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

    def _set_tab_order(self) -> None:
        """Top to bottom, left to right; the field choosers in column order (they are made for each file)."""
        chain: list[QWidget] = [
            self.choose_button,
            self.desa_combo,
            self.template_button,
            self.header_spin,
            self.sheet_combo,
            *self.mapping.combos(),
            self.restore_button,
            self.filter_combo,
            self.table,
            self.replan_button,
            self.rejected_button,
            self.apply_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _run(
        self,
        job: str,
        label: str,
        status: str,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[], None] | None = None,
        cancellable: bool = True,
        restore_status: bool = False,
    ) -> bool:
        """Run ``fn`` on the task slot, the status line saying ``status`` meanwhile.

        ``on_done(result)`` says what came of it (or, with ``restore_status``, the status line says again what it
        said before); after a failure or a cancel the status line is restored and ``on_failed`` runs.
        """
        previous = (self.status.text(), self._status_error)
        state = {"done": False, "ok": False}

        def work(progress: Any, cancelled: Callable[[], bool], *work_args: Any) -> Any:
            result = fn(progress, cancelled, *work_args)
            state["ok"] = not cancelled()
            return result

        def done(result: object) -> None:
            state["done"] = True
            if restore_status:
                self._set_status(*previous)
            if on_done is not None:
                on_done(result)

        def failed() -> None:
            if state["done"]:
                return
            if self.status.text() == status:
                self._set_status(*previous)
            if on_failed is not None:
                on_failed()

        def end() -> None:  # the slot calls it before ``done``
            self._job = None
            if state["ok"]:  # ``done`` follows at once; this only catches a cancel that came too late
                QTimer.singleShot(0, self, failed)
            else:
                failed()

        self._job = job
        if not self._tasks.run(label, work, *args, on_done=done, on_end=end, cancellable=cancellable):
            self._job = None
            return False
        self._set_status(status)
        return True

    # ------------------------------------------------------------------------------ reading the file

    def choose_file(self) -> None:
        if self._tasks.busy:
            return
        path = messages.ask_open_path(self, "Pilih berkas data pengurus dari desa", OPEN_FILTERS, self._folder)
        if path is None:
            return
        self._folder = path.parent
        self._run(
            "load", f"Membaca {path.name}…", READING_TEXT, load_file, self._ctx, path, None, on_done=self._on_loaded
        )

    def choose_sheet(self, name: str) -> None:
        """Read another sheet of the file chosen (one that also holds a list)."""
        if self._tasks.busy or self._loaded is None or name == self._loaded.table.sheet:
            return
        path = self._loaded.path
        self._run(
            "load", f"Membaca lembar \u201c{name}\u201d…", READING_TEXT, load_file, self._ctx, path, name,
            on_done=self._on_loaded,
        )  # fmt: skip

    def _on_loaded(self, loaded: object) -> None:
        assert isinstance(loaded, LoadedFile)
        self._loaded = loaded
        self._corrected = False
        self._moved_note = ""
        self.result.hide()
        table = loaded.table
        where = f" · lembar \u201c{table.sheet}\u201d" if table.sheet else ""
        # all the rows of the sheet (titles, header, totals too), not the data rows the preview counts
        self.file_label.setText(
            f"<b>{_escape(loaded.path.name)}</b>{_escape(where)} · {len(table.rows)} baris di lembar"
        )
        self.file_label.setToolTip(str(loaded.path))
        self.sheet_combo.clear()
        self.sheet_combo.addItems([table.sheet, *table.other_sheets])
        self.sheet_label.setVisible(bool(table.other_sheets))
        self.sheet_combo.setVisible(bool(table.other_sheets))
        self._set_mapping(loaded.mapping, rebuild=True)
        self.replan()

    def _set_mapping(self, mapping: ColumnMapping, *, rebuild: bool) -> None:
        assert self._loaded is not None
        self._mapping = mapping
        if rebuild:
            self.mapping.set_mapping(self._loaded.table, mapping)
            self._set_tab_order()
            self.header_spin.blockSignals(True)
            self.header_spin.setRange(0, max(1, len(self._loaded.table.rows)))  # 0: the sheet has no header row
            self.header_spin.setValue(mapping.header_row + 1)
            self.header_spin.blockSignals(False)
        else:
            self.mapping.update_fields(mapping)
        notes: list[str] = []
        if self._loaded.problem and not self._corrected:
            notes.append(f"<span style='color:{ERROR_COLOR}'>{_escape(self._loaded.problem)}</span>")
        elif mapping.remembered:
            notes.append("Pemetaan diambil dari koreksi Anda sebelumnya untuk berkas berbentuk sama.")
        else:
            notes.append("Periksa isian tiap kolom; ubah bila ada yang keliru. Pratinjau langsung diperbarui.")
        if self._moved_note:
            notes.append(_escape(self._moved_note))
        missing = mapping.missing(desa_chosen=self.desa_kode() is not None)
        if missing:
            notes.append(f"<span style='color:{ERROR_COLOR}'>Belum dipetakan: {_escape(', '.join(missing))}.</span>")
        self.mapping_note.setText("<br>".join(notes))
        self._update_buttons()

    def _on_field_changed(self, column: int, field: str) -> None:
        if self._mapping is None:
            return
        self._corrected = True
        before = self._mapping.column_of(field) if field else None
        self._moved_note = ""
        if before is not None and before != column:  # one column per field: the other one is now ignored
            self._moved_note = (
                f"{FIELD_LABELS[field]} kini diambil dari kolom {column_letter(column)}; "
                f"kolom {column_letter(before)} diabaikan."
            )
        self._set_mapping(self._mapping.with_field(column, field or None), rebuild=False)
        self._schedule_replan()

    def _on_desa_changed(self, _index: int) -> None:
        if self._mapping is not None:
            self._set_mapping(self._mapping, rebuild=False)  # the "missing" note for the chosen desa, at once
        self._schedule_replan()

    def _on_header_row_settled(self) -> None:
        if self._loaded is None or self._mapping is None:
            return
        row = self.header_spin.value() - 1
        if row == self._mapping.header_row:
            return
        self._corrected = True
        self._moved_note = ""
        self._set_mapping(mapping_from_header_row(self._loaded.table, row), rebuild=True)
        self.replan()

    def restore_mapping(self) -> None:
        """Go back to the mapping (and header row) found when the file was read."""
        if self._loaded is None or self._tasks.busy:
            return
        assert self._mapping is not None
        focus = QApplication.focusWidget()
        had_focus = focus is self.restore_button or (focus is not None and self.mapping.isAncestorOf(focus))
        self._header_timer.stop()
        self._corrected = False
        self._moved_note = ""
        found = self._loaded.mapping
        self._set_mapping(found, rebuild=found.header_row != self._mapping.header_row)
        combos = self.mapping.combos()
        now = QApplication.focusWidget()
        if had_focus and combos and (now is None or not self.mapping.isAncestorOf(now)):
            combos[0].setFocus()  # the button is disabled now, or the choosers were made anew: stay in the mapping
        self.replan()

    # ------------------------------------------------------------------------------ the dry run

    def _schedule_replan(self) -> None:
        """A choice changed what the preview shows: make it again in a moment (once for many quick steps)."""
        if self._loaded is None or self._mapping is None:
            return
        if self._busy and self._job == PREVIEW:
            self._tasks.cancel(quiet=True)  # it shows the old choice; the new preview follows
        self._replan_timer.start()
        self._update_buttons()  # the preview shown is about to be remade: nothing to save from it meanwhile

    def replan(self) -> None:
        """Make the preview again for the current file, mapping and desa (nothing is written)."""
        if self._loaded is None or self._mapping is None:
            return
        if self._tasks.busy:
            if self._job == PREVIEW:
                self._tasks.cancel(quiet=True)  # made for an earlier choice
            self._replan_timer.start()  # after the running task (one pending preview, however often asked)
            return
        self._replan_timer.stop()
        self._set_mapping(self._mapping, rebuild=False)  # refresh the "missing" note for the chosen desa
        self._show_plan(None)
        missing = self._mapping.missing(desa_chosen=self.desa_kode() is not None)
        if missing:
            self._set_status(
                "Pratinjau belum dapat dibuat. Kolom berikut belum dipetakan: "
                + ", ".join(missing)
                + ". Pilih isiannya pada pemetaan kolom di sebelah kiri.",
                error=True,
            )
            return

        def done(result: object) -> None:
            assert isinstance(result, Preview)
            self._show_plan(result)

        def failed() -> None:
            if self._preview is None and not self._replan_timer.isActive():
                self._set_status("Pratinjau belum dibuat. Tekan \u201cPratinjau ulang\u201d untuk mencoba lagi.")

        self._run(
            PREVIEW,
            CHECKING_TEXT,
            CHECKING_TEXT,
            make_preview,
            self._ctx,
            self._loaded.table,
            self._mapping,
            self.desa_kode(),
            self._desa_names,
            on_done=done,
            on_failed=failed,
        )

    def _show_plan(self, preview: Preview | None) -> None:
        self._preview = preview
        self.model.set_rows(preview.rows if preview is not None else [])  # the selection follows (modelReset)
        if preview is None:
            self.counts.setText("Belum ada pratinjau" if self._loaded is None else "")
            if self._loaded is None:
                self._set_status(START_TEXT)
            self._update_buttons()
            return
        plan = preview.plan
        # one desa for the whole file and no desa column: the Desa column would repeat it on every line
        one_desa = plan.desa_kode is not None and not plan.mapping.has("desa") and not plan.mapping.has("kode_desa")
        if one_desa != self.table.isColumnHidden(DESA_COLUMN):
            self.table.setColumnHidden(DESA_COLUMN, one_desa)
            self._fit_columns(again=True)
        self.counts.setText(f"{plan.rows_read} baris data: {counts_text(plan)}")
        if plan.rows_read == 0:
            self._set_status("Tidak ada baris data di bawah baris judul. Periksa baris judul kolom.", error=True)
        elif plan.writes == 0:
            self._set_status(
                "Tidak ada yang perlu disimpan: semua baris tidak berubah atau ditolak."
                + (" Simpan baris yang ditolak untuk dikirim kembali ke desa." if plan.rejected else "")
            )
        else:
            rejected = f" {plan.rejected} baris yang ditolak tidak ikut disimpan." if plan.rejected else ""
            self._set_status(
                f"Belum ada yang disimpan. Periksa pratinjau, lalu tekan \u201cSimpan ke basis data\u201d untuk "
                f"menyimpan {plan.created} pengurus baru dan {plan.updated} perubahan sekaligus.{rejected}"
            )
        self._update_buttons()

    def _set_status(self, text: str, error: bool = False) -> None:
        self._status_error = error
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.status.setText(text)

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

    # ------------------------------------------------------------------------------ column widths

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self, *, again: bool = False) -> None:
        """Give the Keterangan column room: the other columns get their full width only when it keeps
        ``NOTES_MIN_WIDTH``; else the names, desa and jabatan shrink first (the tooltips and the line under the
        table show them whole)."""
        width = self.table.viewport().width()
        if width == self._fitted_width and not again:
            return
        self._fitted_width = width
        fm = self.table.fontMetrics()
        char = fm.averageCharWidth()

        def text(*samples: str) -> int:
            return max(fm.horizontalAdvance(t) for t in samples) + 12

        arrow = 10  # the sort indicator beside a header
        fixed = {
            ROW_COLUMN: max(text("99999"), text("Baris") + arrow),
            1: text("Tidak berubah", "Hasil") + 2,  # the coloured chip
            3: text("3310014506820001"),
            6: text("001/002", "RT/RW"),
        }
        # Nama, Desa, Jabatan: (full width, least width)
        flexible = {
            2: (char * 24, char * 12),
            DESA_COLUMN: (char * 15, char * 8),
            5: (char * 13, text("Ketua RW")),
        }
        if self.table.isColumnHidden(DESA_COLUMN):
            del flexible[DESA_COLUMN]
        room = width - NOTES_MIN_WIDTH - sum(fixed.values())
        full = sum(w for w, _ in flexible.values())
        least = sum(w for _, w in flexible.values())
        share = 1.0 if room >= full else max(0.0, (room - least) / (full - least))
        for column, size in fixed.items():
            self.table.setColumnWidth(column, size)
        for column, (most, fewest) in flexible.items():
            self.table.setColumnWidth(column, round(fewest + (most - fewest) * share))

    # ------------------------------------------------------------------------------ saving

    def apply(self) -> None:
        preview = self.preview
        if preview is None or preview.plan.writes == 0 or self._tasks.busy:
            return
        plan = preview.plan
        text = (
            f"Simpan hasil impor \u201c{plan.source}\u201d ke basis data?\n\n"
            f"{plan.created} pengurus baru dan {plan.updated} perubahan data akan disimpan sekaligus. "
            f"{plan.unchanged} baris tidak berubah."
            + (f" {plan.rejected} baris ditolak tidak disimpan." if plan.rejected else "")
        )
        if not messages.confirm(self, text, title="Simpan hasil impor", yes="Simpan"):
            return
        self._run(
            "save",
            "Menyimpan ke basis data…",
            SAVING_TEXT,
            apply_plan,
            self._ctx,
            self._actor,
            plan,
            self._corrected,
            on_done=self._on_applied,
            on_failed=self.replan,  # refused (the data changed meanwhile) or failed: nothing was written
            cancellable=False,
        )

    def _on_applied(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self._corrected = False
        message = result.message()
        self._set_status(message)
        messages.info(self, message, title="Hasil impor")
        self.result.setText(message)
        self.result.setStyleSheet(
            "background: #d5f0dc; color: #0b5323; padding: 4px 8px; border-radius: 4px;"
            if result.written
            else "background: #eceff3; color: #37414d; padding: 4px 8px; border-radius: 4px;"
        )
        self.result.show()
        self.imported.emit()
        self.replan()  # the file against the new data: every saved row now shows "tidak berubah"

    def save_rejected(self) -> None:
        preview = self.preview
        if preview is None or preview.plan.rejected == 0 or self._loaded is None or self._tasks.busy:
            return
        stem = Path(preview.plan.source).stem
        suggested = (self._folder or Path.home()) / f"{stem} - baris ditolak.xlsx"
        path = messages.ask_save_path(self, "Simpan baris yang ditolak", "Lembar kerja Excel (*.xlsx)", suggested)
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self._folder = path.parent

        def done(count: object) -> None:
            messages.info(
                self,
                f"{count} baris yang ditolak disimpan ke {path.name}, dengan kolom \u201cAlasan Ditolak\u201d. "
                "Kirim berkas ini ke desa untuk diperbaiki, lalu impor lagi.",
                title="Baris yang ditolak",
            )

        self._run(
            "rejected", "Menyimpan baris yang ditolak…", "Menyimpan baris yang ditolak…", save_rejected, preview.plan,
            self._loaded.table, path, on_done=done, restore_status=True,
        )  # fmt: skip

    def save_template(self) -> None:
        if self._tasks.busy:
            return
        suggested = (self._folder or Path.home()) / "Templat data pengurus RT RW.xlsx"
        path = messages.ask_save_path(self, "Simpan templat impor", "Lembar kerja Excel (*.xlsx)", suggested)
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self._folder = path.parent

        def done(_result: object) -> None:
            messages.info(
                self,
                f"Templat disimpan ke {path.name}. Kirim ke desa; lembar \u201cPetunjuk\u201d menjelaskan "
                "cara mengisinya.",
                title="Templat impor",
            )

        self._run(
            "template", "Membuat templat…", "Membuat templat…", save_template, self._ctx, path, on_done=done,
            restore_status=True,
        )  # fmt: skip


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
