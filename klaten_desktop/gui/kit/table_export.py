"""Any table on screen to Excel (.xlsx) or CSV: the rows as they are shown (filtered and sorted), the columns
that are not hidden, typed cells (NIK as text, dates as dates, numbers as numbers), written on a worker.

Every table view of the window gets the action "Ekspor tabel ke Excel…" (Ctrl+Shift+X while the table has focus, and
the table's right-click menu) from :func:`install_table_exports`. A model may offer a quick snapshot with typed
values (``export_table(columns)``, the officials list of 100,000 rows); any other model is read cell by cell,
with typed values from :data:`EXPORT_ROLE` when it gives them, else the text shown (see :func:`typed`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGroupBox, QStackedWidget, QTableView, QTabWidget, QWidget

from klaten_desktop.domain.months import MONTH_NAMES
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.failures import shown
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.runtime.work import CancelCheck, Progress

#: The value of a cell for an export, when it differs from the text shown: a date, a number.
EXPORT_ROLE = Qt.ItemDataRole.UserRole + 40
FILTERS = "Lembar kerja Excel (*.xlsx);;CSV untuk Excel (*.csv)"
SHORTCUT = "Ctrl+Shift+X"
_INSTALLED = "klaten_export_installed"


@dataclass(frozen=True)
class TableExport:
    """What to write: column headers and kinds ("text", "number", "date"), and the rows' cell values, made
    from ``records`` by ``cells`` on the worker (``cells`` must be plain Python: no Qt)."""

    headers: list[str]
    kinds: list[str] | None  # None: each cell by its Python type
    records: Sequence[Any]
    cells: Callable[[Any], Sequence[object]]


def snapshot(view: QTableView) -> TableExport:
    """The rows and visible columns of ``view`` in the order shown."""
    model = view.model()
    header = view.horizontalHeader()
    columns = [header.logicalIndex(v) for v in range(header.count())]  # visual order
    columns = [c for c in columns if not view.isColumnHidden(c)]
    quick = getattr(model, "export_table", None)
    if quick is not None:
        table = quick(columns)
        assert isinstance(table, TableExport)
        return table
    return _read_cells(model, columns)


def _read_cells(model: QAbstractItemModel, columns: list[int]) -> TableExport:
    display, export = Qt.ItemDataRole.DisplayRole, EXPORT_ROLE
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal, display) or "") for c in columns]
    rows: list[list[object]] = []
    for r in range(model.rowCount()):
        cells: list[object] = []
        for c in columns:
            index = model.index(r, c)
            value = model.data(index, export)
            if value is None:
                text = model.data(index, display)
                value = "" if text is None else typed(str(text))
            cells.append(value)
        rows.append(cells)
    return TableExport(headers, None, rows, list)  # each cell written by its type: "—" beside numbers stays text


_DATE_SHOWN = re.compile(rf"^\d{{1,2}} ({'|'.join(MONTH_NAMES)}) \d{{4}}$")  # as format_date writes it
_COUNT = re.compile(r"^(?:0|[1-9]\d{0,8}|[1-9]\d{0,2}(?:\.\d{3}){1,2})$")  # 0, 12, 1.234: not 001, a NIK
_MONEY = re.compile(r"^Rp\s?(\d{1,3}(?:\.\d{3})*)$")


def typed(text: str) -> object:
    """A cell as the app shows it, as a typed value where that is certain: "9 Desember 2026" a date, "1.234"
    and "Rp 16.800" numbers; codes with a leading 0 (RT 001, 0812...) and long digit strings (NIK, KPJ) stay
    text, as does anything else."""
    stripped = text.strip()
    if _COUNT.match(stripped):
        return int(stripped.replace(".", ""))
    money = _MONEY.match(stripped)
    if money:
        return int(money.group(1).replace(".", ""))
    if _DATE_SHOWN.match(stripped):
        from klaten_desktop.services.imports.parsing import parse_date_flexible  # not needed for the first paint

        try:
            return parse_date_flexible(stripped)
        except ValueError:
            return text
    return text


def write_export(progress: Progress, cancelled: CancelCheck, table: TableExport, target: Path, sheet: str) -> int:
    """The work: write ``table`` to ``target`` (.xlsx or .csv); nothing is left when cancelled or failed."""
    from klaten_desktop.services import table_writer  # imported when a table is saved, not at start-up

    rows = (table.cells(record) for record in table.records)
    return table_writer.write_table(
        target,
        table.headers,
        rows,
        kinds=table.kinds,
        total=len(table.records),
        sheet=sheet,
        progress=progress,
        cancelled=cancelled,
        csv_for_excel=True,  # FILTERS offers .csv as "CSV untuk Excel"
    )


def _sheet_name(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of [ ] : * ? / \\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Tabel"


def _file_stem(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words[:6]) or "tabel"


#: Told of every file a table export wrote (its path and number of rows): the window records it in the audit trail.
Written = Callable[[Path, int], None]


def export_view(
    parent: QWidget, view: QTableView, title: str, today: dt.date, written: Written | None = None
) -> Task | None:
    """Ask where to save the table shown in ``view``, then write it in the background (``written`` told after)."""
    table = snapshot(view)
    if not table.records:
        messages.info(parent, "Tabel ini kosong; tidak ada yang diekspor.")
        return None
    suggested = Path.home() / f"{_file_stem(title)}-{today.isoformat()}.xlsx"
    path = messages.ask_save_path(parent, f"Ekspor tabel: {title}", FILTERS, suggested)
    if path is None:
        return None
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".xlsx")
    count = len(table.records)
    return Task(
        parent,
        f"Mengekspor {count:,} baris…".replace(",", "."),
        write_export,
        table,
        path,
        _sheet_name(title),
        on_done=lambda count: _done(parent, path, count, written),
    ).start()


def _done(parent: QWidget, path: Path, count: int, written: Written | None) -> None:
    if written is not None:
        with shown(parent):
            written(path, count)
    messages.info(parent, f"{count:,} baris diekspor ke {path}.".replace(",", "."))


def table_title(view: QTableView, section: str) -> str:
    """What the table is called on screen: its accessible name, else the group box or tab it sits in, with the
    section's name ("Sosialisasi - Peserta"), else the section's name."""
    if view.accessibleName():
        return view.accessibleName()
    widget: QWidget | None = view.parentWidget()
    while widget is not None:
        parent = widget.parentWidget()
        if isinstance(widget, QGroupBox) and widget.title():
            return f"{section} - {widget.title().replace('&', '')}"
        if isinstance(parent, QStackedWidget) and isinstance(parent.parentWidget(), QTabWidget):
            tabs = parent.parentWidget()
            assert isinstance(tabs, QTabWidget)
            index = tabs.indexOf(widget)
            if index >= 0:
                return f"{section} - {tabs.tabText(index).replace('&', '')}"
        widget = parent
    return section


def install_table_exports(
    root: QWidget, today: Callable[[], dt.date], title: str = "Tabel", written: Written | None = None
) -> int:
    """Give every table view under ``root`` the export action (once each); returns how many were added.

    The file is named after the table's accessible name, else ``title`` (the section's); ``written`` is told of
    each file written (the audit trail)."""
    added = 0
    views = root.findChildren(QTableView)
    if isinstance(root, QTableView):
        views.insert(0, root)
    for view in views:
        if view.property(_INSTALLED):
            continue
        view.setProperty(_INSTALLED, True)
        view.setTabKeyNavigation(False)  # Tab leaves the table; arrow keys move between cells

        def name_of(v: QTableView = view) -> str:
            return table_title(v, title)

        action = QAction("Ekspor tabel ke E&xcel…", view)
        action.setShortcut(QKeySequence(SHORTCUT))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(f"Simpan baris yang tampil di tabel ini ke Excel atau CSV ({SHORTCUT})")
        action.triggered.connect(
            lambda _checked=False, v=view: export_view(v.window(), v, name_of(v), today(), written)
        )
        view.addAction(action)
        if view.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        added += 1
    return added
