"""Backups, rotation, restore and damaged files (issue #19): real SQLite files, the injected clock, no sleeping."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from klaten_desktop.app import open_context
from klaten_desktop.runtime.clock import FixedClock
from klaten_desktop.runtime.instance import InstanceLock, in_use
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, demo, integrity, restore, settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import DAMAGED, DISK_FULL, UserError, environment_message

STAMP = "%Y%m%d-%H%M%S"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def identity(database: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(database)
    try:
        office = conn.execute("SELECT install_id, office_code, name FROM office").fetchone()
        keys = conn.execute("SELECT purpose, private_pem FROM identity_key ORDER BY purpose").fetchall()
        officials = conn.execute("SELECT count(*) FROM official").fetchone()[0]
    finally:
        conn.close()
    return office, tuple(keys), officials


# ------------------------------------------------------------------------------------------------ rotation


def test_rotation_keeps_10_recent_7_daily_4_weekly_12_monthly(tmp_path: Path) -> None:
    start = dt.datetime(2025, 1, 1)
    stamps = [start + dt.timedelta(hours=6 * i) for i in range(4 * 693)]  # 4 a day up to 2026-11-24 18:00
    assert stamps[-1] == dt.datetime(2026, 11, 24, 18)
    for stamp in stamps:
        (tmp_path / f"klaten-cadangan-{stamp.strftime(STAMP)}.sqlite").touch()
    premigration = tmp_path / "sebelum-migrasi-0001_initial-20250101-000000.sqlite"
    premigration.touch()

    backup.rotate(tmp_path)

    left = {backup.stamp_of(p.name) for p in tmp_path.glob("klaten-cadangan-*.sqlite")}
    recent = set(stamps[-10:])  # 22 Nov 12:00 .. 24 Nov 18:00
    daily = {dt.datetime(2026, 11, d, 18) for d in range(18, 25)}
    weekly = {dt.datetime(2026, 11, 24, 18), *(dt.datetime(2026, 11, d, 18) for d in (22, 15, 8))}  # Sundays
    monthly = (
        {dt.datetime(2026, 11, 24, 18)}
        | {
            dt.datetime(y, m, d, 18)
            for y, m, d in ((2026, 10, 31), (2026, 9, 30), (2026, 8, 31), (2026, 7, 31), (2026, 6, 30), (2026, 5, 31))
        }
        | {dt.datetime(y, m, d, 18) for y, m, d in ((2026, 4, 30), (2026, 3, 31), (2026, 2, 28), (2026, 1, 31))}
    )
    monthly.add(dt.datetime(2025, 12, 31, 18))
    assert left == recent | daily | weekly | monthly
    assert premigration.exists()  # pre-migration backups are never rotated away


def test_auto_backs_up_at_start_only_after_a_change_and_rotates(make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx()
    clock = FixedClock(dt.datetime(2026, 11, 24, 2, 0))
    ctx.clock = clock
    first = backup.auto(ctx, "mulai")
    assert first is not None and first.path.name.endswith("-mulai.sqlite")
    assert backup.auto(ctx, "berkala") is None  # nothing changed since
    settings.put(ctx, SYSTEM, "ekspor.pengingat_hari", 14)
    second = backup.auto(ctx, "berkala")
    assert second is not None and second.path != first.path
    assert backup.auto(ctx, "impor") is not None  # before an import: always
    # twelve more periodic backups, each 30 minutes later and after a change: rotation keeps 10 of the day
    for i in range(12):
        clock.moment = clock.moment + dt.timedelta(minutes=30)
        settings.put(ctx, SYSTEM, "ekspor.pengingat_hari", 20 + i)
        assert backup.auto(ctx, "berkala") is not None
    assert ctx.backups_dir is not None
    names = sorted(p.name for p in ctx.backups_dir.glob("klaten-cadangan-*.sqlite"))
    assert len(names) == 10
    assert not list(ctx.backups_dir.glob("*.part"))
    latest = backup.latest(ctx)
    assert latest is not None and latest.taken is not None
    local = (clock.moment.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)).replace(microsecond=0)
    assert latest.taken == local


def test_backup_is_checked_and_a_second_copy_goes_to_the_chosen_folder(ctx: ServiceContext, tmp_path: Path) -> None:
    stick = tmp_path / "flashdisk"
    stick.mkdir()
    backup.set_copy_folder(ctx, SYSTEM, stick)
    assert backup.copy_folder(ctx) == stick
    info = backup.copy_to(ctx, SYSTEM, stick)
    conn = sqlite3.connect(info.path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with pytest.raises(UserError, match="tidak ditemukan"):
        backup.copy_to(ctx, SYSTEM, tmp_path / "dicabut")


# ------------------------------------------------------------------------------------------------ restore


def test_restore_round_trip_keeps_current_identity_and_sets_the_old_file_aside(
    make_ctx: Callable[..., ServiceContext],
) -> None:
    ctx = make_ctx()
    demo.populate(ctx, SYSTEM, 20)
    saved = backup.create(ctx)
    demo_more = ctx.database
    assert demo_more is not None and ctx.backups_dir is not None
    # after the backup: more work, and (as on a PC whose identity was re-made) other keys than the backup holds
    conn = sqlite3.connect(demo_more)
    with conn:
        conn.execute("UPDATE office SET install_id = 'ffffffff-0000-4000-8000-000000000001'")
        conn.execute("UPDATE identity_key SET private_pem = 'KUNCI-SEKARANG-' || purpose")
        conn.execute("DELETE FROM enrollment")
    conn.close()
    current_office, current_keys, _ = identity(demo_more)
    ctx.dispose()
    # the last work sits committed in the -wal, as after a power cut (the process ends without closing)
    crash = (
        "import os, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM audit_log'); "
        "c.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", crash, str(demo_more)], check=True, timeout=60)
    assert demo_more.with_name("klaten.sqlite-wal").stat().st_size > 0

    result = restore.restore(demo_more, ctx.backups_dir, saved.path, now=dt.datetime(2026, 11, 24, 10, 0), actor=SYSTEM)

    assert result.identity_kept
    office_row, keys, officials = identity(demo_more)
    assert office_row == current_office and keys == current_keys  # the PC stays itself, not a clone
    assert officials == 20
    assert result.set_aside is not None and (result.set_aside / "klaten.sqlite").exists()
    kept = sqlite3.connect(result.set_aside / "klaten.sqlite")  # the -wal went with it: the last work is there
    assert kept.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    assert kept.execute("SELECT count(*) FROM enrollment").fetchone()[0] == 0
    kept.close()
    reopened = open_context(AppPaths(demo_more.parent))
    try:
        assert integrity.run(reopened).integrity_ok
    finally:
        reopened.dispose()


def test_restore_refuses_a_newer_or_damaged_backup_and_changes_nothing(ctx: ServiceContext, tmp_path: Path) -> None:
    assert ctx.database is not None and ctx.backups_dir is not None
    newer = backup.create(ctx, tmp_path / "baru.sqlite").path
    conn = sqlite3.connect(newer)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_masa_depan'")
    conn.close()
    damaged = backup.create(ctx, tmp_path / "rusak.sqlite").path
    with damaged.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xff" * 4096)
    ctx.dispose()
    before = digest(ctx.database)
    with pytest.raises(UserError, match="lebih baru"):
        restore.restore(ctx.database, ctx.backups_dir, newer, now=dt.datetime(2026, 11, 24), actor=SYSTEM)
    with pytest.raises(UserError, match="rusak"):
        restore.restore(ctx.database, ctx.backups_dir, damaged, now=dt.datetime(2026, 11, 24), actor=SYSTEM)
    assert digest(ctx.database) == before
    assert not list(ctx.database.parent.glob("*.pemulihan*"))


def test_instance_lock_has_one_holder(tmp_path: Path) -> None:
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    assert first.acquire()
    assert not second.acquire()
    assert in_use(tmp_path)
    first.release()
    assert not in_use(tmp_path)
    assert second.acquire()
    second.release()


# ------------------------------------------------------------------------------------------------ damaged files


def _paths_with(tmp_path: Path, content: Callable[[Path], None]) -> AppPaths:
    paths = AppPaths(tmp_path / "bermasalah")
    paths.data_dir.mkdir()
    content(paths.database)
    return paths


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE belanja (barang TEXT)")
        conn.execute("INSERT INTO belanja VALUES ('beras')")
    conn.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(b""), r"kosong \(0 byte\)"),
        (_foreign, "tabel yang tidak dikenal"),
        (lambda p: p.write_bytes(b"Ini bukan basis data, hanya teks biasa. " * 200), "rusak"),
    ],
    ids=["nol-byte", "sqlite-asing", "bukan-sqlite"],
)
def test_unusable_files_are_refused_untouched(tmp_path: Path, make: Callable[[Path], None], expected: str) -> None:
    paths = _paths_with(tmp_path, make)
    before = digest(paths.database)
    with pytest.raises(UserError, match=expected):
        open_context(paths)
    assert digest(paths.database) == before  # not replaced, not converted to WAL, nothing written
    assert not paths.database.with_name("klaten.sqlite-wal").exists()


def test_a_truncated_database_is_called_damaged(ctx: ServiceContext, tmp_path: Path) -> None:
    assert ctx.database is not None
    ctx.dispose()
    paths = _paths_with(tmp_path, lambda p: p.write_bytes(ctx.database.read_bytes()[:8192]))  # type: ignore[union-attr]
    with pytest.raises(UserError, match="rusak"):
        open_context(paths)


def test_check_reports_damaged_pages_and_repairs_index_damage(make_ctx: Callable[..., ServiceContext]) -> None:
    ctx = make_ctx()
    demo.populate(ctx, SYSTEM, 20)
    assert ctx.database is not None
    ctx.dispose()
    conn = sqlite3.connect(ctx.database)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_official_nik'")
    page = root.fetchone()
    nik = conn.execute("SELECT nik FROM official ORDER BY nik LIMIT 1").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert page is not None, "the official NIK index"
    raw = bytearray(ctx.database.read_bytes())
    start = (page[0] - 1) * size
    at = raw.index(nik.encode(), start, start + size)
    raw[at + 15] = ord("0") if raw[at + 15] != ord("0") else ord("1")  # one NIK in the index no longer matches
    ctx.database.write_bytes(bytes(raw))

    damaged = make_ctx()
    report = integrity.run(damaged)
    assert not report.integrity_ok and not report.ok
    assert integrity.only_index_damage(integrity.storage_damage(damaged))
    assert "check --repair" in report.findings[0].message
    assert integrity.quick_damage(damaged) is None or "index" in (integrity.quick_damage(damaged) or "")
    assert integrity.reindex(damaged, SYSTEM)
    assert integrity.run(damaged).integrity_ok


def test_environment_messages_tell_a_full_disk_from_a_damaged_file(tmp_path: Path) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    corrupt = sqlite3.DatabaseError("database disk image is malformed")
    corrupt.sqlite_errorcode = 11  # type: ignore[attr-defined]
    io_error = sqlite3.OperationalError("disk I/O error")
    io_error.sqlite_errorcode = 4874  # type: ignore[attr-defined]  # SQLITE_IOERR_SHMSIZE
    assert environment_message(full) == DISK_FULL
    assert environment_message(OSError(28, "No space left on device")) == DISK_FULL
    assert environment_message(corrupt) == DAMAGED
    assert environment_message(io_error, folder=tmp_path) != DISK_FULL  # this disk has room: not a full disk
    assert "rusak" not in (environment_message(io_error, folder=tmp_path) or "")
