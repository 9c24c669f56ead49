"""Search, filters and the officials table: shared by the Pengurus and Kepesertaan sections."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelection, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from klaten_desktop.domain.enums import CoverageStatus, Jabatan
from klaten_desktop.domain.formatting import format_number
from klaten_desktop.gui.kit.name_search import search_names
from klaten_desktop.gui.kit.status_chip import StatusChipDelegate
from klaten_desktop.gui.kit.ui_settings import UiSettings
from klaten_desktop.gui.officials.row_keys import RowKeys
from klaten_desktop.gui.officials.table_model import OfficialsTableModel, RowFilter
from klaten_desktop.services.records import OfficialRow
from klaten_desktop.services.wilayah import WilayahRow

SEARCH_DELAY_MS = 150


def post_label(jabatan: Jabatan, rt: int | None, rw: int | None, desa_nama: str) -> str:
    """ "Ketua RT 003 RW 008, Desa Brajan"; "Ketua RW 006, Desa Kemudo"; "Sekretaris RW 002, Desa Tlogo"."""
    words = ["Ketua"] if jabatan in (Jabatan.ketua_rt, Jabatan.ketua_rw) else [jabatan.label]
    if rt is not None:
        words.append(f"RT {rt:03d}")
    if rw is not None:
        words.append(f"RW {rw:03d}")
    if len(words) == 1:
        words = [jabatan.label]
    return f"{' '.join(words)}, Desa {desa_nama}"


def _choices(everything: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    """A filter drop-down: ``everything`` (no filter) first, then the (text, value) ``items``."""
    combo = QComboBox()
    combo.addItem(everything, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


def _number_filter(prefix: str) -> QSpinBox:
    """An RW or RT filter: 0 shows "Semua RW"/"Semua RT"."""
    spin = QSpinBox()
    spin.setRange(0, 999)
    spin.setSpecialValueText(f"Semua {prefix}")
    spin.setPrefix(f"{prefix} ")
    return spin


class OfficialsBrowser(QWidget):
    """The search line, the filters, a worklist banner and the officials table; remembers its columns in
    ``settings`` (the session's view settings, None in tests that build a widget alone) as ``settings_key``."""

    current_changed = Signal(object)  # OfficialRow | None
    activated = Signal(object)  # OfficialRow

    def __init__(
        self,
        desa: Sequence[WilayahRow],
        columns: Sequence[str],
        settings_key: str,
        settings: UiSettings | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings_key = settings_key
        self._settings = settings
        self._current_id: str | None = None
        self._emitted: OfficialRow | None = None  # the row last sent out by ``current_changed``
        self._never_attended: Callable[[], set[str]] | None = None
        self._never_attended_ids: frozenset[str] | None = None
        self._worklist_ids: frozenset[str] | None = None

        self._make_filters(desa)
        self._make_worklist_banner()
        self._make_table(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.worklist_row)
        layout.addLayout(self._search_row())
        layout.addLayout(self._filter_row())
        layout.addWidget(self.table, 1)
        self._connect_filters()
        self._update_count()

    def _make_filters(self, desa: Sequence[WilayahRow]) -> None:
        """The search line, the desa/RW/RT/jabatan/status filters, the two check boxes and the row count."""
        self.search = QLineEdit()
        self.search.setPlaceholderText("Cari nama atau NIK…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.desa = search_names(_choices("Semua desa", [(w.label, w.kode) for w in desa]))
        self.desa.setMaxVisibleItems(20)
        self.rw = _number_filter("RW")
        self.rt = _number_filter("RT")
        self.jabatan = _choices("Semua jabatan", [(j.label, j.value) for j in Jabatan])
        self.status = _choices("Semua status", [(s.label, s.value) for s in CoverageStatus])
        self.include_past = QCheckBox("Juga yang sudah be&rhenti")
        self.include_past.setToolTip("Tampilkan juga pengurus yang sudah tidak menjabat (riwayat)")
        self.never_socialized = QCheckBox("Belum &pernah sosialisasi")
        self.never_socialized.setToolTip("Hanya pengurus menjabat yang belum pernah hadir dalam sosialisasi")
        self.never_socialized.hide()  # shown once a section provides the list (set_never_attended_provider)
        self.count = QLabel()
        self.count.setAccessibleName("Jumlah baris")
        for combo in (self.desa, self.jabatan, self.status):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(9)

    def _make_worklist_banner(self) -> None:
        """The banner over the table while a worklist is shown, with its "Tampilkan semua" button."""
        self.worklist_label = QLabel()
        self.worklist_label.setStyleSheet("QLabel { background: #fff4ce; padding: 4px 8px; }")
        self.worklist_clear = QPushButton("Tampilkan se&mua")
        self.worklist_clear.clicked.connect(lambda: self.set_id_filter(None))
        self.worklist_label.hide()
        self.worklist_clear.hide()
        self.worklist_row = QHBoxLayout()
        self.worklist_row.setContentsMargins(0, 0, 0, 0)
        self.worklist_row.addWidget(self.worklist_label, 1)
        self.worklist_row.addWidget(self.worklist_clear)

    def _search_row(self) -> QHBoxLayout:
        """The "Cari:" label with the search line, the "belum pernah sosialisasi" box and the row count."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Cari:")
        label.setBuddy(self.search)
        row.addWidget(label)
        row.addWidget(self.search, 1)
        row.addWidget(self.never_socialized)
        row.addWidget(self.count)
        return row

    def _filter_row(self) -> QHBoxLayout:
        """The filters under the search line."""
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.desa, 2)
        row.addWidget(self.rw)
        row.addWidget(self.rt)
        row.addWidget(self.jabatan, 1)
        row.addWidget(self.status, 1)
        row.addWidget(self.include_past)
        return row

    def _make_table(self, columns: Sequence[str]) -> None:
        """The officials table: one selected row, movable columns with a menu to hide them, sorted by name unless
        the view settings remember another order."""
        self.model = OfficialsTableModel(columns, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setItemDelegateForColumn(self.model.column_of("status"), StatusChipDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)
        self._default_widths()
        self.table.setSortingEnabled(True)
        header.setSortIndicator(self.model.column_of("nama"), Qt.SortOrder.AscendingOrder)
        if self._settings is not None:
            self._settings.restore_header(header, self._settings_key)
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _connect_filters(self) -> None:
        """Typing filters after a short pause (Enter at once), every other filter at once; selection and
        double-click go out as signals."""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.desa, self.jabatan, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.rw.valueChanged.connect(self.apply_filter)
        self.rt.valueChanged.connect(self.apply_filter)
        self.include_past.toggled.connect(self.apply_filter)
        self.never_socialized.toggled.connect(self._on_never_socialized_toggled)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table.activated.connect(self._on_double_clicked)
        self.model.modelReset.connect(self._after_reset)
        self.model.layoutChanged.connect(self._update_count)

    def _default_widths(self) -> None:
        # at 1366x768 the columns up to Status fit beside the detail pane (tests/gui/officials/test_officials_layout.py)
        widths = {
            "nama": 190,
            "nik": 146,  # the masked form "3310 01•• •••• 0001"
            "desa": 125,
            "rw": 44,
            "rt": 44,
            "jabatan": 90,
            "status": 130,
            "kpj": 110,
            "dibayar": 130,
            "telepon": 115,
            "mulai": 125,
        }
        for n, key in enumerate(self.model.column_keys()):
            if key in widths:
                self.table.setColumnWidth(n, widths[key])

    # ----------------------------------------------------------------------------- filters

    def current_filter(self) -> RowFilter:
        return RowFilter(
            desa_kode=self.desa.currentData(),
            rw=self.rw.value() or None,
            rt=self.rt.value() or None,
            jabatan=self.jabatan.currentData(),
            status=self.status.currentData(),
            include_past=self.include_past.isChecked(),
            text=self.search.text(),
            only_ids=self._only_ids(),
        )

    def _only_ids(self) -> frozenset[str] | None:
        never = self._never_attended_ids if self.never_socialized.isChecked() else None
        if never is None:
            return self._worklist_ids
        if self._worklist_ids is None:
            return never
        return never & self._worklist_ids

    def set_id_filter(self, ids: frozenset[str] | None, title: str = "") -> None:
        """Show only these officials (a worklist opened from Beranda), with a banner to show all again."""
        self._worklist_ids = ids
        visible = ids is not None
        self.worklist_label.setText(f"Daftar kerja: {title} ({format_number(len(ids))} pengurus)" if ids else "")
        self.worklist_label.setVisible(visible)
        self.worklist_clear.setVisible(visible)
        if visible:
            self.include_past.setChecked(False)
        self.apply_filter()

    def set_never_attended_provider(self, provider: Callable[[], set[str]]) -> None:
        """Enable the "belum pernah sosialisasi" filter; ``provider`` returns the ids of such officials."""
        self._never_attended = provider
        self.never_socialized.show()

    def _on_never_socialized_toggled(self, checked: bool) -> None:
        if checked and self._never_attended is not None:
            self._never_attended_ids = frozenset(self._never_attended())
        self.apply_filter()

    def apply_filter(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.current_filter())

    def set_rows(self, rows: Sequence[OfficialRow], keys: RowKeys | None = None) -> None:
        """Show ``rows`` (``keys``: their search and sort keys when the store made them already)."""
        if self.never_socialized.isChecked() and self._never_attended is not None:
            self._never_attended_ids = frozenset(self._never_attended())
            self.model.set_filter(self.current_filter())
        self.model.set_rows(rows, keys)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ----------------------------------------------------------------------------- selection

    def current_row(self) -> OfficialRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.row_at(rows[0].row())

    def select_id(self, official_id: str | None) -> bool:
        self._current_id = official_id
        row = self.model.row_of_id(official_id) if official_id else -1
        if row < 0:
            self.table.clearSelection()
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def _after_reset(self) -> None:
        self._update_count()
        if self._current_id is None or not self.select_id(self._current_id):
            self._emitted = None
            self.current_changed.emit(None)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        self.count.setText(f"{format_number(shown)} dari {format_number(total)} pengurus")

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.current_row()
        self._current_id = row.id if row is not None else self._current_id
        if row is not None and row is self._emitted:
            return  # the same row selected again after a search or filter: nothing changed for the detail pane
        self._emitted = row
        self.current_changed.emit(row)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.activated.emit(self.model.row_at(index.row()))

    # ----------------------------------------------------------------------------- columns

    def _on_header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for n in range(self.model.columnCount()):
            title = str(self.model.headerData(n, Qt.Orientation.Horizontal))
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(n))
            action.setEnabled(self.model.column_keys()[n] != "nama")
            action.toggled.connect(lambda on, col=n: header.setSectionHidden(col, not on))
        menu.exec(header.mapToGlobal(pos))

    def save_state(self) -> None:
        if self._settings is not None:
            self._settings.save_header(self.table.horizontalHeader(), self._settings_key)
