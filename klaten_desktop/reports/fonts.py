"""The fonts every PDF draws with: Liberation Sans and Liberation Serif, shipped in ``resources/fonts/`` and
embedded (subset) in each PDF, so a name with letters outside Latin-1 prints as typed on any computer.

Liberation Sans and Serif have the metrics of Helvetica and Times (they were drawn to be metric-compatible with
Arial and Times New Roman), so every line break and page break is what it was with the standard PDF fonts; their
character set covers Latin (with Latin Extended A, B and Additional), Greek and Cyrillic. The characters all of
them have are listed in ``klaten_desktop/domain/font_coverage.py`` (generated from these files by
``scripts/make_font_coverage.py``): text with any other character is refused where it is typed or imported.

Registration happens once per process, on the first :func:`register` (renderers call it before drawing).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from klaten_desktop.runtime.paths import resources_dir

SANS = "KlatenSans"
SANS_BOLD = "KlatenSans-Bold"
SANS_ITALIC = "KlatenSans-Italic"
SANS_BOLD_ITALIC = "KlatenSans-BoldItalic"
SERIF = "KlatenSerif"
SERIF_BOLD = "KlatenSerif-Bold"
SERIF_ITALIC = "KlatenSerif-Italic"
SERIF_BOLD_ITALIC = "KlatenSerif-BoldItalic"

#: Registered name -> file in resources/fonts/.
FILES: Mapping[str, str] = {
    SANS: "LiberationSans-Regular.ttf",
    SANS_BOLD: "LiberationSans-Bold.ttf",
    SANS_ITALIC: "LiberationSans-Italic.ttf",
    SANS_BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the shipped TrueType fonts with reportlab (once; later calls return at once)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase.pdfmetrics import registerFont, registerFontFamily
        from reportlab.pdfbase.ttfonts import TTFont

        folder = resources_dir() / "fonts"
        for name, file in FILES.items():
            registerFont(TTFont(name, str(folder / file)))
        for family, (regular, bold, italic, bold_italic) in {
            SANS: (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC),
            SERIF: (SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC),
        }.items():
            registerFontFamily(family, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)
            for face, (b, i) in ((regular, (0, 0)), (bold, (1, 0)), (italic, (0, 1)), (bold_italic, (1, 1))):
                addMapping(face, b, i, face)
        _registered = True


def pdf_date(when: datetime | None) -> str | None:
    """A naive UTC time as a PDF date string (``D:20261124093000+00'00'``); None for none."""
    if when is None:
        return None
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def set_metadata(canvas: Any, *, title: str, author: str, created: datetime | None) -> None:
    """Title, author, creator and the creation date of a PDF being drawn on ``canvas``.

    The canvases are ``invariant`` (the same content gives the same bytes); ``created`` (naive UTC, from the
    services' clock) then replaces reportlab's fixed invariant date. Without it the invariant date stays.
    """
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Klaten Desktop")
    stamp = pdf_date(created)
    if stamp is not None:
        canvas.setDateFormatter(lambda *_ymdhms: stamp)


def parse_created(value: Any) -> datetime | None:
    """The ``dibuat`` of a payload (ISO date and time, naive UTC) or None when absent or unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError:
        return None
