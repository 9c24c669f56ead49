"""Sinkronisasi: the USB-stick exchange between the kecamatan offices and the regency, adapted to this office."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.gui.kit.layout import add_action
from klaten_desktop.gui.kit.permits import hide, permit
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.sync.kecamatan import KecamatanSyncPanel
from klaten_desktop.gui.sync.regency import RegencySyncPanel
from klaten_desktop.services import office
from klaten_desktop.services.access import Permission


class SyncSection(QWidget, SectionDefaults):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = self._ctx = session.ctx
        self._session = session
        self.tasks = TaskSlot(self)
        actor = session.actor
        data = office.get(ctx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.kecamatan: KecamatanSyncPanel | None = None
        self.regency: RegencySyncPanel | None = None
        if data is None:
            layout.addWidget(QLabel("Kantor belum diatur. Selesaikan pengaturan awal terlebih dahulu."))
        elif data.is_kabupaten:
            self.regency = RegencySyncPanel(ctx, actor, self.tasks, self)
            layout.addWidget(self.regency)
            r = self.regency
            sending = (r.importer.choose_action, r.importer.apply_action, r.importer.clear_action)
            permit(
                actor,
                Permission.sync,
                *sending,
                r.review.accept_action,
                r.review.refuse_action,
                r.returns.export_action,
            )
            permit(actor, Permission.keys, r.keys.import_action)
            self._menu(r.tabs, r.importer, r.importer.choose_action)
            self._menu(r.tabs, r.importer, r.importer.apply_action)
            self._menu(r.tabs, r.returns, r.returns.export_action)
            self._menu(r.tabs, r.keys, r.keys.import_action)
            self._menu(r.tabs, r.keys, r.keys.export_action)
        else:
            self.kecamatan = KecamatanSyncPanel(ctx, actor, data, self.tasks, self)
            layout.addWidget(self.kecamatan)
            k = self.kecamatan
            sending = (k.export_action, k.reissue_action, k.import_return_action)
            permit(actor, Permission.sync, *sending, k.full_check, k.review.accept_action, k.review.refuse_action)
            permit(actor, Permission.keys, k.keys.import_action)
            self._menu(k.tabs, k.send_tab, k.export_action)
            self._menu(k.tabs, k.corrections_tab, k.import_return_action)
            self._menu(k.tabs, k.keys, k.keys.import_action)
            self._menu(k.tabs, k.keys, k.keys.export_action)
        self.cancel_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.cancel_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_shortcut.activated.connect(self.tasks.cancel)

    def _menu(self, tabs: QTabWidget, tab: QWidget, action: QAction) -> None:
        """The panel's action in the window's "Tindakan" menu: shows its tab, then runs it."""

        def run(tabs: QTabWidget = tabs, tab: QWidget = tab, action: QAction = action) -> None:
            tabs.setCurrentWidget(tab)
            action.trigger()

        mirror: QAction = add_action(self, action.text(), run)
        if not action.isVisible():  # the person's role may not take it (kit/permits.py)
            hide(mirror)
        action.enabledChanged.connect(mirror.setEnabled)
        mirror.setEnabled(action.isEnabled())

    def refresh(self) -> None:
        if self.tasks.busy:
            return
        panel: KecamatanSyncPanel | RegencySyncPanel | None = self.kecamatan or self.regency
        if panel is not None:
            panel.refresh()
