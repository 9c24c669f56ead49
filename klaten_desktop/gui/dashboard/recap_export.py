"""Save the coverage recap (PDF or Excel) from the Beranda, on a worker with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.tasks import Task
from klaten_desktop.gui.kit.workers import WorkCancelled
from klaten_desktop.services import recap, recap_xlsx
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.imports.files import write_atomically

FILTERS = "Dokumen PDF (*.pdf);;Lembar kerja Excel (*.xlsx)"


def write_recap(
    progress: Callable[[int, int], None], cancelled: Callable[[], bool], ctx: ServiceContext, target: Path
) -> Path:
    """The work: collect the recap and write it as PDF or xlsx (by extension); nothing is left when cancelled."""
    from klaten_desktop.reports import recap_pdf

    data = recap.recap(ctx)
    if cancelled():
        raise WorkCancelled
    if target.suffix.lower() == ".xlsx":
        return recap_xlsx.write_xlsx(data, target)
    payload = data.payload()
    try:
        write_atomically(target, lambda temp: recap_pdf.render(payload, temp, progress=progress, cancelled=cancelled))
    except recap_pdf.RenderCancelled:
        raise WorkCancelled from None
    return target


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
