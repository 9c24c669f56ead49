"""The coverage recap PDF (A4 landscape) for the Bupati and the Sekda, signed by the camat.

Plain data in (the payload of ``services.recap.RecapData.payload()``), PDF out. reportlab is imported inside
:func:`render` so that importing this module at GUI start-up costs nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from klaten_desktop.domain.formatting import format_number, format_percent, format_rupiah
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report

CANCELLED = "Rekap cakupan dibatalkan; berkas tidak dibuat."

STATUS_COLUMNS = (
    ("aktif", "Aktif"),
    ("menunggak", "Menung-\ngak"),
    ("nonaktif", "Non-\naktif"),
    ("diajukan", "Diajukan"),
    ("belum_terdaftar", "Belum\nterdaftar"),
    ("berakhir", "Berakhir"),
)


def _nip(nip: str) -> str:
    digits = "".join(ch for ch in nip if ch.isdigit())
    if len(digits) == 18:
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return nip


def render(
    payload: Mapping[str, Any],
    path: Path | str,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the recap to ``path``; returns the page count. Raises ``runtime.work.Cancelled`` when cancelled."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        CondPageBreak,
        Frame,
        KeepTogether,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    rows: Sequence[Mapping[str, Any]] = payload["rows"]
    total_steps = len(rows) * 2 + 2
    step = 0

    def tick() -> None:
        nonlocal step
        check(cancelled, CANCELLED)
        step += 1
        report(progress, step, total_steps)

    page_w, page_h = landscape(A4)
    left, right, top, bottom = 18 * mm, 15 * mm, 12 * mm, 15 * mm
    kop_h = 27 * mm
    normal = ParagraphStyle("n", fontName="Helvetica", fontSize=9.5, leading=12)
    small = ParagraphStyle("s", parent=normal, fontSize=8.5, leading=10.5)
    title = ParagraphStyle("t", parent=normal, fontName="Helvetica-Bold", fontSize=12, leading=15, alignment=TA_CENTER)
    subtitle = ParagraphStyle("st", parent=normal, alignment=TA_CENTER)
    heading = ParagraphStyle("h", parent=normal, fontName="Helvetica-Bold", fontSize=10.5, spaceBefore=4, spaceAfter=3)

    kop = payload.get("kop", {})

    def draw_kop(c: Any) -> None:
        c.saveState()
        centre = page_w / 2
        y = page_h - top - 6 * mm
        c.setFont("Helvetica-Bold", 13)
        c.drawCentredString(centre, y, str(kop.get("instansi", "")))
        y -= 7 * mm
        c.setFont("Helvetica-Bold", 16)
        c.drawCentredString(centre, y, str(kop.get("unit", "")))
        y -= 5.5 * mm
        c.setFont("Helvetica", 9)
        for line in list(kop.get("lines", []))[:2]:
            c.drawCentredString(centre, y, str(line))
            y -= 4 * mm
        rule = page_h - top - kop_h + 2 * mm
        c.setLineWidth(2)
        c.line(left, rule, page_w - right, rule)
        c.setLineWidth(0.6)
        c.line(left, rule - 1.2 * mm, page_w - right, rule - 1.2 * mm)
        c.restoreState()

    footer_text = f"Rekapitulasi kepesertaan BPJS Ketenagakerjaan Ketua RT/RW, {payload['wilayah'].title()}, " + (
        f"keadaan per {payload['per_tanggal']}"
    )

    def footer(c: Any, doc: Any) -> None:
        c.saveState()
        c.setFont("Helvetica", 7.5)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(left, bottom - 6 * mm, footer_text)
        c.drawRightString(page_w - right, bottom - 6 * mm, f"Halaman {doc.page}")
        c.restoreState()

    def first_page(c: Any, doc: Any) -> None:
        draw_kop(c)
        footer(c, doc)

    doc = BaseDocTemplate(
        str(path),
        pagesize=(page_w, page_h),
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=str(payload["judul"]).title(),
        author=str(kop.get("unit", "")),
        subject=f"Keadaan per {payload['per_tanggal']}",
        creator="Klaten Desktop",
    )
    frame_w = page_w - left - right
    first = Frame(left, bottom, frame_w, page_h - top - bottom - kop_h, id="first", showBoundary=0)
    later = Frame(left, bottom, frame_w, page_h - top - bottom, id="later", showBoundary=0)
    doc.addPageTemplates(
        [
            PageTemplate(id="First", frames=[first], onPage=first_page, autoNextPageTemplate="Later"),
            PageTemplate(id="Later", frames=[later], onPage=footer),
        ]
    )

    story: list[Any] = []
    kepada = payload.get("kepada", [])
    addressee = "Kepada Yth.<br/>" + "<br/>".join(f"{i}. {escape(str(name))}" for i, name in enumerate(kepada, 1))
    addressee += "<br/>di<br/>&nbsp;&nbsp;&nbsp;&nbsp;K L A T E N"
    address_table = Table([["", Paragraph(addressee, normal)]], colWidths=[frame_w - 80 * mm, 80 * mm])
    address_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story += [address_table, Spacer(1, 4 * mm)]
    story.append(Paragraph(escape(str(payload["judul"])), title))
    story.append(Paragraph(escape(str(payload["wilayah"])), title))
    story.append(Paragraph(f"Keadaan per {payload['per_tanggal']}", subtitle))
    story.append(Spacer(1, 4 * mm))
    tick()

    # --- A. coverage per desa ----------------------------------------------------------------------------
    story.append(Paragraph(f"A. Kepesertaan per {str(payload['kolom_wilayah']).lower()}", heading))
    head = ["No", str(payload["kolom_wilayah"]), "Pengurus", *(label for _, label in STATUS_COLUMNS), "Cakupan"]
    data: list[list[Any]] = [head]

    def count_cells(r: Mapping[str, Any]) -> list[str]:
        return [
            format_number(int(r["pengurus"])),
            *(format_number(int(r[key])) for key, _ in STATUS_COLUMNS),
            format_percent(float(r["cakupan_persen"])),
        ]

    for n, r in enumerate(rows, 1):
        data.append([str(n), str(r["nama"]), *count_cells(r)])
        tick()
    total = payload["total"]
    data.append(["", "Jumlah", *count_cells(total)])
    number_w = 20 * mm
    widths = [10 * mm, frame_w - 10 * mm - 8 * number_w, *([number_w] * 8)]
    grid = colors.HexColor("#7a8594")
    header_bg = colors.HexColor("#dde4ee")
    base_style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 9),
        ("BACKGROUND", (0, 0), (-1, 0), header_bg),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eef1f5")),
        ("GRID", (0, 0), (-1, -1), 0.4, grid),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(base_style))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            "Cakupan = peserta aktif / (pengurus - berakhir). Aktif: iuran lunas sampai bulan berjalan "
            "(batas bayar tanggal 15); menunggak: 1–2 bulan belum dibayar; nonaktif: 3 bulan atau lebih.",
            small,
        )
    )

    # --- B. contributions from ADD -------------------------------------------------------------------------
    story.append(CondPageBreak(45 * mm))
    story.append(Spacer(1, 3 * mm))
    story.append(
        Paragraph(f"B. Iuran yang dibayar dari Alokasi Dana Desa (ADD), periode {payload['periode']}", heading)
    )
    add_data: list[list[Any]] = [["No", str(payload["kolom_wilayah"]), "Peserta ADD", "Iuran periode"]]
    for n, r in enumerate(rows, 1):
        add_data.append(
            [str(n), str(r["nama"]), format_number(int(r["add_peserta"])), format_rupiah(int(r["add_iuran"]))]
        )
        tick()
    add_data.append(["", "Jumlah", format_number(int(total["add_peserta"])), format_rupiah(int(total["add_iuran"]))])
    add_table = Table(add_data, colWidths=[10 * mm, 80 * mm, 30 * mm, 45 * mm], repeatRows=1, hAlign="LEFT")
    add_table.setStyle(TableStyle(base_style))
    story.append(add_table)
    story.append(Spacer(1, 2 * mm))
    story.append(
        Paragraph(
            "Iuran periode = iuran bulanan × jumlah bulan terdaftar dalam periode, untuk kepesertaan aktif "
            "(belum diakhiri) yang sumber dananya ADD.",
            small,
        )
    )

    # --- signature -------------------------------------------------------------------------------------------
    sig = payload.get("penandatangan", {})
    lines = [escape(str(payload.get("tempat_tanggal", ""))), escape(f"{sig.get('jabatan', '')},"), "<br/><br/><br/>"]
    lines.append(f"<u><b>{escape(str(sig.get('nama', '')))}</b></u>")
    if sig.get("pangkat"):
        lines.append(escape(str(sig["pangkat"])))
    if sig.get("nip"):
        lines.append(f"NIP. {_nip(str(sig['nip']))}")
    sign = Table([["", Paragraph("<br/>".join(lines), normal)]], colWidths=[frame_w - 85 * mm, 85 * mm])
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([Spacer(1, 6 * mm), sign]))
    tick()

    doc.build(story)
    return int(doc.page)
