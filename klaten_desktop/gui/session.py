"""The GUI session: what every section of one run shares, built once by the application (or a test) and handed to
each section's constructor: the service context, the acting user (for the audit log), the shared officials store,
the per-PC view settings, the task runner, and the navigation requests a section makes of the main window."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from klaten_desktop.gui.kit import ui_settings
from klaten_desktop.gui.kit.tasks import Task, run_task
from klaten_desktop.gui.kit.ui_settings import UiSettings
from klaten_desktop.gui.officials.store import OfficialsStore, store_for
from klaten_desktop.services.context import Actor, ServiceContext

if TYPE_CHECKING:  # the wilayah service (and the database models behind it) loads after the first paint
    from klaten_desktop.services.wilayah import WilayahRow

TaskRunner = Callable[..., Task]  # run_task(parent, label, fn, *args, on_done=, on_end=, cancellable=)


class Navigation(QObject):
    """Requests from a section to the main window (a worklist opening the officials it lists)."""

    officials_requested = Signal(list, str)  # ids, title: show these officials in Pengurus RT/RW
    action_requested = Signal(str, list)  # the worklist's next action, ids


@dataclass(eq=False)
class GuiSession:
    ctx: ServiceContext
    actor: Actor
    store: OfficialsStore
    settings: UiSettings | None
    run_task: TaskRunner = run_task
    navigation: Navigation = field(default_factory=Navigation)

    @classmethod
    def start(cls, ctx: ServiceContext, actor: Actor) -> GuiSession:
        """The session on ``ctx``: the logged-in person at the PC (gui/accounts), the store shared by every section on
        ``ctx``, the view settings installed by the application (None in tests that build a widget alone)."""
        return cls(ctx, actor, store_for(ctx), ui_settings.current())

    def desa(self) -> list[WilayahRow]:
        """The desa/kelurahan this office may record officials in (all of Klaten for the regency)."""
        return office_desa(self.ctx)

    def task(self, parent: QWidget, label: str, fn: Callable[..., Any], *args: Any, **options: Any) -> Task:
        """Long work with a progress dialog through the session's task runner (see kit/tasks.py)."""
        return self.run_task(parent, label, fn, *args, **options)


_desa_cache: weakref.WeakKeyDictionary[ServiceContext, list[WilayahRow]] = weakref.WeakKeyDictionary()


def office_desa(ctx: ServiceContext) -> list[WilayahRow]:
    """The desa/kelurahan this office may record officials in (read once per context)."""
    rows = _desa_cache.get(ctx)
    if rows is None:
        from klaten_desktop.services import office, wilayah

        data = office.get(ctx)
        rows = wilayah.desa(ctx, data.kecamatan_kode if data is not None else None)
        _desa_cache[ctx] = rows
    return rows
