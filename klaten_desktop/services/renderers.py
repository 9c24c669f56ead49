"""The document renderers the services are handed (a port): the services say what a renderer does, the
composition root (``app.open_context``) builds the reportlab ones from ``reports/`` and hands them over as
``ctx.renderers``. So services never import ``reports/`` (a sibling layer), and the GUI and the command line
never import it either: they ask a service, which uses the renderer it was given.

Every renderer follows the long-work protocol of :mod:`klaten_desktop.runtime.work`: ``progress(done, total)``
and ``cancelled()``; a cancel raises ``Cancelled`` with its message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from klaten_desktop.runtime.work import CancelCheck, Progress

R = TypeVar("R")


class RecapRenderer(Protocol):
    """Writes the coverage recap (``services.recap.RecapData.payload()``) as a PDF to ``path``; returns the page
    count (``reports.recap_pdf.render``)."""

    def __call__(
        self,
        payload: Mapping[str, Any],
        path: Path,
        *,
        progress: Progress | None = ...,
        cancelled: CancelCheck | None = ...,
    ) -> int: ...


class RenderedPdf(Protocol):
    """A PDF drawn in memory."""

    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...


class AttendanceRenderer(Protocol):
    """Draws the daftar hadir (``services.events.attendance_sheet``) as one PDF in memory
    (``reports.attendance_pdf.render_attendance``)."""

    def __call__(
        self, sheet: Mapping[str, Any], *, progress: Progress | None = ..., cancelled: CancelCheck | None = ...
    ) -> RenderedPdf: ...


class DocumentRenderer(Protocol):
    """Archived document payloads (letters, certificates) in, one PDF out (``reports.letters.render_letters``,
    ``reports.certificate_pdf.render_certificates``). ``cetakan`` numbers each print ("Cetakan ke-N" from 2 on),
    ``images`` holds the pictures a payload names (the letterhead's logo); progress is reported per document.
    ``created`` (naive UTC) is the PDF's creation date; without it the latest ``dibuat`` of the payloads."""

    def __call__(
        self,
        payloads: Sequence[Mapping[str, Any]],
        *,
        cetakan: Sequence[int] | None = ...,
        images: Mapping[str, bytes] | None = ...,
        progress: Progress | None = ...,
        cancelled: CancelCheck | None = ...,
        created: dt.datetime | None = ...,
    ) -> RenderedPdf: ...


@dataclass(frozen=True)
class Renderers:
    """The renderers handed to the services; a field left None is a renderer this context cannot use."""

    recap: RecapRenderer | None = None
    attendance: AttendanceRenderer | None = None
    letters: DocumentRenderer | None = None
    certificates: DocumentRenderer | None = None


def required(renderer: R | None, what: str) -> R:
    """``renderer``, or a programming error when the composition root did not hand it over."""
    if renderer is None:
        raise RuntimeError(f"No {what} renderer was handed to the services (app.open_context builds them).")
    return renderer
