"""The Beranda section: what needs attention today, status tiles, coverage per desa (chart and sortable table),
the 12-month trend, and the worklists with their next action.

``open_officials_requested(ids, title)`` (show these officials in the registry) and ``action_requested(action, ids)``
(start the action: ``ajukan``, ``catat_kpj``, ``catat_pembayaran``, ``ganti_pengurus``, ``undang_sosialisasi``,
``periksa``; see
``services.worklists.ACTION_LABELS``) go to the session's navigation, which the main window follows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.gui.dashboard.charts import CoverageBarChart, TrendChart
from klaten_desktop.gui.dashboard.models import CoverageTableModel, WorklistTableModel
from klaten_desktop.gui.dashboard.presenter import RECAP_FILES, TILES, DashboardPresenter, Snapshot, Work
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import show_failure
from klaten_desktop.gui.kit.permits import hide
from klaten_desktop.gui.kit.status_style import chip_colors
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.gui.kit.workers import Worker, keep_alive
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services import worklists
from klaten_desktop.services.access import Permission, allowed

KEY_ROLE = Qt.ItemDataRole.UserRole + 3


class StatusTile(QFrame):
    """A count with its label, in the status colour."""

    def __init__(self, key: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile_{key}")
        if key in ("pengurus", "cakupan"):
            bg, fg = "#ffffff", "#1f2933"
            border = "#c4cbd4"
        else:
            b, f = chip_colors(key)
            bg, fg, border = b.name(), f.name(), b.name()
        self.setStyleSheet(
            f"#tile_{key} {{ background: {bg}; border: 1px solid {border}; border-radius: 8px; }}"
            f"#tile_{key} QLabel {{ color: {fg}; background: transparent; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 8)
        layout.setSpacing(0)
        self.value = QLabel("0")
        self.value.setStyleSheet("font-size: 22px; font-weight: 700;")
        self.caption = QLabel(label)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, text: str) -> None:
        self.value.setText(text)


class DashboardSection(QWidget, SectionDefaults):
    """Lays out and binds the Beranda; what it shows and what its buttons do are the presenter's."""

    open_officials_requested = Signal(list, str)
    action_requested = Signal(str, list)
    loaded = Signal()
    worklist_loaded = Signal(str)

    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.presenter = DashboardPresenter(session.ctx, session.actor)
        self.open_officials_requested.connect(session.navigation.officials_requested)
        self.action_requested.connect(session.navigation.action_requested)
        self._worklist_loader: Worker | None = None
        self._recap_task: Task | None = None
        self._loaders: list[Worker] = []  # the loads started by ``_run`` (waited for by ``stop_work``)
        self._stopped = False
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_coverage(), "Cakupan per desa")
        self.tabs.addTab(self._build_trend(), "Tren 12 bulan")
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.tabs)
        body.addWidget(self._build_worklists())
        body.setStretchFactor(0, 5)
        body.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_header())
        layout.addWidget(self._build_notice())
        layout.addLayout(self._build_tiles())
        layout.addWidget(body, 1)
        self._update_buttons()
        self.refresh()

    # --- layout ----------------------------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        self.title = QLabel("Beranda")
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.as_of = QLabel()
        self.as_of.setStyleSheet("color: #4a4f57;")
        self.refresh_button = QPushButton("Perb&arui")
        self.refresh_button.clicked.connect(self.refresh)
        self.recap_button = QPushButton("Simpan &rekap (PDF/Excel)…")
        self.recap_button.setToolTip("Rekap cakupan per desa dan iuran ADD untuk Bupati dan Sekda")
        self.recap_button.clicked.connect(self._on_recap_clicked)
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.as_of, 1)
        header.addWidget(self.recap_button)
        header.addWidget(self.refresh_button)
        return header

    def _build_notice(self) -> QLabel:
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet(
            "background: #fff4d6; border: 1px solid #e8c66a; border-radius: 6px; padding: 6px 10px; color: #2b1d00;"
        )
        return self.notice

    def _build_tiles(self) -> QHBoxLayout:
        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        self.tiles: dict[str, StatusTile] = {}
        for key, label in TILES:
            tile = StatusTile(key, label)
            tiles.addWidget(tile, 1)
            self.tiles[key] = tile
        return tiles

    def _build_coverage(self) -> QSplitter:
        """Coverage per area: the chart above a sortable table."""
        self.bar_chart = CoverageBarChart()
        self.coverage_model = CoverageTableModel()
        self.coverage_table = QTableView()
        self.coverage_table.setAccessibleName("Cakupan per wilayah")
        self.coverage_table.setModel(self.coverage_model)
        self.coverage_table.setSortingEnabled(True)
        self.coverage_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.coverage_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.coverage_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coverage_table.verticalHeader().setVisible(False)
        self.coverage_table.verticalHeader().setDefaultSectionSize(22)
        self.coverage_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.coverage_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.coverage_table.setColumnHidden(0, True)
        coverage = QSplitter(Qt.Orientation.Vertical)
        coverage.addWidget(self.bar_chart)
        coverage.addWidget(self.coverage_table)
        coverage.setStretchFactor(0, 1)
        coverage.setStretchFactor(1, 1)
        coverage.setSizes([280, 240])
        coverage.setChildrenCollapsible(False)
        return coverage

    def _build_trend(self) -> QWidget:
        self.trend_chart = TrendChart()
        self.trend_note = QLabel(
            "Keadaan pada akhir setiap bulan (bulan ini: hari ini), dihitung dari tanggal pengajuan, pendaftaran, "
            "masa jabatan dan bulan lunas iuran yang tercatat sekarang."
        )
        self.trend_note.setWordWrap(True)
        self.trend_note.setStyleSheet("color: #4a4f57;")
        trend = QWidget()
        trend_layout = QVBoxLayout(trend)
        trend_layout.addWidget(self.trend_chart, 1)
        trend_layout.addWidget(self.trend_note)
        return trend

    def _build_worklists(self) -> QWidget:
        """The worklists, the chosen one's officials, and its two buttons."""
        self.worklist_list = QListWidget()
        self.worklist_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for wl in worklists.WORKLISTS:
            item = QListWidgetItem(wl.title)
            item.setData(KEY_ROLE, wl.key)
            item.setToolTip(wl.description)
            self.worklist_list.addItem(item)
        rows_height = sum(self.worklist_list.sizeHintForRow(i) for i in range(self.worklist_list.count()))
        self.worklist_list.setFixedHeight(rows_height + 2 * self.worklist_list.frameWidth() + 8)
        self.worklist_list.currentItemChanged.connect(self._on_worklist_changed)
        self.worklist_title = QLabel(self.presenter.title())
        self.worklist_title.setWordWrap(True)
        self.worklist_title.setStyleSheet("font-weight: 600;")
        self.worklist_model = WorklistTableModel()
        self.worklist_table = QTableView()
        self.worklist_table.setAccessibleName("Daftar kerja")
        self.worklist_table.setModel(self.worklist_model)
        self.worklist_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.worklist_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.worklist_table.verticalHeader().setVisible(False)
        self.worklist_table.verticalHeader().setDefaultSectionSize(22)
        self.worklist_table.horizontalHeader().setStretchLastSection(True)
        self.worklist_table.doubleClicked.connect(self._on_worklist_row_activated)
        self.open_button = QPushButton("Buka data pengurus")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.action_button = QPushButton("Tindakan")
        self.action_button.setDefault(False)
        self.action_button.clicked.connect(self._on_action_clicked)
        # a worklist's next step submits, replaces or invites: for those who do that work (not a reader)
        steps = (Permission.enrollment, Permission.registry, Permission.events)
        if not all(allowed(self._session.actor, p) for p in steps):
            hide(self.action_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.action_button)
        buttons.addStretch(1)
        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Daftar kerja")
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        for widget in (heading, self.worklist_list, self.worklist_title):
            work_layout.addWidget(widget)
        work_layout.addWidget(self.worklist_table, 1)
        work_layout.addLayout(buttons)
        return work

    # --- data ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every figure, the worklist counts and today's notice, off the GUI thread.

        Over 100,000 officials this takes seconds; the window stays responsive and shows the old figures (or
        "Memuat…") until the new ones arrive. A refresh asked for while one runs starts again once it ends.
        """
        if self._stopped or not self.presenter.start_loading():
            return
        self.as_of.setText(self.presenter.as_of())
        self.refresh_button.setEnabled(False)
        self._run(self.presenter.gather_work(), self._on_gathered)

    def _run(self, work: Work, done: Callable[[object], None]) -> Worker:
        """Run ``work`` on the thread pool (no progress dialog: the screen shows the old figures meanwhile)."""
        worker = Worker(work)
        worker.signals.finished.connect(done)
        worker.signals.failed.connect(self._on_load_failed)
        keep_alive(worker)
        self._loaders = [w for w in self._loaders if not w.is_done()] + [worker]
        worker.start()
        return worker

    def stop_work(self) -> None:
        """The window closes: no load starts any more, and the running loads and the recap being written are
        waited for (the database may be closed right after; a load that then failed is not shown to anyone)."""
        self._stopped = True
        for worker in self._loaders:
            worker.cancel()
            worker.wait(30)
        self._loaders.clear()
        if self._recap_task is not None:
            self._recap_task.worker.wait(30)  # the file the person asked for is finished, not cut off

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed on its own (a window of its own, as in the tests); inside the main window, it calls
        ``stop_work``."""
        self.stop_work()
        super().closeEvent(event)

    def is_loading(self) -> bool:
        return self.presenter.loading

    def _on_gathered(self, snapshot: object) -> None:
        assert isinstance(snapshot, Snapshot)
        again = self.presenter.loaded(snapshot)
        self.refresh_button.setEnabled(True)
        self.as_of.setText(self.presenter.as_of())
        for key, value in self.presenter.tile_values().items():
            self.tiles[key].set_value(value)
        areas = self.presenter.areas()
        self.tabs.setTabText(0, self.presenter.coverage_tab_title())
        self.coverage_model.set_area_label(self.presenter.area_label())
        self.coverage_model.set_rows(areas)
        self.bar_chart.set_areas(areas)
        self.trend_chart.set_points(snapshot.trend)
        for i in range(self.worklist_list.count()):
            item = self.worklist_list.item(i)
            item.setText(self.presenter.worklist_label(str(item.data(KEY_ROLE))))
        self.notice.setText(self.presenter.notice())
        if self.presenter.worklist is not None:
            self._load_worklist(self.presenter.worklist)
        self.loaded.emit()
        if again:
            self.refresh()

    def _on_load_failed(self, exc: object) -> None:
        self.presenter.load_failed()
        self.refresh_button.setEnabled(True)
        if isinstance(exc, BaseException) and not self._stopped:  # logged by the worker either way
            show_failure(self, exc)

    def notices(self) -> str:
        return self.notice.text()

    # --- worklists ---------------------------------------------------------------------------------------------

    def select_worklist(self, key: str) -> None:
        for i in range(self.worklist_list.count()):
            if self.worklist_list.item(i).data(KEY_ROLE) == key:
                self.worklist_list.setCurrentRow(i)
                return
        raise KeyError(key)

    def _on_worklist_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        key = str(current.data(KEY_ROLE)) if current is not None else None
        if self.presenter.choose(key) and key is not None:
            self._load_worklist(key)
        else:
            self.worklist_model.set_rows(self.presenter.rows)
        self._update_buttons()

    def _load_worklist(self, key: str) -> None:
        """Load the worklist's rows off the GUI thread (100,000 rows take about a second)."""
        if self._stopped:
            return
        self.worklist_title.setText(self.presenter.title(loading=True))
        self._worklist_loader = self._run(
            self.presenter.rows_work(key), functools.partial(self._on_worklist_loaded, key)
        )

    def _on_worklist_loaded(self, key: str, rows: object) -> None:
        assert isinstance(rows, list)
        if not self.presenter.arrived(key, rows):
            return  # the user chose another worklist meanwhile
        self._worklist_loader = None
        self.worklist_model.set_rows(self.presenter.rows)
        self.worklist_title.setText(self.presenter.title())
        self.worklist_table.resizeColumnsToContents()
        self._update_buttons()
        self.worklist_loaded.emit(key)

    def is_worklist_loading(self) -> bool:
        return self._worklist_loader is not None and not self._worklist_loader.is_done()

    def _update_buttons(self) -> None:
        actions = self.presenter.actions()
        self.open_button.setEnabled(actions.open)
        self.action_button.setText(actions.action_label)
        self.action_button.setEnabled(actions.action)

    def _selected_rows(self) -> list[int]:
        selection = self.worklist_table.selectionModel()
        return [i.row() for i in selection.selectedRows()] if selection is not None else []

    def _on_open_clicked(self) -> None:
        request = self.presenter.open_request(self._selected_rows())
        if request is not None:
            self.open_officials_requested.emit(*request)

    def _on_action_clicked(self) -> None:
        request = self.presenter.action_request(self._selected_rows())
        if request is not None:
            self.action_requested.emit(*request)

    def _on_worklist_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_officials_requested.emit(*self.presenter.row_request(index.row()))

    # --- the recap ---------------------------------------------------------------------------------------------

    def _on_recap_clicked(self) -> None:
        """Ask where to save, then write the recap in the background; tell the person where it went."""
        suggested = Path.home() / self.presenter.recap_file()
        path = messages.ask_save_path(self, "Simpan rekap cakupan", RECAP_FILES, suggested)
        if path is None:
            return
        self._recap_task = self._session.task(
            self,
            "Membuat rekap cakupan…",
            self.presenter.recap_work(path),
            on_done=lambda written: messages.info(self, self.presenter.recap_report(written)),
        )
