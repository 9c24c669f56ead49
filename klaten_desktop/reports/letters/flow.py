"""A small page-flow engine on the bare reportlab canvas.

Pages are laid out first as lists of drawing operations, then drawn, so that every page knows the page count
("Halaman 2 dari 5") and so that running headers (the lampiran line, a table's header row) repeat on each page.
Platypus would do the same work several times slower; 1,000 letters must render in a few seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from klaten_desktop.reports import fonts

Op = Callable[[Canvas], None]

REGULAR = fonts.SANS
BOLD = fonts.SANS_BOLD
ITALIC = fonts.SANS_ITALIC

PAPER_SIZES: dict[str, tuple[float, float]] = {
    "A4": (210 * mm, 297 * mm),
    "F4": (215 * mm, 330 * mm),
}


@dataclass(frozen=True)
class Margins:
    left: float = 25 * mm
    right: float = 20 * mm
    top: float = 12 * mm
    bottom: float = 20 * mm


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = simpleSplit(text, font, size, width)
    return lines or [""]


def text_line(x: float, y: float, text: str, font: str, size: float, align: str = "l") -> Op:
    def op(c: Canvas) -> None:
        c.setFont(font, size)
        if align == "r":
            c.drawRightString(x, y, text)
        elif align == "c":
            c.drawCentredString(x, y, text)
        else:
            c.drawString(x, y, text)

    return op


def justified_lines(
    x: float, y: float, lines: Sequence[str], font: str, size: float, leading: float, width: float
) -> Op:
    """Every line but the last stretched to ``width`` by word spacing."""

    def op(c: Canvas) -> None:
        t = c.beginText(x, y)
        t.setFont(font, size, leading)
        last = len(lines) - 1
        for i, line in enumerate(lines):
            spaces = line.count(" ")
            if i < last and spaces:
                t.setWordSpace((width - stringWidth(line, font, size)) / spaces)
            else:
                t.setWordSpace(0)
            t.textLine(line)
        c.drawText(t)

    return op


def hline(x1: float, x2: float, y: float, width: float = 0.5) -> Op:
    def op(c: Canvas) -> None:
        c.setLineWidth(width)
        c.line(x1, y, x2, y)

    return op


class Flow:
    """A cursor moving down the pages of one document."""

    def __init__(self, size: tuple[float, float], margins: Margins | None = None) -> None:
        self.width, self.height = size
        self.m = margins or Margins()
        self.pages: list[Page] = []
        self.y = 0.0
        self.on_new_page: Callable[[Flow], None] | None = None

    @property
    def left(self) -> float:
        return self.m.left

    @property
    def right(self) -> float:
        return self.width - self.m.right

    @property
    def content_width(self) -> float:
        return self.right - self.left

    @property
    def bottom(self) -> float:
        return self.m.bottom

    def add(self, op: Op) -> None:
        self.pages[-1].ops.append(op)

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = self.height - self.m.top
        if self.on_new_page is not None:
            self.on_new_page(self)

    def fits(self, height: float) -> bool:
        return self.y - height >= self.bottom

    def need(self, height: float) -> None:
        if not self.fits(height):
            self.new_page()

    def space(self, height: float) -> None:
        self.y -= height

    @property
    def room(self) -> float:
        """The height a continuation page offers (below its running header)."""
        return float(self.height - self.m.top - self.bottom - 25 * mm)

    def paragraph_height(self, text: str, *, size: float = 11, after: float = 6) -> float:
        """The height :meth:`paragraph` takes for ``text`` (body font, full width) when it does not break."""
        leading = size * 1.35
        lines = sum(len(wrap(raw, REGULAR, size, self.content_width)) for raw in text.split("\n"))
        return lines * leading + after

    def paragraph(
        self,
        text: str,
        *,
        font: str = REGULAR,
        size: float = 11,
        leading: float | None = None,
        indent: float = 0,
        justify: bool = True,
        after: float = 6,
    ) -> None:
        leading = leading or size * 1.35
        width = self.content_width - indent
        for raw in text.split("\n"):
            lines = wrap(raw, font, size, width)
            pos = 0
            while pos < len(lines):
                if self.y - leading < self.bottom:
                    self.new_page()
                room = max(1, int((self.y - self.bottom) // leading))
                chunk = lines[pos : pos + room]
                pos += len(chunk)
                # a chunk that continues on the next page keeps its last line justified
                drawn = [*chunk, ""] if pos < len(lines) else chunk
                stretch = width if justify else 0
                self.add(justified_lines(self.left + indent, self.y - size, drawn, font, size, leading, stretch))
                self.y -= leading * len(chunk)
        self.y -= after

    def fields(
        self,
        rows: Sequence[Sequence[str]],
        *,
        size: float = 11,
        indent: float = 8 * mm,
        label_width: float = 42 * mm,
        after: float = 6,
    ) -> None:
        """ "Nama    : Sumarno" rows, the value wrapped under itself."""
        leading = size * 1.35
        x_label = self.left + indent
        x_colon = x_label + label_width
        x_value = x_colon + 3 * mm
        width = self.right - x_value
        for label, value in rows:
            lines = wrap(value, REGULAR, size, width)
            self.need(leading * len(lines))
            base = self.y - size
            self.add(text_line(x_label, base, label, REGULAR, size))
            self.add(text_line(x_colon, base, ":", REGULAR, size))
            self.add(justified_lines(x_value, base, lines, REGULAR, size, leading, width))
            self.y -= leading * len(lines)
        self.y -= after

    def table(
        self,
        columns: Sequence[str],
        widths_mm: Sequence[float],
        rows: Sequence[Sequence[str]],
        *,
        align: Sequence[str] | None = None,
        total: Sequence[str] | None = None,
        size: float = 8.5,
        after: float = 8,
        keep_with_last: float = 0,
    ) -> None:
        """A grid table that runs over pages, its header row repeated at the top of each page.

        ``keep_with_last``: the height of what follows the table; the last three rows move to a new page
        rather than leave it alone there.
        """
        scale = self.content_width / (sum(widths_mm) * mm)
        widths = [w * mm * min(1.0, scale) for w in widths_mm]
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + w)
        grid = _Grid(tuple(xs), tuple(widths), tuple(align) if align else ("l",) * len(columns), size)
        header = grid.cells(columns, BOLD)
        header_h = grid.row_height(header)

        def draw_row(wrapped: list[list[str]], font: str, height: float, shade: bool) -> None:
            self.add(grid.row(wrapped, font, self.y, height, shade))
            self.y -= height

        self.need(header_h + grid.leading * 2)
        draw_row(header, BOLD, header_h, True)
        body = [(grid.cells(r, REGULAR), REGULAR) for r in rows]
        if total is not None:
            body.append((grid.cells(total, BOLD), BOLD))
        heights = [grid.row_height(wrapped) for wrapped, _ in body]
        keep_from = max(0, len(body) - 3)
        for i, (wrapped, font) in enumerate(body):
            h = heights[i]
            # the last rows stay on the page with what follows (the total, the signature)
            if (i == keep_from and keep_with_last and self.fits(h)
                    and not self.fits(sum(heights[i:]) + after + keep_with_last)) or not self.fits(h):  # fmt: skip
                self.new_page()
                draw_row(header, BOLD, header_h, True)
            draw_row(wrapped, font, h, False)
        self.y -= after


@dataclass(frozen=True)
class _Grid:
    """The columns of one table (their x positions and alignments) at one font size."""

    xs: tuple[float, ...]
    widths: tuple[float, ...]
    aligns: tuple[str, ...]
    size: float

    @property
    def leading(self) -> float:
        return self.size * 1.25

    @property
    def pad(self) -> float:
        return float(1.6 * mm)

    def cells(self, values: Sequence[str], font: str) -> list[list[str]]:
        """Each value wrapped to its column's width."""
        return [wrap(v, font, self.size, self.widths[i] - 2 * self.pad) for i, v in enumerate(values)]

    def row_height(self, wrapped: list[list[str]]) -> float:
        """The height of a row: its tallest cell and the padding."""
        return float(max(len(c) for c in wrapped) * self.leading + 2 * self.pad - (self.leading - self.size))

    def row(self, wrapped: list[list[str]], font: str, top: float, height: float, shade: bool) -> Op:
        """Draw one row below ``top``: a shaded header row is centred, a body row follows the alignments."""
        xs, size, leading, pad = self.xs, self.size, self.leading, self.pad
        aligns = ("c",) * len(wrapped) if shade else self.aligns
        y0 = top - height

        def op(c: Canvas) -> None:
            if shade:
                c.setFillGray(0.88)
                c.rect(xs[0], y0, xs[-1] - xs[0], height, stroke=0, fill=1)
                c.setFillGray(0)
            c.setLineWidth(0.5)
            c.rect(xs[0], y0, xs[-1] - xs[0], height, stroke=1, fill=0)
            for x in xs[1:-1]:
                c.line(x, y0, x, top)
            c.setFont(font, size)
            for i, lines in enumerate(wrapped):
                y = top - pad - size
                for line in lines:
                    if aligns[i] == "r":
                        c.drawRightString(xs[i + 1] - pad, y, line)
                    elif aligns[i] == "c":
                        c.drawCentredString((xs[i] + xs[i + 1]) / 2, y, line)
                    else:
                        c.drawString(xs[i] + pad, y, line)
                    y -= leading

        return op
