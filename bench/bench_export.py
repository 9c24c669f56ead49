"""Benchmark: export 13,000 serving officials to .xlsx, against a bare xlsxwriter write of the same cells.

The bare write gets the rows ready-made (no database query, no status, no formats per kind) and writes them
with ``write`` per cell. Targets: export <= 1.5x bare (issue 4), <= 1.1x (issue 22).
Run: .venv/bin/python bench/bench_export.py [rows]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # this checkout's package, not whichever one is installed

from klaten_desktop.app import open_context  # noqa: E402
from klaten_desktop.domain.enums import OfficeRole  # noqa: E402
from klaten_desktop.runtime.clock import ShiftedClock  # noqa: E402
from klaten_desktop.runtime.paths import AppPaths  # noqa: E402
from klaten_desktop.services import exports, office  # noqa: E402
from klaten_desktop.services.context import SYSTEM, ServiceContext  # noqa: E402
from klaten_desktop.services.demo import populate  # noqa: E402

TODAY = dt.date(2026, 11, 24)
RUNS = 5


def bare_write(path: Path, headers: list[str], rows: list[list[object]]) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Pengurus RT RW")
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    ws.write_row(0, 0, headers)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            else:
                ws.write(r, c, value)
    wb.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 13_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ctx: ServiceContext = open_context(AppPaths(folder / "data"), clock=ShiftedClock.on(TODAY))
        office.init(ctx, SYSTEM, role=OfficeRole.kecamatan, name="Kecamatan Prambanan", kecamatan_kode="33.10.01")
        populate(ctx, SYSTEM, n, with_payments=False)
        columns = [exports.EXPORT_COLUMNS[c] for c in exports.REGISTRY_COLUMNS]
        headers = [c.label for c in columns]
        source = exports.export_rows(ctx)
        ready = [[c.get(i, row) for c in columns] for i, row in enumerate(source, start=1)]
        full, bare = [], []
        for i in range(RUNS):
            start = time.process_time()
            count = exports.export_officials(ctx, SYSTEM, folder / f"ekspor{i}.xlsx")
            full.append(time.process_time() - start)
            start = time.process_time()
            bare_write(folder / f"bare{i}.xlsx", headers, ready)
            bare.append(time.process_time() - start)
        ctx.dispose()
    f, b = statistics.median(full), statistics.median(bare)
    print(f"rows: {count}, columns: {len(headers)}, runs: {RUNS} (CPU time of this process)")
    print(f"export_officials (query + status + typed cells, atomic file): median {f * 1000:.0f} ms")
    print(f"bare xlsxwriter write of the same ready-made cells: median {b * 1000:.0f} ms")
    print(f"ratio: {f / b:.2f}x (target <= 1.1x)")


if __name__ == "__main__":
    main()
