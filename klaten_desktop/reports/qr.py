"""The printed verification QR code of letters and certificates, sized so an ordinary phone photo decodes it.

A document's QR string is 300 to 340 characters (version 11, 61 x 61 modules, at error correction level M; see
docs/verification.md). Each module is printed :data:`MODULE_MM` wide, so the code grows with its string instead
of shrinking its modules, and :data:`QUIET_MODULES` modules of white (the quiet zone the QR standard asks for)
are kept clear around it by the layouts.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

MODULE_MM = 0.6
QUIET_MODULES = 4
QUIET_MM = QUIET_MODULES * MODULE_MM
_PT_PER_MM = 72 / 25.4
_DARK = re.compile("1+")


def rows(verification: Mapping[str, Any]) -> list[str]:
    """The QR code's rows as strings of "0"/"1": from the modules archived with the document ({"n", "bits"}),
    or encoded now (previews, documents archived without them)."""
    modules = verification.get("modules")
    if modules:
        n = int(modules["n"])
        flat = "".join(f"{byte:08b}" for byte in base64.b64decode(modules["bits"]))
        return [flat[r * n : (r + 1) * n] for r in range(n)]
    import segno

    qr = segno.make(str(verification["qr"]), error="m", micro=False, mask=0)
    return ["".join("1" if v else "0" for v in row) for row in qr.matrix]


def side(verification: Mapping[str, Any]) -> float:
    """The printed side of the code in points (quiet zone not included)."""
    return len(rows(verification)) * MODULE_MM * _PT_PER_MM


def draw_op(verification: Mapping[str, Any], x: float, y: float) -> Callable[[Canvas], None]:
    """The QR code with its lower left corner at (x, y) points, as one filled path of module-sized rectangles
    (horizontal runs of dark modules merged), written in module units under a scaling transform: crisp edges in
    print and in a rasterised page, small in the file."""
    grid = rows(verification)
    module = MODULE_MM * _PT_PER_MM
    path = " ".join(
        f"{m.start()} {r} {m.end() - m.start()} 1 re" for r, row in enumerate(grid) for m in _DARK.finditer(row)
    )
    # PDF: save state, map module (col, row) to page points with row 0 at the top, fill all rects at once
    code = f"q {module:.5f} 0 0 {-module:.5f} {x:.3f} {y + len(grid) * module:.3f} cm 0 g {path} f Q"

    def op(c: Canvas) -> None:
        c.addLiteral(code)

    return op
