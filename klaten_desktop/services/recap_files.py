"""The coverage recap written to a file, for the Beranda and the command line alike: a PDF drawn by the recap
renderer the services are handed (``ctx.renderers.recap``), or an Excel workbook (xlsxwriter) with counts as
numbers, coverage as real percentage cells and Rupiah as numbers with a Rupiah format. Either is written
atomically: nothing half-written is left behind, also after a cancel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from klaten_desktop.domain.formatting import format_date
from klaten_desktop.runtime.work import CancelCheck, Progress, check
from klaten_desktop.services import exports
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.files import new_workbook, write_atomically
from klaten_desktop.services.recap import RecapData, RecapRow
from klaten_desktop.services.renderers import required

SUFFIXES = (".pdf", ".xlsx")
CANCELLED = "Rekap cakupan dibatalkan; berkas tidak dibuat."

STATUS_HEADERS = {
    "aktif": "Aktif",
    "menunggak": "Menunggak",
    "nonaktif": "Nonaktif",
    "diajukan": "Diajukan",
    "belum_terdaftar": "Belum terdaftar",
    "berakhir": "Berakhir",
}
ORDER = ("aktif", "menunggak", "nonaktif", "diajukan", "belum_terdaftar", "berakhir")


def check_target(target: Path) -> None:
    """Refuse a file name the recap cannot be written as (before any work starts)."""
    if target.suffix.lower() not in SUFFIXES:
        raise UserError("Berkas keluaran harus berakhiran .pdf atau .xlsx.")


def write_recap(
    ctx: ServiceContext,
    actor: Actor,
    data: RecapData,
    target: Path,
    *,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> Path:
    """Write the recap as PDF or Excel, chosen by the file extension; ``runtime.work.Cancelled`` when cancelled.
    A report: every role may print it (``Permission.reports``)."""
    require(actor, Permission.reports)
    check_target(target)
    check(cancelled, CANCELLED)
    if target.suffix.lower() == ".xlsx":
        write_xlsx(data, target)
    else:
        render = required(ctx.renderers.recap, "recap")
        payload = data.payload()
        write_atomically(target, lambda temp: render(payload, temp, progress=progress, cancelled=cancelled))
    exports.record_export(ctx, actor, "rekap", target, len(data.rows))
    return target


def write_xlsx(data: RecapData, target: Path | str) -> Path:
    """Write the recap to ``target`` (.xlsx); raises EnvironmentProblem when the file cannot be written."""
    target = Path(target)
    write_atomically(target, lambda temp: _write(data, temp))
    return target


def _write(data: RecapData, path: Path) -> None:
    wb: Any = new_workbook(path)
    title = wb.add_format({"bold": True, "font_size": 13})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "vcenter"})
    cell = wb.add_format({"border": 1})
    num = wb.add_format({"border": 1, "num_format": "#,##0"})
    pct = wb.add_format({"border": 1, "num_format": "0.0%"})
    rp = wb.add_format({"border": 1, "num_format": '"Rp" #,##0'})
    tcell = wb.add_format({"border": 1, "bold": True})
    tnum = wb.add_format({"border": 1, "bold": True, "num_format": "#,##0"})
    tpct = wb.add_format({"border": 1, "bold": True, "num_format": "0.0%"})
    trp = wb.add_format({"border": 1, "bold": True, "num_format": '"Rp" #,##0'})

    payload = data.payload()
    area_label = payload["kolom_wilayah"]

    ws = wb.add_worksheet("Rekap cakupan")
    ws.write(0, 0, payload["judul"], title)
    ws.write(1, 0, f"{payload['wilayah']} per {format_date(data.as_of)}", bold)
    headers = ["No", "Kode", area_label, "Pengurus", *(STATUS_HEADERS[s] for s in ORDER), "Cakupan"]
    ws.write_row(3, 0, headers, head)
    ws.set_row(3, 30)
    widths = [5, 15, 24, 10, 9, 11, 9, 9, 10, 9, 9]
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)

    def counts_row(r: int, n: int | str, row: RecapRow, fmt: tuple[Any, Any, Any]) -> None:
        c, nf, pf = fmt
        ws.write(r, 0, n, c if isinstance(n, str) else nf)
        ws.write_string(r, 1, row.kode, c)
        ws.write_string(r, 2, row.nama, c)
        ws.write_number(r, 3, row.counts.pengurus, nf)
        for i, s in enumerate(ORDER):
            ws.write_number(r, 4 + i, row.counts.get(s), nf)
        ws.write_number(r, 10, row.counts.cakupan_persen / 100.0, pf)

    r = 4
    for n, row in enumerate(data.rows, start=1):
        counts_row(r, n, row, (cell, num, pct))
        r += 1
    counts_row(r, "", data.total, (tcell, tnum, tpct))
    ws.write_string(r, 2, "Jumlah", tcell)
    r += 2
    ws.write(r, 0, "Cakupan = aktif / (pengurus - berakhir).")
    ws.freeze_panes(4, 3)

    ws2 = wb.add_worksheet("Iuran ADD")
    ws2.write(0, 0, f"Iuran yang dibayar dari ADD, periode {data.period_label}", title)
    ws2.write(1, 0, "Jumlah iuran setiap bulan terdaftar dalam periode, untuk kepesertaan aktif yang didanai ADD.")
    ws2.write_row(3, 0, ["No", "Kode", area_label, "Peserta ADD", "Iuran periode (Rp)"], head)
    for col, width in enumerate((5, 15, 24, 12, 18)):
        ws2.set_column(col, col, width)
    r = 4
    for n, row in enumerate(data.rows, start=1):
        ws2.write_number(r, 0, n, num)
        ws2.write_string(r, 1, row.kode, cell)
        ws2.write_string(r, 2, row.nama, cell)
        ws2.write_number(r, 3, row.add_peserta, num)
        ws2.write_number(r, 4, row.add_iuran, rp)
        r += 1
    ws2.write_string(r, 0, "", tcell)
    ws2.write_string(r, 1, "", tcell)
    ws2.write_string(r, 2, "Jumlah", tcell)
    ws2.write_number(r, 3, data.total.add_peserta, tnum)
    ws2.write_number(r, 4, data.total.add_iuran, trp)
    r += 2
    ws2.write_row(r, 0, ["Bulan", "Dasar iuran per orang per bulan", "", "Orang-bulan", "Jumlah (Rp)"], head)
    for run in data.bases:  # the same figures as the amounts (services/recap.py)
        r += 1
        ws2.write_string(r, 0, run.period, cell)
        ws2.write_string(r, 1, run.basis, cell)
        ws2.write_number(r, 3, run.person_months, num)
        ws2.write_number(r, 4, run.amount, rp)
    wb.close()
