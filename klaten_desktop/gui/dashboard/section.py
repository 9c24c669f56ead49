"""The Beranda section: what needs attention today, status tiles, coverage per desa (chart and sortable table),
the 12-month trend, and the worklists with their next action.

``open_officials_requested(ids, title)`` (show these officials in the registry) and ``action_requested(action, ids)``
(start the action: ``ajukan``, ``catat_kpj``, ``catat_pembayaran``, ``cetak_surat``, ``periksa``; see
``services.worklists.ACTION_LABELS``) go to the session's navigation, which the main window follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
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

from klaten_desktop.domain.formatting import format_date, format_number, format_percent
from klaten_desktop.gui.dashboard.charts import CoverageBarChart, TrendChart
from klaten_desktop.gui.dashboard.models import CoverageTableModel, WorklistTableModel
from klaten_desktop.gui.dashboard.recap_export import save_recap
from klaten_desktop.gui.kit.failures import show_failure
from klaten_desktop.gui.kit.status_style import chip_colors
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.gui.kit.workers import Worker, keep_alive
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import dashboard, worklists
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import StatusCounts
from klaten_desktop.services.dashboard import DashboardData, TrendPoint

TILES = (
    ("pengurus", "Pengurus"),
    ("aktif", "Aktif"),
    ("menunggak", "Menunggak"),
    ("nonaktif", "Nonaktif"),
    ("diajukan", "Diajukan"),
    ("belum_terdaftar", "Belum terdaftar"),
    ("berakhir", "Berakhir"),
    ("cakupan", "Cakupan"),
)
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


@dataclass(frozen=True)
class _Snapshot:
    data: DashboardData
    trend: list[TrendPoint]
    counts: dict[str, int]
    notices: list[str]


def _gather(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext) -> _Snapshot:
    """Everything Beranda shows, computed on a worker thread."""
    export_message = None
    try:
        from klaten_desktop.services.sync import export

        reminder = export.reminder(ctx)
        export_message = reminder.message if reminder.due else None
    except ImportError:  # a build without the sync feature
        export_message = None
    counts = dict(worklists.counts(ctx))
    return _Snapshot(
        data=dashboard.figures(ctx),
        trend=list(dashboard.trend(ctx)),
        counts=counts,
        notices=[n.text for n in worklists.notices_today(ctx, export_message=export_message, precounted=counts)],
    )


def _worklist_rows(_progress: Progress, _cancelled: CancelCheck, ctx: ServiceContext, key: str) -> list[object]:
    return list(worklists.rows(ctx, key))


class DashboardSection(QWidget, SectionDefaults):
    open_officials_requested = Signal(list, str)
    action_requested = Signal(str, list)
    loaded = Signal()
    worklist_loaded = Signal(str)

    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = session.ctx
        self._session = session
        self.open_officials_requested.connect(session.navigation.officials_requested)
        self.action_requested.connect(session.navigation.action_requested)
        self._data: DashboardData | None = None
        self._current_worklist: str | None = None
        self._loader: Worker | None = None
        self._worklist_loader: Worker | None = None
        self._reload_pending = False

        self.title = QLabel("Beranda")
        self.title.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.as_of = QLabel()
        self.as_of.setStyleSheet("color: #4a4f57;")
        self.refresh_button = QPushButton("Perb&arui")
        self.refresh_button.clicked.connect(self.refresh)
        self.recap_button = QPushButton("Simpan &rekap (PDF/Excel)…")
        self.recap_button.setToolTip("Rekap cakupan per desa dan iuran ADD untuk Bupati dan Sekda")
        self.recap_button.clicked.connect(self._on_recap_clicked)
        self._recap_task: Task | None = None
        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.as_of, 1)
        header.addWidget(self.recap_button)
        header.addWidget(self.refresh_button)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet(
            "background: #fff4d6; border: 1px solid #e8c66a; border-radius: 6px; padding: 6px 10px; color: #2b1d00;"
        )

        tiles = QHBoxLayout()
        tiles.setSpacing(8)
        self.tiles: dict[str, StatusTile] = {}
        for key, label in TILES:
            tile = StatusTile(key, label)
            tiles.addWidget(tile, 1)
            self.tiles[key] = tile

        # coverage per area: chart above a sortable table
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

        self.tabs = QTabWidget()
        self.tabs.addTab(coverage, "Cakupan per desa")
        self.tabs.addTab(trend, "Tren 12 bulan")

        # worklists
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
        self.worklist_title = QLabel("Pilih daftar kerja untuk melihat pengurusnya.")
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
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.action_button)
        buttons.addStretch(1)
        work = QWidget()
        work_layout = QVBoxLayout(work)
        work_layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Daftar kerja")
        heading.setStyleSheet("font-size: 15px; font-weight: 600;")
        work_layout.addWidget(heading)
        work_layout.addWidget(self.worklist_list)
        work_layout.addWidget(self.worklist_title)
        work_layout.addWidget(self.worklist_table, 1)
        work_layout.addLayout(buttons)

        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(self.tabs)
        body.addWidget(work)
        body.setStretchFactor(0, 5)
        body.setStretchFactor(1, 4)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addLayout(tiles)
        layout.addWidget(body, 1)
        self._update_buttons()
        self.refresh()

    # --- data ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every figure, the worklist counts and today's notice, off the GUI thread.

        Over 100,000 officials this takes seconds; the window stays responsive and shows the old figures (or
        "Memuat…") until the new ones arrive. A refresh asked for while one runs starts again once it ends.
        """
        if self._loader is not None:
            self._reload_pending = True
            return
        self.as_of.setText("Memuat angka cakupan…" if self._data is None else self.as_of.text())
        self.refresh_button.setEnabled(False)
        worker = Worker(_gather, self._ctx)
        worker.signals.finished.connect(self._on_gathered)
        worker.signals.failed.connect(self._on_gather_failed)
        self._loader = worker
        keep_alive(worker)
        worker.start()

    def is_loading(self) -> bool:
        return self._loader is not None

    def _on_gathered(self, snapshot: object) -> None:
        assert isinstance(snapshot, _Snapshot)
        self._loader = None
        self.refresh_button.setEnabled(True)
        data = snapshot.data
        self._data = data
        self.as_of.setText(f"{data.office_name} · keadaan per {format_date(data.as_of)}")
        self._show_counts(data.total)
        areas = data.kecamatan if data.is_kabupaten else data.desa
        label = "Kecamatan" if data.is_kabupaten else "Desa/Kelurahan"
        self.tabs.setTabText(0, "Cakupan per kecamatan" if data.is_kabupaten else "Cakupan per desa")
        self.coverage_model.set_area_label(label)
        self.coverage_model.set_rows(areas)
        self.bar_chart.set_areas(areas)
        self.trend_chart.set_points(snapshot.trend)
        for i in range(self.worklist_list.count()):
            item = self.worklist_list.item(i)
            key = str(item.data(KEY_ROLE))
            item.setText(f"{worklists.BY_KEY[key].title}  ({format_number(snapshot.counts[key])})")
        self._show_notices(snapshot.notices)
        if self._current_worklist is not None:
            self._load_worklist(self._current_worklist)
        self.loaded.emit()
        if self._reload_pending:
            self._reload_pending = False
            self.refresh()

    def _on_gather_failed(self, exc: object) -> None:
        self._loader = None
        self._reload_pending = False
        self.refresh_button.setEnabled(True)
        if isinstance(exc, BaseException):
            show_failure(self, exc)

    def _show_counts(self, counts: StatusCounts) -> None:
        for key, tile in self.tiles.items():
            if key == "pengurus":
                tile.set_value(format_number(counts.pengurus))
            elif key == "cakupan":
                tile.set_value(format_percent(counts.cakupan_persen))
            else:
                tile.set_value(format_number(counts.get(key)))

    def _show_notices(self, notices: list[str]) -> None:
        if notices:
            self.notice.setText("Perlu perhatian hari ini:\n" + "\n".join(f"• {n}" for n in notices))
        else:
            self.notice.setText("Tidak ada yang perlu segera ditindaklanjuti hari ini.")

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
        if current is None:
            self._current_worklist = None
            self.worklist_model.set_rows([])
        else:
            self._current_worklist = str(current.data(KEY_ROLE))
            self._load_worklist(self._current_worklist)
        self._update_buttons()

    def _load_worklist(self, key: str) -> None:
        """Load the worklist's rows off the GUI thread (100,000 rows take about a second)."""
        wl = worklists.BY_KEY[key]
        self.worklist_title.setText(f"{wl.title}: memuat…")
        worker = Worker(_worklist_rows, self._ctx, key)
        worker.signals.finished.connect(lambda rows, k=key: self._on_worklist_loaded(k, rows))
        worker.signals.failed.connect(self._on_gather_failed)
        self._worklist_loader = worker
        keep_alive(worker)
        worker.start()

    def _on_worklist_loaded(self, key: str, rows: object) -> None:
        if key != self._current_worklist:
            return  # the user chose another worklist meanwhile
        self._worklist_loader = None
        assert isinstance(rows, list)
        wl = worklists.BY_KEY[key]
        self.worklist_model.set_rows(rows)
        self.worklist_title.setText(f"{wl.title}: {format_number(len(rows))} pengurus. {wl.description}")
        self.worklist_table.resizeColumnsToContents()
        self._update_buttons()
        self.worklist_loaded.emit(key)

    def is_worklist_loading(self) -> bool:
        return self._worklist_loader is not None and not self._worklist_loader._done.is_set()

    def _update_buttons(self) -> None:
        has_rows = self.worklist_model.rowCount() > 0
        self.open_button.setEnabled(has_rows)
        if self._current_worklist is None:
            self.action_button.setText("Tindakan")
            self.action_button.setEnabled(False)
        else:
            self.action_button.setText(worklists.BY_KEY[self._current_worklist].action_label)
            self.action_button.setEnabled(has_rows)

    def _chosen_ids(self) -> list[str]:
        """The selected rows of the open worklist, or all of them when none is selected."""
        selection = self.worklist_table.selectionModel()
        rows = sorted({i.row() for i in selection.selectedRows()}) if selection is not None else []
        if not rows:
            rows = list(range(self.worklist_model.rowCount()))
        return [self.worklist_model.row_at(r).official_id for r in rows]

    def _on_open_clicked(self) -> None:
        if self._current_worklist is None:
            return
        ids = self._chosen_ids()
        if ids:
            self.open_officials_requested.emit(ids, worklists.BY_KEY[self._current_worklist].title)

    def _on_action_clicked(self) -> None:
        if self._current_worklist is None:
            return
        ids = self._chosen_ids()
        if ids:
            self.action_requested.emit(worklists.BY_KEY[self._current_worklist].action, ids)

    def _on_worklist_row_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            row = self.worklist_model.row_at(index.row())
            self.open_officials_requested.emit([row.official_id], row.nama)

    def _on_recap_clicked(self) -> None:
        self._recap_task = save_recap(self, self._ctx)
