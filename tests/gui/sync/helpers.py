"""Reading the databases behind the screens (counts of travelling rows), for assertions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from klaten_desktop.db.models import Official
from klaten_desktop.db.models_sync import SyncPackage
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.sync.tables import SPECS


def officials_of(ctx: ServiceContext, office_code: str) -> int:
    with ctx.read() as session:
        return int(
            session.scalar(select(func.count()).select_from(Official).where(Official.office_code == office_code)) or 0
        )


def row_counts(ctx: ServiceContext) -> dict[str, int]:
    """Rows per travelling table plus the package log: equal before and after means nothing was written."""
    with ctx.read() as session:
        counts = {s.name: int(session.scalar(select(func.count()).select_from(s.table)) or 0) for s in SPECS}
        counts["sync_package"] = int(session.scalar(select(func.count()).select_from(SyncPackage)) or 0)
    return counts


def cells(model: Any, row: int) -> dict[str, str]:
    """One row of a screen table as the user reads it: header -> text."""
    horizontal = Qt.Orientation.Horizontal
    return {model.headerData(c, horizontal): model.text(row, c) for c in range(model.columnCount())}
