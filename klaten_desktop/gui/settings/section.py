"""Pengaturan: tabs for the office's details, letters, tariffs and synchronisation (with the office's keys and the
desa's kode pos) (klaten_desktop.gui.settings)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.gui import installation
from klaten_desktop.gui.kit.layout import add_action
from klaten_desktop.gui.kit.permits import hide, permit, read_only
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.gui.settings.common import SettingsTab
from klaten_desktop.gui.settings.database_tab import TAB_TEXT as DATABASE_TAB_TEXT
from klaten_desktop.gui.settings.database_tab import DatabaseTab
from klaten_desktop.gui.settings.letters_tab import LettersTab
from klaten_desktop.gui.settings.office_tab import OfficeTab
from klaten_desktop.gui.settings.sync_tab import SyncTab
from klaten_desktop.gui.settings.tariffs_tab import TariffsTab
from klaten_desktop.services.access import Permission


class OfficeSettingsSection(QWidget, SectionDefaults):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = self._ctx = session.ctx
        self._session = session
        self._actor = session.actor
        title = QLabel("Pengaturan")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.save_action = add_action(self, "&Simpan pengaturan", self.save, "Ctrl+S")
        self.reset_action = add_action(self, "Urungkan peruba&han", self.revert)
        # letters taken by the tabs and the buttons; each tab gives its fields the others
        used = set("kufish")
        self.office = OfficeTab(ctx, self._actor)
        self.letters = LettersTab(ctx, self._actor, set(used))
        self.tariffs = TariffsTab(ctx, self._actor, set(used))
        self.sync = SyncTab(ctx, self._actor, set(used))
        self.form = self.office.form
        self.identity = self.office.identity
        self.tabs = QTabWidget()
        self.tabs.addTab(self.office, "&Kantor")
        self.tabs.addTab(self.letters, "S&urat")
        self.tabs.addTab(self.tariffs, "Tari&f iuran")
        self.tabs.addTab(self.sync, "S&inkronisasi")
        paths = installation.installed_paths()  # this PC's database location (gui/installation.py)
        self.database = DatabaseTab(ctx, self._actor, paths, set(used) | {"v"}) if paths is not None else None
        if self.database is not None:
            self.tabs.addTab(self.database, DATABASE_TAB_TEXT)
        self.save_button = QPushButton(self.save_action.text())
        self.save_button.clicked.connect(self.save_action.trigger)
        self.reset_button = QPushButton(self.reset_action.text())
        self.reset_button.clicked.connect(self.reset_action.trigger)
        buttons = QHBoxLayout()
        self.hint = QLabel("Enter menyimpan, Esc mengurungkan perubahan pada tab ini.")
        buttons.addWidget(self.hint)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._permit()

    def _permit(self) -> None:
        """The office's settings are an admin's: others read them (and may open the office's keys to sign)."""
        if permit(self._actor, Permission.office_settings, self.save_action, self.reset_action):
            return
        hide(self.save_button, self.reset_button)
        self.hint.setText("Hanya admin yang dapat mengubah pengaturan kantor; di sini pengaturan hanya dapat dibaca.")
        for tab in (self.office, self.letters, self.tariffs, self.sync):
            tab.editable = False  # Enter saves nothing
            read_only(tab, keep=(self.sync.keys.unlock_button,))

    def current_tab(self) -> SettingsTab:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, SettingsTab)
        return tab

    def refresh(self) -> None:
        """Load every tab (when the section is shown; switching tabs keeps unsaved edits)."""
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            assert isinstance(tab, SettingsTab)
            tab.refresh()

    def revert(self) -> None:
        self.current_tab().revert()

    def save(self) -> None:
        self.current_tab().save()
