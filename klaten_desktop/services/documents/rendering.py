"""The renderer port: how services have archived documents drawn without importing ``reports``.

``services`` and ``reports`` are sibling layers. The composition root (``klaten_desktop/app.py``) builds the
renderers (``reports.letters.render_letters``, ``reports.certificate_pdf.render_certificates``) and hands them to
the services on the :class:`~klaten_desktop.services.context.ServiceContext`; :func:`for_kind` picks the one a
kind of document is drawn with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from klaten_desktop.runtime.work import CancelCheck, Progress

if TYPE_CHECKING:
    from klaten_desktop.services.context import ServiceContext

CERTIFICATE_KIND = "sertifikat"


class Rendered(Protocol):
    """What a renderer gives back: the PDF and its page count."""

    @property
    def pdf(self) -> bytes: ...

    @property
    def pages(self) -> int: ...


class Renderer(Protocol):
    """Archived payloads in, one PDF out. ``cetakan`` numbers each print ("Cetakan ke-N" from 2 on), ``images``
    holds the pictures a payload names (the letterhead's logo); progress is reported per document and a cancel
    raises :class:`klaten_desktop.runtime.work.Cancelled`."""

    def __call__(
        self,
        payloads: Sequence[Mapping[str, Any]],
        *,
        cetakan: Sequence[int] | None = ...,
        images: Mapping[str, bytes] | None = ...,
        progress: Progress | None = ...,
        cancelled: CancelCheck | None = ...,
    ) -> Rendered: ...


@dataclass(frozen=True)
class Renderers:
    """The renderers of the documents this app issues, built by the composition root."""

    letters: Renderer
    certificates: Renderer

    def for_kind(self, kind: str) -> Renderer:
        return self.certificates if kind == CERTIFICATE_KIND else self.letters


def renderers(ctx: ServiceContext) -> Renderers:
    """The renderers the composition root put on ``ctx``."""
    found = ctx.renderers
    if found is None:
        raise RuntimeError("Renderer dokumen belum dipasang pada ServiceContext (lihat klaten_desktop/app.py).")
    return found
