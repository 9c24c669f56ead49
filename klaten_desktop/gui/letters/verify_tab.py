"""Tab "Verifikasi": type a short code or scan the QR (a USB scanner types it and Enter); the full content."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from klaten_desktop.domain.formatting import format_date, format_rupiah
from klaten_desktop.gui.letters import common
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.documents import verify
from klaten_desktop.services.documents.verify import LetterContent, VerificationResult

OK_STYLE = "background:#e8f5e9; color:#1b5e20; border:1px solid #66bb6a; padding:10px; font-size:15px;"
BAD_STYLE = "background:#fdecea; color:#8e1c1c; border:1px solid #e57373; padding:10px; font-size:15px;"


def _row(label: str, value: str) -> str:
    return f"<tr><td style='padding:2px 12px 2px 0; color:#555'>{html.escape(label)}</td><td>{value}</td></tr>"


def _hidden(label: object) -> bool:
    return "lahir" in str(label).lower()


def _table_html(columns: list[Any], rows: list[list[Any]], total: list[Any] | None = None) -> str:
    keep = [i for i, c in enumerate(columns) if not _hidden(c)]
    e = html.escape
    head = "".join(f"<th style='padding:2px 6px; background:#eee'>{e(str(columns[i]))}</th>" for i in keep)
    body = []
    for row in [*rows, *([total] if total else [])]:
        cells = "".join(
            f"<td style='padding:2px 6px'>{e(common.mask_numbers(str(row[i])))}</td>" for i in keep if i < len(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table border='1' cellspacing='0' style='border-collapse:collapse'><tr>{head}</tr>{''.join(body)}</table>"


def _body_html(payload: dict[str, Any]) -> str:
    """The letter's body, fields, tables and lampiran; NIK/KPJ masked, birth dates left out."""
    e = html.escape
    out: list[str] = []
    for block in payload.get("body", []):
        kind = block.get("type")
        if kind == "p":
            out.append(f"<p style='margin:4px 0'>{e(common.mask_numbers(str(block.get('text', ''))))}</p>")
        elif kind == "fields":
            rows = [_row(str(a), e(common.mask_numbers(str(b)))) for a, b in block.get("rows", []) if not _hidden(a)]
            out.append(f"<table style='margin-left:24px'>{''.join(rows)}</table>")
        elif kind == "table":
            out.append(_table_html(block.get("columns", []), block.get("rows", []), block.get("total")))
    attachment = payload.get("attachment")
    if attachment:
        out.append(f"<h3>{e(str(attachment.get('title', 'Lampiran')))}</h3>")
        out.append(_table_html(attachment.get("columns", []), attachment.get("rows", [])))
    return "".join(out)


def content_html(c: LetterContent, source: str) -> str:
    """The letter's content as the verification screen shows it: NIK and KPJ masked."""
    e = html.escape
    rows = [
        _row("Nomor surat", f"<b>{e(c.nomor)}</b>"),
        _row("Tanggal", e(format_date(c.tanggal))),
        _row("Jenis", e(c.jenis_label)),
        _row("Kantor penerbit", e(f"{c.kantor} ({c.office_code})")),
        _row("Hal", e(c.hal) or "—"),
        _row("Kepada", "<br>".join(e(p) for p in c.penerima) or "—"),
        _row("Jumlah pengurus", str(c.jumlah_subjek)),
        _row("Kode verifikasi", e(c.kode_verifikasi)),
        _row("Status nomor", e(c.status)),
    ]
    if c.print_count is not None:
        rows.append(_row("Dicetak", f"{c.print_count} kali"))
    for s in c.subjek:
        rows.append(_row("Pengurus", e(" · ".join(common.mask_numbers(v) for v in s))))
    payload = c.payload or {}
    if payload.get("total_iuran"):
        rows.append(_row("Total iuran", e(format_rupiah(int(payload["total_iuran"])))))
    signature = payload.get("signature") or {}
    if signature.get("nama"):
        who = ", ".join(v for v in (signature.get("jabatan"), signature.get("nama")) if v)
        rows.append(_row("Penanda tangan", e(who)))
    parts = [f"<table>{''.join(rows)}</table>", "<h3>Isi surat</h3>", _body_html(payload) if payload else ""]
    if not payload:
        parts[1] = "<p>Isi lengkap surat tersimpan di kantor penerbit; yang tampil adalah data bertanda tangan.</p>"
    source_text = "arsip kantor ini" if source == "arsip" else "data bertanda tangan dalam kode QR"
    note = "NIK dan nomor KPJ ditampilkan tersamar; tanggal lahir tidak ditampilkan."
    parts.append(f"<p style='color:#555'>Sumber: {e(source_text)}. {note}</p>")
    return "".join(parts)


class VerifyTab(QWidget):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.result: VerificationResult | None = None
        self.code = QLineEdit()
        self.code.setPlaceholderText("Ketik kode verifikasi (mis. K7Q2-9MXD-4T) atau pindai kode QR surat")
        self.code.setClearButtonEnabled(True)
        self.code.returnPressed.connect(self.check)
        label = QLabel("&Kode:")
        label.setBuddy(self.code)
        self.check_button = QPushButton("&Periksa")
        self.check_button.clicked.connect(self.check)
        self.banner = QLabel("Ketik kode verifikasi atau pindai kode QR surat, lalu tekan Enter.")
        self.banner.setWordWrap(True)
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.code, 1)
        top.addWidget(self.check_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.details, 1)

    def refresh(self) -> None:
        self.code.setFocus()

    def check(self) -> None:
        result = verify.check(self._ctx, self.code.text())
        self.result = result
        mark = "✔ SAH" if result.ok else "✘ TIDAK SAH"
        self.banner.setText(f"<b>{mark}</b> – {html.escape(result.reason)}")
        self.banner.setStyleSheet(OK_STYLE if result.ok else BAD_STYLE)
        if result.content is not None:
            self.details.setHtml(content_html(result.content, result.source))
        else:
            self.details.setHtml("<p style='color:#555'>Tidak ada surat yang cocok dengan kode ini.</p>")
        self.code.selectAll()
