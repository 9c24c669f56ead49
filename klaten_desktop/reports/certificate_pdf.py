"""Certificates of a socialization event: archived payloads (plain JSON data) in, one PDF out.

A4 landscape, a drawn border (one PDF form reused by every page), the title SERTIFIKAT, the number, the
holder's name and role, the event, two signatories side by side and the QR code with its short verification
code. Reprints carry "Cetakan ke-N". The payload is built by :mod:`klaten_desktop.services.events.certificates`.

reportlab and segno are imported only when certificates are drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any

from klaten_desktop.reports import fonts, qr
from klaten_desktop.runtime.work import CancelCheck, Progress, check

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas


MM = 72 / 25.4
WIDTH, HEIGHT = 297 * MM, 210 * MM
NAVY = (0.09, 0.22, 0.40)
GOLD = (0.72, 0.56, 0.18)
BORDER_FORM = "klatenSertifikatBorder"
SERIF_BOLD = fonts.SERIF_BOLD
SERIF_ITALIC = fonts.SERIF_ITALIC
SERIF_BOLD_ITALIC = fonts.SERIF_BOLD_ITALIC
SANS = fonts.SANS
SANS_BOLD = fonts.SANS_BOLD
SANS_ITALIC = fonts.SANS_ITALIC


@dataclass(frozen=True)
class RenderResult:
    pdf: bytes
    pages: int


def _border(c: Canvas) -> None:
    """Double frame with corner ornaments and a row of small diamonds along the top and bottom."""
    c.saveState()
    c.setStrokeColorRGB(*NAVY)
    c.setLineWidth(3.2)
    c.rect(7 * MM, 7 * MM, WIDTH - 14 * MM, HEIGHT - 14 * MM)
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(1.1)
    c.rect(10 * MM, 10 * MM, WIDTH - 20 * MM, HEIGHT - 20 * MM)
    c.setStrokeColorRGB(*NAVY)
    c.setLineWidth(0.4)
    c.rect(11.5 * MM, 11.5 * MM, WIDTH - 23 * MM, HEIGHT - 23 * MM)
    # corner ornaments: concentric quarter arcs and a diamond
    for cx, cy, start in (
        (10 * MM, 10 * MM, 0),
        (WIDTH - 10 * MM, 10 * MM, 90),
        (WIDTH - 10 * MM, HEIGHT - 10 * MM, 180),
        (10 * MM, HEIGHT - 10 * MM, 270),
    ):
        c.setStrokeColorRGB(*GOLD)
        for radius, width in ((9 * MM, 1.0), (12 * MM, 0.5), (15 * MM, 0.3)):
            c.setLineWidth(width)
            c.arc(cx - radius, cy - radius, cx + radius, cy + radius, start, 90)
        dx = 1 if cx < WIDTH / 2 else -1
        dy = 1 if cy < HEIGHT / 2 else -1
        _diamond(c, cx + dx * 4.2 * MM, cy + dy * 4.2 * MM, 2.2 * MM, NAVY)
    # diamonds along the top and bottom edges, between the frames
    c.setFillColorRGB(*GOLD)
    step = 9 * MM
    x = 30 * MM
    while x < WIDTH - 29 * MM:
        for y in (8.6 * MM, HEIGHT - 8.6 * MM):
            _diamond(c, x, y, 0.9 * MM, GOLD)
        x += step
    c.restoreState()


def _diamond(c: Canvas, x: float, y: float, r: float, rgb: tuple[float, float, float]) -> None:
    c.setFillColorRGB(*rgb)
    path = c.beginPath()
    path.moveTo(x, y + r)
    path.lineTo(x + r, y)
    path.lineTo(x, y - r)
    path.lineTo(x - r, y)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float, minimum: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _lines(c: Canvas, text: str, font: str, size: float, y: float, width: float, leading: float,
           max_lines: int = 3) -> float:  # fmt: skip
    """Centred, wrapped text starting at baseline ``y``; returns the baseline after the last line."""
    from reportlab.lib.utils import simpleSplit

    lines = simpleSplit(text, font, size, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(" .,") + "…"
    c.setFont(font, size)
    for line in lines:
        c.drawCentredString(WIDTH / 2, y, line)
        y -= leading
    return y


def _signature(c: Canvas, sig: Mapping[str, Any], x: float, top: float, date_line: str | None) -> None:
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from klaten_desktop.reports.letters.pieces import format_nip

    size = 11.0
    leading = 13.5
    y = top
    c.setFillGray(0)
    c.setFont(SANS, size)
    if date_line:
        c.drawCentredString(x, y, date_line)
    y -= leading
    for line in simpleSplit(str(sig.get("jabatan", "")) + ",", SANS, size, 82 * MM)[:2]:
        c.drawCentredString(x, y, line)
        y -= leading
    y = top - 3 * leading - 17 * MM
    nama = str(sig.get("nama", ""))
    nsize = _fit(nama, SANS_BOLD, size, 85 * MM, 8)
    c.setFont(SANS_BOLD, nsize)
    c.drawCentredString(x, y, nama)
    w = stringWidth(nama, SANS_BOLD, nsize)
    c.setLineWidth(0.6)
    c.line(x - w / 2, y - 1.6, x + w / 2, y - 1.6)
    c.setFont(SANS, 10)
    if sig.get("pangkat"):
        y -= 12.5
        c.drawCentredString(x, y, str(sig["pangkat"]))
    if sig.get("nip"):
        y -= 12.5
        c.drawCentredString(x, y, "NIP. " + format_nip(str(sig["nip"])))


def _static(c: Canvas, p: Mapping[str, Any]) -> None:
    """What every certificate of one event shares: kop, title, the event, the date line and the signatories."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    centre = WIDTH / 2
    kop = p.get("kop", {})
    c.setFillColorRGB(*NAVY)
    c.setFont(SANS_BOLD, 11)
    c.drawCentredString(centre, HEIGHT - 24 * MM, str(kop.get("instansi", "")))
    c.setFont(SANS_BOLD, 13)
    c.drawCentredString(centre, HEIGHT - 29.5 * MM, str(kop.get("unit", "")))
    if kop.get("mitra"):
        c.setFont(SANS, 9)
        c.drawCentredString(centre, HEIGHT - 34 * MM, f"bersama {kop['mitra']}")
    title = str(p.get("title", "SERTIFIKAT"))
    spacing = 7.0
    tw = stringWidth(title, SERIF_BOLD, 44) + spacing * (len(title) - 1)
    t = c.beginText(centre - tw / 2, HEIGHT - 53 * MM)
    t.setFont(SERIF_BOLD, 44)
    t.setCharSpace(spacing)
    t.textLine(title)
    t.setCharSpace(0)  # Tc is text state: it would carry over to every later string
    c.drawText(t)
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(1.4)
    c.line(centre - 45 * MM, HEIGHT - 57 * MM, centre + 45 * MM, HEIGHT - 57 * MM)
    c.setFillGray(0)
    c.setFont(SERIF_ITALIC, 15)
    c.drawCentredString(centre, HEIGHT - 74 * MM, "diberikan kepada")
    c.drawCentredString(centre, HEIGHT - 111 * MM, "sebagai peserta")
    acara = p.get("acara", {})
    y = _lines(c, str(acara.get("judul", "")), SANS_BOLD, 15, HEIGHT - 120 * MM, 235 * MM, 18, 2)
    when = f"yang diselenggarakan pada {acara.get('hari_tanggal', '')}"
    if acara.get("waktu"):
        when += f", pukul {acara['waktu']}"
    _lines(c, when, SANS, 11.5, y - 1 * MM, 235 * MM, 14, 1)
    _lines(c, f"bertempat di {acara.get('tempat', '')}", SANS, 11.5, y - 1 * MM - 14, 235 * MM, 14, 1)
    # signatories: the BPJS branch head on the left, the camat (with the date line) on the right
    signatures = list(p.get("signatures", []))
    top = 58 * MM
    if len(signatures) >= 1:
        _signature(c, signatures[0], 66 * MM, top, None)
    if len(signatures) >= 2:
        _signature(c, signatures[1], WIDTH - 66 * MM, top, f"{p.get('tempat', '')}, {p.get('tanggal_teks', '')}")
    c.setFont(SANS, 7.5)
    c.drawCentredString(centre, LABEL_Y - 3.5 * MM, "Kode verifikasi:")
    c.setFont(SANS, 6.5)
    c.drawCentredString(centre, LABEL_Y - 10.5 * MM, "Periksa keaslian di aplikasi Klaten Desktop (menu Verifikasi).")


STATIC_KEYS = ("kop", "title", "acara", "signatures", "tempat", "tanggal_teks")
LABEL_Y = 27 * MM  # the labels under the QR code hang from here
QR_Y = LABEL_Y + qr.QUIET_MM * MM  # the code's bottom edge: its quiet zone clear of the labels' caps


def _static_key(p: Mapping[str, Any]) -> str:
    import hashlib
    import json

    text = json.dumps({k: p.get(k) for k in STATIC_KEYS}, sort_keys=True, ensure_ascii=False)
    return "klatenSertifikat" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _page(c: Canvas, p: Mapping[str, Any], cetakan: int, forms: set[str]) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    key = _static_key(p)
    if key not in forms:
        c.beginForm(key)
        _static(c, p)
        c.endForm()
        forms.add(key)
    c.doForm(BORDER_FORM)
    c.doForm(key)
    centre = WIDTH / 2
    c.setFillGray(0)
    c.setFont(SANS, 11)
    c.drawCentredString(centre, HEIGHT - 63 * MM, f"Nomor: {p['nomor']}")
    nama = str(p.get("nama", ""))
    size = _fit(nama, SERIF_BOLD_ITALIC, 30, 230 * MM, 16)
    c.setFillColorRGB(*NAVY)
    c.setFont(SERIF_BOLD_ITALIC, size)
    c.drawCentredString(centre, HEIGHT - 87 * MM, nama)
    half = max(stringWidth(nama, SERIF_BOLD_ITALIC, size) / 2, 60 * MM)
    c.setStrokeColorRGB(*GOLD)
    c.setLineWidth(0.8)
    c.line(centre - half, HEIGHT - 89.5 * MM, centre + half, HEIGHT - 89.5 * MM)
    c.setFillGray(0)
    peran = str(p.get("peran", ""))
    psize = _fit(peran, SANS, 13, 235 * MM, 10)
    _lines(c, peran, SANS, psize, HEIGHT - 97 * MM, 235 * MM, 5.5 * MM, 2)
    verification = p.get("verification")
    if verification:
        qr.draw_op(verification, centre - qr.side(verification) / 2, QR_Y)(c)
        c.setFont(SANS_BOLD, 10)
        c.drawCentredString(centre, LABEL_Y - 7.5 * MM, str(verification["code"]))
    if cetakan > 1:
        label = f"Cetakan ke-{cetakan}"
        c.setFont(SANS_BOLD, 9)
        lw = stringWidth(label, SANS_BOLD, 9)
        x, y0 = WIDTH - 16 * MM - lw - 4 * MM, HEIGHT - 21 * MM
        c.setStrokeGray(0)
        c.setLineWidth(0.8)
        c.rect(x, y0 - 1.8 * MM, lw + 4 * MM, 6 * MM, stroke=1, fill=0)
        c.drawString(x + 2 * MM, y0, label)
        c.setFont(SANS_ITALIC, 7)
        c.drawCentredString(
            centre, 13.5 * MM, f"{label}: dicetak ulang dari arsip; isinya sama dengan cetakan pertama."
        )


def _title(payloads: Sequence[Mapping[str, Any]]) -> str:
    """ "Sertifikat 400.14.11/003/Kec.Prb/2026", or the first and last number of a batch."""
    if not payloads:
        return "Sertifikat"
    first, last = str(payloads[0].get("nomor", "")), str(payloads[-1].get("nomor", ""))
    if len(payloads) == 1:
        return f"Sertifikat {first}"
    return f"Sertifikat {first} s.d. {last} ({len(payloads)} sertifikat)"


def _author(payloads: Sequence[Mapping[str, Any]]) -> str:
    for p in payloads:
        if p.get("kantor"):
            return str(p["kantor"])
    kop = payloads[0].get("kop", {}) if payloads else {}
    return str(kop.get("unit") or kop.get("instansi") or "Pemerintah Kabupaten Klaten")


def _created(payloads: Sequence[Mapping[str, Any]]) -> datetime | None:
    times = [t for t in (fonts.parse_created(p.get("dibuat")) for p in payloads) if t is not None]
    return max(times) if times else None


def render_certificates(
    payloads: Sequence[Mapping[str, Any]],
    *,
    cetakan: Sequence[int] | None = None,
    images: Mapping[str, bytes] | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    created: datetime | None = None,
) -> RenderResult:
    """All certificates into one PDF (in memory), one page each; raises :class:`Cancelled` once ``cancelled()``
    turns true. A certificate draws no pictures: ``images`` (the letterhead's logo) is taken like a letter's and
    left unused. The creation date is ``created`` (naive UTC) or the latest ``dibuat`` of the payloads."""
    from reportlab.pdfgen.canvas import Canvas

    fonts.register()
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=(WIDTH, HEIGHT), invariant=True, pageCompression=1, initialFontName=fonts.SANS)
    fonts.set_metadata(c, title=_title(payloads), author=_author(payloads), created=created or _created(payloads))
    c.beginForm(BORDER_FORM)
    _border(c)
    c.endForm()
    total = len(payloads)
    forms: set[str] = set()
    for index, payload in enumerate(payloads):
        check(cancelled)
        _page(c, payload, cetakan[index] if cetakan is not None else 1, forms)
        c.showPage()
        if progress is not None and (index % 10 == 9 or index + 1 == total):
            progress(index + 1, total)
    c.save()
    return RenderResult(buffer.getvalue(), total)
