"""The sections of the main window: what a section is (``Section``) and which there are, in navigation order.

Add a section with one line in ``SECTIONS``: a QWidget subclass taking ``(session, parent=None)`` that implements
``Section`` (``SectionDefaults`` gives the parts it does not need), named by module and class so it is imported only
when the user first opens it (start-up stays fast), with the anchor of its part of the offline guide (F1)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from klaten_desktop.services.access import Permission, allowed
from klaten_desktop.services.context import Actor

if TYPE_CHECKING:
    from klaten_desktop.gui.session import GuiSession


class Section(Protocol):
    """What the main window asks of a section."""

    def widget(self) -> QWidget:
        """The page shown in the window's stack (the section itself)."""
        ...

    def actions(self) -> list[QAction]:
        """The section's actions, for the window's "Tindakan" menu (a QWidget's own ``actions()``)."""
        ...

    def refresh(self) -> None:
        """Shown (again): read what may have changed since."""
        ...

    def focus_search(self) -> None:
        """Ctrl+F from the navigation list: put the cursor in the section's search (if it has one)."""
        ...

    def show_officials(self, ids: frozenset[str], title: str) -> bool:
        """A worklist's officials: show only these, titled ``title``; False when the section lists no officials."""
        ...

    def save_state(self) -> None:
        """The window closes: remember view settings (splitters, columns)."""
        ...

    def stop_work(self) -> None:
        """The window closes: start no more background work and wait for the section's running workers
        (``gui/kit/workers.py``), so none still reads the database once it is closed."""
        ...


class SectionDefaults:
    """The parts of ``Section`` most sections do not need (mixed into a QWidget subclass)."""

    def widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def focus_search(self) -> None:
        return None

    def show_officials(self, ids: frozenset[str], title: str) -> bool:
        return False

    def save_state(self) -> None:
        return None

    def stop_work(self) -> None:
        return None


class SectionEntry(NamedTuple):
    title: str
    module: str  # the dotted module path, e.g. klaten_desktop.gui.officials.section
    class_name: str
    help_anchor: str = ""  # the section's part of the guide (resources/help/panduan.html), opened by F1
    permission: Permission | None = None  # shown only to a role that has it (None: to everyone)

    def factory(self, session: GuiSession, parent: QWidget | None = None) -> Section:
        cls = getattr(importlib.import_module(self.module), self.class_name)
        section: Section = cls(session, parent)
        assert isinstance(section, QWidget)
        return section


SECTIONS: list[SectionEntry] = [
    SectionEntry("Beranda", "klaten_desktop.gui.dashboard", "DashboardSection", "beranda"),
    SectionEntry("Pengurus RT/RW", "klaten_desktop.gui.officials.section", "OfficialsSection", "pengurus"),
    SectionEntry("Kepesertaan & Iuran", "klaten_desktop.gui.enrollment.section", "EnrollmentSection", "kepesertaan"),
    SectionEntry("Sosialisasi", "klaten_desktop.gui.events", "EventsSection", "sosialisasi"),
    SectionEntry("Surat & Sertifikat", "klaten_desktop.gui.letters", "LettersSection", "surat"),
    SectionEntry(
        "Impor/Ekspor", "klaten_desktop.gui.import_export", "ImportExportSection", "impor", Permission.import_export
    ),
    SectionEntry("Sinkronisasi", "klaten_desktop.gui.sync", "SyncSection", "sinkronisasi"),
    SectionEntry("Audit", "klaten_desktop.gui.audit.section", "AuditSection", "audit"),
    SectionEntry("Pengaturan", "klaten_desktop.gui.settings.section", "OfficeSettingsSection", "pengaturan"),
]


def sections(actor: Actor | None = None) -> list[SectionEntry]:
    """The sections, those ``actor``'s role may not use left out (a reader has nothing to do in Impor/Ekspor)."""
    return [e for e in SECTIONS if actor is None or e.permission is None or allowed(actor, e.permission)]
