"""The Sinkronisasi section: packages to and from the regency on a USB stick (see docs/sync-format.md)."""

from klaten_desktop.gui.sync.section import SyncSection

__all__ = ["SyncSection"]
