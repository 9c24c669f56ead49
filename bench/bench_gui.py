"""GUI benchmark with 100,000 synthetic officials (the regency office, demo data; never real people).

    .venv/bin/python bench/bench_gui.py [--data DIR] [--runs 7]

Prints medians and ratios:
- start-up: whole process, from spawning Python to the main window's first paint, against a bare PySide6
  window in a process that imports the same third-party and standard modules (every one the app had loaded when
  it painted, submodules included);
- the officials table painted after opening the section (with the list already loaded in the background at
  start, and the worst case of opening it before that load finished);
- a search keystroke (filter + repaint) and a sort (+ repaint), against plain Python doing the same filter/sort;
- resident memory of the app process with the table loaded.
The first run builds the 100,000-official database (a few minutes) and reuses it afterwards.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
N_OFFICIALS = 100_000

APP_CHILD = r"""
import os, sys, time, json
t_spawned = float(os.environ["BENCH_T0"])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from PySide6.QtCore import QEvent, QObject
from klaten_desktop.app import open_context
from klaten_desktop.gui.application import build_main_window, make_app
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.context import SYSTEM

t_imported = time.time()

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            t = time.time()
            mods = sorted(m for m in sys.modules if not m.startswith(("klaten_desktop", "_")))
            phases = {"imports": t_imported - t_spawned, "database": t_opened - t_imported,
                      "window": t_built - t_opened, "paint": t - t_built}
            print(json.dumps({"painted": t - t_spawned, "modules": mods, "phases": phases}), flush=True)
            os._exit(0)
        return False

app = make_app()
paths = AppPaths(Path(sys.argv[1]))
ctx = open_context(paths)
t_opened = time.time()
window = build_main_window(paths, ctx, SYSTEM)
t_built = time.time()
window.resize(1366, 768)
f = Painted()
window.installEventFilter(f)
window.show()
app.exec()
"""

RSS_CHILD = r"""
import os, sys, json
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from pathlib import Path
from PySide6.QtCore import QCoreApplication, Qt
from klaten_desktop.app import open_context
from klaten_desktop.gui.application import build_main_window, make_app
from klaten_desktop.gui.officials.store import store_for
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.context import SYSTEM

app = make_app()
paths = AppPaths(Path(sys.argv[1]))
ctx = open_context(paths)
window = build_main_window(paths, ctx, SYSTEM)
window.resize(1366, 768)
window.show()
QCoreApplication.processEvents()
store = store_for(ctx)
store.ensure_loaded()
store.wait()
QCoreApplication.processEvents()
for title in ("Pengurus RT/RW", "Kepesertaan & Iuran"):
    window.nav.setCurrentRow(window.section_index(title))
    QCoreApplication.processEvents()
    page = window.current_page()
    page.browser.search.setText("sri")
    page.browser.apply_filter()
    page.browser.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
    QCoreApplication.processEvents()
with open("/proc/self/status") as f:
    status = dict(line.split(":", 1) for line in f)
print(json.dumps({"rss_mb": int(status["VmRSS"].split()[0]) / 1024, "hwm_mb": int(status["VmHWM"].split()[0]) / 1024}))
os._exit(0)
"""

BARE_CHILD = r"""
import os, sys, time, json, importlib
t_spawned = float(os.environ["BENCH_T0"])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for name in json.loads(os.environ["BENCH_MODULES"]):
    try:
        importlib.import_module(name)
    except Exception:
        pass
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(json.dumps({"painted": time.time() - t_spawned}), flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("Klaten Desktop"))
window.resize(1366, 768)
f = Painted()
window.installEventFilter(f)
window.show()
app.exec()
"""


def ensure_data(folder: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from klaten_desktop.app import open_context
    from klaten_desktop.domain.enums import OfficeRole
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.services import demo, office, officials
    from klaten_desktop.services.context import SYSTEM

    paths = AppPaths(folder)
    ctx = open_context(paths)
    try:
        if office.get(ctx) is None:
            office.init(ctx, SYSTEM, role=OfficeRole.kabupaten, name="Pemerintah Kabupaten Klaten (uji kinerja)")
        if officials.count_serving(ctx) == 0:
            print(f"membuat {N_OFFICIALS} pengurus contoh (sekali saja)…", flush=True)
            demo.populate(ctx, SYSTEM, N_OFFICIALS)
        count = officials.count_serving(ctx)
    finally:
        ctx.dispose()
    print(f"basis data: {paths.database} ({count} pengurus menjabat)")
    return folder


def child(code: str, data: Path, env_extra: dict[str, str]) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), **env_extra)
    env["BENCH_T0"] = repr(time.time())
    out = subprocess.run(
        [sys.executable, "-c", code, str(data)], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            result: dict[str, object] = json.loads(line)
            return result
    raise RuntimeError(f"child gave no result:\n{out.stdout}\n{out.stderr}")


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def bench_startup(data: Path, runs: int) -> tuple[float, float, dict[str, float]]:
    """Start-up of the app and of the bare window, interleaved. The bare child imports every module the app had
    imported when it painted (``first``'s list: each package and submodule, e.g. ``PySide6.QtNetwork``, not only the
    top-level names: ``import PySide6`` alone loads none of Qt), then opens a plain window. The app's own modules
    are compiled to bytecode first, as an installed app has them (the third-party ones in the environment are)."""
    compileall.compile_dir(str(ROOT / "klaten_desktop"), quiet=1)
    first = child(APP_CHILD, data, {})
    modules = json.dumps(first["modules"])
    app_times, bare_times = [], []
    phases: dict[str, list[float]] = {}
    for _ in range(runs):
        result = child(APP_CHILD, data, {})
        app_times.append(float(result["painted"]))  # type: ignore[arg-type]
        for name, value in result["phases"].items():  # type: ignore[attr-defined]
            phases.setdefault(name, []).append(float(value))
        bare_times.append(float(child(BARE_CHILD, data, {"BENCH_MODULES": modules})["painted"]))  # type: ignore[arg-type]
    return median_ms(app_times), median_ms(bare_times), {k: median_ms(v) for k, v in phases.items()}


def bench_in_process(data: Path, runs: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    from klaten_desktop.app import open_context
    from klaten_desktop.gui.application import build_main_window, make_app
    from klaten_desktop.gui.officials.section import OfficialsSection
    from klaten_desktop.gui.officials.store import store_for
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.services.context import SYSTEM

    class PaintClock(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.painted: float | None = None

        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and self.painted is None:
                self.painted = time.perf_counter()
            return False

    def settle_background() -> None:
        """Let Beranda's background figures (and any earlier window's) finish: steady state, as for a user
        who has had the app open for a few seconds. The window builds Beranda just after its first paint, so
        events are processed first (a few rounds) to let that work start before waiting for it."""
        from PySide6.QtCore import QThreadPool

        for _ in range(3):
            QCoreApplication.processEvents()
            QThreadPool.globalInstance().waitForDone()
        QCoreApplication.processEvents()

    app = make_app()
    tmp = Path(tempfile.mkdtemp(prefix="klaten-bench-ui-"))
    paths = AppPaths(data)
    ctx = open_context(paths)
    results: dict[str, float] = {}

    def open_section(wait_for_load: bool) -> float:
        from klaten_desktop.gui.kit import ui_settings

        ui_settings.install(tmp / "tampilan.ini")
        store = store_for(ctx)
        store._rows = None  # a fresh start
        window = build_main_window(paths, ctx, SYSTEM)
        window.resize(1366, 768)
        window.show()
        QCoreApplication.processEvents()
        if wait_for_load:
            store.ensure_loaded()
            while store.rows() is None or store.is_loading():
                QCoreApplication.processEvents()
                time.sleep(0.005)
            settle_background()
        page = window.page(window.section_index("Pengurus RT/RW"))
        assert isinstance(page, OfficialsSection)
        clock = PaintClock()
        page.browser.table.viewport().installEventFilter(clock)
        t0 = time.perf_counter()
        window.nav.setCurrentRow(window.section_index("Pengurus RT/RW"))
        while clock.painted is None or page.browser.model.rowCount() == 0:
            if clock.painted is not None:
                clock.painted = None
            QCoreApplication.processEvents()
            time.sleep(0.001)
        elapsed = clock.painted - t0
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
        return elapsed

    results["section_loaded_ms"] = median_ms([open_section(True) for _ in range(runs)])
    results["section_cold_ms"] = median_ms([open_section(False) for _ in range(max(3, runs // 2))])
    results.update(bench_search_sort(paths, ctx, runs))
    ctx.dispose()
    app.processEvents()
    return results


def bench_search_sort(paths: Any, ctx: Any, runs: int) -> dict[str, float]:
    """A search keystroke (filter + repaint) and a sort (+ repaint) on the shown officials table, beside plain
    Python doing the same filter and sort in the same process."""
    from PySide6.QtCore import QCoreApplication, Qt, QThreadPool

    from klaten_desktop.gui.application import build_main_window
    from klaten_desktop.gui.officials.section import OfficialsSection
    from klaten_desktop.gui.officials.store import store_for
    from klaten_desktop.gui.officials.table_model import RowFilter, search_text
    from klaten_desktop.services.context import SYSTEM

    def settle_background() -> None:
        for _ in range(3):
            QCoreApplication.processEvents()
            QThreadPool.globalInstance().waitForDone()
        QCoreApplication.processEvents()

    results: dict[str, float] = {}
    store = store_for(ctx)
    window = build_main_window(paths, ctx, SYSTEM)
    window.resize(1366, 768)
    window.show()
    store.ensure_loaded()
    store.wait()
    settle_background()
    QCoreApplication.processEvents()
    window.nav.setCurrentRow(window.section_index("Pengurus RT/RW"))
    QCoreApplication.processEvents()
    page = window.current_page()
    assert isinstance(page, OfficialsSection)
    browser = page.browser
    model = browser.model
    rows = store.rows()
    assert rows is not None and model.total_count() == len(rows)
    viewport = browser.table.viewport()

    typed = ["s", "sr", "sri", "sri ", "sri l", "3", "331", "33100", "3310011"]
    keystroke = []
    for _ in range(runs):
        for text in typed:
            browser.search.setText(text)
            t0 = time.perf_counter()
            browser.apply_filter()
            viewport.repaint()
            keystroke.append(time.perf_counter() - t0)
        browser.search.setText("")
        browser.apply_filter()
    results["keystroke_ms"] = median_ms(keystroke)
    results["keystroke_max_ms"] = max(keystroke) * 1000
    keys = [f"{r.nama.lower()}\x00{r.nik}" for r in rows]
    bare = []
    for _ in range(runs):
        for text in typed:
            needle = search_text(text)
            t0 = time.perf_counter()
            [i for i in range(len(keys)) if needle in keys[i]]
            bare.append(time.perf_counter() - t0)
    results["keystroke_bare_ms"] = median_ms(bare)

    sorts = []
    header = browser.table.horizontalHeader()
    for _ in range(runs):
        for key in ("nik", "desa", "rw", "status", "nama"):
            col = model.column_of(key)
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                t0 = time.perf_counter()
                header.setSortIndicator(col, order)
                viewport.repaint()
                sorts.append(time.perf_counter() - t0)
    results["sort_ms"] = median_ms(sorts)
    results["sort_max_ms"] = max(sorts) * 1000
    bare_sorts = []
    for _ in range(runs):
        for idx in (1, 7, 8, 15, 2):
            column = [r[idx] if r[idx] is not None else 0 for r in rows]
            t0 = time.perf_counter()
            order = list(range(len(column)))
            order.sort(key=column.__getitem__)
            bare_sorts.append(time.perf_counter() - t0)
    results["sort_bare_ms"] = median_ms(bare_sorts)
    model.set_filter(RowFilter())
    window.close()
    store.wait()
    QCoreApplication.processEvents()
    return results


def print_search_sort(r: dict[str, float]) -> None:
    print(
        f"search keystroke (filter + repaint): median {r['keystroke_ms']:.1f} ms, max {r['keystroke_max_ms']:.1f} ms; "
        f"bare list filter {r['keystroke_bare_ms']:.1f} ms, ratio {r['keystroke_ms'] / r['keystroke_bare_ms']:.2f}x"
        "  [target <= 15 ms and <= 2.5x]"
    )
    print(
        f"sort (+ repaint): median {r['sort_ms']:.1f} ms, max {r['sort_max_ms']:.1f} ms; bare list.sort "
        f"{r['sort_bare_ms']:.1f} ms, ratio {r['sort_ms'] / r['sort_bare_ms']:.2f}x  [target <= 40 ms and <= 2.5x]"
    )


def print_memory(data: Path) -> None:
    mem = child(RSS_CHILD, data, {})
    print(
        f"resident memory, app with 100,000 officials in both tables, searched and sorted: {mem['rss_mb']:.0f} MB "
        f"(peak {mem['hwm_mb']:.0f} MB)  [target <= 200 MB]"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "klaten-bench-100k")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data = ensure_data(args.data)
    app_ms, bare_ms, phases = bench_startup(data, args.runs)
    print(f"start-up to painted main window: {app_ms:.0f} ms (bare PySide6 window, same imports: {bare_ms:.0f} ms)")
    print("  phases: " + ", ".join(f"{k} {v:.0f} ms" for k, v in phases.items()))
    print(f"  ratio {app_ms / bare_ms:.2f}x  [target <= 450 ms and <= 1.5x]")
    r = bench_in_process(data, args.runs)
    print(f"officials table painted after opening the section: {r['section_loaded_ms']:.0f} ms  [target <= 600 ms]")
    print(f"  worst case, opened before the background load finished: {r['section_cold_ms']:.0f} ms")
    print_search_sort(r)
    print_memory(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
