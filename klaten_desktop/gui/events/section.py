"""The "Sosialisasi" section: the events list on the left; the event, its participants and printing on the right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.enums import Jabatan
from klaten_desktop.gui.events.event_form import EventForm
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.kit.tasks import Task, run_task
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import events
from klaten_desktop.services.events import CandidateRow, EventRow, ParticipantRow, certificates

EVENT_COLUMNS = [
    ("Tanggal", lambda r: r.date_label),
    ("Judul", lambda r: r.title),
    ("Tempat", lambda r: r.place),
    ("Peserta", lambda r: str(r.participants)),
    ("Hadir", lambda r: str(r.attended)),
]
CANDIDATE_COLUMNS = [
    ("Nama", lambda r: r.nama),
    ("Jabatan", lambda r: r.jabatan),
    ("Desa", lambda r: r.desa_nama),
]
PARTICIPANT_COLUMNS = [
    ("Nama", lambda r: r.nama),
    ("Jabatan", lambda r: r.jabatan),
    ("Desa/asal", lambda r: r.desa_nama),
    ("Kehadiran", lambda r: r.hadir_label),
    ("Sertifikat", lambda r: r.certificate_nomor or ""),
]


def _table(model: RowsTableModel[Any], *, multi: bool, widths: tuple[int, ...] = ()) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection if multi else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


class EventsSection(QWidget, SectionDefaults):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = session.ctx
        self._session = session
        self._actor = session.actor
        self._current: EventRow | None = None
        self.last_task: Task | None = None

        # left: the events
        self.events_model: RowsTableModel[EventRow] = RowsTableModel(EVENT_COLUMNS, parent=self)
        self.events_view = _table(self.events_model, multi=False, widths=(120, 260, 180, 60))
        self.new_button = QPushButton("Sosialisasi baru")
        self.delete_button = QPushButton("Hapus")
        self.new_button.clicked.connect(self._on_new_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Sosialisasi</b>"))
        left_layout.addWidget(self.events_view, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.new_button)
        left_buttons.addWidget(self.delete_button)
        left_buttons.addStretch(1)
        left_layout.addLayout(left_buttons)

        # right: the event, its participants, printing
        self.form = EventForm()
        self.form.save_requested.connect(self._on_save_clicked)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, "Acara")
        self.tabs.addTab(self._build_participants_tab(), "Peserta dan kehadiran")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.sheet_button = QPushButton("Cetak daftar hadir…")
        self.per_desa = QCheckBox("tiap desa di halaman sendiri")
        self.certificates_button = QPushButton("Cetak sertifikat…")
        self.sheet_button.clicked.connect(self._on_sheet_clicked)
        self.certificates_button.clicked.connect(self._on_certificates_clicked)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        printing = QHBoxLayout()
        printing.addWidget(self.sheet_button)
        printing.addWidget(self.per_desa)
        printing.addStretch(1)
        printing.addWidget(self.certificates_button)
        right_layout.addLayout(printing)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 840])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.events_view.selectionModel().selectionChanged.connect(lambda *_: self._on_event_selected())
        self.refresh()

    def _build_participants_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        # the picker
        picker = QGroupBox("Undang dari registri")
        pick = QVBoxLayout(picker)
        filters = QHBoxLayout()
        self.desa_filter = QComboBox()
        self.desa_filter.addItem("Semua desa", None)
        for d in self._session.desa():
            self.desa_filter.addItem(d.label, d.kode)
        self.rw_filter = QSpinBox()
        self.rw_filter.setRange(0, 999)
        self.rw_filter.setSpecialValueText("Semua RW")
        self.jabatan_filter = QComboBox()
        self.jabatan_filter.addItem("Semua jabatan", None)
        for j in Jabatan:
            self.jabatan_filter.addItem(j.label, j.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Cari nama atau NIK…")
        self.search.setClearButtonEnabled(True)
        for w in (self.desa_filter, self.rw_filter, self.jabatan_filter):
            filters.addWidget(w)
        filters.addWidget(self.search, 1)
        pick.addLayout(filters)
        self.candidates_model: RowsTableModel[CandidateRow] = RowsTableModel(CANDIDATE_COLUMNS, parent=self)
        self.candidates_view = _table(self.candidates_model, multi=True, widths=(240, 150))
        pick.addWidget(self.candidates_view, 1)
        pick_buttons = QHBoxLayout()
        self.candidates_count = QLabel()
        self.invite_selected = QPushButton("Undang yang dipilih")
        self.invite_all = QPushButton("Undang semua hasil saringan")
        self.invite_selected.clicked.connect(self._on_invite_selected)
        self.invite_all.clicked.connect(self._on_invite_all)
        pick_buttons.addWidget(self.candidates_count, 1)
        pick_buttons.addWidget(self.invite_selected)
        pick_buttons.addWidget(self.invite_all)
        pick.addLayout(pick_buttons)
        self.desa_filter.currentIndexChanged.connect(lambda *_: self._load_candidates())
        self.rw_filter.valueChanged.connect(lambda *_: self._load_candidates())
        self.jabatan_filter.currentIndexChanged.connect(lambda *_: self._load_candidates())
        self.search.textChanged.connect(lambda *_: self._load_candidates())

        # the list, attendance and guests
        listed = QGroupBox("Daftar peserta")
        lst = QVBoxLayout(listed)
        self.participants_model: RowsTableModel[ParticipantRow] = RowsTableModel(PARTICIPANT_COLUMNS, parent=self)
        self.participants_view = _table(self.participants_model, multi=True, widths=(240, 150, 140, 90))
        lst.addWidget(self.participants_view, 1)
        attend = QHBoxLayout()
        self.participants_count = QLabel()
        self.mark_present = QPushButton("Tandai hadir")
        self.mark_absent = QPushButton("Batal hadir")
        self.mark_all = QPushButton("Semua hadir")
        self.import_button = QPushButton("Impor daftar hadir…")
        self.remove_button = QPushButton("Hapus dari daftar")
        self.mark_present.clicked.connect(lambda: self._on_mark(True))
        self.mark_absent.clicked.connect(lambda: self._on_mark(False))
        self.mark_all.clicked.connect(self._on_mark_all)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        attend.addWidget(self.participants_count, 1)
        for b in (self.mark_present, self.mark_absent, self.mark_all, self.import_button, self.remove_button):
            attend.addWidget(b)
        lst.addLayout(attend)
        guests = QHBoxLayout()
        self.guest_name = QLineEdit()
        self.guest_name.setPlaceholderText("Nama tamu")
        self.guest_role = QLineEdit()
        self.guest_role.setPlaceholderText("Jabatan/peran, mis. Kepala Desa")
        self.guest_origin = QLineEdit()
        self.guest_origin.setPlaceholderText("Asal, mis. Desa Sengon")
        self.add_guest_button = QPushButton("Tambah tamu")
        self.add_guest_button.clicked.connect(self._on_add_guest)
        for widget in (self.guest_name, self.guest_role, self.guest_origin, self.add_guest_button):
            guests.addWidget(widget)
        lst.addLayout(guests)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(picker)
        split.addWidget(listed)
        layout.addWidget(split)
        return tab

    # ------------------------------------------------------------------------------------------ loading

    @shows_failures
    def refresh(self) -> None:
        """Reload the events (keeping the selection) and the selected event's lists."""
        keep = self._current.id if self._current is not None else None
        rows = events.list_events(self._ctx)
        self.events_model.set_rows(rows)
        index = next((i for i, r in enumerate(rows) if r.id == keep), None)
        if index is not None:
            self.events_view.selectionModel().select(
                self.events_model.index(index, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self._current = rows[index]
        else:
            self._current = None
            self.form.clear(self._ctx.today())
        self._show_current()

    def _on_event_selected(self) -> None:
        selected = self.events_view.selectionModel().selectedRows()
        self._current = self.events_model.row_at(selected[0].row()) if selected else None
        if self._current is not None:
            self.form.fill(self._current)
        self._show_current()

    def _show_current(self) -> None:
        event = self._current
        has = event is not None
        for w in (self.delete_button, self.sheet_button, self.per_desa, self.certificates_button):
            w.setEnabled(has)
        self.tabs.setTabEnabled(1, has)
        if event is None:
            self.heading.setText("<i>Sosialisasi baru: isi data acara lalu simpan.</i>")
            self.participants_model.set_rows([])
            self.candidates_model.set_rows([])
            return
        self.heading.setText(
            f"<b>{event.title}</b><br>{event.date_label} {event.time_label}, {event.place} — "
            f"{event.participants} peserta, {event.attended} hadir, {event.certificates} sertifikat"
        )
        self._load_participants()
        self._load_candidates()

    def _load_participants(self) -> None:
        if self._current is None:
            return
        rows = events.participants(self._ctx, self._current.id)
        self.participants_model.set_rows(rows)
        present = sum(1 for r in rows if r.attended)
        self.participants_count.setText(f"{len(rows)} peserta, {present} hadir")

    def _filters(self) -> dict[str, Any]:
        jabatan = self.jabatan_filter.currentData()
        return {
            "desa_kode": self.desa_filter.currentData(),
            "rw": self.rw_filter.value() or None,
            "jabatan": [jabatan] if jabatan else None,
            "search": self.search.text() or None,
        }

    def _load_candidates(self) -> None:
        if self._current is None:
            return
        rows = events.candidates(self._ctx, exclude_event=self._current.id, **self._filters())
        self.candidates_model.set_rows(rows)
        self.candidates_count.setText(f"{len(rows)} pengurus belum diundang")

    def _after_change(self) -> None:
        self.refresh()

    # ------------------------------------------------------------------------------------------ events

    def _on_new_clicked(self) -> None:
        self.events_view.clearSelection()
        self._current = None
        self.form.clear(self._ctx.today())
        self.tabs.setCurrentIndex(0)
        self._show_current()
        self.form.title.setFocus()

    @shows_failures
    def _on_save_clicked(self) -> None:
        values = self.form.values()
        if self._current is None:
            self._current = events.create(self._ctx, self._actor, **values)  # type: ignore[arg-type]
        else:
            self._current = events.update_event(self._ctx, self._actor, self._current.id, **values)
        self.refresh()

    @shows_failures
    def _on_delete_clicked(self) -> None:
        if self._current is None:
            return
        if not messages.confirm(self, f"Hapus sosialisasi “{self._current.title}” beserta daftar pesertanya?"):
            return
        events.delete_event(self._ctx, self._actor, self._current.id)
        self._current = None
        self.refresh()

    # ------------------------------------------------------------------------------------------ participants

    def _selected(self, view: QTableView, model: RowsTableModel[Any]) -> list[Any]:
        return [model.row_at(i.row()) for i in view.selectionModel().selectedRows()]

    def _run(self, action: Any) -> None:
        with shown(self):
            action()
        self._after_change()

    def _on_invite_selected(self) -> None:
        chosen = self._selected(self.candidates_view, self.candidates_model)
        if self._current is None or not chosen:
            messages.info(self, "Pilih pengurus yang akan diundang pada tabel di atas.")
            return
        event_id = self._current.id
        self._run(lambda: events.add_participants(self._ctx, self._actor, event_id, [c.id for c in chosen]))

    def _on_invite_all(self) -> None:
        if self._current is None:
            return
        count = self.candidates_model.rowCount()
        if count == 0:
            messages.info(self, "Tidak ada pengurus yang belum diundang sesuai saringan.")
            return
        if not messages.confirm(self, f"Undang {count} pengurus hasil saringan?"):
            return
        event_id = self._current.id
        self._run(lambda: events.add_from_registry(self._ctx, self._actor, event_id, **self._filters()))

    def _on_mark(self, attended: bool) -> None:
        chosen = self._selected(self.participants_view, self.participants_model)
        if self._current is None or not chosen:
            messages.info(self, "Pilih peserta pada daftar peserta terlebih dahulu.")
            return
        event_id = self._current.id
        self._run(lambda: events.set_attendance(self._ctx, self._actor, event_id, [p.id for p in chosen], attended))

    def _on_mark_all(self) -> None:
        if self._current is None:
            return
        event_id = self._current.id
        self._run(lambda: events.attend_all(self._ctx, self._actor, event_id))

    def _on_remove_clicked(self) -> None:
        chosen = self._selected(self.participants_view, self.participants_model)
        if self._current is None or not chosen:
            messages.info(self, "Pilih peserta yang akan dihapus dari daftar.")
            return
        if not messages.confirm(self, f"Hapus {len(chosen)} peserta dari daftar?"):
            return
        event_id = self._current.id
        self._run(lambda: events.remove_participants(self._ctx, self._actor, event_id, [p.id for p in chosen]))

    def _on_add_guest(self) -> None:
        if self._current is None:
            return
        event_id = self._current.id
        name, role, origin = self.guest_name.text(), self.guest_role.text(), self.guest_origin.text()

        def add() -> None:
            events.add_guest(self._ctx, self._actor, event_id, nama=name, peran=role, asal=origin)
            for field in (self.guest_name, self.guest_role, self.guest_origin):
                field.clear()

        self._run(add)

    def _on_import_clicked(self) -> None:
        if self._current is None:
            return
        path = messages.ask_open_path(
            self, "Impor daftar hadir", "Lembar kerja (*.xlsx *.xls *.ods *.csv);;Semua berkas (*)"
        )
        if path is None:
            return
        ctx, actor, event_id = self._ctx, self._actor, self._current.id

        def work(progress: Progress, _cancelled: CancelCheck) -> events.AttendanceImport:
            return events.import_attendance(ctx, actor, event_id, path, progress=progress)

        def done(result: object) -> None:
            assert isinstance(result, events.AttendanceImport)
            text = (
                f"{result.marked} peserta ditandai hadir, {result.added} pengurus ditambahkan, "
                f"{result.already} sudah hadir, {result.absent} tidak hadir."
            )
            if result.not_found:
                shown = "\n".join(f"• {line}" for line in result.not_found[:15])
                more = f"\n… dan {len(result.not_found) - 15} lagi" if len(result.not_found) > 15 else ""
                text += f"\n\n{len(result.not_found)} baris tidak dikenali:\n{shown}{more}"
            messages.info(self, text)

        self._start("Mengimpor daftar hadir…", work, done, cancellable=False)

    # ------------------------------------------------------------------------------------------ printing

    def _start(self, label: str, work: Any, done: Any, *, cancellable: bool = True) -> None:
        # the Task is a child of this widget, which keeps it alive until it ends
        self.last_task = run_task(self, label, work, on_done=done, on_end=self._after_change, cancellable=cancellable)

    def _on_sheet_clicked(self) -> None:
        if self._current is None:
            return
        path = messages.ask_save_path(
            self, "Simpan daftar hadir", "PDF (*.pdf)", Path.home() / f"daftar-hadir-{self._current.date_label}.pdf"
        )
        if path is None:
            return
        ctx, event_id, per_desa = self._ctx, self._current.id, self.per_desa.isChecked()

        def work(progress: Progress, cancelled: CancelCheck) -> events.SheetResult:
            return events.print_attendance_sheet(
                ctx, event_id, out=path, per_desa=per_desa, progress=progress, cancelled=cancelled
            )

        def done(result: object) -> None:
            assert isinstance(result, events.SheetResult)
            messages.info(
                self, f"Daftar hadir {result.participants} peserta ({result.pages} halaman) disimpan di\n{result.path}"
            )

        self._start("Membuat daftar hadir…", work, done)

    def _on_certificates_clicked(self) -> None:
        if self._current is None:
            return
        if self._current.attended == 0:
            messages.warn(self, "Belum ada peserta yang ditandai hadir; sertifikat hanya untuk peserta yang hadir.")
            return
        path = messages.ask_save_path(
            self, "Simpan sertifikat", "PDF (*.pdf)", Path.home() / f"sertifikat-{self._current.date_label}.pdf"
        )
        if path is None:
            return
        ctx, actor, event_id = self._ctx, self._actor, self._current.id

        def work(progress: Progress, cancelled: CancelCheck) -> certificates.CertificatesResult:
            return certificates.issue_certificates(
                ctx, actor, event_id, out=path, progress=progress, cancelled=cancelled
            )

        def done(result: object) -> None:
            assert isinstance(result, certificates.CertificatesResult)
            reprint = f", {result.reprinted} dicetak ulang (ditandai Cetakan ke-N)" if result.reprinted else ""
            messages.info(
                self, f"{result.issued} sertifikat baru{reprint}; {result.pages} halaman disimpan di\n{result.path}"
            )

        self._start("Membuat sertifikat…", work, done)
