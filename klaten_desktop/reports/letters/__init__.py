"""Enrollment letters as PDF: archived payloads (plain data) in, PDF bytes out.

reportlab is imported only when a letter is rendered, so importing this package costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from klaten_desktop.runtime.work import CancelCheck, Progress

if TYPE_CHECKING:
    from klaten_desktop.reports.letters.render import RenderResult

__all__ = ["render_letters"]


def render_letters(
    payloads: Sequence[Mapping[str, Any]],
    *,
    cetakan: Sequence[int] | None = None,
    images: Mapping[str, bytes] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    title: str | None = None,
    created: datetime | None = None,
) -> RenderResult:
    """Render letters into one PDF; a cancel raises ``Cancelled``. See :mod:`klaten_desktop.reports.letters.render`."""
    from klaten_desktop.reports.letters.render import render_letters as render

    return render(payloads, cetakan=cetakan, images=images, progress=progress, cancelled=cancelled, title=title,
                  created=created)  # fmt: skip
