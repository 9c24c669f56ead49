"""Impor/Ekspor: desa spreadsheets in (mapping, dry-run preview, save in one go), Excel lists out, the template."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.gui.import_export.desa_choices import desa_choices
from klaten_desktop.gui.import_export.export_panel import ExportPanel
from klaten_desktop.gui.import_export.import_panel import ImportPanel
from klaten_desktop.gui.kit.layout import add_action
from klaten_desktop.gui.kit.permits import permit
from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services.access import Permission


class ImportExportSection(QWidget, SectionDefaults):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = self._ctx = session.ctx
        self._session = session
        desa, area = desa_choices(ctx)
        self.tasks = TaskSlot(self)
        self.import_panel = ImportPanel(ctx, session.actor, desa, self.tasks, self)
        self.export_panel = ExportPanel(ctx, session.actor, desa, area, self.tasks, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.import_panel, "&Impor dari Excel/CSV")
        self.tabs.addTab(self.export_panel, "&Ekspor ke Excel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)

        self.open_action = add_action(self, "&Pilih berkas impor…", self._choose_file, "Ctrl+O")
        self.apply_action = add_action(self, "&Simpan hasil impor", self._apply, "Ctrl+S")
        self.template_action = add_action(self, "Unduh te&mplat impor…", self.import_panel.save_template)
        self.export_action = add_action(self, "Ekspor daftar &pengurus…", self._export_registry)
        self.bpjs_action = add_action(self, "Ekspor daftar k&olektif BPJS…", self._export_bpjs)
        panels = (self.import_panel.choose_button, self.import_panel.apply_button, self.export_panel.registry_button)
        permit(
            session.actor,
            Permission.import_export,
            *(self.open_action, self.apply_action, self.export_action, self.bpjs_action),
            *panels,
            self.export_panel.bpjs_button,
        )
        self.cancel_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.cancel_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_shortcut.activated.connect(self.tasks.cancel)

        self.import_panel.imported.connect(session.store.reload)  # the other sections show the new officials
        self.import_panel.state_changed.connect(self._sync_actions)
        self._sync_actions()

    def refresh(self) -> None:
        """Shown again: a loaded file is checked again against the current data (the preview may be stale)."""
        self.export_panel.show_summary()
        if self.import_panel.preview is not None and not self.import_panel.busy:
            self.import_panel.replan()

    def _sync_actions(self) -> None:
        panel = self.import_panel
        busy = panel.busy  # as busy_changed said (TaskSlot.busy lags behind while busy_changed(True) is emitted)
        self.open_action.setEnabled(not busy and panel.choose_button.isEnabled())
        self.apply_action.setEnabled(not busy and panel.apply_button.isEnabled())
        self.template_action.setEnabled(not busy)
        self.export_action.setEnabled(not busy)
        self.bpjs_action.setEnabled(not busy)

    def _choose_file(self) -> None:
        self.tabs.setCurrentWidget(self.import_panel)
        self.import_panel.choose_file()

    def _apply(self) -> None:
        self.tabs.setCurrentWidget(self.import_panel)
        self.import_panel.apply()

    def _export_registry(self) -> None:
        self.tabs.setCurrentWidget(self.export_panel)
        self.export_panel.export_registry()

    def _export_bpjs(self) -> None:
        self.tabs.setCurrentWidget(self.export_panel)
        self.export_panel.export_bpjs()
