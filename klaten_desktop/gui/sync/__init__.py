"""The Sinkronisasi section: packages to and from the regency on a USB stick (see docs/sync-format.md).

``SyncSection`` (the Qt view) is imported when first asked for, so the presenters in this package load without Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from klaten_desktop.gui.sync.section import SyncSection

__all__ = ["SyncSection"]


def __getattr__(name: str) -> Any:
    if name == "SyncSection":
        from klaten_desktop.gui.sync.section import SyncSection

        return SyncSection
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
