"""``migrate-to``: an SQLite installation moved into an empty PostgreSQL database on the real server (issue #21),
checked per table, the file untouched, the audit chain and an issued letter still verifying on the server."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, create_engine, func, select, text

from klaten_desktop import cli
from klaten_desktop.app import open_context
from klaten_desktop.db.engine import make_readonly_engine
from klaten_desktop.db.migrate import KNOWN_REVISIONS
from klaten_desktop.db.models import AuditLog
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.instance import InstanceLock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import accounts, audit_chain, demo, server_migration
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import verify
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue, options
from klaten_desktop.services.sync import archive, export
from tests.conftest import SENGON, TODAY, _make_template
from tests.sync.conftest import exchange_keys

HEAD_REVISION = KNOWN_REVISIONS[-1]


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> tuple[AppPaths, str]:
    """An SQLite office with officials, payments, an issued letter, an account and its audit chain; the letter's
    verification code."""
    paths = AppPaths(tmp_path_factory.mktemp("sqlite-office"))
    _make_template(paths, "kecamatan")
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    try:
        demo.populate(ctx, SYSTEM, 120, seed=11)
        options.set_allowed(ctx, SYSTEM, True)
        letter = issue.keterangan(ctx, SYSTEM, desa_kode=SENGON, out=paths.data_dir / "k.pdf")
        code = letter.documents[0].kode_verifikasi
        assert verify.check(ctx, code).ok
        accounts.add_user(ctx, SYSTEM, "ana", "Ana Lestari", "admin", "sandi-admin-1")
        assert audit_chain.verify(ctx).broken is None
    finally:
        ctx.dispose()
    return paths, code


@pytest.fixture
def target(pg_databases: Any) -> Iterator[str]:
    url = pg_databases.create()
    yield url
    pg_databases.drop(url)


def run(paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = cli.parse(["--data-dir", str(paths.data_dir), *argv])
    code = cli.run_on_folder(args, AppPaths.resolve(args.data_dir, args.db_url), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _fingerprint(paths: AppPaths) -> tuple[str, int, list[str]]:
    db = paths.database
    return (
        hashlib.sha256(db.read_bytes()).hexdigest(),
        db.stat().st_mtime_ns,
        sorted(p.name for p in db.parent.glob("klaten.sqlite*")),
    )


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
            return {n: int(conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one()) for n in names}
    finally:
        engine.dispose()


def _sqlite_counts(paths: AppPaths) -> dict[str, int]:
    engine = make_readonly_engine(paths.database)
    try:
        with engine.connect() as conn:
            return {
                t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0) for t in server_migration.tables()
            }
    finally:
        engine.dispose()


def test_every_table_moves_with_matching_counts_and_checksums(
    installation: tuple[AppPaths, str], target: str, tmp_path: Path
) -> None:
    paths, code = installation
    before = _fingerprint(paths)
    expected = _sqlite_counts(paths)
    status, out, err = run(paths, "migrate-to", "--db-url", target, "--json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["ok"] and result["disimpan"] and result["skema"] == HEAD_REVISION
    by_table = {t["tabel"]: t for t in result["tabel"]}
    assert set(by_table) == {t.name for t in server_migration.tables()}
    for name, row in by_table.items():
        assert row["ok"] and row["baris"] == row["baris_server"] == expected[name], name
        assert row["checksum"] == row["checksum_server"] and len(row["checksum"]) == 64
    assert expected["official"] == 120 and expected["document"] >= 1 and expected["app_user"] >= 2
    assert result["rantai_audit"]["ok"] and result["rantai_audit"]["entri"] == expected["audit_log"]
    # the server holds exactly the file's rows (the migrations' seeded rows made way), alembic at head
    on_server = _counts(target)
    assert {k: v for k, v in on_server.items() if k != "alembic_version"} == expected
    assert _fingerprint(paths) == before  # the file: same bytes, same time, no -wal or -shm left behind

    ctx = open_context(AppPaths(tmp_path / "pc", database_url=target), clock=ShiftedClock.on(TODAY))
    try:
        checked = verify.check(ctx, code)
        assert checked.ok, checked.reason
        assert audit_chain.verify(ctx).broken is None
        assert accounts.authenticate(ctx, "ana", "sandi-admin-1").role == "admin"
        # the sequences moved past the copied ids: new audited writes get new ids and the chain stays whole
        top = audit_chain.head(ctx)[0]
        accounts.add_user(ctx, SYSTEM, "budi", "Budi Santoso", "operator", "sandi-operator-1")
        assert audit_chain.head(ctx)[0] > top
        assert audit_chain.verify(ctx).broken is None
    finally:
        ctx.dispose()


def test_a_target_that_is_not_empty_is_refused_and_left_as_it_was(
    installation: tuple[AppPaths, str], target: str
) -> None:
    paths, _ = installation
    assert run(paths, "migrate-to", "--db-url", target)[0] == 0
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE office SET name = 'Diubah di server'"))
    engine.dispose()
    counts = _counts(target)
    status, out, err = run(paths, "migrate-to", "--db-url", target)
    assert status == 1 and out == ""
    assert "tidak kosong" in err and "Tidak ada yang diubah" in err
    assert _counts(target) == counts
    engine = create_engine(target)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM office")).scalar_one() == "Diubah di server"
    engine.dispose()


def test_any_table_refuses_a_target(installation: tuple[AppPaths, str], target: str) -> None:
    paths, _ = installation
    engine = create_engine(target)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE catatan_lain (id integer)"))
    engine.dispose()
    status, _, err = run(paths, "migrate-to", "--db-url", target)
    assert status == 1 and "public.catatan_lain" in err
    assert _counts(target) == {"catatan_lain": 0}


def test_text_report_in_indonesian(installation: tuple[AppPaths, str], target: str) -> None:
    paths, _ = installation
    status, out, _ = run(paths, "--db-url", target, "migrate-to")  # the global --db-url names the target too
    assert status == 0
    lines = out.splitlines()
    assert any(line.startswith("official ") and line.rstrip().endswith("cocok") for line in lines)
    assert "Rantai log audit:" in out and "utuh di server" in out
    assert "Berkas klaten.sqlite tidak diubah" in out


@pytest.mark.log_warnings_expected  # the rollback is logged as an error: it means a bug or a faulty server
def test_a_checksum_difference_rolls_everything_back(
    installation: tuple[AppPaths, str], target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, _ = installation
    real = server_migration.table_checksum

    def tampered(conn: Connection, table: Table) -> tuple[int, str]:
        rows, digest = real(conn, table)
        if conn.dialect.name == "postgresql" and table.name == "enrollment":
            return rows, "0" * 64
        return rows, digest

    monkeypatch.setattr(server_migration, "table_checksum", tampered)
    status, out, _ = run(paths, "migrate-to", "--db-url", target)
    assert status == 1
    assert any(line.startswith("enrollment ") and "BEDA" in line for line in out.splitlines())
    assert "seluruh pemindahan dibatalkan" in out
    assert _counts(target) == {}  # not even the schema stayed


def test_cancel_leaves_the_server_empty(installation: tuple[AppPaths, str], target: str) -> None:
    paths, _ = installation
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled, match="tetap kosong"):
        server_migration.migrate_to(
            paths.database, target, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: len(seen) >= 1
        )
    assert seen and seen[0][0] < seen[0][1]
    assert _counts(target) == {}


def test_an_audit_chain_broken_in_the_file_is_reported_broken_on_the_server(tmp_path: Path, target: str) -> None:
    paths = AppPaths(tmp_path / "rusak")
    _make_template(paths, "kecamatan")
    ctx: ServiceContext = open_context(paths, clock=ShiftedClock.on(TODAY))
    try:
        demo.populate(ctx, SYSTEM, 5, seed=3)
        with ctx.write() as session:
            first = session.scalar(select(AuditLog.id).order_by(AuditLog.id))
            session.execute(AuditLog.__table__.update().where(AuditLog.id == first).values(actor="orang lain"))
    finally:
        ctx.dispose()
    status, out, _ = run(paths, "migrate-to", "--db-url", target, "--json")
    result = json.loads(out)
    assert status == 1 and result["disimpan"] and not result["ok"]
    assert not result["rantai_audit"]["ok"] and "putus" in result["rantai_audit"]["putus"]


def _copy_installation(paths: AppPaths, folder: Path) -> AppPaths:
    copy = AppPaths(folder)
    folder.mkdir()
    src, dst = sqlite3.connect(paths.database), sqlite3.connect(copy.database)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return copy


def test_work_still_in_the_wal_moves_too(installation: tuple[AppPaths, str], target: str, tmp_path: Path) -> None:
    paths = _copy_installation(installation[0], tmp_path / "padam")
    # the last work sits committed in the -wal, as after a power cut (the process ends without closing)
    crash = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL'); "
        "c.execute(\"UPDATE office SET name = 'Kecamatan Prambanan (setelah padam)'\"); c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash, str(paths.database)], check=True, timeout=60)
    wal = paths.database.with_name("klaten.sqlite-wal")
    assert wal.stat().st_size > 0
    before = (_fingerprint(paths), hashlib.sha256(wal.read_bytes()).hexdigest())
    status, _, err = run(paths, "migrate-to", "--db-url", target)
    assert (status, err) == (0, "")
    engine = create_engine(target)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM office")).scalar_one() == "Kecamatan Prambanan (setelah padam)"
    engine.dispose()
    assert (_fingerprint(paths), hashlib.sha256(wal.read_bytes()).hexdigest()) == before


def test_an_older_schema_or_an_open_window_is_refused(
    installation: tuple[AppPaths, str], target: str, tmp_path: Path
) -> None:
    paths = _copy_installation(installation[0], tmp_path / "lama")
    conn = sqlite3.connect(paths.database)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0006_audit_chain'")
    conn.close()
    status, _, err = run(paths, "migrate-to", "--db-url", target)
    assert status == 1 and "belum diperbarui" in err and "0006_audit_chain" in err
    window = InstanceLock(installation[0].data_dir)
    assert window.acquire()
    try:
        status, _, err = run(installation[0], "migrate-to", "--db-url", target)
    finally:
        window.release()
    assert status == 1 and "sedang terbuka" in err
    assert _counts(target) == {}


def test_the_archive_of_sent_packages_moves_into_the_database(tmp_path: Path, target: str) -> None:
    """The copies in arsip-sinkron/ beside the file go into sync_package_archive, checked like a table: a package
    sent before the move is re-issued byte for byte from the server."""
    paths, regency_paths = AppPaths(tmp_path / "kec"), AppPaths(tmp_path / "kab")
    _make_template(paths, "kecamatan")
    _make_template(regency_paths, "kabupaten")
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    regency = open_context(regency_paths, clock=ShiftedClock.on(TODAY))
    try:
        exchange_keys(ctx, regency, tmp_path / "flashdisk")
        demo.populate(ctx, SYSTEM, 10, seed=4)
        sent = [export.export(ctx, SYSTEM, tmp_path / f"p{n}.klsync") for n in (1, 2, 3)]
    finally:
        ctx.dispose()
        regency.dispose()
    folder = paths.data_dir / "arsip-sinkron"
    (folder / f"{sent[0].sha256}.klsync").unlink()  # a lost copy: nothing to move
    (folder / f"{sent[1].sha256}.klsync").write_bytes(b"berubah")  # a changed copy is not moved either
    (folder / f"{'0' * 64}.klsync").write_bytes(b"tidak tercatat")  # no package records it
    status, out, err = run(paths, "migrate-to", "--db-url", target, "--json")
    assert (status, err) == (0, "")
    result = json.loads(out)
    (moved,) = [t for t in result["tabel"] if t["tabel"] == "sync_package_archive"]
    assert moved["ok"] and moved["baris"] == moved["baris_server"] == 1
    on_server = open_context(AppPaths(tmp_path / "pc", database_url=target), clock=ShiftedClock.on(TODAY))
    try:
        assert archive.sent_sequences(on_server) == [3]
        again = archive.reissue(on_server, SYSTEM, 3, tmp_path / "ulang-3.klsync")
        assert again.path.read_bytes() == sent[2].path.read_bytes()
        with pytest.raises(UserError, match="paket lengkap"):
            archive.reissue(on_server, SYSTEM, 1, tmp_path / "ulang-1.klsync")
        assert export.export(on_server, SYSTEM, tmp_path / "p4.klsync").sequence == 4
        assert archive.sent_sequences(on_server) == [3, 4]
    finally:
        on_server.dispose()


@pytest.mark.log_warnings_expected  # the rollback is logged as an error
def test_a_difference_in_the_moved_archive_rolls_everything_back(
    installation: tuple[AppPaths, str], target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, _ = installation
    real = server_migration._copy_archive

    def one_more(dst: Connection, copies: dict[str, tuple[Path, Any]], cancelled: Any) -> None:
        real(dst, copies, cancelled)
        dst.execute(
            server_migration.ARCHIVE.insert().values(sha256="f" * 64, data=b"x", recorded_at=dt.datetime(2026, 1, 1))
        )

    monkeypatch.setattr(server_migration, "_copy_archive", one_more)
    result = server_migration.migrate_to(paths.database, target)
    assert not result.committed
    assert [t.table for t in result.tables if not t.ok] == ["sync_package_archive"]
    assert _counts(target) == {}
