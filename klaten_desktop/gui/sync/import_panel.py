"""The regency imports packages: choose the files, dry run them all, then import the good ones for real (the
state and the service calls are ``regency_presenter.ImportPresenter``)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.layout import add_action, button_for
from klaten_desktop.gui.kit.rows_table import Column, RecordsTableModel
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync import common
from klaten_desktop.gui.sync.common import PACKAGE_FILTER, banner, bind_busy, run_job, set_banner, table_view
from klaten_desktop.gui.sync.regency_presenter import (
    DETAIL_TITLE,
    IMPORT_HINT,
    FileLine,
    ImportPresenter,
    Report,
    TableLine,
    detail,
)
from klaten_desktop.services.context import Actor, ServiceContext

_OUTCOME_HEAD = ["Baru", "Ubah", "Hapus", "Sama", "Konflik", "Menunggu"]
_FIELDS = ["created", "updated", "deleted", "unchanged", "conflicts", "waiting"]


def _total(name: str) -> Column[FileLine]:
    return Column(
        _OUTCOME_HEAD[_FIELDS.index(name)],
        lambda f: "" if f.outcome.result is None else format_number(f.outcome.result.total(name)),
        numeric=True,
    )


FILE_COLUMNS: list[Column[FileLine]] = [
    Column("Berkas", lambda f: f.outcome.path.name, tooltip=lambda f: str(f.outcome.path)),
    Column("Kecamatan", lambda f: "" if f.outcome.result is None else f.outcome.result.office),
    Column("No. urut", lambda f: "" if f.outcome.result is None else str(f.outcome.result.sequence), numeric=True),
    Column("Status", lambda f: f.state),
    *(_total(name) for name in _FIELDS),
    Column("Keterangan", lambda f: f.note, tooltip=lambda f: f.note),
]


def _table_count(name: str) -> Column[TableLine]:
    return Column(_OUTCOME_HEAD[_FIELDS.index(name)], lambda t: format_number(getattr(t.counts, name)), numeric=True)


TABLE_COLUMNS: list[Column[TableLine]] = [Column("Jenis data", lambda t: t.label), *map(_table_count, _FIELDS)]


class ImportPanel(QWidget):
    """Choose package files, dry run them all, then import the good ones for real."""

    imported = Signal()

    def __init__(self, ctx: ServiceContext, actor: Actor, tasks: TaskSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = ImportPresenter(ctx, actor)
        self._tasks = tasks
        self.choose_action = add_action(self, "&Pilih paket…", self.choose_files, "Ctrl+O")
        self.apply_action = add_action(self, "&Impor sekarang", self.apply, "Ctrl+S")
        self.clear_action = add_action(self, "&Hapus daftar", self.clear)
        self.new_install = QCheckBox("PC kecamatan memang diganti (terima instalasi ba&ru)")
        self.rebase = QCheckBox("Terima aliran paket baru dari instalasi yang sa&ma (menggantikan paket lama)")
        self.rebase.setToolTip(
            "Untuk PC kecamatan yang dipulihkan dari cadangan tanpa catatan sinkronisasinya: paket yang sudah "
            "diterima dari nomor yang berbeda dan sesudahnya diganti. Uji coba menunjukkan paket mana."
        )
        buttons = QHBoxLayout()
        for action in (self.choose_action, self.apply_action, self.clear_action):
            buttons.addWidget(button_for(action))
        buttons.addWidget(self.new_install)
        buttons.addWidget(self.rebase)
        buttons.addStretch(1)
        self.summary = banner("info")
        self.summary.setText(IMPORT_HINT)
        self.files_model: RecordsTableModel[FileLine] = RecordsTableModel(
            FILE_COLUMNS, highlight=lambda f: f.highlight, parent=self
        )
        self.files_view = table_view(self.files_model, [210, 85, 70, 170, 60, 60, 60, 60, 65, 75])
        self.files_view.selectionModel().selectionChanged.connect(self._on_selection)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.files_view)
        splitter.addWidget(self._detail())
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 330])
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        bind_busy(tasks, self.presenter, self._sync_actions)
        self._sync_actions()

    def _detail(self) -> QWidget:
        """Under the list: the selected package's counts per kind of data, or why it was refused."""
        self.tables_model: RecordsTableModel[TableLine] = RecordsTableModel(TABLE_COLUMNS, parent=self)
        self.tables_title = QLabel(DETAIL_TITLE)
        self.tables_view = table_view(self.tables_model, [200, 70, 70, 70, 70, 70, 80], stretch=None)
        self.reason = banner("error")
        reason_page = QWidget()
        reason_layout = QVBoxLayout(reason_page)
        reason_layout.setContentsMargins(0, 0, 0, 0)
        reason_layout.addWidget(self.reason)
        reason_layout.addStretch(1)
        self.detail_pages = QStackedWidget()
        self.detail_pages.addWidget(self.tables_view)
        self.detail_pages.addWidget(reason_page)
        detail_widget = QWidget()
        detail_layout = QVBoxLayout(detail_widget)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.tables_title)
        detail_layout.addWidget(self.detail_pages, 1)
        return detail_widget

    @property
    def lines(self) -> list[FileLine]:
        return self.presenter.lines

    def ready(self) -> list[FileLine]:
        return self.presenter.ready()

    def _sync_actions(self) -> None:
        enabled = self.presenter.actions()
        self.choose_action.setEnabled(enabled.choose)
        self.apply_action.setEnabled(enabled.apply)
        self.clear_action.setEnabled(enabled.clear)
        self.new_install.setEnabled(enabled.new_install)
        self.rebase.setEnabled(enabled.rebase)

    def _show_lines(self) -> None:
        lines = self.presenter.lines
        self.files_model.set_rows(lines)
        if lines:
            self.files_view.selectRow(0)
        else:
            self.tables_model.set_rows([])
        self._sync_actions()

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.files_view.selectionModel().selectedRows()
        shown = detail(self.files_model.row_at(rows[0].row()) if rows else None)
        self.detail_pages.setCurrentIndex(1 if shown.refused else 0)
        self.tables_title.setText(shown.title)
        if shown.refused:
            self.reason.setText(shown.reason)
        self.tables_model.set_rows(shown.tables)

    def _show_report(self, report: Report) -> None:
        self.summary.setText(report.text)
        set_banner(self.summary, report.kind)

    def clear(self) -> None:
        self.presenter.clear()
        self._show_lines()

    def choose_files(self) -> None:
        if not self.presenter.actions().choose:
            return
        paths = common.ask_open_paths(self, "Pilih paket sinkronisasi dari kecamatan", PACKAGE_FILTER)
        if not paths:
            return
        job = self.presenter.check_job(paths, self.new_install.isChecked(), self.rebase.isChecked())
        run_job(self._tasks, self.presenter, job, on_done=self._on_checked, sync=self._sync_actions)

    def _on_checked(self, outcomes: object) -> None:
        assert isinstance(outcomes, list)
        report = self.presenter.checked(outcomes)
        self._show_lines()
        self._show_report(report)
        if report.warning:
            messages.warn(self, report.warning)

    def apply(self) -> None:
        if not self.presenter.actions().apply:
            return
        new_install, rebase = self.new_install.isChecked(), self.rebase.isChecked()
        if not messages.confirm(self, self.presenter.confirm_text(new_install, rebase), yes="Impor"):
            return
        job = self.presenter.import_job(new_install, rebase)
        run_job(self._tasks, self.presenter, job, on_done=self._on_imported, sync=self._sync_actions)

    def _on_imported(self, outcomes: object) -> None:
        assert isinstance(outcomes, list)
        report = self.presenter.imported(outcomes)
        self._show_lines()
        self._show_report(report)
        self.imported.emit()
        if report.warning:
            messages.warn(self, report.warning)
        elif report.info:
            messages.info(self, report.info)
