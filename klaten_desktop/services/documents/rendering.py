"""Which renderer draws a kind of document. The renderers themselves are a port (``services/renderers.py``): the
composition root (``klaten_desktop/app.py``) builds them from ``reports/`` and hands them over as ``ctx.renderers``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from klaten_desktop.services.renderers import DocumentRenderer, required

if TYPE_CHECKING:
    from klaten_desktop.services.context import ServiceContext

CERTIFICATE_KIND = "sertifikat"


def for_kind(ctx: ServiceContext, kind: str) -> DocumentRenderer:
    """The renderer of ``kind``: certificates have their own, every letter kind shares one."""
    if kind == CERTIFICATE_KIND:
        return required(ctx.renderers.certificates, "certificate")
    return required(ctx.renderers.letters, "letter")
