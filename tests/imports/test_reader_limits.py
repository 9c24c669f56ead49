"""The import reader's limits: a file past the row or size limit is refused with an Indonesian message, before its
rows become Python objects (the limits are lowered through the ``limits`` parameter to keep the files small)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports import read_workbook
from klaten_desktop.services.imports.reader import LIMITS, ReadLimits

HEADER = ["No", "NIK", "Nama", "RT", "RW", "Jabatan"]


def _row(n: int) -> list[object]:
    return [n, f"33100101018{n:05d}", f"Warga Nomor {n}", 1, 2, "Ketua RT"]


def _xlsx(path: Path, count: int, *, stray_at: int | None = None) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, HEADER)
    for n in range(1, count + 1):
        ws.write_row(n, 0, _row(n))
    if stray_at is not None:
        ws.write(stray_at, 0, "catatan")
    wb.close()
    return path


def _csv(path: Path, count: int, *, blank_tail: int = 0) -> Path:
    lines = [";".join(HEADER)] + [";".join(map(str, _row(n))) for n in range(1, count + 1)] + [";;;;;"] * blank_tail
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LOW = ReadLimits(max_bytes=LIMITS.max_bytes, max_rows=50)


@pytest.mark.parametrize("make", [_xlsx, _csv], ids=["xlsx", "csv"])
def test_a_file_within_the_row_limit_is_read_whole(tmp_path: Path, make: object) -> None:
    path = make(tmp_path / f"daftar.{make.__name__[1:]}", LOW.max_rows)  # type: ignore[operator]
    table = read_workbook(path, limits=LOW)
    assert table.rows[-1][2] == f"Warga Nomor {LOW.max_rows}"


@pytest.mark.parametrize("make", [_xlsx, _csv], ids=["xlsx", "csv"])
def test_a_file_past_the_row_limit_is_refused(tmp_path: Path, make: object) -> None:
    path = make(tmp_path / f"daftar.{make.__name__[1:]}", LOW.max_rows + 50)  # type: ignore[operator]
    with pytest.raises(UserError, match="lebih dari 50 baris data; paling banyak 50 baris") as info:
        read_workbook(path, limits=LOW)
    assert "Pecah daftarnya" in info.value.message


def test_a_value_far_below_the_table_counts_as_a_row(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "daftar.xlsx", 10, stray_at=5000)
    with pytest.raises(UserError, match="lebih dari 50 baris data"):
        read_workbook(path, limits=LOW)


def test_blank_csv_lines_after_the_limit_do_not_count(tmp_path: Path) -> None:
    table = read_workbook(_csv(tmp_path / "daftar.csv", 40, blank_tail=200), limits=LOW)
    assert table.rows[40][2] == "Warga Nomor 40"


@pytest.mark.parametrize("make", [_xlsx, _csv], ids=["xlsx", "csv"])
def test_a_file_past_the_size_limit_is_refused_unread(tmp_path: Path, make: object) -> None:
    path = make(tmp_path / f"daftar.{make.__name__[1:]}", 200)  # type: ignore[operator]
    small = ReadLimits(max_bytes=path.stat().st_size - 1, max_rows=LIMITS.max_rows)
    with pytest.raises(UserError, match="terlalu besar"):
        read_workbook(path, limits=small)


def test_a_refused_sheet_is_not_turned_into_python_rows(tmp_path: Path) -> None:
    """Memory: refusing a 20,000-row sheet takes a small part of what reading it takes (Python allocations)."""
    path = _xlsx(tmp_path / "besar.xlsx", 20_000)

    def peak(limits: ReadLimits) -> int:
        tracemalloc.start()
        try:
            try:
                read_workbook(path, limits=limits)
            except UserError:
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert peak(LOW) * 10 < peak(LIMITS)


def test_the_documented_limits_are_the_code_s() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import-format.md").read_text(encoding="utf-8")
    assert f"{LIMITS.max_bytes // (1024 * 1024)} MB" in doc
    assert f"{LIMITS.max_rows:,}".replace(",", ".") + " baris data" in doc
