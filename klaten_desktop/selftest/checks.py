"""The self-test checks that need no Qt: folders, log, migrations, office and demo data, letters, Excel, sync."""

from __future__ import annotations

import logging
import sqlite3
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from klaten_desktop import __version__
from klaten_desktop.runtime.paths import AppPaths, default_data_dir, migrations_dir, resources_dir
from klaten_desktop.selftest.state import (
    DEMO_OFFICIALS,
    LETTER_KINDS,
    PRAMBANAN,
    SELFTEST_FIXTURES,
    SelfTestState,
    Skip,
)

log = logging.getLogger(__name__)


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


def check_accounts(state: SelfTestState) -> str:
    """The first admin with a random password (Argon2id through argon2-cffi's compiled binding), a refused wrong
    password, then the login the main window opens with."""
    import secrets

    from klaten_desktop.services import accounts

    ctx = state.require_ctx()
    password = secrets.token_urlsafe(12)
    accounts.create_first_admin(ctx, "ujimandiri", "Uji Mandiri", password)
    try:
        accounts.authenticate(ctx, "ujimandiri", password + "x")
    except accounts.LoginFailed:
        pass
    else:
        raise RuntimeError("kata sandi salah diterima")
    state.actor = accounts.authenticate(ctx, "ujimandiri", password)
    return (
        f"admin pertama dibuat dan masuk (Argon2id t={accounts.ARGON2_TIME_COST}, m={accounts.ARGON2_MEMORY_KIB} KiB)"
    )


def _check_pdf(path: Path) -> int:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise RuntimeError(f"{path.name} bukan PDF yang utuh")
    return len(data)


def check_letters(state: SelfTestState) -> str:
    from klaten_desktop.domain.months import YearMonth
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.documents import verify
    from klaten_desktop.services.letters import issue

    ctx = state.require_ctx()
    month = YearMonth.of(ctx.today())
    done: list[str] = []
    code = ""
    for kind in LETTER_KINDS:
        out = state.work / f"surat-{kind}.pdf"
        period = (month, month) if kind == "iuran" else None
        # a keterangan is refused for officials who are not aktif (the office's default): issue the aktif ones
        aktif = [s.id for s in issue.subjects(ctx) if s.nomor_kpj and s.status(ctx.today())[0] == "aktif"]
        ids = aktif if kind == "keterangan" else None
        result = issue.issue(ctx, SYSTEM, kind, out=out, period=period, official_ids=ids)
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
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.imports import detect_mapping, plan_import, read_workbook

    ctx = state.require_ctx()
    out = state.work / "ekspor-pengurus.xlsx"
    written = exports.export_officials(ctx, SYSTEM, out)
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


def check_server_driver(state: SelfTestState) -> str:
    """Server mode's parts in this installation (docs/server-mode.md): psycopg with its compiled part and libpq
    (a bundle built without them could not use a server), and the OS credential store for the server's password
    (reported; a PC without one asks for the password at start)."""
    from klaten_desktop.runtime import credentials

    try:
        import psycopg
    except ImportError as exc:
        raise RuntimeError(f"pengandar PostgreSQL (psycopg) tidak terpasang: {exc}") from exc
    implementation = psycopg.pq.__impl__
    if getattr(sys, "frozen", False) and implementation != "binary":
        raise RuntimeError(f"psycopg memakai implementasi {implementation}, seharusnya binary (psycopg_binary)")
    libpq = psycopg.pq.version()
    libpq_text = f"{libpq // 10000}.{libpq % 10000}"  # PostgreSQL 10 and later: major * 10000 + minor
    store = credentials.store_name()
    return f"psycopg {psycopg.__version__} ({implementation}, libpq {libpq_text}); penyimpan kata sandi: {store}"
