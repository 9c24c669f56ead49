"""The "Surat & Sertifikat" section: five tabs over the letters services."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from klaten_desktop.gui.kit.permits import permit, read_only
from klaten_desktop.gui.letters.archive_tab import ArchiveTab
from klaten_desktop.gui.letters.compose_tab import ComposeTab
from klaten_desktop.gui.letters.register_tab import RegisterTab
from klaten_desktop.gui.letters.template_tab import TemplateTab
from klaten_desktop.gui.letters.verify_tab import VerifyTab
from klaten_desktop.gui.sections import SectionDefaults
from klaten_desktop.gui.session import GuiSession
from klaten_desktop.services.access import Permission
from klaten_desktop.services.context import Actor


class LettersSection(QWidget, SectionDefaults):
    def __init__(self, session: GuiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = self._ctx = session.ctx
        self._session = session
        self.compose = ComposeTab(ctx, session.actor, self, on_issued=self._on_issued)
        self.archive = ArchiveTab(ctx, session.actor, self)
        self.register = RegisterTab(ctx, session.actor, self)
        self.templates = TemplateTab(ctx, session.actor, self)
        self.verify = VerifyTab(ctx, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.compose, "B&uat surat")
        self.tabs.addTab(self.archive, "&Arsip")
        self.tabs.addTab(self.register, "Register &nomor")
        self.tabs.addTab(self.templates, "Te&mplat")
        self.tabs.addTab(self.verify, "&Verifikasi")
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self._permit(session.actor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _permit(self, actor: Actor) -> None:
        """Making letters (the first tab), numbers and reprints for those who issue letters; the templates for an
        admin (others read them, preview and export them); the archive, register and verification for everyone."""
        compose, register, archive, templates = self.compose, self.register, self.archive, self.templates
        issuing = (compose.issue_button, register.reserve_button, register.void_button, archive.reprint_button)
        if not permit(actor, Permission.letters, *issuing):
            self.tabs.removeTab(self.tabs.indexOf(compose))  # nothing to make there: the archive first
            compose.setParent(None)  # out of the window (kept, unshown, by self.compose)
        editing = (templates.new_kind_button, templates.restore_button, templates.save_button, templates.import_button)
        if not permit(actor, Permission.templates, *editing):
            read_only(templates, keep=(templates.preview_button, templates.export_button))

    def refresh(self) -> None:
        current = self.tabs.currentWidget()
        refresh = getattr(current, "refresh", None)
        if refresh is not None:
            refresh()

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.templates and self.templates.is_dirty():
            return  # keep unsaved edits
        self.refresh()

    def _on_issued(self) -> None:
        self.archive.refresh()
        self.register.reload()
