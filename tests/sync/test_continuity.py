"""A restore keeps the sync stream going; a clone is still refused; skipping a number no longer gets past the check;
the regency can re-base a stream after an explicit decision (issue #19)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from klaten_desktop.app import open_context
from klaten_desktop.db.models import AuditLog, Official
from klaten_desktop.db.models_sync import SyncPackage
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import backup, officials, restore
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import continuity
from klaten_desktop.services.sync.package import PackageRejected
from tests.sync.conftest import PRAMBANAN, Offices, exchange_keys, new_kecamatan, snapshot

REGENCY = "33.10"


def _edit(ctx: ServiceContext, phone: str, *, offset: int = 0) -> None:
    with ctx.read() as session:
        official_id = session.scalars(
            select(Official.id).where(Official.deleted_at.is_(None)).order_by(Official.nik).offset(offset).limit(1)
        ).one()
    detail = officials.get(ctx, official_id)
    fields = dataclasses.replace(officials.fields_of(detail), telepon=phone)
    officials.update_official(ctx, SYSTEM, official_id, fields, expected_version=detail.row_version)


def _received(ctx: ServiceContext) -> dict[int, str]:
    with ctx.read() as session:
        rows = session.execute(
            select(SyncPackage.sequence, SyncPackage.sha256).where(SyncPackage.direction == "received")
        )
        return dict(rows.tuples().all())


def _restore(ctx: ServiceContext, source: Path) -> tuple[ServiceContext, restore.RestoreResult]:
    """Close ``ctx`` (if still open), restore ``source`` over its database and open it again."""
    assert ctx.database is not None and ctx.backups_dir is not None
    database, backups_dir, clock = ctx.database, ctx.backups_dir, ctx.clock
    ctx.dispose()
    result = restore.restore(database, backups_dir, source, now=dt.datetime(2026, 11, 24, 10, 0), actor=SYSTEM)
    return open_context(AppPaths(database.parent), clock=clock), result


def _diverged(offices: Offices) -> tuple[ServiceContext, Path]:
    """Prambanan sent 1 and 2 (both imported), then restored a backup made after 1 without its state file
    (the data folder was lost): the restored PC is back at package 1; returns it and its backup."""
    p = offices.prambanan
    offices.receive(offices.send(p, "p1.klsync"))
    saved = backup.create(p)
    _edit(p, "081200000001")
    offices.receive(offices.send(p, "p2.klsync"))
    _lose_current(p, state_too=True)
    restored, _ = _restore(offices.prambanan, saved.path)
    return restored, saved.path


def _lose_current(ctx: ServiceContext, *, state_too: bool) -> None:
    """The current database is gone (an empty file), and with ``state_too`` the state file as well."""
    assert ctx.database is not None
    database = ctx.database
    ctx.dispose()
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    database.write_bytes(b"")
    if state_too:
        continuity.state_path(database.parent).unlink()


@pytest.fixture(autouse=True)
def _sqlite_file_only(offices: Offices) -> None:
    if offices.prambanan.on_server:
        pytest.skip("a PC restored from an SQLite backup or copy, and the state file beside the file: SQLite only")


def test_restore_then_export_continues_the_stream_and_the_regency_accepts_it(offices: Offices) -> None:
    p = offices.prambanan
    offices.receive(offices.send(p, "p1.klsync"))
    saved = backup.create(p)  # the backup knows package 1 only
    _edit(p, "081200000002")
    offices.receive(offices.send(p, "p2.klsync"))
    _edit(p, "081200000003", offset=1)
    offices.receive(offices.send(p, "p3.klsync"))
    restored, result = _restore(p, saved.path)
    try:
        assert result.sync.added == ((REGENCY, 2), (REGENCY, 3))
        _edit(restored, "081200000004", offset=2)
        path = offices.path("p4.klsync")
        from klaten_desktop.services.sync.export import export

        sent = export(restored, SYSTEM, path)
        assert sent.sequence == 4  # continues after the newest package really sent, not after the backup's 1
        imported = offices.receive(path)
        assert imported.tables["official"].updated >= 1
        assert any("dipulihkan dari cadangan" in w and "no. 2–3" in w for w in imported.warnings)
        assert sorted(_received(offices.regency)) == [1, 2, 3, 4]
        # the mark is used up: the next package is an ordinary one
        offices.receive(offices.send(restored, "p5.klsync"))
        assert not any("dipulihkan" in w for w in offices.receive(offices.path("p5.klsync")).warnings)
    finally:
        restored.dispose()


def test_the_state_file_alone_carries_the_stream_when_the_current_database_is_unreadable(offices: Offices) -> None:
    p = offices.prambanan
    offices.receive(offices.send(p, "p1.klsync"))
    saved = backup.create(p)
    offices.receive(offices.send(p, "p2.klsync"))
    _lose_current(p, state_too=False)  # only the state file in arsip-sinkron/ remains
    restored, result = _restore(p, saved.path)
    try:
        assert result.sync.state_file_used and [n for _, n in result.sync.added] == [2]
        imported = offices.receive(offices.send(restored, "p3.klsync"))
        assert imported.sequence == 3 and any("dipulihkan" in w for w in imported.warnings)
    finally:
        restored.dispose()


def test_a_tampered_state_file_is_not_used(offices: Offices) -> None:
    p = offices.prambanan
    offices.receive(offices.send(p, "p1.klsync"))
    saved = backup.create(p)
    offices.receive(offices.send(p, "p2.klsync"))
    assert p.database is not None
    state = continuity.state_path(p.database.parent)
    data = json.loads(state.read_text(encoding="utf-8"))
    data["packages"][-1]["sequence"] = 9
    state.write_text(json.dumps(data), encoding="utf-8")
    _lose_current(p, state_too=False)
    restored, result = _restore(p, saved.path)
    restored.dispose()
    assert result.sync.added == () and result.sync.state_file_refused
    assert "tidak cocok dengan kunci" in result.sync.message


def test_a_clone_is_still_refused_and_skipping_a_number_does_not_get_past(offices: Offices) -> None:
    restored, _ = _diverged(offices)
    try:
        before = snapshot(offices.regency)
        with pytest.raises(PackageRejected, match="dua salinan instalasi"):
            offices.receive(offices.send(restored, "c2.klsync"))  # number 2 again, other bytes
        with pytest.raises(PackageRejected, match=r"previous_sha256 paket no\. 3"):
            offices.receive(offices.send(restored, "c3.klsync"))
        # the loophole: number 4 follows a 3 the regency does not hold, so previous_sha256 proves nothing; the
        # hashes the package names for its whole stream do
        with pytest.raises(PackageRejected, match=r"paket no\. 4 menyebut SHA-256 paket no\. 2 yang") as refused:
            offices.receive(offices.send(restored, "c4.klsync"))
        assert "terima-rebase" in str(refused.value)
        assert snapshot(offices.regency) == before
        assert sorted(_received(offices.regency)) == [1, 2]
    finally:
        restored.dispose()


def test_the_regency_rebases_a_stream_after_a_dry_run_showing_what_it_replaces(offices: Offices) -> None:
    restored, _ = _diverged(offices)
    try:
        old = _received(offices.regency)
        path = offices.send(restored, "c2.klsync")
        plan = offices.receive(path, rebase=True, dry_run=True)
        assert [(r.sequence, r.sha256) for r in plan.replaced] == [(2, old[2])]
        assert _received(offices.regency) == old  # the dry run changed nothing
        done = offices.receive(path, rebase=True)
        assert [r.sequence for r in done.replaced] == [2]
        assert any("diganti oleh paket no. 2" in w for w in done.warnings)
        assert _received(offices.regency)[2] != old[2]
        offices.receive(offices.send(restored, "c3.klsync"))  # the new stream goes on without a decision
        with offices.regency.read() as session:
            replaced = session.scalars(select(AuditLog.old_values).where(AuditLog.action == "sync_rebase")).one()
        assert old[2] in (replaced or "")
    finally:
        restored.dispose()


def test_a_rebase_is_only_for_the_same_installation(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    other = new_kecamatan(offices.make_ctx, "prambanan-lain", PRAMBANAN, "Kecamatan Prambanan")
    exchange_keys(other, offices.regency, offices.folder / "lain")
    with pytest.raises(PackageRejected, match="instalasi lain"):
        offices.receive(offices.send(other, "o1.klsync"), rebase=True)
