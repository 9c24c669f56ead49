"""Small Qt pieces shared by the Sinkronisasi panels: file dialogs, tables, banners, headings, and running a
presenter's job on the screen's task slot (the texts are in ``texts.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QHeaderView, QLabel, QTableView, QWidget

from klaten_desktop.gui.kit.tasks import TaskSlot
from klaten_desktop.gui.sync.presenter import ConsolePresenter, Job

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


def bind_busy(tasks: TaskSlot, presenter: ConsolePresenter, sync: Callable[[], None]) -> None:
    """Keep ``presenter.busy`` equal to the screen's task slot and re-enable the console's actions with it."""
    presenter.busy = tasks.busy

    def changed(busy: bool) -> None:
        presenter.busy = busy
        sync()

    tasks.busy_changed.connect(changed)


def run_job(
    tasks: TaskSlot,
    presenter: ConsolePresenter,
    job: Job,
    *,
    on_done: Callable[[Any], None],
    sync: Callable[[], None],
) -> bool:
    """Hand the presenter's ``job`` to the screen's task runner; the presenter is in the job's phase until it
    ends, then ``sync`` re-enables the console's actions (before ``on_done`` shows the result)."""
    if not presenter.free:
        return False
    presenter.start(job)

    def ended() -> None:
        presenter.end()
        sync()

    if tasks.run(job.label, job.fn, *job.args, on_done=on_done, on_end=ended, cancellable=job.cancellable):
        return True
    ended()
    return False
