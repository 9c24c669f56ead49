"""The printed verification QR code of letters and certificates, sized so an ordinary phone photo decodes it.

A document's QR string is 300 to 340 characters (version 11, 61 x 61 modules, at error correction level M; see
docs/verification.md). Each module is printed :data:`MODULE_MM` wide, so the code grows with its string instead
of shrinking its modules, and :data:`QUIET_MODULES` modules of white (the quiet zone the QR standard asks for)
are kept clear around it by the layouts.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

MODULE_MM = 0.6
QUIET_MODULES = 4
QUIET_MM = QUIET_MODULES * MODULE_MM
_PT_PER_MM = 72 / 25.4


def rows(verification: Mapping[str, Any]) -> list[str]:
    """The QR code's rows as strings of "0"/"1": from the modules archived with the document ({"n", "bits"}),
    or encoded now (previews, documents archived without them)."""
    modules = verification.get("modules")
    if modules:
        return list(_unpacked(int(modules["n"]), str(modules["bits"])))
    import segno

    qr = segno.make(str(verification["qr"]), error="m", micro=False, mask=0)
    return ["".join("1" if v else "0" for v in row) for row in qr.matrix]


@functools.lru_cache(maxsize=4)
def _unpacked(n: int, bits: str) -> tuple[str, ...]:
    """The archived modules unpacked (a page asks for its code's size and then draws it: decoded once)."""
    raw = base64.b64decode(bits)
    flat = format(int.from_bytes(raw, "big"), f"0{len(raw) * 8}b")
    return tuple(flat[r * n : (r + 1) * n] for r in range(n))


def side(verification: Mapping[str, Any]) -> float:
    """The printed side of the code in points (quiet zone not included)."""
    modules = verification.get("modules")
    n = int(modules["n"]) if modules else len(rows(verification))
    return n * MODULE_MM * _PT_PER_MM


def draw_op(verification: Mapping[str, Any], x: float, y: float) -> Callable[[Canvas], None]:
    """The QR code with its lower left corner at (x, y) points, as one filled path of module-sized rectangles
    (horizontal runs of dark modules merged), written in module units under a scaling transform: crisp edges in
    print and in a rasterised page, small in the file."""
    grid = rows(verification)
    module = MODULE_MM * _PT_PER_MM
    path = " ".join(_runs(grid))
    # PDF: save state, map module (col, row) to page points with row 0 at the top, fill all rects at once
    code = f"q {module:.5f} 0 0 {-module:.5f} {x:.3f} {y + len(grid) * module:.3f} cm 0 g {path} f Q"

    def op(c: Canvas) -> None:
        c.addLiteral(code)

    return op


def _runs(grid: Sequence[str]) -> list[str]:
    """One "col row length 1 re" rectangle per horizontal run of dark modules."""
    out: list[str] = []
    for r, row in enumerate(grid):
        col = 0
        for run in row.split("0"):
            if run:
                out.append(f"{col} {r} {len(run)} 1 re")
                col += len(run) + 1
            else:
                col += 1
    return out
