"""Small pieces shared by the Sinkronisasi panels: texts, tables, buttons, one running task at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QLabel, QTableView, QWidget

from klaten_desktop.domain.formatting import format_date, format_datetime, format_number
from klaten_desktop.services.sync.tables import TABLE_LABELS

PACKAGE_FILTER = "Paket sinkronisasi Klaten Desktop (*.klsync);;Semua berkas (*)"
KEY_FILTER = "Berkas kunci Klaten Desktop (*.json);;Semua berkas (*)"

BANNER_STYLES = {
    "warning": "background:#fff1cc; color:#4a3200; border:1px solid #e0b84a; border-radius:4px; padding:8px;",
    "error": "background:#fbe0de; color:#7a1712; border:1px solid #d9827b; border-radius:4px; padding:8px;",
    "ok": "background:#e3f3e8; color:#0f4d26; border:1px solid #8cc7a1; border-radius:4px; padding:8px;",
    "info": "background:#e8eef8; color:#1b2f52; border:1px solid #9fb3d6; border-radius:4px; padding:8px;",
}


def ask_open_paths(parent: QWidget | None, title: str, filters: str) -> list[Path]:
    """Several files at once (packages from many kecamatan). Tests replace this like ``messages.ask_open_path``."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, str(Path.home()), filters)
    return [Path(n) for n in names]


def local_datetime(value: dt.datetime | None) -> str:
    """A naive UTC timestamp from the database, shown in this PC's time zone (Indonesian format)."""
    if value is None:
        return ""
    return format_datetime(value.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None))


def sender_date(created_at: str | None) -> str:
    """The sender's ``created_at`` ("2026-11-24T08:15:02Z", its own clock): shown as a date only."""
    if not created_at:
        return ""
    try:
        return format_date(dt.date.fromisoformat(created_at[:10]))
    except ValueError:
        return created_at


def counts_total(counts: Mapping[str, int]) -> str:
    return format_number(sum(counts.values()))


def counts_text(counts: Mapping[str, int], *, sep: str = ", ") -> str:
    """ "Pengurus 40, Kepesertaan 12" in the order of the tables; "tidak ada perubahan" when empty."""
    parts = [f"{label} {format_number(counts[name])}" for name, label in TABLE_LABELS.items() if counts.get(name)]
    return sep.join(parts) if parts else "tidak ada perubahan"


def short_hash(sha256: str) -> str:
    return sha256[:12]


def table_view(model: Any, widths: Sequence[int] = (), *, stretch: int | None = -1) -> QTableView:
    """A read-only table; ``stretch`` is the column that takes the spare width (-1: the last, None: none)."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch == -1)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch is not None and stretch >= 0:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view


def banner(kind: str = "info") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_banner(label, kind)
    return label


def set_banner(label: QLabel, kind: str) -> None:
    label.setStyleSheet(f"QLabel {{ {BANNER_STYLES[kind]} }}")


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 15px; font-weight: 600;")
    return label
