"""The daftar hadir read back: names, jabatan, desa, the alternating signature column, repeated header."""

from __future__ import annotations

from pathlib import Path

import pytest

from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import events
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.errors import UserError
from tests.conftest import SENGON
from tests.events.conftest import EVENT_TITLE, EventSetup


def _lines(path: Path) -> list[str]:
    """Page texts with the table's cells on one line each row (pdfplumber keeps the layout)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _words(path: Path, page: int) -> list[dict[str, object]]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return list(pdf.pages[page].extract_words())


def test_whole_event_sheet(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id)
    events.add_guest(ctx, SYSTEM, ev.event.id, nama="Contoh Tamu Undangan", peran="Kepala Desa", asal="Desa Sengon")
    rows = events.participants(ctx, ev.event.id)
    out = tmp_path / "hadir.pdf"
    result = events.print_attendance_sheet(ctx, ev.event.id, out=out)
    pages = _lines(out)
    assert result.pages == len(pages) > 1 and result.participants == len(rows)
    first = pages[0]
    assert "PEMERINTAH KABUPATEN KLATEN" in first and "KECAMATAN PRAMBANAN" in first and "DAFTAR HADIR" in first
    assert EVENT_TITLE in first and "Rabu, 9 Desember 2026" in first and "09.00–12.00 WIB" in first
    assert "Pendopo Kecamatan Prambanan" in first
    for page_text in pages:  # the header row on every page
        assert "No Nama Jabatan Desa Tanda tangan" in page_text
    text = "\n".join(pages)
    sample = rows[0]
    assert f"1. {sample.nama} {sample.jabatan} {sample.desa_nama}" in text
    assert f"Halaman {len(pages)} dari {len(pages)}" in pages[-1]
    assert f"Jumlah peserta: {len(rows)} orang" in pages[-1] and "Contoh Tamu Undangan Kepala Desa Desa Sengon" in text
    # the signature column alternates: odd numbers at its left edge, even numbers further right
    words = _words(out, 0)
    header = next(w for w in words if w["text"] == "Desa")  # the column before the signatures
    marks = {str(w["text"]): float(w["x0"]) for w in words if str(w["text"]).rstrip(".").isdigit()
             and float(w["x0"]) > float(header["x0"]) + 30}  # fmt: skip
    odd, even = marks["1."], marks["2."]
    assert even - odd > 40 and marks["3."] == odd and marks["4."] == even


def test_per_desa_and_one_desa_and_f4(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id, jabatan=["ketua_rw"])
    rows = events.participants(ctx, ev.event.id)
    desa = sorted({p.desa_nama for p in rows})
    out = tmp_path / "per-desa.pdf"
    events.print_attendance_sheet(ctx, ev.event.id, out=out, per_desa=True)
    pages = _lines(out)
    with_kop = [p for p in pages if "DAFTAR HADIR" in p]
    assert len(with_kop) == len(desa)
    assert sorted(p.split("Peserta : ")[1].split("\n")[0].removeprefix("Desa ") for p in with_kop) == desa
    for p in with_kop:  # numbering starts again for every desa
        assert "\n1. " in p
    one = tmp_path / "sengon.pdf"
    result = events.print_attendance_sheet(ctx, ev.event.id, out=one, desa_kode=SENGON, paper="F4")
    text = "\n".join(_lines(one))
    assert result.participants == sum(1 for p in rows if p.desa_kode == SENGON)
    assert all(p.nama in text for p in rows if p.desa_kode == SENGON)
    from pypdf import PdfReader

    box = PdfReader(str(one)).pages[0].mediabox
    assert round(float(box.width)) == 609 and round(float(box.height)) == 935  # F4, 215 x 330 mm


def test_empty_list_is_refused(ev: EventSetup, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="Belum ada peserta"):
        events.print_attendance_sheet(ev.ctx, ev.event.id, out=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_cancelled_sheet_leaves_no_file(ev: EventSetup, tmp_path: Path) -> None:
    events.add_from_registry(ev.ctx, SYSTEM, ev.event.id)
    folder = tmp_path / "keluar"
    folder.mkdir()
    asked: list[int] = []

    def cancelled() -> bool:  # the person presses Batal while the second page is drawn
        asked.append(1)
        return len(asked) >= 2

    pages: list[tuple[int, int]] = []
    with pytest.raises(Cancelled, match=r"^Pembuatan daftar hadir dibatalkan\.$"):
        events.print_attendance_sheet(
            ev.ctx,
            ev.event.id,
            out=folder / "hadir.pdf",
            progress=lambda d, t: pages.append((d, t)),
            cancelled=cancelled,
        )
    assert pages == [(1, pages[0][1])] and pages[0][1] > 1
    assert list(folder.iterdir()) == []
