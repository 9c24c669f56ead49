"""Benchmark: export 13,000 serving officials to .xlsx, against a bare xlsxwriter write of the same cells.

The bare write gets the rows ready-made (no database query, no status, no formats per kind) and writes them
with ``write`` per cell. Medians of wall and CPU time; the ratio is taken on CPU time (the wall time also holds
the time spent waiting for a CPU while other programs run). Targets: export <= 1.5x bare (issue 4), <= 1.1x (issue 22).
Run: .venv/bin/python bench/bench_export.py [rows]
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
        full: list[tuple[float, float]] = []  # (wall, CPU) of each run
        bare: list[tuple[float, float]] = []
        for i in range(RUNS):
            full.append(_timed(lambda i=i: exports.export_officials(ctx, SYSTEM, folder / f"ekspor{i}.xlsx")))
            bare.append(_timed(lambda i=i: bare_write(folder / f"bare{i}.xlsx", headers, ready)))
        count = len(source)
        ctx.dispose()
    fw, fc = (statistics.median(t[k] for t in full) for k in (0, 1))
    bw, bc = (statistics.median(t[k] for t in bare) for k in (0, 1))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print(f"rows: {count}, columns: {len(headers)}, runs: {RUNS} (medians); load {load} on {os.cpu_count()} CPUs")
    print(f"export_officials (query + status + typed cells, atomic file, audit): {fw * 1000:.0f} ms wall, "
          f"{fc * 1000:.0f} ms CPU")  # fmt: skip
    print(f"bare xlsxwriter write of the same ready-made cells: {bw * 1000:.0f} ms wall, {bc * 1000:.0f} ms CPU")
    print(f"ratio: {fc / bc:.2f}x CPU, {fw / bw:.2f}x wall (target <= 1.1x; the wall ratio moves with the load)")


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


if __name__ == "__main__":
    main()
