"""``klaten-desktop --self-test``: the real start-up path, headless, in a scratch data folder.

Used on every build (``scripts/build.py`` runs it in the frozen bundle) and by an office technician who wants to
know whether an installation works. Each check is a plain function over a :class:`SelfTestState`; it returns a
short detail for the report or raises. The report prints ``OK <nama>``, ``GAGAL <nama>: <sebab>`` or
``LEWATI <nama>: <sebab>`` per check; the exit code is 0 only if no check failed.

The self-test never touches an office's real data: it works in a new temporary folder, or in ``--data-dir`` only
when that folder is empty or does not exist yet.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from klaten_desktop import __version__
from klaten_desktop.runtime.paths import AppPaths, default_data_dir, migrations_dir, resources_dir
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED = 0, 1
SELFTEST_FIXTURES = "selftest"  # resources/selftest/*.sqlite: schema fixtures shipped in the bundle
DEMO_OFFICIALS = 20
PRAMBANAN = "33.10.01"
LETTER_KINDS = ("pengantar", "keterangan", "iuran")
MAIN_WINDOW_TIMEOUT_S = 30


class Skip(Exception):
    """Raised by a check that cannot run here, with the reason (printed as LEWATI)."""


@dataclass
class SelfTestState:
    root: Path
    paths: AppPaths
    ctx: ServiceContext | None = None
    opened: list[ServiceContext] = field(default_factory=list)

    @property
    def work(self) -> Path:
        """A scratch folder for files the checks write (PDFs, workbooks, packages)."""
        folder = self.root / "keluaran"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def require_ctx(self) -> ServiceContext:
        if self.ctx is None:
            raise RuntimeError("basis data belum terbuka (pemeriksaan migrasi-baru gagal)")
        return self.ctx

    def open(self, paths: AppPaths) -> ServiceContext:
        from klaten_desktop.app import open_context

        ctx = open_context(paths)
        self.opened.append(ctx)
        return ctx

    def close(self) -> None:
        for ctx in self.opened:
            ctx.dispose()
        self.opened.clear()
        self.ctx = None


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[SelfTestState], str | None]


# --- the checks ---------------------------------------------------------------------------------------------


def check_paths(state: SelfTestState) -> str:
    state.paths.ensure()
    probe = state.paths.data_dir / f".uji-{uuid.uuid4().hex}"
    probe.write_text("uji", encoding="utf-8")
    probe.unlink()
    reference = resources_dir() / "reference" / "wilayah_klaten.csv"
    if not reference.is_file():
        raise RuntimeError(f"berkas rujukan tidak ada: {reference}")
    env_py = migrations_dir() / "env.py"
    if not env_py.is_file():
        raise RuntimeError(f"skrip migrasi tidak ada: {env_py}")
    versions = sorted(p.name for p in (migrations_dir() / "versions").glob("*.py") if p.name != "__init__.py")
    if not versions:
        raise RuntimeError(f"tidak ada revisi migrasi di {migrations_dir() / 'versions'}")
    office_folder = default_data_dir()  # where the office's real data lives (only resolved, never created here)
    if not office_folder.is_absolute():
        raise RuntimeError(f"folder data bawaan tidak dapat ditentukan: {office_folder}")
    return f"folder data kantor {office_folder}; sumber daya {resources_dir()}"


def check_logging(state: SelfTestState) -> str:
    from klaten_desktop.runtime.logs import setup_logging

    log_file = setup_logging(state.paths)
    marker = f"uji-mandiri-{uuid.uuid4().hex}"
    log.info("self-test log marker %s (version %s)", marker, __version__)
    for handler in logging.getLogger().handlers:
        handler.flush()
    if marker not in log_file.read_text(encoding="utf-8"):
        raise RuntimeError(f"catatan tidak tertulis ke {log_file}")
    return log_file.name


def check_fresh_migration(state: SelfTestState) -> str:
    from klaten_desktop.db.migrate import HEAD_REVISION, current_revision
    from klaten_desktop.services import wilayah

    if state.paths.database.exists():
        raise RuntimeError(f"basis data sudah ada di {state.paths.database}; uji mandiri memerlukan folder baru")
    ctx = state.open(state.paths)
    revision = current_revision(ctx.engine)
    if revision != HEAD_REVISION:
        raise RuntimeError(f"revisi {revision}, seharusnya {HEAD_REVISION}")
    kecamatan = wilayah.kecamatan(ctx)
    if len(kecamatan) != 26:
        raise RuntimeError(f"daftar wilayah berisi {len(kecamatan)} kecamatan, seharusnya 26")
    state.ctx = ctx
    return f"{HEAD_REVISION}, {len(kecamatan)} kecamatan"


def fixture_databases() -> list[Path]:
    """Schema fixture databases: shipped under resources/selftest/, or in a checkout tests/fixtures/schema/."""
    folders = [resources_dir() / SELFTEST_FIXTURES]
    if not getattr(sys, "frozen", False):
        folders.append(resources_dir().parent / "tests" / "fixtures" / "schema")
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found.extend(sorted(p for p in folder.glob("*.sqlite") if p.is_file()))
    return found


def fixture_revision(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])


def oldest_fixture(candidates: Sequence[Path]) -> Path | None:
    """The fixture with the oldest schema revision this app knows (unknown revisions are ignored)."""
    from klaten_desktop.db.migrate import KNOWN_REVISIONS

    ranked = []
    for path in candidates:
        revision = fixture_revision(path)
        if revision in KNOWN_REVISIONS:
            ranked.append((KNOWN_REVISIONS.index(revision), path.name, path))
    return min(ranked)[2] if ranked else None


def _count_officials(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM official WHERE deleted_at IS NULL").fetchone()[0])
    finally:
        conn.close()


def check_fixture_migration(state: SelfTestState) -> str:
    from klaten_desktop.db.migrate import HEAD_REVISION, current_revision
    from klaten_desktop.services import integrity

    candidates = fixture_databases()
    fixture = oldest_fixture(candidates)
    if fixture is None:
        where = resources_dir() / SELFTEST_FIXTURES
        if candidates:
            raise RuntimeError(f"tidak ada basis data contoh dengan revisi yang dikenal di {where}")
        raise Skip(f"tidak ada basis data contoh skema lama (*.sqlite) di {where}")
    source_revision = fixture_revision(fixture)
    before = _count_officials(fixture)
    paths = AppPaths(state.root / "migrasi-lama")
    paths.ensure()
    src = sqlite3.connect(f"file:{fixture.as_posix()}?mode=ro", uri=True)
    dst = sqlite3.connect(paths.database)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    ctx = state.open(paths)
    revision = current_revision(ctx.engine)
    if revision != HEAD_REVISION:
        raise RuntimeError(f"revisi {revision} setelah migrasi, seharusnya {HEAD_REVISION}")
    report = integrity.run(ctx)
    if not (report.integrity_ok and report.foreign_keys_ok):
        raise RuntimeError("pemeriksaan integritas SQLite gagal setelah migrasi")
    if report.officials != before:
        raise RuntimeError(f"{before} pengurus sebelum migrasi, {report.officials} sesudahnya")
    if source_revision != HEAD_REVISION and not any(paths.backups.glob("sebelum-migrasi-*.sqlite")):
        raise RuntimeError("cadangan sebelum migrasi tidak dibuat")
    return f"{fixture.name}: {source_revision} -> {revision}, {before} pengurus"


def check_office_and_demo(state: SelfTestState) -> str:
    from klaten_desktop.domain.enums import OfficeRole
    from klaten_desktop.services import demo, office
    from klaten_desktop.services.context import SYSTEM

    ctx = state.require_ctx()
    office.init(
        ctx,
        SYSTEM,
        role=OfficeRole.kecamatan,
        name="Kecamatan Prambanan (uji mandiri)",
        kecamatan_kode=PRAMBANAN,
        address="Jl. Contoh No. 1, Klaten",
        camat_nama="Contoh Camat",
        camat_nip="197001011990031001",
        camat_pangkat="Pembina (IV/a)",
    )
    result = demo.populate(ctx, SYSTEM, DEMO_OFFICIALS)
    if result.officials != DEMO_OFFICIALS:
        raise RuntimeError(f"{result.officials} pengurus contoh dibuat, seharusnya {DEMO_OFFICIALS}")
    return f"{result.officials} pengurus, {result.enrollments} kepesertaan, {result.payments} iuran"


def check_integrity(state: SelfTestState) -> str:
    from klaten_desktop.services import integrity

    report = integrity.run(state.require_ctx())
    if not report.ok:
        errors = [f.message for f in report.findings if f.severity == "error"]
        raise RuntimeError("; ".join(errors) or "integrity_check / foreign_key_check gagal")
    if report.officials != DEMO_OFFICIALS:
        raise RuntimeError(f"{report.officials} pengurus terbaca, seharusnya {DEMO_OFFICIALS}")
    return f"{report.officials} pengurus, {len(report.findings)} peringatan"


def _check_pdf(path: Path) -> int:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise RuntimeError(f"{path.name} bukan PDF yang utuh")
    return len(data)


def check_letters(state: SelfTestState) -> str:
    from klaten_desktop.domain.months import YearMonth
    from klaten_desktop.reports.letters import render_letters
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.letters import issue, verify

    ctx = state.require_ctx()
    month = YearMonth.of(ctx.today())
    done: list[str] = []
    code = ""
    for kind in LETTER_KINDS:
        out = state.work / f"surat-{kind}.pdf"
        period = (month, month) if kind == "iuran" else None
        result = issue.issue(ctx, SYSTEM, kind, render=render_letters, out=out, period=period)
        if not result.documents or result.pages < 1:
            raise RuntimeError(f"surat {kind}: tidak ada halaman")
        size = _check_pdf(out)
        done.append(f"{kind} {len(result.documents)} surat/{result.pages} hlm/{size // 1024} KB")
        code = code or result.documents[0].kode_verifikasi
    checked = verify.check(ctx, code)
    if not checked.ok:
        raise RuntimeError(f"verifikasi surat gagal: {checked.reason}")
    return ", ".join(done) + "; verifikasi sah"


def check_excel(state: SelfTestState) -> str:
    from klaten_desktop.services import exports
    from klaten_desktop.services.imports import detect_mapping, plan_import, read_workbook

    ctx = state.require_ctx()
    out = state.work / "ekspor-pengurus.xlsx"
    written = exports.export_officials(ctx, out)
    if written < 1:
        raise RuntimeError("tidak ada pengurus yang diekspor")
    table = read_workbook(out)
    plan = plan_import(ctx, table, detect_mapping(table))
    got = (plan.rows_read, plan.unchanged, plan.created, plan.updated, plan.rejected)
    if got != (written, written, 0, 0, 0):
        raise RuntimeError(f"impor ulang tidak sama dengan ekspor: {plan.summary()}")
    return f"{written} pengurus diekspor ke .xlsx dan dibaca kembali tanpa perubahan"


def check_sync(state: SelfTestState) -> str:
    from klaten_desktop.domain.enums import OfficeRole
    from klaten_desktop.services import integrity, office
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.sync import export, importer, keys

    kecamatan = state.require_ctx()
    regency = state.open(AppPaths(state.root / "kabupaten"))
    office.init(regency, SYSTEM, role=OfficeRole.kabupaten, name="Pemerintah Kabupaten Klaten (uji mandiri)")
    kec_key, reg_key = state.work / "kunci-kecamatan.json", state.work / "kunci-kabupaten.json"
    keys.export_identity(kecamatan, kec_key)
    keys.export_identity(regency, reg_key)
    keys.trust(regency, SYSTEM, keys.read_identity(regency, kec_key))
    keys.trust(kecamatan, SYSTEM, keys.read_identity(kecamatan, reg_key))
    package = state.work / "paket-1.klsync"
    sent = export.export(kecamatan, SYSTEM, package)
    received = importer.import_package(regency, SYSTEM, package)
    expected = integrity.run(kecamatan).officials
    arrived = integrity.run(regency).officials
    if received.tables["official"].created != expected or arrived != expected:
        raise RuntimeError(f"{expected} pengurus dikirim, {arrived} tiba di kabupaten")
    again = importer.import_package(regency, SYSTEM, package)
    if not again.already_imported:
        raise RuntimeError("paket yang sama diimpor dua kali")
    return f"paket no. {sent.sequence}, {sent.bytes_written // 1024} KB: {arrived} pengurus tiba di kabupaten"


def check_qt(state: SelfTestState) -> str:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from PySide6 import __version__ as pyside_version  # noqa: TID251 - the self-test checks the Qt bundle
        from PySide6.QtGui import QGuiApplication, QIcon, QImage  # noqa: TID251
        from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: TID251
    except ImportError as exc:
        raise Skip(f"PySide6 tidak terpasang ({exc})") from exc
    icons = resources_dir() / "icons"
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "klaten-desktop"])
    window = QMainWindow()
    try:
        window.setWindowTitle("Klaten Desktop — uji mandiri")
        icon = QIcon(str(icons / "klaten-desktop-256.png"))
        if icon.isNull():
            raise RuntimeError("ikon aplikasi tidak terbaca")
        window.setWindowIcon(icon)
        window.resize(320, 200)
        window.show()
        app.processEvents()
        shot = window.grab()
        if shot.isNull() or shot.width() != 320:
            raise RuntimeError("jendela tidak dapat digambar")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
    ico = QImage(str(icons / "klaten-desktop.ico"))
    if ico.isNull():
        raise RuntimeError("klaten-desktop.ico tidak terbaca (plugin gambar ICO Qt tidak ikut dikemas?)")
    return f"PySide6 {pyside_version}, platform {QGuiApplication.platformName()}"


def check_main_window(state: SelfTestState) -> str:
    """The real main window over the self-test database, offscreen; its officials list loads on a worker thread."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from klaten_desktop.gui.application import build_main_window, make_app
        from klaten_desktop.gui.officials.store import store_for
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] in ("PySide6", "shiboken6"):
            raise Skip(f"PySide6 tidak terpasang ({exc})") from exc
        raise
    ctx = state.require_ctx()
    app = make_app()
    window = build_main_window(state.paths, ctx)
    store = store_for(ctx)
    try:
        window.show()
        deadline = time.monotonic() + MAIN_WINDOW_TIMEOUT_S
        while store.rows() is None and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        rows = store.rows()
        if rows is None:
            raise RuntimeError(f"daftar pengurus belum termuat setelah {MAIN_WINDOW_TIMEOUT_S} detik")
        if len(rows) != DEMO_OFFICIALS:
            raise RuntimeError(f"{len(rows)} pengurus tampil, seharusnya {DEMO_OFFICIALS}")
        app.processEvents()
        shot = window.grab()
        if shot.isNull():
            raise RuntimeError("jendela utama tidak dapat digambar")
        title = window.windowTitle()
    finally:
        window.close()
        store.wait(MAIN_WINDOW_TIMEOUT_S)
        window.deleteLater()
        app.processEvents()
    return f'"{title}", {len(rows)} pengurus dimuat, {shot.width()}x{shot.height()}'


CHECKS: tuple[Check, ...] = (
    Check("jalur", check_paths),
    Check("log", check_logging),
    Check("migrasi-baru", check_fresh_migration),
    Check("migrasi-lama", check_fixture_migration),
    Check("kantor-dan-data-contoh", check_office_and_demo),
    Check("integritas", check_integrity),
    Check("surat-pdf", check_letters),
    Check("excel", check_excel),
    Check("sinkronisasi", check_sync),
    Check("qt", check_qt),
    Check("jendela-utama", check_main_window),
)


# --- the runner ---------------------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UserError | EnvironmentProblem):
        return exc.message
    text = str(exc).strip()
    if isinstance(exc, RuntimeError) and text:
        return text
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _say(out: TextIO, text: str) -> None:
    """Write a line even to a console or pipe that cannot encode it (a Windows code page, a user's folder name)."""
    try:
        out.write(text)
    except UnicodeEncodeError:
        encoding = getattr(out, "encoding", None) or "ascii"
        out.write(text.encode(encoding, errors="replace").decode(encoding, errors="replace"))


def _prepare_root(data_dir: Path | None) -> tuple[Path, bool]:
    """The folder to work in and whether to delete it afterwards."""
    if data_dir is None:
        return Path(tempfile.mkdtemp(prefix="klaten-uji-mandiri-")), True
    root = data_dir.expanduser().resolve()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise UserError(
            f"Folder {root} tidak kosong. Uji mandiri hanya memakai folder baru atau kosong "
            "agar data kantor tidak tersentuh."
        )
    root.mkdir(parents=True, exist_ok=True)
    return root, False


def _detach_log_handlers() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_klaten", False):
            root.removeHandler(handler)
            handler.close()


def run_self_test(data_dir: Path | None, out: TextIO, *, checks: Sequence[Check] = CHECKS) -> int:
    """Run every check, print one line each and a summary; 0 when none failed, else 1."""
    started = time.perf_counter()
    frozen = "bundel" if getattr(sys, "frozen", False) else "sumber"
    _say(out, f"Uji mandiri Klaten Desktop {__version__} ({frozen}, Python {sys.version.split()[0]})\n")
    try:
        root, temporary = _prepare_root(data_dir)
    except UserError as exc:
        _say(out, f"GAGAL jalur: {exc.message}\n")
        out.flush()
        return EXIT_FAILED
    _say(out, f"Folder uji: {root}" + (" (dihapus setelah selesai)\n" if temporary else "\n"))
    state = SelfTestState(root=root, paths=AppPaths(root / "data"))
    passed = failed = skipped = 0
    try:
        for check in checks:
            t0 = time.perf_counter()
            try:
                detail = check.run(state)
            except Skip as exc:
                skipped += 1
                _say(out, f"LEWATI {check.name}: {exc}\n")
            except Exception as exc:
                failed += 1
                _say(out, f"GAGAL {check.name}: {_reason(exc)}\n")
                log.error("Self-test check %s failed:\n%s", check.name, traceback.format_exc())
            else:
                passed += 1
                took = time.perf_counter() - t0
                suffix = f" ({detail}; {took:.2f} s)" if detail else f" ({took:.2f} s)"
                _say(out, f"OK {check.name}{suffix}\n")
            out.flush()
    finally:
        state.close()
        _detach_log_handlers()
        if temporary:
            shutil.rmtree(root, ignore_errors=True)
    total = time.perf_counter() - started
    verdict = "BERHASIL" if failed == 0 else "GAGAL"
    _say(
        out,
        f"Uji mandiri {verdict}: {passed} OK, {failed} GAGAL, {skipped} LEWATI dalam {total:.1f} detik"
        + ("" if temporary else f"; berkas uji di {root}")
        + "\n",
    )
    out.flush()
    return EXIT_OK if failed == 0 else EXIT_FAILED
