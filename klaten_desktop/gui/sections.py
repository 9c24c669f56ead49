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
    module: str  # the dotted module path, e.g. klaten_desktop.gui.officials.section
    class_name: str

    def factory(self, ctx: ServiceContext, parent: QWidget | None = None) -> QWidget:
        cls = getattr(importlib.import_module(self.module), self.class_name)
        widget = cls(ctx, parent)
        assert isinstance(widget, QWidget)
        return widget


SECTIONS: list[SectionEntry] = [
    SectionEntry("Beranda", "klaten_desktop.gui.dashboard", "DashboardSection"),
    SectionEntry("Pengurus RT/RW", "klaten_desktop.gui.officials.section", "OfficialsSection"),
    SectionEntry("Kepesertaan & Iuran", "klaten_desktop.gui.enrollment.section", "EnrollmentSection"),
    SectionEntry("Sosialisasi", "klaten_desktop.gui.events", "EventsSection"),
    SectionEntry("Surat & Sertifikat", "klaten_desktop.gui.letters", "LettersSection"),
    SectionEntry("Impor/Ekspor", "klaten_desktop.gui.import_export", "ImportExportSection"),
    SectionEntry("Sinkronisasi", "klaten_desktop.gui.sync", "SyncSection"),
    SectionEntry("Pengaturan", "klaten_desktop.gui.settings.section", "OfficeSettingsSection"),
]


def sections() -> list[SectionEntry]:
    return list(SECTIONS)
