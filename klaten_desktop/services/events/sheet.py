"""The attendance sheet (daftar hadir): its data, and the printed PDF (drawn by the attendance renderer the
services are handed, ``ctx.renderers.attendance``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.events.common import (
    current_office,
    kecamatan_of,
)
from klaten_desktop.services.events.participants import (
    participants,
)
from klaten_desktop.services.events.schedule import get
from klaten_desktop.services.renderers import required


def attendance_sheet(
    ctx: ServiceContext,
    event_id: str,
    *,
    desa_kode: str | None = None,
    per_desa: bool = False,
    paper: str | None = None,
) -> dict[str, Any]:
    """The daftar hadir as plain data for the attendance renderer (``services/renderers.py``).

    The whole event in one numbered list, or only ``desa_kode``; with ``per_desa`` every desa (and the guests)
    gets its own pages and numbering, so each desa's sheet can be handed round separately.
    """
    if paper is not None and paper not in ("A4", "F4"):
        raise UserError("Ukuran kertas harus A4 atau F4.", field="paper")
    from klaten_desktop.services.documents import letterhead

    event = get(ctx, event_id)
    rows = participants(ctx, event_id, desa_kode=desa_kode)
    if not rows:
        where = " untuk desa itu" if desa_kode else ""
        raise UserError(f"Belum ada peserta{where}; tambahkan peserta terlebih dahulu.")
    with ctx.read() as session:
        office = current_office(session)
        kec = kecamatan_of(session, office)
        settings = letterhead.load(session)
        logo = letterhead.images(session, {settings.logo}) if settings.logo else {}
        office_name, address, phone, email = office.name, office.address, office.phone, office.email
    sections: list[dict[str, Any]] = []
    for p in rows:
        title = "Tamu undangan" if p.is_guest else f"Desa {p.desa_nama}"
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "rows": []})
        sections[-1]["rows"].append([p.nama, p.jabatan, p.desa_nama])
    contact = ", ".join(x for x in (f"Telepon {phone}" if phone else "", f"Pos-el {email}" if email else "") if x)
    return {
        "kop": {
            "instansi": "PEMERINTAH KABUPATEN KLATEN",
            "unit": f"KECAMATAN {kec.upper()}" if kec else office_name.upper(),
            "lines": [line for line in (address or "", contact) if line],
        },
        "logo": next(iter(logo.values()), None),
        "title": "DAFTAR HADIR",
        "event": event.title,
        "hari_tanggal": f"{weekday_name(event.starts_at.date())}, {event.date_label}",
        "waktu": event.time_label,
        "tempat": event.place,
        "penyelenggara": event.organiser or office_name,
        "paper": paper or settings.kertas,
        "sections": sections,
        "per_desa": per_desa,
        "kantor": office_name,
        "dibuat": ctx.now().isoformat(timespec="seconds"),
    }


_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def weekday_name(d: dt.date) -> str:
    return _DAYS[d.weekday()]


@dataclass(frozen=True)
class SheetResult:
    path: Path
    pages: int
    participants: int


def print_attendance_sheet(
    ctx: ServiceContext,
    event_id: str,
    *,
    out: Path,
    desa_kode: str | None = None,
    per_desa: bool = False,
    paper: str | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> SheetResult:
    """Draw the daftar hadir and write it to ``out`` (temporary file, then one rename); a cancel raises
    ``runtime.work.Cancelled`` and leaves no file."""
    from klaten_desktop.services.files import write_bytes

    sheet = attendance_sheet(ctx, event_id, desa_kode=desa_kode, per_desa=per_desa, paper=paper)
    render = required(ctx.renderers.attendance, "attendance sheet")
    rendered = render(sheet, progress=progress, cancelled=cancelled)
    write_bytes(out, rendered.pdf)
    return SheetResult(Path(out), rendered.pages, sum(len(s["rows"]) for s in sheet["sections"]))
