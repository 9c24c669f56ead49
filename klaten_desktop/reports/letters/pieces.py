"""The parts of a Pemkab Klaten letter: kop surat, Nomor/Sifat/Lampiran/Hal, addressee, signature, QR code."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from io import BytesIO
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from klaten_desktop.reports import qr
from klaten_desktop.reports.letters.flow import BOLD, REGULAR, Flow, hline, text_line, wrap

KOP_HEIGHT = 34 * mm
LOGO_HEIGHT = 24 * mm
BODY_SIZE = 11.0
LEADING = BODY_SIZE * 1.35


def format_nip(nip: str) -> str:
    """An 18-digit NIP grouped as printed on letters: "19700101 199003 1 001"."""
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) == 18:
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return nip


def _kop_ops(c: Canvas, kop: Mapping[str, Any], width: float, height: float, left: float, right: float,
             top: float, logo: bytes | None) -> None:  # fmt: skip
    y_top = height - top
    text_left = left
    if logo is not None:
        reader = ImageReader(BytesIO(logo))
        iw, ih = reader.getSize()
        w = LOGO_HEIGHT * iw / ih
        c.drawImage(reader, left, y_top - LOGO_HEIGHT - 1 * mm, width=w, height=LOGO_HEIGHT, mask="auto")
        text_left = left + w + 3 * mm
    centre = (text_left + right) / 2
    y = y_top - 5.5 * mm
    c.setFont(BOLD, 14)
    c.drawCentredString(centre, y, str(kop.get("instansi", "")))
    y -= 7.5 * mm
    c.setFont(BOLD, 17)
    c.drawCentredString(centre, y, str(kop.get("unit", "")))
    y -= 5.5 * mm
    c.setFont(REGULAR, 9.5)
    for line in kop.get("lines", [])[:3]:
        c.drawCentredString(centre, y, str(line))
        y -= 4.2 * mm
    rule = y_top - KOP_HEIGHT + 1.5 * mm
    c.setLineWidth(2.2)
    c.line(left, rule, right, rule)
    c.setLineWidth(0.6)
    c.line(left, rule - 1.3 * mm, right, rule - 1.3 * mm)


def kop(flow: Flow, kop_data: Mapping[str, Any], images: Mapping[str, bytes]) -> None:
    """The letterhead, drawn once per document as a PDF form and placed on the first page."""
    logo_key = kop_data.get("logo")
    logo = images.get(str(logo_key)) if logo_key else None
    key = "kop" + hashlib.sha1(repr((sorted(kop_data.items()), flow.width, flow.height)).encode()).hexdigest()[:12]
    width, height, left, right, top = flow.width, flow.height, flow.left, flow.right, flow.m.top

    def op(c: Canvas) -> None:
        defined: set[str] = c.__dict__.setdefault("_klaten_forms", set())
        if key not in defined:
            c.beginForm(key)
            _kop_ops(c, kop_data, width, height, left, right, top, logo)
            c.endForm()
            defined.add(key)
        c.doForm(key)

    flow.add(op)
    flow.y = height - top - KOP_HEIGHT - 3 * mm


def letter_head(flow: Flow, p: Mapping[str, Any]) -> None:
    """Place and date on the right; Nomor, Sifat, Lampiran, Hal on the left; then Yth. and the addressee."""
    size = BODY_SIZE
    x_label, x_colon = flow.left, flow.left + 20 * mm
    x_value = x_colon + 3 * mm
    base = flow.y - size
    flow.add(text_line(flow.right, base, f"{p['tempat']}, {p['tanggal_teks']}", REGULAR, size, "r"))
    value_width = flow.content_width * 0.58
    for label, value in (("Nomor", p["nomor"]), ("Sifat", p["sifat"]), ("Lampiran", p["lampiran"]),
                         ("Hal", p["hal"])):  # fmt: skip
        lines = wrap(str(value), BOLD if label == "Hal" else REGULAR, size, value_width)
        flow.add(text_line(x_label, base, label, REGULAR, size))
        flow.add(text_line(x_colon, base, ":", REGULAR, size))
        for line in lines:
            flow.add(text_line(x_value, base, line, REGULAR, size))
            base -= LEADING
    base -= LEADING
    yth = [str(v) for v in p.get("yth", [])]
    if yth:
        flow.add(text_line(flow.left, base, "Yth.", REGULAR, size))
        x_addr = flow.left + stringWidth("Yth. ", REGULAR, size)
        for line in yth:
            for part in wrap(line, REGULAR, size, flow.content_width * 0.7):
                flow.add(text_line(x_addr, base, part, REGULAR, size))
                base -= LEADING
        if p.get("di"):
            flow.add(text_line(x_addr, base, "di", REGULAR, size))
            base -= LEADING
            flow.add(text_line(x_addr + 8 * mm, base, str(p["di"]), REGULAR, size))
            base -= LEADING
    flow.y = base + size - LEADING


def title_block(flow: Flow, p: Mapping[str, Any]) -> None:
    """The centred, underlined title and the number of a surat keterangan."""
    centre = (flow.left + flow.right) / 2
    title = str(p.get("title", ""))
    size = 12.5
    title_base = base = flow.y - size - 2 * mm
    w = stringWidth(title, BOLD, size)

    def op(c: Canvas) -> None:
        c.setFont(BOLD, size)
        c.drawCentredString(centre, title_base, title)
        c.setLineWidth(0.8)
        c.line(centre - w / 2, title_base - 1.5, centre + w / 2, title_base - 1.5)

    flow.add(op)
    base -= LEADING
    flow.add(text_line(centre, base, f"Nomor: {p['nomor']}", REGULAR, BODY_SIZE, "c"))
    flow.y = base - 8 * mm


def signature_height(
    flow: Flow, p: Mapping[str, Any], *, with_date: bool, verification: Mapping[str, Any] | None
) -> float:
    """The height :func:`signature` takes on the page: the signer's lines, or the QR code with its quiet zone."""
    sig = p.get("signature", {})
    jabatan_lines = wrap(
        str(sig.get("jabatan", "")) + ",", REGULAR, BODY_SIZE, flow.right - flow.left - flow.content_width * 0.55
    )
    height = (len(jabatan_lines) + 3 + (1 if with_date else 0)) * LEADING + 21 * mm
    if not verification:
        return float(height)
    return float(max(height, qr.side(verification) + 2 * qr.QUIET_MM * mm + 12.5 * mm))


def signature(
    flow: Flow,
    p: Mapping[str, Any],
    *,
    with_date: bool,
    verification: Mapping[str, Any] | None,
) -> None:
    """Jabatan, room to sign, name, pangkat and NIP on the right; the QR code and short code on the left."""
    sig = p.get("signature", {})
    size = BODY_SIZE
    flow.need(signature_height(flow, p, with_date=with_date, verification=verification))
    x = flow.left + flow.content_width * 0.55
    base = flow.y - size
    top = flow.y
    if with_date:
        flow.add(text_line(x, base, f"{p['tempat']}, {p['tanggal_teks']}", REGULAR, size))
        base -= LEADING
    for line in wrap(str(sig.get("jabatan", "")) + ",", REGULAR, size, flow.right - x):
        flow.add(text_line(x, base, line, REGULAR, size))
        base -= LEADING
    base -= 20 * mm
    nama = str(sig.get("nama", ""))
    w = stringWidth(nama, BOLD, size)
    nama_base = base

    def name_op(c: Canvas) -> None:
        c.setFont(BOLD, size)
        c.drawString(x, nama_base, nama)
        c.setLineWidth(0.6)
        c.line(x, nama_base - 1.5, x + w, nama_base - 1.5)

    flow.add(name_op)
    base -= LEADING
    if sig.get("pangkat"):
        flow.add(text_line(x, base, str(sig["pangkat"]), REGULAR, size))
        base -= LEADING
    if sig.get("nip"):
        flow.add(text_line(x, base, "NIP. " + format_nip(str(sig["nip"])), REGULAR, size))
        base -= LEADING
    if verification:
        qsize, quiet = qr.side(verification), qr.QUIET_MM * mm
        # the quiet zone above and below stays white; the labels start under it (7.5 pt caps are about 2 mm)
        qy = top - quiet - qsize
        label = qy - quiet - 2.2 * mm
        flow.add(qr.draw_op(verification, flow.left, qy))
        flow.add(text_line(flow.left, label, "Kode verifikasi:", REGULAR, 7.5))
        flow.add(text_line(flow.left, label - 3.8 * mm, str(verification["code"]), BOLD, 10))
        flow.add(text_line(flow.left, label - 7.3 * mm, "Periksa keaslian di aplikasi", REGULAR, 7))
        flow.add(text_line(flow.left, label - 10.3 * mm, "Klaten Desktop (menu Verifikasi).", REGULAR, 7))
        base = min(base, label - 10.8 * mm)
    flow.y = base + size - LEADING


def tembusan(flow: Flow, items: Sequence[str]) -> None:
    if not items:
        return
    size = 10.0
    leading = size * 1.3
    flow.need(leading * 2)
    flow.space(2 * mm)
    flow.add(text_line(flow.left, flow.y - size, "Tembusan:", REGULAR, size))
    flow.y -= leading
    for i, item in enumerate(items, 1):
        lines = wrap(str(item), REGULAR, size, flow.content_width - 6 * mm)
        flow.need(leading * len(lines))
        flow.add(text_line(flow.left, flow.y - size, f"{i}.", REGULAR, size))
        for line in lines:
            flow.add(text_line(flow.left + 6 * mm, flow.y - size, line, REGULAR, size))
            flow.y -= leading


def running_line(flow: Flow, text: str) -> None:
    """The top of a continuation page: its number centred ("- 2 -"), then a small line ("Lampiran surat
    nomor ...") over a thin rule."""
    size = 9.0
    flow.add(text_line((flow.left + flow.right) / 2, flow.y - 10, f"- {len(flow.pages)} -", REGULAR, 10, "c"))
    flow.y -= 10 * 1.3 + 2 * mm
    for line in wrap(text, REGULAR, size, flow.content_width):
        flow.add(text_line(flow.left, flow.y - size, line, REGULAR, size))
        flow.y -= size * 1.3
    flow.add(hline(flow.left, flow.right, flow.y - 1 * mm, 0.4))
    flow.y -= 5 * mm
