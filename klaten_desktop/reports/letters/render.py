"""Letters from their archived payloads (plain JSON data) to one PDF.

The payload format is described in docs/letters.md. The same payload always gives the same bytes (the canvas
is ``invariant``), so a reprint of a first print reproduces the archived SHA-256, and a reprint marked
"Cetakan ke-N" differs only by that mark.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from klaten_desktop.reports import fonts
from klaten_desktop.reports.letters import pieces
from klaten_desktop.reports.letters.flow import BOLD, ITALIC, PAPER_SIZES, REGULAR, Flow, Page, text_line, wrap
from klaten_desktop.runtime.work import CancelCheck, Progress, check


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int
    pages_per_letter: tuple[int, ...]


def _closing_start(flow: Flow, blocks: Sequence[Mapping[str, Any]], after: float) -> tuple[int, float]:
    """Where the closing paragraphs begin (after the last table or fields block; else the last paragraph) and
    their height with what follows them (``after``: the signature). They stay together on one page; when that
    would not fit even on a fresh page, only the last paragraph stays with the signature."""
    data = [i for i, b in enumerate(blocks) if b.get("type") != "p"]
    candidates = [data[-1] + 1 if data else len(blocks) - 1, len(blocks) - 1]
    for start in candidates:
        if start < 0:
            continue
        height = after + sum(flow.paragraph_height(str(b.get("text", ""))) for b in blocks[start:])
        if height <= flow.room:
            return start, height
    return len(blocks), after


def _body(flow: Flow, blocks: Sequence[Mapping[str, Any]], after: float) -> None:
    """The body blocks; the closing paragraphs go onto the page of the signature (never alone there), and a
    table just before them keeps its last rows with them."""
    start, keep = _closing_start(flow, blocks, after)
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if i == start:
            flow.need(keep)
        if kind == "p":
            flow.paragraph(str(block.get("text", "")))
        elif kind == "fields":
            flow.fields([(str(a), str(b)) for a, b in block.get("rows", [])])
        elif kind == "table":
            flow.table(
                [str(c) for c in block["columns"]],
                [float(w) for w in block["widths"]],
                [[str(v) for v in row] for row in block.get("rows", [])],
                align=block.get("align"),
                total=[str(v) for v in block["total"]] if block.get("total") else None,
                keep_with_last=keep if i == start - 1 else 0,
            )
        else:
            raise ValueError(f"unknown block type {kind!r}")


def _continuation(prefix: str, p: Mapping[str, Any]) -> Callable[[Flow], None]:
    text = f"{prefix} nomor {p['nomor']} tanggal {p['tanggal_teks']}"

    def header(flow: Flow) -> None:
        pieces.running_line(flow, text)

    return header


def layout(payload: Mapping[str, Any], images: Mapping[str, bytes]) -> tuple[tuple[float, float], list[Page]]:
    """Lay one letter out into pages of drawing operations."""
    size = PAPER_SIZES.get(str(payload.get("paper", "A4")), PAPER_SIZES["A4"])
    flow = Flow(size)
    flow.new_page()
    pieces.kop(flow, payload.get("kop", {}), images)
    flow.on_new_page = _continuation("Lanjutan surat", payload)
    keterangan = payload.get("layout") == "keterangan"
    if keterangan:
        pieces.title_block(flow, payload)
    else:
        pieces.letter_head(flow, payload)
        flow.space(4 * mm)
    verification = payload.get("verification")
    signature_h = pieces.signature_height(flow, payload, with_date=keterangan, verification=verification)
    _body(flow, payload.get("body", []), signature_h)
    pieces.signature(flow, payload, with_date=keterangan, verification=verification)
    pieces.tembusan(flow, [str(t) for t in payload.get("tembusan", [])])
    attachment = payload.get("attachment")
    if attachment:
        flow.on_new_page = _continuation("Lampiran surat", payload)
        flow.new_page()
        centre = (flow.left + flow.right) / 2
        for i, line in enumerate([attachment.get("title", ""), *attachment.get("subtitles", [])]):
            for part in wrap(str(line), BOLD, 11, flow.content_width):
                flow.add(text_line(centre, flow.y - 11, part, BOLD if i == 0 else REGULAR, 11, "c"))
                flow.y -= 11 * 1.35
        flow.space(3 * mm)
        flow.table(
            [str(c) for c in attachment["columns"]],
            [float(w) for w in attachment["widths"]],
            [[str(v) for v in row] for row in attachment.get("rows", [])],
            align=attachment.get("align"),
            size=float(attachment.get("size", 8)),
            after=4 * mm,
            keep_with_last=70 * mm,
        )
        if attachment.get("footer"):
            flow.need(12)
            flow.add(text_line(flow.left, flow.y - 10, str(attachment["footer"]), BOLD, 10))
            flow.y -= 10 * 1.35 + 4 * mm
        sig_only = dict(payload)
        pieces.signature(flow, sig_only, with_date=False, verification=None)
    return size, flow.pages


def _footer(c: Canvas, size: tuple[float, float], payload: Mapping[str, Any], page: int, pages: int,
            cetakan: int) -> None:  # fmt: skip
    width, height = size
    c.setFillGray(0.25)
    c.setFont(REGULAR, 7.5)
    verification = payload.get("verification")
    if verification:
        c.drawString(25 * mm, 10 * mm, f"Kode verifikasi {verification['code']}  ·  Nomor {payload['nomor']}")
    if pages > 1:
        c.drawRightString(width - 20 * mm, 10 * mm, f"Halaman {page} dari {pages}")
    c.setFillGray(0)
    if cetakan > 1:
        label = f"Cetakan ke-{cetakan}"
        c.setFont(BOLD, 9)
        w = c.stringWidth(label, BOLD, 9)
        x, y = width - 20 * mm - w - 4 * mm, height - 9 * mm
        c.setLineWidth(0.8)
        c.rect(x, y - 1.8 * mm, w + 4 * mm, 6 * mm, stroke=1, fill=0)
        c.drawString(x + 2 * mm, y, label)
        c.setFont(ITALIC, 7)
        c.drawCentredString(
            width / 2, 6 * mm, f"{label}: dicetak ulang dari arsip; isinya sama dengan cetakan pertama."
        )


def pdf_title(payloads: Sequence[Mapping[str, Any]]) -> str:
    """ "Surat Keterangan Kepesertaan 400.10.3/017/Kec.Prb/2026", or the first and last number of a batch."""
    if not payloads:
        return "Surat"
    kinds = {str(p.get("kind_label", "Surat")) for p in payloads}
    label = kinds.pop() if len(kinds) == 1 else "Surat"
    first, last = str(payloads[0].get("nomor", "")), str(payloads[-1].get("nomor", ""))
    if len(payloads) == 1:
        return f"{label} {first}".strip()
    return f"{label} {first} s.d. {last} ({len(payloads)} surat)"


def _author(payloads: Sequence[Mapping[str, Any]]) -> str:
    """The issuing office's name (``kantor``), else the kop's instansi and unit."""
    for p in payloads:
        if p.get("kantor"):
            return str(p["kantor"])
    kop = payloads[0].get("kop", {}) if payloads else {}
    parts = [str(kop.get(k, "")).strip() for k in ("instansi", "unit")]
    return ", ".join(x for x in parts if x) or "Pemerintah Kabupaten Klaten"


def _created(payloads: Sequence[Mapping[str, Any]]) -> datetime | None:
    """The latest ``dibuat`` (issue time, naive UTC) of the payloads; None when none carries one."""
    times = [t for t in (fonts.parse_created(p.get("dibuat")) for p in payloads) if t is not None]
    return max(times) if times else None


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
    """All letters into one PDF (in memory); raises :class:`Cancelled` once ``cancelled()`` turns true.

    The PDF's title names the kind and number(s), its author the issuing office, its creation date ``created``
    (naive UTC) or else the latest ``dibuat`` of the payloads (the issue time archived with each letter)."""
    images = images or {}
    fonts.register()
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=PAPER_SIZES["A4"], invariant=True, pageCompression=1, initialFontName=fonts.SANS)
    fonts.set_metadata(
        canvas, title=title or pdf_title(payloads), author=_author(payloads), created=created or _created(payloads)
    )
    total = len(payloads)
    counts: list[int] = []
    for index, payload in enumerate(payloads):
        check(cancelled)
        size, pages = layout(payload, images)
        mark = cetakan[index] if cetakan is not None else 1
        for number, page in enumerate(pages, 1):
            canvas.setPageSize(size)
            for op in page.ops:
                op(canvas)
            _footer(canvas, size, payload, number, len(pages), mark)
            canvas.showPage()
        counts.append(len(pages))
        if progress is not None:
            progress(index + 1, total)
    canvas.save()
    return RenderResult(buffer.getvalue(), sum(counts), tuple(counts))
