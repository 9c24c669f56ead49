"""One shared, background-loaded copy of the office's officials list (``officials.list_rows``).

Loading 100,000 rows (``officials.iter_rows``, streamed into a ``row_store.RowStore``: kept by column)
takes more than a second, so it never happens on the GUI thread: the store loads at start
and after every change, and the sections that show officials redraw when ``loaded`` arrives. During the first
load the first rows read come ahead (``first_rows_loaded``), so a list opened early is shown at once.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from klaten_desktop.gui.kit.failures import show_failure
from klaten_desktop.gui.kit.workers import Worker, keep_alive
from klaten_desktop.runtime.memory import return_big_blocks_at_once
from klaten_desktop.services.context import ServiceContext

if TYPE_CHECKING:  # the officials service, the database models and the row store load after the first paint
    from klaten_desktop.gui.officials.row_keys import RowKeys
    from klaten_desktop.gui.officials.row_store import RowStore
    from klaten_desktop.services.records import OfficialRow


def _list_rows(ctx: ServiceContext, first: Callable[[list[OfficialRow]], None] | None = None) -> RowStore:
    """Every official, kept by column as they are read (never a tuple per row for the whole list)."""
    from klaten_desktop.gui.officials.row_store import RowStore
    from klaten_desktop.services import officials  # imported once the window is on screen (see reload)

    return RowStore(officials.iter_rows(ctx, first=first))


def _keyed(rows: Sequence[OfficialRow]) -> RowKeys:
    """The rows with their search keys and the default order (by name) of both tables, made off the GUI thread."""
    from klaten_desktop.gui.officials.row_keys import RowKeys
    from klaten_desktop.gui.officials.table_model import COLUMNS

    keys = RowKeys(rows)
    keys.order("nama", COLUMNS["nama"].sort, False)
    return keys


def _load(_progress: Any, _cancelled: Any, ctx: ServiceContext, first: Callable[[list[OfficialRow]], None]) -> RowKeys:
    return _keyed(_list_rows(ctx, first))


class OfficialsStore(QObject):
    loaded = Signal()  # rows() changed
    loading = Signal()
    first_rows_loaded = Signal()  # first_rows() arrived: the first rows of the first load, the rest still loading
    _first_read = Signal(object)  # emitted on the worker's thread, received on the GUI thread

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._rows: RowStore | None = None
        self._keys: RowKeys | None = None
        self._first: list[OfficialRow] | None = None
        self._worker: Worker | None = None
        self._again = False
        self.generation = 0
        self._first_read.connect(self._on_first_read)

    def rows(self) -> RowStore | None:
        """The last loaded rows (all of them), or None while the first load is running."""
        return self._rows

    def keys(self) -> RowKeys | None:
        """The search and sort keys of :meth:`rows` (shared by the tables showing them), or None."""
        return self._keys

    def first_rows(self) -> list[OfficialRow] | None:
        """While the first load runs: the rows it has read so far, once there are enough to fill a screen (the
        list sections show them and fill the rest in when ``loaded`` arrives); None otherwise. Whoever needs
        every official (counts, exports) waits for :meth:`rows`."""
        return self._first if self._rows is None else None

    def is_loading(self) -> bool:
        return self._worker is not None

    def reload(self) -> None:
        """Load again in the background (coalesces requests made while a load runs)."""
        if self._worker is not None:
            self._again = True
            return
        # on the GUI thread, never first in a worker
        import klaten_desktop.gui.officials.row_keys
        import klaten_desktop.gui.officials.table_model
        import klaten_desktop.services.officials  # noqa: F401

        return_big_blocks_at_once()  # before the first bulk load (runtime/memory.py)

        worker = Worker(_load, self._ctx, self._first_read.emit)
        worker.signals.finished.connect(self._on_finished)
        worker.signals.failed.connect(self._on_failed)
        self._worker = worker
        self.loading.emit()
        keep_alive(worker)
        worker.start()

    def ensure_loaded(self) -> None:
        if self._rows is None and self._worker is None:
            self.reload()

    def load_now(self) -> None:
        """Load on the calling thread (tests, scripts)."""
        keys = _keyed(_list_rows(self._ctx))
        self._keys = keys
        self._rows = keys.rows
        self.generation += 1
        self.loaded.emit()

    def wait(self, timeout_s: float = 30.0) -> None:
        if self._worker is not None:
            self._worker.wait(timeout_s)

    def _done(self) -> None:
        self._worker = None
        if self._again:
            self._again = False
            self.reload()

    def _on_first_read(self, rows: object) -> None:
        assert isinstance(rows, list)
        if self._rows is None and self._worker is not None:
            self._first = rows
            self.first_rows_loaded.emit()

    def _on_finished(self, keys: object) -> None:
        from klaten_desktop.gui.officials.row_keys import RowKeys

        assert isinstance(keys, RowKeys)

        self._keys = keys
        self._rows = keys.rows
        self._first = None
        self.generation += 1
        self._done()
        self.loaded.emit()

    def _on_failed(self, exc: object) -> None:
        self._first = None
        self._done()
        if isinstance(exc, BaseException):
            show_failure(None, exc)


_stores: weakref.WeakKeyDictionary[ServiceContext, OfficialsStore] = weakref.WeakKeyDictionary()


def store_for(ctx: ServiceContext) -> OfficialsStore:
    """The store shared by every section working on ``ctx``."""
    store = _stores.get(ctx)
    if store is None:
        store = OfficialsStore(ctx)
        _stores[ctx] = store
    return store
