"""Save the coverage recap (PDF or Excel) from the Beranda, on a worker with a progress dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import recap, recap_files
from klaten_desktop.services.context import ServiceContext

FILTERS = "Dokumen PDF (*.pdf);;Lembar kerja Excel (*.xlsx)"


def write_recap(progress: Progress, cancelled: CancelCheck, ctx: ServiceContext, target: Path) -> Path:
    """The work: collect the recap and write it as PDF or xlsx (by extension); nothing is left when cancelled."""
    return recap_files.write_recap(ctx, recap.recap(ctx), target, progress=progress, cancelled=cancelled)


def save_recap(parent: QWidget, ctx: ServiceContext) -> Task | None:
    """Ask where to save, then write the recap in the background; tell the user where it went."""
    suggested = Path.home() / f"rekap-cakupan-{ctx.today().isoformat()}.pdf"
    path = messages.ask_save_path(parent, "Simpan rekap cakupan", FILTERS, suggested)
    if path is None:
        return None
    if path.suffix.lower() not in (".pdf", ".xlsx"):
        path = path.with_suffix(".pdf")
    return Task(
        parent,
        "Membuat rekap cakupan…",
        write_recap,
        ctx,
        path,
        on_done=lambda written: messages.info(parent, f"Rekap cakupan disimpan di {written}."),
    ).start()
