"""The "Sosialisasi" section: the events list on the left; the event, its participants and printing on the right."""

from __future__ import annotations

from collections.abc import Callable
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
from klaten_desktop.gui.events.presenter import (
    ATTENDANCE_FILES,
    CandidateFilter,
    EventsPresenter,
    Work,
    certificates_report,
    import_report,
    sheet_report,
)
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown, shows_failures
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.permits import permit, read_only
from klaten_desktop.gui.kit.rows_table import RowsTableModel
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services.access import Permission
from klaten_desktop.services.context import Actor
from klaten_desktop.services.errors import StaleRecordError
from klaten_desktop.services.events import CandidateRow, EventRow, ParticipantRow

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


def _row(*widgets: QWidget, stretch_at: int | None = None) -> QHBoxLayout:
    """The widgets side by side; a stretch before the widget at ``stretch_at`` (or after the last)."""
    row = QHBoxLayout()
    for i, widget in enumerate(widgets):
        if i == stretch_at:
            row.addStretch(1)
        row.addWidget(widget)
    if stretch_at is not None and stretch_at >= len(widgets):
        row.addStretch(1)
    return row


class EventsSection(QWidget, SectionDefaults):
    """Lays out and binds the Sosialisasi screen; its state and service calls are the presenter's."""

    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.presenter = EventsPresenter(session.ctx, session.actor)
        self.last_task: Task | None = None
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_events_list())
        splitter.addWidget(self._build_event_pane())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([460, 840])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.events_view.selectionModel().selectionChanged.connect(lambda *_: self._on_event_selected())
        self._permit(session.actor)
        self.refresh()

    def _permit(self, actor: Actor) -> None:
        """A reader sees the events, their participants and prints the daftar hadir; nothing to change."""
        changes = (self.new_button, self.delete_button, self.certificates_button, self.picker, *self.invites)
        attendance = (self.mark_present, self.mark_absent, self.mark_all, self.import_button, self.remove_button)
        guests = (self.guest_name, self.guest_role, self.guest_origin, self.add_guest_button)
        if not permit(actor, Permission.events, *changes, *attendance, *guests):
            read_only(self.form)

    # ------------------------------------------------------------------------------------------ layout

    def _build_events_list(self) -> QWidget:
        """Left: the events, a new one, delete."""
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
        left_layout.addLayout(_row(self.new_button, self.delete_button, stretch_at=2))
        return left

    def _build_event_pane(self) -> QWidget:
        """Right: the event, its participants, printing."""
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
        right_layout.addLayout(_row(self.sheet_button, self.per_desa, self.certificates_button, stretch_at=2))
        return right

    def _build_participants_tab(self) -> QWidget:
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._build_picker())
        split.addWidget(self._build_participants_list())
        tab = QWidget()
        QVBoxLayout(tab).addWidget(split)
        return tab

    def _build_picker(self) -> QWidget:
        """The officials still to invite, by desa, RW, jabatan and a search."""
        picker = self.picker = QGroupBox("Undang dari registri")
        pick = QVBoxLayout(picker)
        self.desa_filter = search_names(QComboBox())
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
        filters = _row(self.desa_filter, self.rw_filter, self.jabatan_filter)
        filters.addWidget(self.search, 1)
        pick.addLayout(filters)
        self.candidates_model: RowsTableModel[CandidateRow] = RowsTableModel(CANDIDATE_COLUMNS, parent=self)
        self.candidates_view = _table(self.candidates_model, multi=True, widths=(240, 150))
        pick.addWidget(self.candidates_view, 1)
        self.candidates_count = QLabel()
        self.invite_selected = QPushButton("Undang yang dipilih")
        self.invite_all = QPushButton("Undang semua hasil saringan")
        self.invite_selected.clicked.connect(self._on_invite_selected)
        self.invite_all.clicked.connect(self._on_invite_all)
        self.invites = (self.invite_selected, self.invite_all)
        buttons = _row(*self.invites)
        buttons.insertWidget(0, self.candidates_count, 1)
        pick.addLayout(buttons)
        self.desa_filter.currentIndexChanged.connect(lambda *_: self._on_filter_changed())
        self.rw_filter.valueChanged.connect(lambda *_: self._on_filter_changed())
        self.jabatan_filter.currentIndexChanged.connect(lambda *_: self._on_filter_changed())
        self.search.textChanged.connect(lambda *_: self._on_filter_changed())
        return picker

    def _build_participants_list(self) -> QWidget:
        """The list, attendance and guests."""
        listed = QGroupBox("Daftar peserta")
        lst = QVBoxLayout(listed)
        self.participants_model: RowsTableModel[ParticipantRow] = RowsTableModel(PARTICIPANT_COLUMNS, parent=self)
        self.participants_view = _table(self.participants_model, multi=True, widths=(240, 150, 140, 90))
        lst.addWidget(self.participants_view, 1)
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
        attend = _row(self.mark_present, self.mark_absent, self.mark_all, self.import_button, self.remove_button)
        attend.insertWidget(0, self.participants_count, 1)
        lst.addLayout(attend)
        self.guest_name = QLineEdit()
        self.guest_name.setPlaceholderText("Nama tamu")
        self.guest_role = QLineEdit()
        self.guest_role.setPlaceholderText("Jabatan/peran, mis. Kepala Desa")
        self.guest_origin = QLineEdit()
        self.guest_origin.setPlaceholderText("Asal, mis. Desa Sengon")
        self.add_guest_button = QPushButton("Tambah tamu")
        self.add_guest_button.clicked.connect(self._on_add_guest)
        lst.addLayout(_row(self.guest_name, self.guest_role, self.guest_origin, self.add_guest_button))
        return listed

    # ------------------------------------------------------------------------------------------ showing

    @shows_failures
    def refresh(self) -> None:
        """Reload the events (keeping the selection) and the selected event's lists."""
        index = self.presenter.reload()
        self.events_model.set_rows(self.presenter.events)
        if index is not None:
            self.events_view.selectionModel().select(
                self.events_model.index(index, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
        else:
            self.form.clear(self.presenter.ctx.today())
        self._show_current()

    def _on_event_selected(self) -> None:
        selected = self.events_view.selectionModel().selectedRows()
        with shown(self):
            self.presenter.select(self.events_model.row_at(selected[0].row()) if selected else None)
        if self.presenter.current is not None:
            self.form.fill(self.presenter.current)
        self._show_current()

    def _show_current(self) -> None:
        actions = self.presenter.actions()
        self.delete_button.setEnabled(actions.delete)
        self.tabs.setTabEnabled(1, actions.participants)
        self.import_button.setEnabled(actions.attendance_import)
        self.sheet_button.setEnabled(actions.sheet)
        self.per_desa.setEnabled(actions.sheet)
        self.certificates_button.setEnabled(actions.certificates)
        self.heading.setText(self.presenter.heading())
        self.participants_model.set_rows(self.presenter.participants)
        self.candidates_model.set_rows(self.presenter.candidates)
        if self.presenter.current is not None:
            self.participants_count.setText(self.presenter.participants_summary())
            self.candidates_count.setText(self.presenter.candidates_summary())

    def _on_filter_changed(self) -> None:
        jabatan = self.jabatan_filter.currentData()
        candidate_filter = CandidateFilter(
            desa_kode=self.desa_filter.currentData(),
            rw=self.rw_filter.value() or None,
            jabatan=jabatan or None,
            search=self.search.text() or None,
        )
        with shown(self):
            self.presenter.set_filter(candidate_filter)
        if self.presenter.current is not None:
            self.candidates_model.set_rows(self.presenter.candidates)
            self.candidates_count.setText(self.presenter.candidates_summary())

    def show_officials(self, ids: frozenset[str], title: str) -> bool:
        """A worklist's officials (Beranda: never at a sosialisasi) as the ones to invite to the chosen event."""
        self.presenter.set_filter(CandidateFilter(official_ids=ids, title=title))
        if self.presenter.current is None and self.events_model.rowCount():
            self.events_view.selectRow(0)  # the event at the top of the list; another can be chosen
        self._show_current()
        if self.presenter.current is None:
            messages.info(
                self,
                f"{title}: {len(ids)} pengurus. Pilih atau buat acara sosialisasi; di tab \u201cPeserta dan "
                "kehadiran\u201d mereka siap diundang.",
            )
        else:
            self.tabs.setCurrentIndex(1)
            self.candidates_view.setFocus()
        return True

    # ------------------------------------------------------------------------------------------ events

    def _on_new_clicked(self) -> None:
        self.events_view.clearSelection()
        self.presenter.new_event()
        self.form.clear(self.presenter.ctx.today())
        self.tabs.setCurrentIndex(0)
        self._show_current()
        self.form.title.setFocus()

    @shows_failures
    def _on_save_clicked(self) -> None:
        try:
            self.presenter.save(self.form.values())
        except StaleRecordError:
            # someone saved the event since it was loaded: their version on screen, the message says redo
            self.refresh()
            if self.presenter.current is not None:
                self.form.fill(self.presenter.current)
            raise
        self.refresh()

    @shows_failures
    def _on_delete_clicked(self) -> None:
        question = self.presenter.delete_question()
        if question is None or not messages.confirm(self, question):
            return
        self.presenter.delete()
        self.refresh()

    # ------------------------------------------------------------------------------------------ participants

    def _selected(self, view: QTableView, model: RowsTableModel[Any]) -> list[Any]:
        return [model.row_at(i.row()) for i in view.selectionModel().selectedRows()]

    def _chosen_candidates(self) -> list[str]:
        return [c.id for c in self._selected(self.candidates_view, self.candidates_model)]

    def _chosen_participants(self) -> list[str]:
        return [p.id for p in self._selected(self.participants_view, self.participants_model)]

    def _change(self, action: Callable[[], object], refusal: str | None = None) -> None:
        """Tell why not when refused; else run the change (a failure is shown) and read the screen again."""
        if refusal is not None:
            messages.info(self, refusal)
            return
        with shown(self):
            action()
        self.refresh()

    def _on_invite_selected(self) -> None:
        chosen = self._chosen_candidates()
        self._change(lambda: self.presenter.invite(chosen), self.presenter.invite_refusal(chosen))

    def _on_invite_all(self) -> None:
        if self.presenter.current is None:
            return
        refusal = self.presenter.invite_all_refusal()
        if refusal is None and not messages.confirm(self, self.presenter.invite_all_question()):
            return
        self._change(self.presenter.invite_all, refusal)

    def _on_mark(self, attended: bool) -> None:
        chosen = self._chosen_participants()
        self._change(lambda: self.presenter.mark(chosen, attended), self.presenter.mark_refusal(chosen))

    def _on_mark_all(self) -> None:
        if self.presenter.current is not None:
            self._change(self.presenter.mark_all)

    def _on_remove_clicked(self) -> None:
        chosen = self._chosen_participants()
        refusal = self.presenter.remove_refusal(chosen)
        if refusal is None and not messages.confirm(self, self.presenter.remove_question(chosen)):
            return
        self._change(lambda: self.presenter.remove(chosen), refusal)

    def _on_add_guest(self) -> None:
        if self.presenter.current is None:
            return
        name, role, origin = self.guest_name.text(), self.guest_role.text(), self.guest_origin.text()

        def add() -> None:
            self.presenter.add_guest(name, role, origin)
            for field in (self.guest_name, self.guest_role, self.guest_origin):
                field.clear()

        self._change(add)

    def _on_import_clicked(self) -> None:
        if self.presenter.current is None:
            return
        path = messages.ask_open_path(self, "Impor daftar hadir", ATTENDANCE_FILES)
        if path is None:
            return
        self._start("Mengimpor daftar hadir…", self.presenter.import_work(path), import_report, cancellable=False)

    # ------------------------------------------------------------------------------------------ printing

    def _start(self, label: str, work: Work, report: Callable[[Any], str], *, cancellable: bool = True) -> None:
        """Run the work on a worker; tell its report when it is done; read the screen again when it ended."""
        # the Task is a child of this widget, which keeps it alive until it ends
        self.last_task = self._session.task(
            self,
            label,
            work,
            on_done=lambda result: messages.info(self, report(result)),
            on_end=self.refresh,
            cancellable=cancellable,
        )

    def _on_sheet_clicked(self) -> None:
        if self.presenter.current is None:
            return
        path = messages.ask_save_path(
            self, "Simpan daftar hadir", "PDF (*.pdf)", Path.home() / self.presenter.sheet_file()
        )
        if path is None:
            return
        work = self.presenter.sheet_work(path, per_desa=self.per_desa.isChecked())
        self._start("Membuat daftar hadir…", work, sheet_report)

    def _on_certificates_clicked(self) -> None:
        if self.presenter.current is None:
            return
        refusal = self.presenter.certificates_refusal()
        if refusal is not None:
            messages.warn(self, refusal)
            return
        path = messages.ask_save_path(
            self, "Simpan sertifikat", "PDF (*.pdf)", Path.home() / self.presenter.certificates_file()
        )
        if path is None:
            return
        self._start("Membuat sertifikat…", self.presenter.certificates_work(path), certificates_report)
