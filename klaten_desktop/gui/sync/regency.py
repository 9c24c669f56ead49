"""Sinkronisasi at the regency: the console per kecamatan, importing packages (dry run first), conflicts,
return packages for one kecamatan, trusted offices; one tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync.import_panel import ImportPanel
from klaten_desktop.gui.sync.keys_panel import KeysPanel
from klaten_desktop.gui.sync.return_panel import ReturnPanel
from klaten_desktop.gui.sync.review import ConflictReviewPanel
from klaten_desktop.gui.sync.status_panel import ConsolePanel
from klaten_desktop.services.context import Actor, ServiceContext


class RegencySyncPanel(QWidget):
    def __init__(self, ctx: ServiceContext, actor: Actor, tasks: TaskSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.console = ConsolePanel(ctx)
        self.importer = ImportPanel(ctx, actor, tasks)
        self.importer.imported.connect(self.refresh)
        self.review = ConflictReviewPanel(ctx, actor, regency=True)
        self.review.decided.connect(self.refresh)
        self.returns = ReturnPanel(ctx, actor, tasks)
        self.keys = KeysPanel(ctx, actor, regency=True)
        self.keys.trusted_changed.connect(self.refresh)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.console, "K&onsol kecamatan")
        self.tabs.addTab(self.importer, "Impor p&aket")
        self.tabs.addTab(self.review, "Tinjau &konflik")
        self.tabs.addTab(self.returns, "Paket ba&likan")
        self.tabs.addTab(self.keys, "K&unci kantor")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.console.refresh()
        self.review.refresh()
        self.returns.refresh()
        self.keys.refresh()
        n = self.review.open_count()
        self.tabs.setTabText(self.tabs.indexOf(self.review), "Tinjau &konflik" + (f" ({n})" if n else ""))
