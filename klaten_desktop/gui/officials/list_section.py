"""The officials table on the left, the selected official on the right: what the Pengurus RT/RW and the Kepesertaan &
Iuran sections share (the session's officials store and its loading notice, the browser, Ctrl+F, worklists, the
remembered split and columns), and the small read-only tables in their detail columns."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QLabel, QLayout, QTableView, QVBoxLayout, QWidget

from klaten_desktop.gui.kit.layout import add_action, detail_column, master_detail, name_label, table_column
from klaten_desktop.gui.kit.status_chip import StatusChip
from klaten_desktop.gui.officials.browser import OfficialsBrowser
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services.records import OfficialRow


def compact_table(table: QTableView, widths: Sequence[int]) -> None:
    """A small read-only table: no row numbers, one line per row, given column widths, last column stretched."""
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.setWordWrap(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.horizontalHeader().setStretchLastSection(True)
    for n, width in enumerate(widths):
        table.setColumnWidth(n, width)


def read_only_table(model: QAbstractItemModel, name: str, widths: Sequence[int]) -> QTableView:
    """A compact read-only table over ``model``, named ``name`` for screen readers."""
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    compact_table(table, widths)
    return table


def group_box(title: str, widget: QWidget) -> QGroupBox:
    """``widget`` alone in a titled box."""
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


class OfficialsListSection(QWidget, SectionDefaults):
    """Base of a section over the officials list. The subclass adds its actions and detail widgets, then calls
    ``_lay_out``; it implements ``_on_current_changed(row)``."""

    def __init__(self, session: GuiSession, columns: Sequence[str], key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = session.ctx
        self._session = session
        self._actor = session.actor
        self._store = session.store
        self._store.ensure_loaded()  # the list is read while this section is built (its first rows shown at once)
        self._desa = session.desa()
        self._key = key
        self._shown_generation = -1
        self.browser = OfficialsBrowser(self._desa, columns, key, session.settings, self)
        self.loading = QLabel("Memuat data pengurus…")
        self.loading.hide()
        self.name = name_label()
        self.chip = StatusChip()

    def _lay_out(
        self,
        buttons: Sequence[QAction],
        parts: list[tuple[QWidget | QLayout, int]],
        empty_text: str,
        *,
        min_width: int,
        stretch: tuple[int, int],
        sizes: tuple[int, int],
    ) -> None:
        """Ctrl+F, the table with ``buttons`` above it beside the name, status and ``parts`` of the selected
        official (``empty_text`` while none is), the split remembered under the section's key; then listen."""
        self.search_action = add_action(self, "&Cari", self.browser.focus_search, "Ctrl+F")
        left = table_column(buttons, self.loading, self.browser)
        right, self.empty = detail_column(self.name, self.chip, parts, empty_text, min_width)
        self.splitter = master_detail(
            self, left, right, settings=self._session.settings, key=self._key, stretch=stretch, sizes=sizes
        )
        self.browser.current_changed.connect(self._on_current_changed)
        self._store.loaded.connect(self._on_store_loaded)
        self._store.first_rows_loaded.connect(self._show_first_rows)

    def _on_current_changed(self, row: OfficialRow | None) -> None:
        """Another official (or none) was selected in the table."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Show the store's rows, loading them first (in the background) when nobody has yet."""
        if self._store.rows() is None:
            self.loading.show()
            self._store.ensure_loaded()
            self._show_first_rows()
            return
        self._on_store_loaded()

    def _show_first_rows(self) -> None:
        """The first load has read its first rows: show them (searchable, sortable) while the rest loads; the
        "Memuat" line stays until every official is in the table."""
        first = self._store.first_rows()
        if first is not None and self._shown_generation < 0 and self.browser.model.total_count() == 0:
            self.browser.set_rows(first)

    def _on_store_loaded(self) -> None:
        """The store has (new) rows: put them in the table unless they are shown already."""
        rows = self._store.rows()
        if rows is None or self._store.generation == self._shown_generation:
            return
        self._shown_generation = self._store.generation
        self.loading.hide()
        self.browser.set_rows(rows, self._store.keys())

    def focus_search(self) -> None:
        self.browser.focus_search()

    def show_officials(self, ids: frozenset[str], title: str) -> bool:
        self.browser.set_id_filter(ids, title)
        return True

    def save_state(self) -> None:
        self.browser.save_state()
        settings = self._session.settings
        if settings is not None:
            settings.save_splitter(self.splitter, self._key)
