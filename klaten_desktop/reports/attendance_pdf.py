"""The daftar hadir (attendance sheet) of a socialization event: plain data in, PDF out.

Kop, title, the event with day/date, time and place, then a table No / Nama / Jabatan / Desa / Tanda tangan.
The signature column alternates as Indonesian offices do it: "1. ......" at the left on odd rows,
"2. ......" indented to the middle on even rows, so neighbours' signatures do not collide. The header row is
repeated on every page; "Halaman N dari M" at the foot. One numbered list for the whole event, or (``per_desa``)
each desa on its own pages with its own numbering.

The data comes from :func:`klaten_desktop.services.events.attendance_sheet`; reportlab is imported only here,
inside the functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from klaten_desktop.reports import fonts
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

CANCELLED = "Pembuatan daftar hadir dibatalkan."

MM = 72 / 25.4
PAPER = {"A4": (210 * MM, 297 * MM), "F4": (215 * MM, 330 * MM)}
LEFT, RIGHT, TOP, BOTTOM = 20 * MM, 15 * MM, 12 * MM, 16 * MM
KOP_HEIGHT = 33 * MM
ROW = 10 * MM
HEADER_ROW = 8 * MM
# column widths as parts of the content width: No, Nama, Jabatan, Desa, Tanda tangan
COLUMNS = ("No", "Nama", "Jabatan", "Desa", "Tanda tangan")
PARTS = (0.06, 0.31, 0.2, 0.15, 0.28)
REGULAR, BOLD = fonts.SANS, fonts.SANS_BOLD


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int


@dataclass(frozen=True)
class _Page:
    section: str
    rows: tuple[tuple[int, Sequence[str]], ...]  # (number, [nama, jabatan, desa])
    first: bool  # the first page of the document (with kop) or, per desa, of the section
    last: bool  # the last page of its section (with the total)
    total: int  # participants in the section (or document)


def _paginate(sheet: Mapping[str, Any], height: float) -> list[_Page]:
    per_desa = bool(sheet.get("per_desa"))
    sections: list[tuple[str, list[Sequence[str]]]] = [
        (str(s.get("title", "")), list(s.get("rows", []))) for s in sheet.get("sections", [])
    ]
    if not per_desa:
        merged = [row for _title, rows in sections for row in rows]
        only = sections[0][0] if len(sections) == 1 else ""
        sections = [(only, merged)]
    next_capacity = int((height - TOP - 9 * MM - HEADER_ROW - BOTTOM - 8 * MM) // ROW)
    pages: list[_Page] = []
    for title, rows in sections:
        first_capacity = int(
            (height - TOP - KOP_HEIGHT - 4.5 * MM - _heading_height(sheet, title) - HEADER_ROW - BOTTOM - 8 * MM) // ROW
        )
        numbered = list(enumerate(rows, 1))
        start = 0
        first = True
        while True:
            capacity = first_capacity if first else next_capacity
            chunk = numbered[start : start + capacity]
            start += len(chunk)
            done = start >= len(numbered)
            pages.append(_Page(title, tuple(chunk), first, done, len(numbered)))
            first = False
            if done:
                break
    return pages


def _fields(sheet: Mapping[str, Any], section: str) -> list[tuple[str, str]]:
    fields = [
        ("Hari/tanggal", str(sheet.get("hari_tanggal", ""))),
        ("Waktu", str(sheet.get("waktu", ""))),
        ("Tempat", str(sheet.get("tempat", ""))),
        ("Peserta", section),
    ]
    return [(label, value) for label, value in fields if value]


def _event_lines(sheet: Mapping[str, Any], width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines: list[str] = simpleSplit(str(sheet.get("event", "")), BOLD, 11, (width - LEFT - RIGHT) * 0.9)
    return lines[:2]


def _heading_height(sheet: Mapping[str, Any], section: str) -> float:
    """What :func:`_heading` takes below the kop (the same steps, without drawing)."""
    width = PAPER.get(str(sheet.get("paper", "A4")), PAPER["A4"])[0]
    return (
        10.5 * MM + 5 * MM * len(_event_lines(sheet, width)) + 2 * MM + 4.8 * MM * len(_fields(sheet, section)) + 2 * MM
    )


def _kop(c: Canvas, kop: Mapping[str, Any], logo: bytes | None, width: float, height: float) -> float:
    from reportlab.lib.utils import ImageReader

    y_top = height - TOP
    text_left = LEFT
    if logo:
        reader = ImageReader(BytesIO(logo))
        iw, ih = reader.getSize()
        w = 24 * MM * iw / ih
        c.drawImage(reader, LEFT, y_top - 25 * MM, width=w, height=24 * MM, mask="auto")
        text_left = LEFT + w + 3 * MM
    centre = (text_left + width - RIGHT) / 2
    y = y_top - 5.5 * MM
    c.setFont(BOLD, 14)
    c.drawCentredString(centre, y, str(kop.get("instansi", "")))
    y -= 7.5 * MM
    c.setFont(BOLD, 17)
    c.drawCentredString(centre, y, str(kop.get("unit", "")))
    y -= 5.5 * MM
    c.setFont(REGULAR, 9.5)
    for line in list(kop.get("lines", []))[:3]:
        c.drawCentredString(centre, y, str(line))
        y -= 4.2 * MM
    rule = y_top - KOP_HEIGHT + 1.5 * MM
    c.setLineWidth(2.2)
    c.line(LEFT, rule, width - RIGHT, rule)
    c.setLineWidth(0.6)
    c.line(LEFT, rule - 1.3 * MM, width - RIGHT, rule - 1.3 * MM)
    return rule - 6 * MM


def _heading(c: Canvas, sheet: Mapping[str, Any], section: str, top: float, width: float) -> float:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    centre = (LEFT + width - RIGHT) / 2
    content = width - LEFT - RIGHT
    title = str(sheet.get("title", "DAFTAR HADIR"))
    y = top - 4 * MM
    c.setFont(BOLD, 14)
    c.drawCentredString(centre, y, title)
    tw = stringWidth(title, BOLD, 14)
    c.setLineWidth(0.8)
    c.line(centre - tw / 2, y - 1.6, centre + tw / 2, y - 1.6)
    y -= 6.5 * MM
    c.setFont(BOLD, 11)
    for line in _event_lines(sheet, width):
        c.drawCentredString(centre, y, line)
        y -= 5 * MM
    y -= 2 * MM
    c.setFont(REGULAR, 10)
    for label, value in _fields(sheet, section):
        c.drawString(LEFT, y, label)
        c.drawString(LEFT + 26 * MM, y, ":")
        c.drawString(LEFT + 29 * MM, y, simpleSplit(value, REGULAR, 10, content - 30 * MM)[0])
        y -= 4.8 * MM
    return y - 2 * MM


def _running(c: Canvas, sheet: Mapping[str, Any], section: str, top: float, width: float) -> float:
    from reportlab.lib.utils import simpleSplit

    text = f"Daftar hadir {sheet.get('event', '')}" + (f" · {section}" if section else "") + " (lanjutan)"
    c.setFont(REGULAR, 8.5)
    line = simpleSplit(text, REGULAR, 8.5, width - LEFT - RIGHT)[0]
    c.drawString(LEFT, top - 4 * MM, line)
    c.setLineWidth(0.4)
    c.line(LEFT, top - 5.5 * MM, width - RIGHT, top - 5.5 * MM)
    return top - 9 * MM


def _cell_lines(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1].rstrip() + "…"]
    return lines


def _table(c: Canvas, page: _Page, top: float, width: float) -> float:
    content = width - LEFT - RIGHT
    widths = [content * p for p in PARTS]
    xs = [LEFT]
    for w in widths:
        xs.append(xs[-1] + w)
    # header row, shaded
    c.setFillGray(0.88)
    c.rect(LEFT, top - HEADER_ROW, content, HEADER_ROW, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont(BOLD, 9.5)
    for i, title in enumerate(COLUMNS):
        c.drawCentredString((xs[i] + xs[i + 1]) / 2, top - HEADER_ROW + 2.8 * MM, title)
    y = top - HEADER_ROW
    size = 9.0
    for number, values in page.rows:
        bottom = y - ROW
        c.setFont(REGULAR, size)
        c.drawRightString(xs[1] - 2 * MM, bottom + ROW / 2 - size * 0.35, f"{number}.")
        for col, text in enumerate(values[:3], start=1):
            lines = _cell_lines(str(text), REGULAR, size, widths[col] - 3 * MM)
            first = bottom + ROW / 2 - size * 0.35 + (len(lines) - 1) * size * 0.55
            for k, line in enumerate(lines):
                c.drawString(xs[col] + 1.5 * MM, first - k * size * 1.1, line)
        # the signature column: odd numbers at the left, even numbers from the middle
        sig_x = xs[4] + 1.5 * MM if number % 2 == 1 else xs[4] + widths[4] * 0.45
        c.setFont(REGULAR, 8.5)
        c.drawString(sig_x, bottom + 2.2 * MM, f"{number}. " + "." * 18)
        y = bottom
    # grid
    c.setLineWidth(0.5)
    c.rect(LEFT, y, content, top - y, stroke=1, fill=0)
    c.setLineWidth(0.35)
    for x in xs[1:-1]:
        c.line(x, y, x, top)
    row_y = top - HEADER_ROW
    c.line(LEFT, row_y, LEFT + content, row_y)
    for _ in page.rows:
        row_y -= ROW
        c.line(LEFT, row_y, LEFT + content, row_y)
    return y


def render_attendance(
    sheet: Mapping[str, Any],
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RenderResult:
    """The attendance sheet as one PDF (in memory); ``runtime.work.Cancelled`` when ``cancelled()`` turns true."""
    from reportlab.pdfgen.canvas import Canvas

    fonts.register()
    width, height = PAPER.get(str(sheet.get("paper", "A4")), PAPER["A4"])
    pages = _paginate(sheet, height)
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=True, pageCompression=1, initialFontName=fonts.SANS)
    fonts.set_metadata(
        c,
        title=f"Daftar hadir {sheet.get('event', '')}",
        author=str(sheet.get("kantor") or "Pemerintah Kabupaten Klaten"),
        created=fonts.parse_created(sheet.get("dibuat")),
    )
    logo = sheet.get("logo")
    per_desa = bool(sheet.get("per_desa"))
    for number, page in enumerate(pages, 1):
        check(cancelled, CANCELLED)
        if page.first and (number == 1 or per_desa):
            top = _kop(c, sheet.get("kop", {}), logo if isinstance(logo, bytes) else None, width, height)
            top = _heading(c, sheet, page.section, top, width)
        else:
            top = _running(c, sheet, page.section, height - TOP, width)
        y = _table(c, page, top, width)
        if page.last:
            c.setFont(REGULAR, 9.5)
            c.drawString(LEFT, y - 5 * MM, f"Jumlah peserta: {page.total} orang")
        c.setFont(REGULAR, 7.5)
        c.setFillGray(0.3)
        c.drawRightString(width - RIGHT, 8 * MM, f"Halaman {number} dari {len(pages)}")
        c.setFillGray(0)
        c.showPage()
        report(progress, number, len(pages))
    c.save()
    return RenderResult(buffer.getvalue(), len(pages))
