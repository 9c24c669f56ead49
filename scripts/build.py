#!/usr/bin/env python3
"""Build Klaten Desktop from build.spec with PyInstaller, then prove the bundle works.

    python scripts/build.py              build dist/KlatenDesktop, run its --self-test, print size and start-up
    python scripts/build.py --ci         the same with CI limits (bundle size, self-test) and a JSON report
    python scripts/build.py --no-build   only check an existing dist/KlatenDesktop

The same script runs on Linux (CI) and on Windows (scripts/windows/release.ps1). It uses the Python that runs it,
so start it with the project's virtualenv: ``.venv/bin/python scripts/build.py`` or
``.venv\\Scripts\\python.exe scripts\\build.py``.

Exit codes: 0 built and self-tested, 1 the build or a check failed, 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "build.spec"
APP_NAME = "KlatenDesktop"
CLI_NAME = "klaten-desktop-cli"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
SELF_TEST_TIMEOUT = 300
CI_MAX_BUNDLE_MB = 320  # Linux bundle today: about 200 MB; a jump means something heavy slipped in
# Never in the bundle: development tools and Qt modules we do not use.
FORBIDDEN_IN_BUNDLE = ("pytest", "_pytest", "hypothesis", "mypy", "PyInstaller", "tkinter")
FORBIDDEN_QT_LIBS = ("Qt6WebEngine", "Qt6Quick", "Qt6Qml", "Qt63D", "Qt6Multimedia", "Qt6Charts", "Qt6Pdf")


@dataclass
class BuildReport:
    version: str = ""
    platform: str = sys.platform
    build_seconds: float | None = None
    bundle_mb: float = 0.0
    bundle_files: int = 0
    startup_runs: int = 0
    startup_median_s: float = 0.0
    source_startup_median_s: float = 0.0
    startup_ratio: float = 0.0
    self_test_seconds: float = 0.0
    self_test_ok: bool = False
    problems: list[str] = field(default_factory=list)


def _run(cmd: list[str], *, timeout: float | None = None, capture: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        cwd=ROOT,
        timeout=timeout,
        capture_output=capture,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )


def build(dist: Path, work: Path, *, clean: bool) -> float:
    try:
        import PyInstaller
    except ImportError:
        raise SystemExit(
            "PyInstaller tidak terpasang di lingkungan ini. Pasang dengan: "
            f"{sys.executable} -m pip install -c requirements/constraints.txt pyinstaller"
        ) from None
    print(f"Membangun dengan PyInstaller {PyInstaller.__version__} dari {SPEC.name} ...", flush=True)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        cmd.append("--clean")
    started = time.perf_counter()
    result = subprocess.run([*cmd, str(SPEC)], cwd=ROOT, check=False)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"PyInstaller gagal (kode {result.returncode}).")
    print(f"Bundel selesai dalam {took:.0f} detik.", flush=True)
    return took


def bundle_size(folder: Path) -> tuple[float, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1_000_000, len(files)


def snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def check_contents(bundle: Path) -> list[str]:
    """What must be in the bundle, and what must not."""
    problems = []
    internal = bundle / "_internal"
    for exe in (APP_NAME, CLI_NAME):
        if not (bundle / f"{exe}{EXE_SUFFIX}").is_file():
            problems.append(f"program {exe}{EXE_SUFFIX} tidak ada")
    migrations = internal / "klaten_desktop" / "db" / "migrations"
    if not (migrations / "env.py").is_file() or not list((migrations / "versions").glob("0*.py")):
        problems.append("skrip migrasi Alembic (env.py, versions/*.py) tidak ikut dikemas")
    if not (internal / "resources" / "icons" / "klaten-desktop.ico").is_file():
        problems.append("resources/icons/klaten-desktop.ico tidak ikut dikemas")
    if not (bundle / "verifikasi" / "klaten_verify.py").is_file():
        problems.append("verifikasi/klaten_verify.py (pemeriksa kode QR untuk BPJS) tidak ikut dikemas")
    for name in FORBIDDEN_IN_BUNDLE:
        if (internal / name).exists():
            problems.append(f"{name} ikut dikemas (alat pengembangan)")
    qt_lib = internal / "PySide6"
    if qt_lib.is_dir():
        for path in qt_lib.rglob("*"):
            if any(bad in path.name for bad in FORBIDDEN_QT_LIBS):
                problems.append(f"modul Qt yang tidak dipakai ikut dikemas: {path.name}")
                break
    return problems


def check_gui_program(gui: Path, version: str) -> list[str]:
    """The windowed program starts too. Not on Windows: there it has no stdout, and ``--version`` prints nothing."""
    if os.name == "nt" or not gui.is_file():
        return []
    try:
        result = _run([str(gui), "--version"], timeout=60)
    except subprocess.TimeoutExpired:
        return [f"{gui.name} --version tidak selesai dalam 60 detik"]
    if result.returncode != 0 or version not in result.stdout:
        return [f"{gui.name} --version gagal (kode {result.returncode}): {result.stderr.strip()[-300:]}"]
    return []


def _median_wall(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = _run(cmd, timeout=60)
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} keluar dengan kode {result.returncode}: {result.stderr.strip()}")
    return statistics.median(times)


def measure_startup(cli: Path, runs: int) -> tuple[float, float]:
    """Median wall time of ``--version`` for the bundle and for the same code run from source."""
    _run([str(cli), "--version"], timeout=60)  # warm the file cache once
    bundle = _median_wall([str(cli), "--version"], runs)
    source = _median_wall([sys.executable, "-m", "klaten_desktop", "--version"], runs)
    return bundle, source


def self_test(cli: Path, data_dir: Path) -> tuple[bool, float, str]:
    started = time.perf_counter()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    try:
        result = subprocess.run(
            [str(cli), "--self-test", "--data-dir", str(data_dir)],
            cwd=data_dir.parent,
            env=env,
            timeout=SELF_TEST_TIMEOUT,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - started, f"uji mandiri tidak selesai dalam {SELF_TEST_TIMEOUT} detik\n"
    output = result.stdout + (f"\n[stderr]\n{result.stderr}" if result.stderr.strip() else "")
    return result.returncode == 0, time.perf_counter() - started, output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bangun dan uji bundel Klaten Desktop (PyInstaller, build.spec).")
    parser.add_argument("--ci", action="store_true", help="batas CI: ukuran bundel, laporan JSON")
    parser.add_argument("--no-build", action="store_true", help="jangan membangun; uji bundel yang sudah ada")
    parser.add_argument("--clean", action="store_true", help="buang cache PyInstaller sebelum membangun")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="folder hasil (bawaan: dist/)")
    parser.add_argument("--runs", type=int, default=5, help="jumlah pengukuran waktu mulai (bawaan: 5)")
    parser.add_argument("--max-size-mb", type=float, default=None, help="gagal bila bundel lebih besar")
    parser.add_argument("--report", type=Path, default=None, help="tulis laporan JSON ke berkas ini")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs minimal 1")
    max_mb = args.max_size_mb if args.max_size_mb is not None else (CI_MAX_BUNDLE_MB if args.ci else None)
    report_path = args.report or (ROOT / "build" / "build-report.json" if args.ci else None)

    sys.path.insert(0, str(ROOT))
    from klaten_desktop import __version__

    dist: Path = args.dist.resolve()
    bundle = dist / APP_NAME
    cli = bundle / f"{CLI_NAME}{EXE_SUFFIX}"
    report = BuildReport(version=__version__)

    if not args.no_build:
        report.build_seconds = round(build(dist, ROOT / "build" / "pyinstaller", clean=args.clean), 1)
    if not bundle.is_dir():
        print(f"Bundel tidak ditemukan: {bundle}", file=sys.stderr)
        return 1

    report.problems.extend(check_contents(bundle))
    size, count = bundle_size(bundle)
    report.bundle_mb, report.bundle_files = round(size, 1), count
    if max_mb is not None and size > max_mb:
        report.problems.append(f"bundel {size:.0f} MB, melebihi batas {max_mb:.0f} MB")

    before = snapshot(bundle)
    with tempfile.TemporaryDirectory(prefix="klaten-build-") as tmp:
        ok, took, output = self_test(cli, Path(tmp) / "uji-mandiri")
    print(output.rstrip())
    report.self_test_ok, report.self_test_seconds = ok, round(took, 2)
    if not ok:
        report.problems.append("uji mandiri bundel gagal")
    written = sorted(snapshot(bundle) - before)
    if written:
        # The installer removes only what it installed: the app must never write into its program folder.
        report.problems.append(f"aplikasi menulis ke folder program: {', '.join(written[:5])}")

    report.problems.extend(check_gui_program(bundle / f"{APP_NAME}{EXE_SUFFIX}", __version__))
    if cli.is_file():
        try:
            bundle_s, source_s = measure_startup(cli, args.runs)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            report.problems.append(f"pengukuran waktu mulai gagal: {exc}")
        else:
            report.startup_runs = args.runs
            report.startup_median_s = round(bundle_s, 3)
            report.source_startup_median_s = round(source_s, 3)
            report.startup_ratio = round(bundle_s / source_s, 2) if source_s else 0.0

    print()
    print(f"Klaten Desktop {report.version} ({report.platform})")
    if report.build_seconds is not None:
        print(f"  waktu bangun           : {report.build_seconds:.0f} s")
    print(f"  ukuran bundel          : {report.bundle_mb:.1f} MB dalam {report.bundle_files} berkas ({bundle})")
    if report.startup_runs:
        bundle_ms, source_ms = report.startup_median_s * 1000, report.source_startup_median_s * 1000
        print(
            f"  waktu mulai (--version): median {bundle_ms:.0f} ms dari {report.startup_runs} kali; "
            f"dari sumber {source_ms:.0f} ms (rasio {report.startup_ratio:.2f})"
        )
    print(f"  uji mandiri            : {'BERHASIL' if report.self_test_ok else 'GAGAL'} ({report.self_test_seconds} s)")
    for problem in report.problems:
        print(f"  MASALAH: {problem}")
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(json.dumps(asdict(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"  laporan JSON           : {report_path}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
