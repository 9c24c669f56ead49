"""Fixtures for the Impor/Ekspor screen: real widgets on the real SQLite file of ``ctx``; dialogs recorded.

Every spreadsheet is built inside the tests with xlsxwriter; the people in it are synthetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from klaten_desktop.gui.kit import tasks
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.imports import apply_import, detect_mapping, plan_import, read_workbook
from tests.conftest import Shown

SENGON = "33.10.01.2001"  # a desa of Prambanan (the ``ctx`` office)
HEADER = ["NO", "NAMA LENGKAP", "N I K", "L/P", "RT/RW", "Jabatan"]


def nik(day: int, month: int, year: int, serial: int = 1, *, female: bool = False) -> str:
    """A synthetic, well-formed NIK of Kecamatan Prambanan."""
    return f"331001{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"


NIK_A = nik(12, 5, 1970)  # on file, same again -> tidak berubah
NIK_B = nik(17, 8, 1968, female=True)  # on file, new phone number -> diperbarui once the phone column is mapped
NIK_C = nik(3, 3, 1965)  # new
NIK_D = nik(5, 3, 1975)  # new
PHONE_B_OLD = "081211112222"
PHONE_B_NEW = "081299990000"


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, merges: Sequence[tuple[int, int, str]] = ()) -> Path:
    """Cells as typed: str as text, numbers as numbers (a NIK typed as a number loses its 16th digit)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet("Data RT RW")
    bold = wb.add_format({"bold": True, "align": "center"})
    for row, last_col, text in merges:
        ws.merge_range(row, 0, row, last_col, text, bold)
    merged = {m[0] for m in merges}
    for r, cells in enumerate(rows):
        if r in merged:
            continue
        for c, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, int | float):
                ws.write_number(r, c, value)
            else:
                ws.write_string(r, c, str(value))
    wb.close()
    return path


def messy_rows() -> list[list[object]]:
    """Title rows, a header with synonyms, a row of column numbers, five people, a total and a signature."""
    return [
        [None],  # merged title
        [None],  # merged subtitle
        [],
        [*HEADER, "Keterangan"],  # the phone numbers sit under "Keterangan": not recognised
        [1, 2, 3, 4, 5, 6, 7],
        [1, "SUMARNO", NIK_A, "L", "001/002", "Ketua RT", "081234567890"],
        [2, "sri wahyuni", NIK_B, "Perempuan", "RT 02 / RW 02", "KETUA RT", "0812-9999-0000"],
        [3, "Bambang Wibowo", NIK_C, "LK", "3/2", "Ketua RT", None],
        [4, "Tri Hartono", NIK_D, "Laki-laki", "004/002", "Ka. RT", "81234567893"],
        [5, "Suparmi", 3310014506820001, "P", "005/002", "Ketua RT", None],  # NIK typed as a number
        ["JUMLAH", None, None, None, None, "4 orang"],
        [],
        [None, None, None, None, None, "Kepala Desa Sengon"],
        [],
        [None, None, None, None, None, "SUPARNO, S.H."],
    ]


@pytest.fixture
def messy_file(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "RT RW Sengon 2026.xlsx",
        messy_rows(),
        merges=[(0, 6, "DAFTAR KETUA RT/RW DESA SENGON"), (1, 6, "KECAMATAN PRAMBANAN TAHUN 2026")],
    )


@pytest.fixture
def on_file(ctx: ServiceContext, tmp_path: Path) -> ServiceContext:
    """Two Sengon officials already recorded (through an earlier import of a clean file)."""
    path = write_xlsx(
        tmp_path / "earlier.xlsx",
        [
            [*HEADER, "No. HP"],
            [1, "Sumarno", NIK_A, "L", "001/002", "Ketua RT", "081234567890"],
            [2, "Sri Wahyuni", NIK_B, "P", "002/002", "Ketua RT", PHONE_B_OLD],
        ],
    )
    table = read_workbook(path)
    result = apply_import(ctx, SYSTEM, plan_import(ctx, table, detect_mapping(table), desa_kode=SENGON))
    assert result.created == 2
    return ctx


@pytest.fixture
def io_ctx(ctx: ServiceContext, shown: Shown) -> Iterator[ServiceContext]:
    """The Prambanan office; background work is waited for at teardown; no crash may have been shown."""
    yield ctx
    tasks.wait_all()
    store_for(ctx).wait()
    assert shown.crash == []


def read_back(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return [list(r) for r in book.get_sheet_by_index(0).to_python()]


@pytest.fixture
def xlsx_rows() -> Callable[[Path], list[list[object]]]:
    return read_back


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform (no window manager) warns on every size-constrained top-level window, and on every
    # popup list it opens (a combo box's list raises itself and grabs the keyboard).
    for item in items:
        if "tests/gui/import_export/" in str(item.path).replace("\\", "/"):
            item.add_marker(
                pytest.mark.qt_log_ignore(
                    "This plugin does not support propagateSizeHints",
                    r"This plugin does not support raise\(\)",
                    "This plugin does not support grabbing the keyboard",
                )
            )
