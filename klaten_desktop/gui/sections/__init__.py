"""The sections of the main window, in navigation order. Add a section with one line in ``SECTIONS``: a
QWidget subclass taking ``(ctx, parent=None)`` with a ``refresh()`` method, named by module and class so it is
imported only when the user first opens it (start-up stays fast)."""

from __future__ import annotations

import importlib
from typing import NamedTuple

from PySide6.QtWidgets import QWidget

from klaten_desktop.services.context import ServiceContext


class SectionEntry(NamedTuple):
    title: str
    module: str  # "officials" for klaten_desktop.gui.sections.officials, or a full dotted module path
    class_name: str

    def factory(self, ctx: ServiceContext, parent: QWidget | None = None) -> QWidget:
        path = self.module if "." in self.module else f"klaten_desktop.gui.sections.{self.module}"
        cls = getattr(importlib.import_module(path), self.class_name)
        widget = cls(ctx, parent)
        assert isinstance(widget, QWidget)
        return widget


SECTIONS: list[SectionEntry] = [
    SectionEntry("Beranda", "klaten_desktop.gui.dashboard", "DashboardSection"),
    SectionEntry("Pengurus RT/RW", "officials", "OfficialsSection"),
    SectionEntry("Kepesertaan & Iuran", "enrollment", "EnrollmentSection"),
    SectionEntry("Sosialisasi", "klaten_desktop.gui.events", "EventsSection"),
    SectionEntry("Surat & Sertifikat", "klaten_desktop.gui.letters", "LettersSection"),
    SectionEntry("Impor/Ekspor", "klaten_desktop.gui.import_export", "ImportExportSection"),
    SectionEntry("Sinkronisasi", "klaten_desktop.gui.sync", "SyncSection"),
    SectionEntry("Pengaturan", "office_settings", "OfficeSettingsSection"),
]


def sections() -> list[SectionEntry]:
    return list(SECTIONS)
