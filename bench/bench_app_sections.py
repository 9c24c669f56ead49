"""Click through every section of the app on 100,000 officials (synthetic demo data, the regency office).

    .venv/bin/python bench/bench_app_sections.py [--data DIR] [--runs 5] [--skip-startup] [--skip-tables]

Prints medians (and, for start-up, the ratio against a bare PySide6 window in a process that imports the same
third-party libraries, both measured in the same run, interleaved):
- start-up: from spawning Python to the main window's first paint (bench_gui.py's children);
- for each section, in navigation order, as a user clicks it after the window opened: the time from the click
  to a painted, usable screen: the section built, its own background load finished (Beranda's figures and
  worklist counts, the officials list in the sections that show it, a section's running task) and a paint of
  the page done (``grab``);
- the officials section opened at once after the first paint, before the background load of the list
  finished: the time to a painted table with rows in it;
- a search keystroke and a sort on the shown officials table beside plain Python doing the same filter/sort, and
  the resident memory with 100,000 officials in both tables, searched and sorted (bench_gui.py's figures);
- the start-up check of the file (``PRAGMA quick_check``), which now runs beside the window.
The 100,000-official database is built once (a few minutes) in ``--data`` (default: the same cache folder as
bench_gui.py) and reused afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_gui  # noqa: E402 - the shared data folder and the start-up children

OFFICIALS = "Pengurus RT/RW"


def _wait(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.perf_counter() + timeout_s
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("layar tidak siap dalam waktu yang ditentukan")
        QCoreApplication.processEvents()
        time.sleep(0.001)


def _usable(page: object, store: object) -> Callable[[], bool]:
    """When a section's screen can be used: its own background work has ended and its data is shown."""

    def ready() -> bool:
        is_loading = getattr(page, "is_loading", None)
        if is_loading is not None and is_loading():
            return False
        worklist_loading = getattr(page, "is_worklist_loading", None)
        if worklist_loading is not None and worklist_loading():
            return False
        tasks = getattr(page, "tasks", None)
        if tasks is not None and tasks.busy:
            return False
        browser = getattr(page, "browser", None)
        if browser is not None:
            return not store.is_loading() and browser.model.rowCount() > 0
        return True

    return ready


def bench_start_check(data: Path) -> float:
    """The start-up check of the file (services/start_check.quick_damage): what the window used to wait for."""
    from klaten_desktop.app import open_context
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.services.start_check import quick_damage

    ctx = open_context(AppPaths(data))
    try:
        t0 = time.perf_counter()
        quick_damage(ctx)
        return (time.perf_counter() - t0) * 1000
    finally:
        ctx.dispose()


def bench_sections(data: Path, runs: int, *, tables: bool) -> tuple[dict[str, float], float, dict[str, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from klaten_desktop.app import open_context
    from klaten_desktop.gui.application import build_main_window, make_app
    from klaten_desktop.gui.kit import ui_settings
    from klaten_desktop.gui.kit.workers import wait_kept
    from klaten_desktop.gui.officials.store import store_for
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.services.context import SYSTEM

    make_app()
    settings = Path(tempfile.mkdtemp(prefix="klaten-bench-sections-")) / "tampilan.ini"
    paths = AppPaths(data)
    ctx = open_context(paths)
    store = store_for(ctx)
    times: dict[str, list[float]] = {}
    cold: list[float] = []

    def fresh_window() -> object:
        wait_kept(60)
        QCoreApplication.processEvents()
        store._rows = None  # a fresh start: the list loads after the first paint, as at start-up
        window = build_main_window(paths, ctx, SYSTEM)
        ui_settings.install(settings)
        window.resize(1366, 768)
        window.show()
        QCoreApplication.processEvents()
        return window

    def close(window: object) -> None:
        window.close()
        window.deleteLater()
        store.wait(60)
        QCoreApplication.processEvents()

    for _ in range(runs):
        window = fresh_window()
        for index, entry in enumerate(window._entries):
            t0 = time.perf_counter()
            window.nav.setCurrentRow(index)
            page = window.page(index)
            _wait(_usable(page, store))
            QCoreApplication.processEvents()
            page.widget().grab()
            times.setdefault(entry.title, []).append(time.perf_counter() - t0)
        close(window)

        window = fresh_window()
        index = window.section_index(OFFICIALS)
        t0 = time.perf_counter()
        window.nav.setCurrentRow(index)
        page = window.page(index)
        _wait(lambda page=page: page.browser.model.rowCount() > 0)
        page.widget().grab()
        cold.append(time.perf_counter() - t0)
        close(window)
    search_sort = bench_gui.bench_search_sort(paths, ctx, runs) if tables else {}
    ctx.dispose()
    return {k: statistics.median(v) * 1000 for k, v in times.items()}, statistics.median(cold) * 1000, search_sort


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "klaten-bench-100k")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-startup", action="store_true", help="hanya berpindah bagian")
    parser.add_argument("--skip-tables", action="store_true", help="tanpa cari/urut dan memori")
    args = parser.parse_args()
    data = bench_gui.ensure_data(args.data)
    if not args.skip_startup:
        app_ms, bare_ms, phases = bench_gui.bench_startup(data, args.runs)
        print(f"start-up to painted main window: {app_ms:.0f} ms; bare PySide6 window, same imports: {bare_ms:.0f} ms")
        print("  phases: " + ", ".join(f"{k} {v:.0f} ms" for k, v in phases.items()))
        print(f"  ratio {app_ms / bare_ms:.2f}x  [target <= 450 ms and <= 1.5x]")
    sections, cold, search_sort = bench_sections(data, args.runs, tables=not args.skip_tables)
    print("click to a painted, usable section (median):")
    for title, ms in sections.items():
        print(f"  {title:<22} {ms:8.0f} ms")
    print(f"officials section opened before its background load finished: {cold:.0f} ms  [target <= 300 ms]")
    if not args.skip_tables:
        bench_gui.print_search_sort(search_sort)
        bench_gui.print_memory(data)
    if not args.skip_startup:
        check_ms = bench_start_check(data)
        print(
            f"start-up check of the file (PRAGMA quick_check): {check_ms:.0f} ms, run beside the window: the window "
            "waits 0 ms for it (writes wait until it ended)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
