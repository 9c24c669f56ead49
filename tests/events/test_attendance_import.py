"""Attendance imported from the signed attendance list spreadsheet, with the importer's tolerant reading."""

from __future__ import annotations

from pathlib import Path

import pytest

from klaten_desktop.services import events, officials
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.errors import UserError
from tests.conftest import SENGON
from tests.events.conftest import EventSetup


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Daftar Hadir")
    text = book.add_format({"num_format": "@"})
    sheet.write(0, 0, "DAFTAR HADIR SOSIALISASI BPJS KETENAGAKERJAAN")
    sheet.write(1, 0, "Kecamatan Prambanan, 9 Desember 2026")
    for col, title in enumerate(header):
        sheet.write(3, col, title)
    for r, row in enumerate(rows, start=4):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(r, col, value, text)
            elif value is not None:
                sheet.write(r, col, value)
    sheet.write(4 + len(rows) + 1, 1, "Mengetahui,")
    sheet.write(4 + len(rows) + 2, 1, "Camat Prambanan")
    book.close()


def test_import_matches_by_nik_and_by_name_and_desa(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON)
    listed = events.participants(ctx, ev.event.id)
    assert len(listed) >= 4
    by_nik, by_name, absent, untouched = listed[0], listed[1], listed[2], listed[3]
    walk_in = next(r for r in officials.list_rows(ctx) if r.desa_kode != SENGON and r.term_status == "menjabat")
    path = tmp_path / "hadir.xlsx"
    _write_xlsx(
        path,
        ["No", "Nama Lengkap", "N I K", "Desa", "Tanda Tangan"],
        [
            [1, by_nik.nama.upper(), by_nik.nik, "Sengon", "ttd"],
            [2, by_name.nama, None, "Ds. Sengon", "ttd"],
            [3, absent.nama, absent.nik, "Sengon", None],
            [4, walk_in.nama, walk_in.nik, walk_in.desa_nama, "v"],
            [5, "Contoh Orang Tidak Dikenal", None, "Sengon", "ttd"],
        ],
    )
    result = events.import_attendance(ctx, SYSTEM, ev.event.id, path)
    assert (result.rows, result.marked, result.added, result.absent, result.already) == (5, 2, 1, 1, 0)
    assert result.not_found == ("baris 9: Contoh Orang Tidak Dikenal (Sengon)",)
    attended = {p.official_id for p in events.participants(ctx, ev.event.id, attended_only=True)}
    assert attended == {by_nik.official_id, by_name.official_id, walk_in.id}
    assert untouched.official_id not in attended and absent.official_id not in attended


def test_import_without_presence_column_takes_every_row_as_present(ev: EventSetup, tmp_path: Path) -> None:
    ctx = ev.ctx
    events.add_from_registry(ctx, SYSTEM, ev.event.id, desa_kode=SENGON, jabatan=["ketua_rw"])
    listed = events.participants(ctx, ev.event.id)
    path = tmp_path / "hadir.csv"
    lines = ["NO;NAMA;NIK;KET"] + [f"{i};{p.nama};'{p.nik};" for i, p in enumerate(listed, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = events.import_attendance(ctx, SYSTEM, ev.event.id, path)
    assert result.marked == len(listed) and result.not_found == ()
    assert events.get(ctx, ev.event.id).attended == len(listed)


def test_import_of_a_sheet_without_names_is_refused(ev: EventSetup, tmp_path: Path) -> None:
    path = tmp_path / "kosong.csv"
    path.write_text("Tanggal;Jumlah\n9-12-2026;5\n", encoding="utf-8")
    with pytest.raises(UserError):
        events.import_attendance(ev.ctx, SYSTEM, ev.event.id, path)
