"""Submitting and the surat pengantar are one path: right after officials are marked diajukan (Kepesertaan's
"Ajukan" and "Ajukan satu desa"), the pengantar for exactly those officials is offered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from klaten_desktop.domain.formatting import format_date, format_number
from klaten_desktop.gui.kit import messages
from klaten_desktop.gui.kit.tasks import Task, run_task
from klaten_desktop.gui.letters.common import PDF_FILTER
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.letters import issue
from klaten_desktop.services.letters.issue import IssueResult


def issued_text(result: IssueResult, on: dt.date) -> str:
    """What was issued, in one sentence (the compose tab and the offer after submitting say the same)."""
    numbers = [d.nomor for d in result.documents]
    shown = ", ".join(numbers[:3]) + (f" … ({len(numbers)} surat)" if len(numbers) > 3 else "")
    text = (
        f"{len(numbers)} surat diterbitkan tanggal {format_date(on)}, nomor {shown}; "
        f"{result.pages} halaman disimpan di {result.path}."
    )
    if result.submitted:
        text += f" {result.submitted} pengurus ditandai diajukan."
    return text


def offer_pengantar(
    parent: QWidget,
    ctx: ServiceContext,
    actor: Actor,
    official_ids: Sequence[str],
    *,
    on: dt.date,
    place: str,
) -> Task | None:
    """Ask whether to issue the surat pengantar for ``official_ids`` (just submitted, dated ``on``); if so, ask
    where to save the PDF and issue it in the background. ``place`` names the file (a desa, a person)."""
    ids = list(official_ids)
    if not ids:
        return None
    n = format_number(len(ids))
    question = (
        f"{n} pengurus ditandai diajukan. Buat surat pengantar ke BPJS Ketenagakerjaan untuk {n} pengurus itu "
        "sekarang? (Bisa juga nanti di Surat & Sertifikat: surat pengantar memuat pengurus yang diajukan dan belum "
        "punya surat pengantar.)"
    )
    if not messages.confirm(parent, question, yes="Buat surat pengantar", no="Nanti saja"):
        return None
    name = "-".join(place.lower().split()) or "desa"
    suggested = Path.home() / f"surat-pengantar-{name}-{on.isoformat()}.pdf"
    path = messages.ask_save_path(parent, "Simpan surat pengantar sebagai PDF", PDF_FILTER, suggested)
    if path is None:
        return None
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")

    def work(progress: Any, cancelled: Any) -> IssueResult:
        return issue.pengantar(ctx, actor, out=path, official_ids=ids, on=on, progress=progress, cancelled=cancelled)

    def done(result: object) -> None:
        assert isinstance(result, IssueResult)
        messages.info(parent, issued_text(result, on))

    return run_task(parent, "Menerbitkan surat pengantar…", work, on_done=done)
