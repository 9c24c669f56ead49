"""Impor: choose a desa's spreadsheet, check the column mapping, look at the dry run, then save it in one go."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from klaten_desktop.gui import messages
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
from klaten_desktop.gui.import_export.mapping_table import MappingTable
from klaten_desktop.gui.import_export.preview_model import (
    NOTES_COLUMN,
    OUTCOME_LABELS,
    WARNINGS_FILTER,
    PreviewTableModel,
    counts_text,
)
from klaten_desktop.gui.status_style import ERROR_COLOR
from klaten_desktop.gui.tasks import TaskSlot
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.imports import ColumnMapping, ImportResult, Outcome, mapping_from_header_row

OPEN_FILTERS = "Lembar kerja dan CSV (*.xlsx *.xlsm *.xls *.ods *.csv);;Semua berkas (*)"
START_TEXT = (
    "Pilih berkas Excel (.xlsx) atau CSV kiriman desa. Aplikasi membaca berkas, mencocokkan kolomnya, lalu "
    "menampilkan pratinjau. Tidak ada data yang disimpan sebelum Anda menekan \u201cSimpan ke basis data\u201d."
)


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
        header_label = QLabel("Baris &judul kolom:")
        header_label.setBuddy(self.header_spin)
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.mapping = MappingTable()
        # shown only when more than one sheet of the file holds a list
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Lembar yang dibaca")
        self.sheet_combo.setToolTip("Berkas ini berisi lebih dari satu daftar; pilih lembar yang diimpor")
        self.sheet_label = QLabel("L&embar:")
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
        head = self.table.horizontalHeader()
        for column, width in enumerate((50, 98, 150, 132, 96, 78, 62)):
            self.table.setColumnWidth(column, width)
        head.setSectionResizeMode(NOTES_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.detail = QLabel()
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

        for first, second in (
            (self.choose_button, self.desa_combo),
            (self.desa_combo, self.template_button),
            (self.template_button, self.header_spin),
            (self.header_spin, self.sheet_combo),
            (self.sheet_combo, self.mapping),
            (self.mapping, self.filter_combo),
            (self.filter_combo, self.table),
            (self.table, self.replan_button),
            (self.replan_button, self.rejected_button),
            (self.rejected_button, self.apply_button),
        ):
            QWidget.setTabOrder(first, second)

        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(350)
        self._header_timer.timeout.connect(self._on_header_row_settled)

        self.choose_button.clicked.connect(self.choose_file)
        self.template_button.clicked.connect(self.save_template)
        self.desa_combo.currentIndexChanged.connect(lambda _i: self.replan())
        self.header_spin.valueChanged.connect(lambda _v: self._header_timer.start())
        self.sheet_combo.activated.connect(lambda _i: self.choose_sheet(self.sheet_combo.currentText()))
        self.mapping.field_changed.connect(self._on_field_changed)
        self.filter_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self._show_detail(current.row()))
        self.replan_button.clicked.connect(self.replan)
        self.rejected_button.clicked.connect(self.save_rejected)
        self.apply_button.clicked.connect(self.apply)
        tasks.busy_changed.connect(lambda _busy: self._update_buttons())
        self.sheet_label.hide()
        self.sheet_combo.hide()
        self._show_plan(None)

    # ------------------------------------------------------------------------------ state

    @property
    def preview(self) -> Preview | None:
        return self._preview

    @property
    def current_mapping(self) -> ColumnMapping | None:
        return self._mapping

    def desa_kode(self) -> str | None:
        return str(self.desa_combo.currentData() or "") or None

    def _update_buttons(self) -> None:
        busy = self._tasks.busy
        plan = self._preview.plan if self._preview is not None else None
        self.choose_button.setEnabled(not busy)
        self.template_button.setEnabled(not busy)
        self.replan_button.setEnabled(not busy and self._loaded is not None)
        self.apply_button.setEnabled(not busy and plan is not None and plan.writes > 0)
        self.rejected_button.setEnabled(not busy and plan is not None and plan.rejected > 0)
        self.mapping_box.setEnabled(self._loaded is not None)
        self.state_changed.emit()

    # ------------------------------------------------------------------------------ reading the file

    def choose_file(self) -> None:
        if self._tasks.busy:
            return
        path = messages.ask_open_path(self, "Pilih berkas data pengurus dari desa", OPEN_FILTERS, self._folder)
        if path is None:
            return
        self._folder = path.parent
        self._tasks.run(f"Membaca {path.name}…", load_file, self._ctx, path, None, on_done=self._on_loaded)

    def choose_sheet(self, name: str) -> None:
        """Read another sheet of the file chosen (one that also holds a list)."""
        if self._tasks.busy or self._loaded is None or name == self._loaded.table.sheet:
            return
        path = self._loaded.path
        self._tasks.run(
            f"Membaca lembar \u201c{name}\u201d…", load_file, self._ctx, path, name, on_done=self._on_loaded
        )

    def _on_loaded(self, loaded: object) -> None:
        assert isinstance(loaded, LoadedFile)
        self._loaded = loaded
        self._corrected = False
        self.result.hide()
        table = loaded.table
        where = f" · lembar \u201c{table.sheet}\u201d" if table.sheet else ""
        self.file_label.setText(f"<b>{_escape(loaded.path.name)}</b>{_escape(where)} · {len(table.rows)} baris")
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
            self.header_spin.blockSignals(True)
            self.header_spin.setRange(1, max(1, len(self._loaded.table.rows)))
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
        missing = mapping.missing(desa_chosen=self.desa_kode() is not None)
        if missing:
            notes.append(f"<span style='color:{ERROR_COLOR}'>Belum dipetakan: {_escape(', '.join(missing))}.</span>")
        self.mapping_note.setText("<br>".join(notes))
        self._update_buttons()

    def _on_field_changed(self, column: int, field: str) -> None:
        if self._mapping is None:
            return
        self._corrected = True
        self._set_mapping(self._mapping.with_field(column, field or None), rebuild=False)
        self.replan()

    def _on_header_row_settled(self) -> None:
        if self._loaded is None or self._mapping is None:
            return
        row = self.header_spin.value() - 1
        if row == self._mapping.header_row:
            return
        self._corrected = True
        self._set_mapping(mapping_from_header_row(self._loaded.table, row), rebuild=True)
        self.replan()

    # ------------------------------------------------------------------------------ the dry run

    def replan(self) -> None:
        """Make the preview again for the current file, mapping and desa (nothing is written)."""
        if self._loaded is None or self._mapping is None:
            return
        if self._tasks.busy:
            QTimer.singleShot(100, self.replan)  # after the running task; the user cannot start another meanwhile
            return
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
        ended = {"done": False}

        def done(result: object) -> None:
            ended["done"] = True
            assert isinstance(result, Preview)
            self._show_plan(result)

        def end() -> None:
            if not ended["done"] and self._preview is None:
                self._set_status("Pratinjau belum dibuat. Tekan \u201cPratinjau ulang\u201d untuk mencoba lagi.")

        self._set_status("Membuat pratinjau…")
        self._tasks.run(
            "Memeriksa setiap baris…",
            make_preview,
            self._ctx,
            self._loaded.table,
            self._mapping,
            self.desa_kode(),
            self._desa_names,
            on_done=done,
            on_end=end,
        )

    def _show_plan(self, preview: Preview | None) -> None:
        self._preview = preview
        self.model.set_rows(preview.rows if preview is not None else [])
        self._show_detail(-1)
        if preview is None:
            self.counts.setText("Belum ada pratinjau" if self._loaded is None else "")
            if self._loaded is None:
                self._set_status(START_TEXT)
            self._update_buttons()
            return
        plan = preview.plan
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

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet(f"color: {ERROR_COLOR};" if error else "")
        self.status.setText(text)

    def _on_filter_changed(self, _index: int) -> None:
        wanted = self.filter_combo.currentData()
        self.model.set_filter(Outcome(wanted) if wanted in set(Outcome) else wanted)
        self._show_detail(-1)

    def _show_detail(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self.detail.setText("Pilih sebuah baris untuk melihat keterangan lengkapnya.")
            self.detail.setStyleSheet("color: palette(mid);")
            return
        r = self.model.row_at(row)
        notes = r.notes or "Tidak ada catatan."
        self.detail.setStyleSheet(f"color: {ERROR_COLOR};" if r.errors else "")
        self.detail.setText(f"Baris {r.sheet_row} ({OUTCOME_LABELS[r.outcome].lower()}): {notes}")

    # ------------------------------------------------------------------------------ saving

    def apply(self) -> None:
        preview = self._preview
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
        saved = {"done": False}

        def done(result: object) -> None:
            saved["done"] = True
            self._on_applied(result)

        def end() -> None:
            if not saved["done"]:  # refused (the data changed meanwhile) or failed: nothing was written
                QTimer.singleShot(0, self.replan)

        self._tasks.run(
            "Menyimpan ke basis data…",
            apply_plan,
            self._ctx,
            self._actor,
            plan,
            self._corrected,
            on_done=done,
            on_end=end,
            cancellable=False,
        )

    def _on_applied(self, result: object) -> None:
        assert isinstance(result, ImportResult)
        self._corrected = False
        message = result.message()
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
        preview = self._preview
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

        self._tasks.run(
            "Menyimpan baris yang ditolak…", save_rejected, preview.plan, self._loaded.table, path, on_done=done
        )

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

        self._tasks.run("Membuat templat…", save_template, self._ctx, path, on_done=done)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
