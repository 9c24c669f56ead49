"""The Impor/Ekspor section: desa spreadsheets in with a dry-run preview, Excel lists out, the import template."""

from __future__ import annotations

from klaten_desktop.gui.import_export.section import ImportExportSection

__all__ = ["ImportExportSection"]
