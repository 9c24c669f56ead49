"""Backups on the PostgreSQL server (issue #21): pg_dump -Fc through the file writer, checked with pg_restore --list,
rotated like the file's; restore all-or-nothing, keeping the office identity; who may back up and restore (on
both engines); a clear message when the client tools are missing. Runs on the real server (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from klaten_desktop import cli
from klaten_desktop.app import open_context
from klaten_desktop.db.migrate import KNOWN_REVISIONS
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import accounts, audit, audit_chain, backup, demo, integrity, pg_tools, restore
from klaten_desktop.services.access import AccessDenied
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.sync import archive, continuity, export
from klaten_desktop.services.sync.importer import import_package
from tests.conftest import TEST_ADMIN, TODAY, _make_template
from tests.sync.conftest import exchange_keys

HEAD_REVISION = KNOWN_REVISIONS[-1]

OPERATOR = Actor("oki", "Oki Operator", "operator")
VIEWER = Actor("pia", "Pia Pembaca", "pembaca")
NOW = dt.datetime(2026, 11, 24, 10, 0)


@pytest.fixture
def server(pg_databases: Any, tmp_path: Path) -> Iterator[tuple[ServiceContext, str, AppPaths]]:
    """A Prambanan office with 20 officials on a fresh server database; this PC's data folder."""
    url = pg_databases.create()
    paths = AppPaths(tmp_path / "pc", database_url=url)
    _make_template(paths, "kecamatan")
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    demo.populate(ctx, SYSTEM, 20, seed=5)
    yield ctx, url, paths
    ctx.dispose()
    pg_databases.drop(url)


def _sql(url: str, statement: str) -> Any:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def _forget_enrollments(url: str) -> None:
    _sql(url, "DELETE FROM contribution_payment")
    _sql(url, "DELETE FROM enrollment")


def _state(url: str) -> tuple[Any, ...]:
    """What a restore changes: counts of the registry, the keys, the tables present."""
    return (
        _sql(url, "SELECT count(*) FROM official")[0][0],
        _sql(url, "SELECT count(*) FROM enrollment")[0][0],
        sorted(_sql(url, "SELECT purpose, private_pem FROM identity_key")),
        sorted(r[0] for r in _sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")),
    )


def test_backup_is_a_checked_pg_dump_archive_in_the_backup_folder(
    server: tuple[ServiceContext, str, AppPaths],
) -> None:
    ctx, _url, paths = server
    info = backup.make(ctx, OPERATOR)
    assert info.path.parent == paths.backups and info.path.suffix == ".dump"
    assert info.path.name.startswith("klaten-cadangan-") and info.taken is not None
    if sys.platform != "win32":
        assert stat.S_IMODE(info.path.stat().st_mode) == 0o600  # it holds every NIK
    assert pg_tools.archive_revision(info.path) == HEAD_REVISION
    listed = subprocess.run(["pg_restore", "--list", str(info.path)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public official " in listed.stdout
    assert backup.listing(ctx) == [backup.list_folder(paths.backups)[0]] and backup.latest(ctx) == info
    assert not [p for p in paths.backups.iterdir() if p != info.path]  # no temporary file left beside it
    assert backup.auto(ctx, "impor") is None  # the automatic ones are the server's scheduled pg_dump
    with pytest.raises(UserError, match=r"berakhiran \.dump"):
        backup.make(ctx, OPERATOR, paths.data_dir / "salah.sqlite")
    entry = audit.recent(ctx, limit=1)[0]
    assert (entry.action, entry.actor) == ("backup", "oki") and info.path.name in (entry.summary or "")


def test_server_backups_are_rotated_like_the_files(tmp_path: Path) -> None:
    start = dt.datetime(2026, 11, 24, 8, 0)
    for minute in range(15):
        stamp = (start + dt.timedelta(minutes=minute)).strftime("%Y%m%d-%H%M%S")
        (tmp_path / f"klaten-cadangan-{stamp}.dump").write_bytes(b"x")
    (tmp_path / "klaten-cadangan-20261124-070000-pemulihan.dump").write_bytes(b"x")
    removed = backup.rotate(tmp_path)
    # the 10 newest stay (the newest of the day, week and month among them); the 6 older ones go
    assert [p.name for p in removed] == [
        "klaten-cadangan-20261124-070000-pemulihan.dump",
        *(f"klaten-cadangan-20261124-08{m:02d}00.dump" for m in range(5)),
    ]
    assert len(backup.list_folder(tmp_path)) == 10


def test_restore_puts_the_backup_back_and_keeps_the_office_identity(
    server: tuple[ServiceContext, str, AppPaths],
) -> None:
    ctx, url, paths = server
    saved = backup.make(ctx, TEST_ADMIN)
    backed_up = _state(url)
    # after the backup: more work, other keys (as after the identity was re-made), and a stray table
    accounts.add_user(ctx, SYSTEM, "budi", "Budi Santoso", "admin", "sandi-admin-2")
    _forget_enrollments(url)
    _sql(url, "UPDATE identity_key SET private_pem = 'KUNCI-SEKARANG-' || purpose")
    _sql(url, "CREATE TABLE catatan_lain (id integer)")
    _sql(url, "ALTER TABLE identity_key ADD COLUMN catatan text")  # as a newer version might have (the backup lacks it)
    current_keys = _state(url)[2]
    ctx.dispose()

    result = restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=TEST_ADMIN)

    officials, enrollments, keys, tables = _state(url)
    assert (officials, enrollments) == backed_up[:2]
    assert _sql(url, "SELECT count(*) FROM app_user WHERE username = 'budi'")[0][0] == 0
    assert keys == current_keys  # the installation stays itself
    assert tables == backed_up[3]  # what the backup did not hold is gone
    assert result.identity_kept and result.revision == HEAD_REVISION
    assert result.safety_copy is not None and result.safety_copy.name.endswith("-pemulihan.dump")
    assert pg_tools.archive_revision(result.safety_copy) == HEAD_REVISION
    triggers = _sql(url, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'trg_enrollment_%'")
    assert triggers[0][0] == 3  # the coverage triggers and their function came back with the archive
    reopened = open_context(paths, clock=ShiftedClock.on(TODAY))
    try:
        report = integrity.run(reopened)
        assert report.ok and "coverage_summary" not in {f.code for f in report.findings}
        assert audit_chain.verify(reopened).broken is None
        # the sequences came back with the data: new rows get new ids
        accounts.add_user(reopened, SYSTEM, "budi", "Budi Santoso", "admin", "sandi-admin-2")
        assert audit_chain.verify(reopened).broken is None
    finally:
        reopened.dispose()


def test_a_restore_failing_midway_changes_nothing(
    server: tuple[ServiceContext, str, AppPaths], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, url, paths = server
    saved = backup.make(ctx, TEST_ADMIN)
    _forget_enrollments(url)
    before = _state(url)
    real = restore._server_scripts

    def failing(current: Any, restored_at: str) -> tuple[str, str]:
        first, last = real(current, restored_at)
        return first, last + "\nSELECT 1 / 0;"  # after the tables were dropped and the archive loaded

    monkeypatch.setattr(restore, "_server_scripts", failing)
    with pytest.raises(EnvironmentProblem, match="seluruh pemulihan dibatalkan"):
        restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=TEST_ADMIN)
    assert _state(url) == before


def test_pg_restore_stopping_partway_changes_nothing(
    server: tuple[ServiceContext, str, AppPaths], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pg_restore dies halfway through its script (a disk error reading the archive): psql loaded half of it inside
    the transaction, COMMIT never came, and the server is as it was."""
    ctx, url, paths = server
    saved = backup.make(ctx, TEST_ADMIN)
    real = pg_tools.find("pg_restore")
    assert real is not None
    args = [str(real), "--no-owner", "--no-privileges", "--file=-", str(saved.path)]  # as the restore runs it
    whole = subprocess.run(args, capture_output=True, check=True).stdout
    # cut between two statements (the worst case: what psql read so far is a valid, partial restore)
    cut = whole.index(b"\n--\n-- Data for Name: official;")
    fake = tmp_path / "pg_restore"
    fake.write_text(f'#!/bin/sh\n"{real}" "$@" | head -c {cut}\nexit 1\n', encoding="utf-8")
    fake.chmod(0o755)
    choose = pg_tools.require
    monkeypatch.setattr(
        pg_tools,
        "require",
        lambda name, purpose: fake if (name, purpose) == ("pg_restore", restore.PURPOSE) else choose(name, purpose),
    )
    _forget_enrollments(url)
    before = _state(url)
    with pytest.raises(EnvironmentProblem, match="seluruh pemulihan dibatalkan"):
        restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=TEST_ADMIN)
    assert _state(url) == before


def test_a_file_that_is_not_a_server_backup_is_refused(server: tuple[ServiceContext, str, AppPaths]) -> None:
    _ctx, url, paths = server
    sqlite_copy = paths.data_dir / "bukan.dump"
    sqlite_copy.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = _state(url)
    with pytest.raises(UserError, match="bukan cadangan server yang utuh"):
        restore.restore_server(url, paths.backups, sqlite_copy, now=NOW, actor=TEST_ADMIN)
    other = paths.data_dir / "lain.dump"
    subprocess.run(["pg_dump", "-Fc", "-f", str(other), "-t", "wilayah", url.replace("+psycopg", "")], check=True)
    with pytest.raises(UserError, match="bukan cadangan basis data Klaten Desktop"):
        restore.verify_server_backup(other)
    assert _state(url) == before


def test_missing_client_tools_are_named_in_indonesian(
    server: tuple[ServiceContext, str, AppPaths], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, url, paths = server
    saved = backup.make(ctx, TEST_ADMIN)
    monkeypatch.setattr(pg_tools, "find", lambda _name: None)
    with pytest.raises(EnvironmentProblem, match="pg_dump") as made:
        backup.make(ctx, TEST_ADMIN)
    assert "postgresql-client" in made.value.message and "Command Line Tools" in made.value.message
    assert backup.listing(ctx) == [saved]
    with pytest.raises(EnvironmentProblem, match="pg_restore"):
        restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=TEST_ADMIN)


def test_who_may_back_up_and_restore_on_the_server(server: tuple[ServiceContext, str, AppPaths]) -> None:
    ctx, url, paths = server
    with pytest.raises(AccessDenied, match="membuat cadangan"):
        backup.make(ctx, VIEWER)
    with pytest.raises(AccessDenied):
        backup.copy_to(ctx, VIEWER, paths.data_dir)
    saved = backup.make(ctx, OPERATOR)
    assert backup.copy_to(ctx, OPERATOR, paths.data_dir).path.suffix == ".dump"
    before = _state(url)
    with pytest.raises(AccessDenied, match="memulihkan cadangan"):
        restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=OPERATOR)
    assert _state(url) == before and backup.listing(ctx) == [saved]  # refused before the safety copy


def test_who_may_back_up_and_restore_on_the_file(tmp_path: Path) -> None:
    paths = AppPaths(tmp_path / "pc")  # the SQLite file, whatever engine --db gives the ctx fixture
    _make_template(paths, "kecamatan")
    ctx = open_context(paths, clock=ShiftedClock.on(TODAY))
    assert ctx.database is not None and ctx.backups_dir is not None
    with pytest.raises(AccessDenied, match="membuat cadangan"):
        backup.make(ctx, VIEWER)
    saved = backup.make(ctx, OPERATOR)
    assert saved.path.suffix == ".sqlite"
    ctx.dispose()
    before = ctx.database.read_bytes()
    with pytest.raises(AccessDenied, match="memulihkan cadangan"):
        restore.restore(ctx.database, ctx.backups_dir, saved.path, now=NOW, actor=OPERATOR)
    with pytest.raises(AccessDenied):
        restore.restore(ctx.database, ctx.backups_dir, saved.path, now=NOW, actor=VIEWER)
    assert ctx.database.read_bytes() == before and not list(ctx.backups_dir.glob("disisihkan-*"))


def _cli(paths: AppPaths, *argv: str) -> tuple[int, str, str]:
    """As ``app.main`` runs it: a folder command on the data folder, else a command over the opened database."""
    out, err = io.StringIO(), io.StringIO()
    args = cli.parse(["--data-dir", str(paths.data_dir), "--db-url", paths.database_url or "", *argv])
    if getattr(args, "folder_handler", None) is not None:
        return cli.run_on_folder(args, paths, out=out, err=err), out.getvalue(), err.getvalue()
    ctx = open_context(paths)
    try:
        return cli.run(args, ctx, out=out, err=err), out.getvalue(), err.getvalue()
    finally:
        ctx.dispose()


def test_backup_and_restore_commands_on_the_server(
    server: tuple[ServiceContext, str, AppPaths], monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, url, paths = server
    ctx.dispose()
    code, out, err = _cli(paths, "backup", "--json")
    assert (code, err) == (0, "")
    made = json.loads(out)
    assert made["berkas"].endswith(".dump") and made["ukuran"] > 0
    code, out, _ = _cli(paths, "backup", "list", "--json")
    assert [b["berkas"] for b in json.loads(out)["cadangan"]] == [made["berkas"]]
    _forget_enrollments(url)
    code, out, err = _cli(paths, "restore", made["berkas"], "--yes", "--json")
    assert (code, err) == (0, "")
    restored = json.loads(out)
    assert restored["identitas_kantor_dipertahankan"] and restored["cadangan_sebelum_pemulihan"].endswith(".dump")
    assert restored["sinkronisasi"]["paket_terkirim_dilanjutkan"] == []
    assert _sql(url, "SELECT count(*) FROM enrollment")[0][0] > 0
    # once accounts exist: an operator may back up, only an admin restores
    monkeypatch.setenv("KLATEN_NEW_PASSWORD", "sandi-admin-1")
    assert _cli(paths, "users", "add", "ana", "--nama", "Ana Lestari", "--peran", "admin")[0] == 0
    monkeypatch.setenv("KLATEN_NEW_PASSWORD", "sandi-operator-1")
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-admin-1")
    code, _, err = _cli(paths, "--user", "ana", "users", "add", "oki", "--nama", "Oki", "--peran", "operator")
    assert code == 0, err
    monkeypatch.setenv("KLATEN_PASSWORD", "sandi-operator-1")
    code, out, err = _cli(paths, "--user", "oki", "backup", "--json")
    assert code == 0, err
    code, _, err = _cli(paths, "--user", "oki", "restore", made["berkas"], "--yes")
    assert code == 1 and "Akses ditolak" in err and "memulihkan cadangan" in err


def _sent(url: str, sequence: int) -> None:
    _sql(
        url,
        "INSERT INTO sync_package (direction, kind, sender_install, sender_office, recipient_install, "
        'recipient_office, sequence, previous_sha256, sha256, "full", counts, app_version, schema_version, '
        f"created_at, file_name, recorded_at) SELECT 'sent', 'data', install_id, office_code, 'kabupaten-uji', "
        f"'33.10', {sequence}, NULL, repeat('{sequence}', 64), 0, '{{}}', '1.0', '{HEAD_REVISION}', "
        f"'2026-11-24T0{sequence}:00:00', 'p{sequence}.klsync', TIMESTAMP '2026-11-24 0{sequence}:00:00' "
        "FROM office WHERE id = 1",
    )


def test_restore_carries_the_sent_packages_forward(server: tuple[ServiceContext, str, AppPaths]) -> None:
    ctx, url, paths = server
    _sent(url, 1)
    saved = backup.make(ctx, TEST_ADMIN)  # the backup knows package 1 only
    _sent(url, 2)
    ctx.dispose()
    result = restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=TEST_ADMIN)
    assert result.sync.added == (("33.10", 2),)
    assert result.as_json()["sinkronisasi"]["paket_terkirim_dilanjutkan"] == [{"tujuan": "33.10", "nomor": 2}]
    sent = _sql(url, "SELECT sequence, sha256 FROM sync_package WHERE direction = 'sent' ORDER BY sequence")
    assert [(n, h[:1]) for n, h in sent] == [(1, "1"), (2, "2")]
    reopened = open_context(paths, clock=ShiftedClock.on(TODAY))
    try:
        with reopened.write() as session:
            restored = continuity.take_restored(session, "kabupaten-uji")
        assert restored is not None and restored["last_sequence_in_backup"] == 1
        assert restored["restored_at"].startswith("2026-11-24")
        with reopened.write() as session:  # used up by the next package of the stream
            assert continuity.take_restored(session, "kabupaten-uji") is None
    finally:
        reopened.dispose()


def test_restore_keeps_the_copies_of_the_sent_packages_for_a_reissue(
    server: tuple[ServiceContext, str, AppPaths], tmp_path: Path
) -> None:
    """Real packages: the copy of one sent after the backup (the backup lacks it) survives the restore with its
    record, is re-issued byte for byte, and the next package continues the stream, marked as restored."""
    ctx, url, paths = server
    regency_paths = AppPaths(tmp_path / "kab")
    _make_template(regency_paths, "kabupaten")
    regency = open_context(regency_paths, clock=ShiftedClock.on(TODAY))
    try:
        exchange_keys(ctx, regency, tmp_path / "flashdisk")
        first = export.export(ctx, SYSTEM, tmp_path / "p1.klsync")
        saved = backup.make(ctx, TEST_ADMIN)  # the backup knows package 1 and its copy
        second = export.export(ctx, SYSTEM, tmp_path / "p2.klsync")
        ctx.dispose()
        result = restore.restore_server(url, paths.backups, saved.path, now=NOW, actor=TEST_ADMIN)
        assert result.sync.added == ((second.recipient_office, 2),)
        kept = _sql(url, "SELECT a.sha256 FROM sync_package_archive a ORDER BY 1")
        assert sorted(r[0] for r in kept) == sorted([first.sha256, second.sha256])
        reopened = open_context(paths, clock=ShiftedClock.on(TODAY))
        try:
            assert archive.sent_sequences(reopened) == [1, 2]
            again = archive.reissue(reopened, TEST_ADMIN, 2, tmp_path / "ulang-2.klsync")
            assert again.path.read_bytes() == second.path.read_bytes()
            third = export.export(reopened, SYSTEM, tmp_path / "p3.klsync")
            assert third.sequence == 3
        finally:
            reopened.dispose()
        # the regency takes the re-issued copy and the next package as the same installation, told of the restore
        assert import_package(regency, SYSTEM, first.path).sequence == 1
        assert import_package(regency, SYSTEM, again.path).sequence == 2
        continued = import_package(regency, SYSTEM, third.path)
        assert continued.sequence == 3 and any("dipulihkan dari cadangan" in w for w in continued.warnings)
    finally:
        regency.dispose()
