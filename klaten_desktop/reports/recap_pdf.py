"""The coverage recap PDF (A4 landscape) for the Bupati and the Sekda, signed by the camat.

Plain data in (the payload of ``services.recap.RecapData.payload()``), PDF out. reportlab is imported inside
the functions that draw so that importing this module at GUI start-up costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from klaten_desktop.domain.formatting import format_number, format_percent, format_rupiah
from klaten_desktop.reports import fonts
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


@dataclass(frozen=True)
class _Page:
    """The landscape A4 page: its size, margins, the letterhead's height and the text styles."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    kop_h: float
    styles: dict[str, Any]

    @property
    def frame_w(self) -> float:
        return self.width - self.left - self.right


def _page() -> _Page:
    """The recap's page and its paragraph styles."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    normal = ParagraphStyle("n", fontName=fonts.SANS, fontSize=9.5, leading=12)
    styles = {
        "normal": normal,
        "small": ParagraphStyle("s", parent=normal, fontSize=8.5, leading=10.5),
        "title": ParagraphStyle(
            "t", parent=normal, fontName=fonts.SANS_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("st", parent=normal, alignment=TA_CENTER),
        "heading": ParagraphStyle(
            "h", parent=normal, fontName=fonts.SANS_BOLD, fontSize=10.5, spaceBefore=4, spaceAfter=3
        ),
    }
    width, height = landscape(A4)
    return _Page(width, height, 18 * mm, 15 * mm, 12 * mm, 15 * mm, 27 * mm, styles)


def _draw_kop(c: Any, kop: Mapping[str, Any], page: _Page) -> None:
    """The letterhead on the first page: agency, unit, two address lines, a double rule."""
    from reportlab.lib.units import mm

    c.saveState()
    centre = page.width / 2
    y = page.height - page.top - 6 * mm
    c.setFont(fonts.SANS_BOLD, 13)
    c.drawCentredString(centre, y, str(kop.get("instansi", "")))
    y -= 7 * mm
    c.setFont(fonts.SANS_BOLD, 16)
    c.drawCentredString(centre, y, str(kop.get("unit", "")))
    y -= 5.5 * mm
    c.setFont(fonts.SANS, 9)
    for line in list(kop.get("lines", []))[:2]:
        c.drawCentredString(centre, y, str(line))
        y -= 4 * mm
    rule = page.height - page.top - page.kop_h + 2 * mm
    c.setLineWidth(2)
    c.line(page.left, rule, page.width - page.right, rule)
    c.setLineWidth(0.6)
    c.line(page.left, rule - 1.2 * mm, page.width - page.right, rule - 1.2 * mm)
    c.restoreState()


def _document(payload: Mapping[str, Any], path: Path | str, page: _Page) -> Any:
    """The document: a first page under the letterhead, later pages without, a footer line on each."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    kop = payload.get("kop", {})
    footer_text = f"Rekapitulasi kepesertaan BPJS Ketenagakerjaan Ketua RT/RW, {payload['wilayah'].title()}, " + (
        f"keadaan per {payload['per_tanggal']}"
    )

    def footer(c: Any, doc: Any) -> None:
        c.saveState()
        c.setFont(fonts.SANS, 7.5)
        c.setFillColor(colors.HexColor("#555555"))
        c.drawString(page.left, page.bottom - 6 * mm, footer_text)
        c.drawRightString(page.width - page.right, page.bottom - 6 * mm, f"Halaman {doc.page}")
        c.restoreState()

    stamp = fonts.pdf_date(fonts.parse_created(payload.get("dibuat")))

    def first_page(c: Any, doc: Any) -> None:
        if stamp is not None:
            c.setDateFormatter(lambda *_ymdhms: stamp)
        _draw_kop(c, kop, page)
        footer(c, doc)

    doc = BaseDocTemplate(
        str(path),
        pagesize=(page.width, page.height),
        leftMargin=page.left,
        rightMargin=page.right,
        topMargin=page.top,
        bottomMargin=page.bottom,
        title=footer_text,
        author=str(payload.get("kantor") or kop.get("unit", "")),
        invariant=True,
        initialFontName=fonts.SANS,
        subject=f"Keadaan per {payload['per_tanggal']}",
        creator="Klaten Desktop",
    )
    body_h = page.height - page.top - page.bottom
    first = Frame(page.left, page.bottom, page.frame_w, body_h - page.kop_h, id="first", showBoundary=0)
    later = Frame(page.left, page.bottom, page.frame_w, body_h, id="later", showBoundary=0)
    doc.addPageTemplates(
        [
            PageTemplate(id="First", frames=[first], onPage=first_page, autoNextPageTemplate="Later"),
            PageTemplate(id="Later", frames=[later], onPage=footer),
        ]
    )
    return doc


def _opening(payload: Mapping[str, Any], page: _Page) -> list[Any]:
    """The addressees (Kepada Yth. ... di KLATEN) on the right, then the title, the area and the date."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    title, subtitle = page.styles["title"], page.styles["subtitle"]
    kepada = payload.get("kepada", [])
    addressee = "Kepada Yth.<br/>" + "<br/>".join(f"{i}. {escape(str(name))}" for i, name in enumerate(kepada, 1))
    addressee += "<br/>di<br/>&nbsp;&nbsp;&nbsp;&nbsp;K L A T E N"
    address_table = Table(
        [["", Paragraph(addressee, page.styles["normal"])]], colWidths=[page.frame_w - 80 * mm, 80 * mm]
    )
    address_table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("FONT", (0, 0), (-1, -1), fonts.SANS),  # the empty cell too: no unembedded Helvetica
            ]
        )
    )
    return [
        address_table,
        Spacer(1, 4 * mm),
        Paragraph(escape(str(payload["judul"])), title),
        Paragraph(escape(str(payload["wilayah"])), title),
        Paragraph(f"Keadaan per {payload['per_tanggal']}", subtitle),
        Spacer(1, 4 * mm),
    ]


def _table_style() -> Any:
    """The grid both tables share: bold shaded header and total rows, numbers right-aligned."""
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), fonts.SANS, 9),
            ("FONT", (0, 0), (-1, 0), fonts.SANS_BOLD, 8.5),
            ("FONT", (0, -1), (-1, -1), fonts.SANS_BOLD, 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde4ee")),
            ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eef1f5")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#7a8594")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ("ALIGN", (0, 1), (0, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )


def _count_cells(r: Mapping[str, Any]) -> list[str]:
    """One area's officials, its count per status and its coverage."""
    return [
        format_number(int(r["pengurus"])),
        *(format_number(int(r[key])) for key, _ in STATUS_COLUMNS),
        format_percent(float(r["cakupan_persen"])),
    ]


def _coverage_section(payload: Mapping[str, Any], page: _Page, tick: Callable[[], None]) -> list[Any]:
    """A. Coverage per desa (or kecamatan): a row per area, the total, and how coverage is counted."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table

    area = str(payload["kolom_wilayah"])
    head = ["No", area, "Pengurus", *(label for _, label in STATUS_COLUMNS), "Cakupan"]
    data: list[list[Any]] = [head]
    for n, r in enumerate(payload["rows"], 1):
        data.append([str(n), str(r["nama"]), *_count_cells(r)])
        tick()
    data.append(["", "Jumlah", *_count_cells(payload["total"])])
    number_w = 20 * mm
    table = Table(data, colWidths=[10 * mm, page.frame_w - 10 * mm - 8 * number_w, *([number_w] * 8)], repeatRows=1)
    table.setStyle(_table_style())
    return [
        Paragraph(f"A. Kepesertaan per {area.lower()}", page.styles["heading"]),
        table,
        Spacer(1, 2 * mm),
        Paragraph(
            "Cakupan = peserta aktif / (pengurus - berakhir). Aktif: iuran lunas sampai bulan berjalan "
            "(batas bayar tanggal 15); menunggak: 1–2 bulan belum dibayar; nonaktif: 3 bulan atau lebih.",
            page.styles["small"],
        ),
    ]


def _add_section(payload: Mapping[str, Any], page: _Page, tick: Callable[[], None]) -> list[Any]:
    """B. Contributions paid from the Alokasi Dana Desa over the period, per area and in total."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Paragraph, Spacer, Table

    add_data: list[list[Any]] = [["No", str(payload["kolom_wilayah"]), "Peserta ADD", "Iuran periode"]]
    for n, r in enumerate(payload["rows"], 1):
        add_data.append(
            [str(n), str(r["nama"]), format_number(int(r["add_peserta"])), format_rupiah(int(r["add_iuran"]))]
        )
        tick()
    total = payload["total"]
    add_data.append(["", "Jumlah", format_number(int(total["add_peserta"])), format_rupiah(int(total["add_iuran"]))])
    add_table = Table(add_data, colWidths=[10 * mm, 80 * mm, 30 * mm, 45 * mm], repeatRows=1, hAlign="LEFT")
    add_table.setStyle(_table_style())
    return [
        CondPageBreak(45 * mm),
        Spacer(1, 3 * mm),
        Paragraph(
            f"B. Iuran yang dibayar dari Alokasi Dana Desa (ADD), periode {payload['periode']}",
            page.styles["heading"],
        ),
        add_table,
        Spacer(1, 2 * mm),
        Paragraph(
            "Iuran periode = jumlah iuran setiap bulan terdaftar dalam periode, untuk kepesertaan aktif "
            "(belum diakhiri) yang sumber dananya ADD; dasar iuran tiap bulan pada tabel berikut.",
            page.styles["small"],
        ),
        *_bases(payload, page),
    ]


def _bases(payload: Mapping[str, Any], page: _Page) -> list[Any]:
    """The basis each month of the period was billed on ("0,54 % × UMK 2023 Rp 2.152.322,94 = Rp 11.623")."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table

    lines: Sequence[Mapping[str, Any]] = payload.get("dasar_iuran") or []
    if not lines:
        return []
    small = page.styles["small"]
    data: list[list[Any]] = [["Bulan", "Dasar iuran per orang per bulan", "Orang-bulan", "Jumlah"]]
    for line in lines:
        data.append(
            [
                str(line["periode"]),
                Paragraph(escape(str(line["dasar"])), small),
                format_number(int(line["orang_bulan"])),
                format_rupiah(int(line["jumlah"])),
            ]
        )
    table = Table(data, colWidths=[38 * mm, page.frame_w - 38 * mm - 52 * mm, 22 * mm, 30 * mm], repeatRows=1)
    style = _table_style()
    style.add("FONT", (0, -1), (-1, -1), fonts.SANS, 9)  # no total row: the last line is a line like the others
    style.add("BACKGROUND", (0, -1), (-1, -1), colors.white)
    style.add("ALIGN", (0, 1), (0, -1), "LEFT")
    table.setStyle(style)
    story: list[Any] = [Spacer(1, 2 * mm), table]
    if payload.get("pembulatan"):
        story += [Spacer(1, 1 * mm), Paragraph(escape(str(payload["pembulatan"])), small)]
    return story


def _signature(payload: Mapping[str, Any], page: _Page) -> Any:
    """The signature block on the right: place and date, office, name, rank and NIP, kept together."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    sig = payload.get("penandatangan", {})
    lines = [escape(str(payload.get("tempat_tanggal", ""))), escape(f"{sig.get('jabatan', '')},"), "<br/><br/><br/>"]
    lines.append(f"<u><b>{escape(str(sig.get('nama', '')))}</b></u>")
    if sig.get("pangkat"):
        lines.append(escape(str(sig["pangkat"])))
    if sig.get("nip"):
        lines.append(f"NIP. {_nip(str(sig['nip']))}")
    sign = Table(
        [["", Paragraph("<br/>".join(lines), page.styles["normal"])]], colWidths=[page.frame_w - 85 * mm, 85 * mm]
    )
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), fonts.SANS)]))
    return KeepTogether([Spacer(1, 6 * mm), sign])


def render(
    payload: Mapping[str, Any],
    path: Path | str,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the recap to ``path``; returns the page count. Raises ``runtime.work.Cancelled`` when cancelled."""
    rows: Sequence[Mapping[str, Any]] = payload["rows"]
    total_steps = len(rows) * 2 + 2
    step = 0

    def tick() -> None:
        nonlocal step
        check(cancelled, CANCELLED)
        step += 1
        report(progress, step, total_steps)

    fonts.register()
    page = _page()
    doc = _document(payload, path, page)
    story = _opening(payload, page)
    tick()
    story += _coverage_section(payload, page, tick)
    story += _add_section(payload, page, tick)
    story.append(_signature(payload, page))
    tick()
    doc.build(story)
    return int(doc.page)
