"""Benchmark: import the regency's whole list, 13,000 officials of all 401 desa in one .xlsx, at the regency.

The sheet is what the regency receives when the kecamatan lists are pasted together: a title row, the header,
desa and kecamatan by name (resolved per kecamatan), dates as date cells, RT and RW as numbers. It is imported
into an empty regency (kabupaten) database, with validation.

Compared with the bare libraries doing the same work: a python-calamine read of the sheet plus one Core
executemany insert of the same rows (no header finding, parsing, validation, diff or audit).
Targets (issue 4): import <= 1 s and <= 4x bare; the import is also timed per phase (read, plan = the dry
run, apply = the one write transaction). Then the same list is imported again into the filled database:
unchanged (nothing written), and with every phone number changed (one update per official), as when a list
is sent again after corrections. Run: .venv/bin/python bench/bench_import.py [rows]
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import Table, insert, select

from klaten_desktop.app import open_context
from klaten_desktop.db.models import Office, Official, Wilayah, new_uuid, utcnow
from klaten_desktop.domain.demo_data import generate_demo
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.domain.wilayah import Wilayah as DomainWilayah
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.imports import apply_import, detect_mapping, plan_import, read_workbook

TODAY = dt.date(2026, 11, 24)
RUNS = 5
HEADER = ["No", "NIK", "Nama", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "Alamat", "Desa", "RT", "RW",
          "Jabatan", "Nomor HP", "Awal Masa Jabatan", "Akhir Masa Jabatan", "Nomor SK", "Tanggal SK",
          "Kecamatan"]  # fmt: skip


def make_template(folder: Path) -> Path:
    paths = AppPaths(folder / "template")
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    office.init(ctx, SYSTEM, role=OfficeRole.kabupaten, name="Kabupaten Klaten")
    ctx.dispose()
    return paths.database


def fresh_ctx(template: Path, folder: Path) -> ServiceContext:
    if folder.exists():
        shutil.rmtree(folder)
    paths = AppPaths(folder)
    paths.ensure()
    src, dst = sqlite3.connect(template), sqlite3.connect(paths.database)
    src.backup(dst)
    dst.close()
    src.close()
    return open_context(paths, clock=ShiftedClock.on(TODAY))


def write_sheet(ctx: ServiceContext, path: Path, n: int, *, new_phones: bool = False) -> None:
    import xlsxwriter

    with ctx.read() as session:
        places = [
            DomainWilayah(*r)
            for r in session.execute(select(Wilayah.kode, Wilayah.nama, Wilayah.tingkat, Wilayah.kode_induk))
        ]
    desa = [w for w in places if w.is_desa or w.is_kelurahan]
    names = {w.kode: w.nama for w in places}
    people = generate_demo(desa, n, today=TODAY, seed=7)
    # Excel keeps every text in the shared string table; xlsxwriter's constant_memory mode would write them
    # inline instead, which Excel never does, so the workbook is built in memory the way Excel saves it
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    ws.write_string(0, 0, "DAFTAR KETUA RT/RW KABUPATEN KLATEN")
    ws.write_row(2, 0, HEADER)
    for i, p in enumerate(people, start=1):
        r = i + 2
        ws.write_number(r, 0, i)
        ws.write_string(r, 1, p.nik)
        ws.write_string(r, 2, p.nama)
        ws.write_string(r, 3, p.jenis_kelamin.value)
        ws.write_string(r, 4, p.tempat_lahir or "")
        for c, d in ((5, p.tanggal_lahir), (12, p.term_start), (13, p.term_end), (15, p.sk_tanggal)):
            if d is not None:
                ws.write_datetime(r, c, dt.datetime(d.year, d.month, d.day), date)
        ws.write_string(r, 6, p.alamat or "")
        ws.write_string(r, 7, names[p.desa_kode])
        if p.rt is not None:
            ws.write_number(r, 8, p.rt)
        if p.rw is not None:
            ws.write_number(r, 9, p.rw)
        ws.write_string(r, 10, p.jabatan.label)
        ws.write_string(r, 11, f"0899{i:08d}" if new_phones else p.telepon or "")
        ws.write_string(r, 14, p.sk_nomor or "")
        ws.write_string(r, 16, names[p.desa_kode[:8]])
    wb.close()


PHASES: dict[str, list[float]] = {"read": [], "plan": [], "apply": []}


def full_import(ctx: ServiceContext, path: Path) -> int:
    """Read, dry run (header, parsing, validation, diff) and apply in one transaction, as the GUI does."""
    start = time.perf_counter()
    table = read_workbook(path)
    read = time.perf_counter()
    plan = plan_import(ctx, table, detect_mapping(table))
    planned = time.perf_counter()
    assert plan.rejected == 0, plan.rows[[r.outcome for r in plan.rows].index("rejected")].errors
    created = apply_import(ctx, SYSTEM, plan).created
    applied = time.perf_counter()
    for phase, seconds in (("read", read - start), ("plan", planned - read), ("apply", applied - planned)):
        PHASES[phase].append(seconds)
    return created


def bare_import(ctx: ServiceContext, path: Path) -> int:
    from python_calamine import CalamineWorkbook

    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    with ctx.read() as session:
        office_row = session.get(Office, 1)
        assert office_row is not None
        install = office_row.install_id
    now = utcnow()
    codes = {"Sengon": "33.10.01.2001"}  # the bare path does no resolving: every row in one desa
    rows = []
    for cells in data[3:]:
        rows.append(
            {
                "id": new_uuid(), "row_version": 1, "updated_at": now, "office_code": "33.10.01",
                "origin_install": install, "nik": cells[1], "nama": cells[2], "jenis_kelamin": cells[3],
                "tempat_lahir": cells[4] or None, "tanggal_lahir": cells[5] or None, "alamat": cells[6] or None,
                "desa_kode": codes["Sengon"], "rt": None, "rw": None, "jabatan": "lainnya",
                "telepon": cells[11] or None, "term_start": cells[12] or None, "term_end": cells[13] or None,
                "sk_nomor": cells[14] or None, "sk_tanggal": cells[15] or None, "term_status": "menjabat",
            }
        )  # fmt: skip
    table: Table = Official.__table__  # type: ignore[assignment]
    with ctx.write() as session:
        session.connection().execute(insert(table), rows)
    return len(rows)


def copy_database(ctx: ServiceContext, path: Path) -> None:
    assert ctx.database is not None
    src, dst = sqlite3.connect(ctx.database), sqlite3.connect(path)
    src.backup(dst)
    dst.close()
    src.close()


def timed(fn, template: Path, folder: Path, path: Path) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall seconds, CPU seconds of this process): CPU time is steadier on a busy machine."""
    ctx = fresh_ctx(template, folder)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        fn(ctx, path)
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        ctx.dispose()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 13_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = make_template(folder)
        sheet = folder / "kecamatan.xlsx"
        ctx = fresh_ctx(template, folder / "sheet")
        write_sheet(ctx, sheet, n)
        ctx.dispose()
        full, bare = [], []
        for _ in range(RUNS):
            full.append(timed(full_import, template, folder / "run", sheet))
            bare.append(timed(bare_import, template, folder / "run", sheet))
        phases = {phase: statistics.median(seconds) for phase, seconds in PHASES.items()}
        ctx = fresh_ctx(template, folder / "mem")
        tracemalloc.start()
        created = full_import(ctx, sheet)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # the list sent again: unchanged, then with every phone number changed (13,000 updates)
        imported = folder / "imported.sqlite3"
        copy_database(ctx, imported)
        write_sheet(ctx, changed := folder / "changed.xlsx", n, new_phones=True)
        ctx.dispose()
        again = [timed(full_import, imported, folder / "run", sheet)[0] for _ in range(RUNS)]
        updates = [timed(full_import, imported, folder / "run", changed)[0] for _ in range(RUNS)]
    f, b = statistics.median(w for w, _ in full), statistics.median(w for w, _ in bare)
    fc, bc = statistics.median(c for _, c in full), statistics.median(c for _, c in bare)
    print(f"rows: {n} (created {created}), runs: {RUNS}")
    print(f"import with validation: median {f * 1000:.0f} ms wall, {fc * 1000:.0f} ms CPU (target <= 1000 ms)")
    print("  phases (median wall): " + ", ".join(f"{phase} {s * 1000:.0f} ms" for phase, s in phases.items()))
    print(f"bare calamine read + Core insert: median {b * 1000:.0f} ms wall, {bc * 1000:.0f} ms CPU")
    print(f"ratio: {f / b:.2f}x wall, {fc / bc:.2f}x CPU (target <= 4x)")
    print(f"peak Python memory during import (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"the same list again (all unchanged): median {statistics.median(again) * 1000:.0f} ms wall")
    print(f"the list again with every phone changed ({n} updates): median {statistics.median(updates) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
