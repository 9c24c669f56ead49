"""A failure at each step of a sync export: a package file exists only when its number is recorded, a failure
before the commit changes nothing, a failure after it leaves a recorded package that can be re-issued byte for
byte (issue #19)."""

from __future__ import annotations

import errno
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog
from klaten_desktop.db.models_sync import SyncPackage, SyncPackageArchive, SyncRowState
from klaten_desktop.services import files
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.sync import archive, export, package
from tests.sync.conftest import Offices


def _state(ctx: ServiceContext) -> tuple[object, ...]:
    with ctx.read() as session:
        packages = session.execute(select(SyncPackage.sequence, SyncPackage.sha256).order_by(SyncPackage.id)).all()
        rows = session.scalar(select(func.count()).select_from(SyncRowState))
        audits = session.scalar(select(func.count()).select_from(AuditLog))
        kept = session.scalars(select(SyncPackageArchive.sha256).order_by(SyncPackageArchive.sha256)).all()
    return tuple(packages), rows, audits, tuple(kept)


def _disk_full_at(call: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``call``-th flush of a written file finds the disk full (1: the archived copy, 2: the package under
    its temporary name, 3: the state file)."""
    real = files._sync_file
    calls = iter(range(1, 100))

    def flush(path: Path) -> None:
        if next(calls) == call:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path)

    monkeypatch.setattr(files, "_sync_file", flush)


def _fails(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.EIO, "Input/output error")


def _failing_record(real: Callable[..., None]) -> Callable[..., None]:
    def record(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)  # the package is in the transaction; the commit never comes
        raise EnvironmentProblem("Ruang disk penuh.")

    return record


#: Why the tests of the archive folder and the state file skip on a PostgreSQL server.
ARCHIVE_BESIDE_THE_FILE = (
    "the archive folder and the state file live beside the SQLite file; a server keeps the copies in its database"
)
BEFORE_COMMIT = ["seal", "archive copy", "temporary package", "recording"]


@pytest.mark.parametrize("step", BEFORE_COMMIT)
def test_a_failure_before_the_commit_changes_nothing_and_leaves_no_file(
    offices: Offices, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if offices.prambanan.on_server and step in ("archive copy", "temporary package"):
        pytest.skip("counts the files written beside the SQLite file (its archive copy); a server has none")
    p = offices.prambanan
    offices.receive(offices.send(p, "p1.klsync"))
    before = _state(p)
    listing = sorted(offices.folder.iterdir())
    if step == "seal":
        monkeypatch.setattr(package, "seal", _fails)
    elif step == "archive copy":
        _disk_full_at(1, monkeypatch)
    elif step == "temporary package":
        _disk_full_at(2, monkeypatch)
    else:
        monkeypatch.setattr(export, "_record", _failing_record(export._record))
    with pytest.raises((EnvironmentProblem, OSError)):
        export.export(p, SYSTEM, offices.path("p2.klsync"))
    assert _state(p) == before
    assert sorted(offices.folder.iterdir()) == listing  # no package, no temporary file
    monkeypatch.undo()
    again = export.export(p, SYSTEM, offices.path("p2.klsync"))
    assert again.sequence == 2  # the number was not used up
    assert offices.receive(again.path).sequence == 2


def test_a_failed_rename_after_the_commit_keeps_the_package_for_a_byte_identical_reissue(
    offices: Offices, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = offices.prambanan
    target = offices.path("p1.klsync")
    monkeypatch.setattr(files.Staged, "place", lambda self: _raise_environment(self.target))
    with pytest.raises(EnvironmentProblem, match=r"no\. 1 sudah tercatat.*sync reissue --seq 1"):
        export.export(p, SYSTEM, target)
    monkeypatch.undo()
    assert not target.exists()
    assert [f for f in offices.folder.iterdir() if f.suffix == ".tmp" or f.name.startswith(".")] == []
    (recorded,), _, _, kept = _state(p)
    assert kept == ((recorded[1],) if p.on_server else ())  # a server keeps the copy in its database
    copy = archive.reissue(p, SYSTEM, 1, offices.path("ulang-1.klsync"))
    assert hashlib.sha256(copy.path.read_bytes()).hexdigest() == recorded[1] == copy.sha256
    twice = archive.reissue(p, SYSTEM, 1, offices.path("ulang-1b.klsync"))
    assert twice.path.read_bytes() == copy.path.read_bytes()  # byte for byte, every time
    assert offices.receive(copy.path).tables["official"].created > 0
    assert offices.receive(twice.path).already_imported
    with p.read() as session:
        audits = session.scalars(select(AuditLog.action).where(AuditLog.action == "sync_reissue")).all()
    assert len(audits) == 2


def _raise_environment(target: Path) -> None:
    raise EnvironmentProblem(files.failure_message(OSError(errno.EIO, "io"), target))


def test_a_state_file_that_cannot_be_written_is_a_warning(offices: Offices, monkeypatch: pytest.MonkeyPatch) -> None:
    if offices.prambanan.on_server:
        pytest.skip(ARCHIVE_BESIDE_THE_FILE)
    _disk_full_at(3, monkeypatch)
    result = export.export(offices.prambanan, SYSTEM, offices.path("p1.klsync"))
    assert result.path.exists() and result.sequence == 1
    assert any("status-sinkron.json" in w for w in result.warnings)


def _change_copy(ctx: ServiceContext, sha: str, data: bytes | None) -> None:
    """Change (``data``) or lose (None) the archived copy of package ``sha``, wherever this engine keeps it."""
    if ctx.on_server:
        with ctx.write() as session:
            row = session.get(SyncPackageArchive, sha)
            assert row is not None
            if data is None:
                session.delete(row)
            else:
                row.data = data
        return
    copy = archive.archived(ctx, sha)
    assert copy is not None
    if data is None:
        copy.unlink()
    else:
        copy.write_bytes(data)


def test_reissue_refuses_an_unknown_number_or_a_lost_copy(offices: Offices) -> None:
    p = offices.prambanan
    sent = export.export(p, SYSTEM, offices.path("p1.klsync"))
    with pytest.raises(UserError, match="belum pernah dibuat"):
        archive.reissue(p, SYSTEM, 7, offices.path("x.klsync"))
    _change_copy(p, sent.sha256, b"changed")
    with pytest.raises(UserError, match="tidak dapat diterbitkan ulang"):
        archive.reissue(p, SYSTEM, 1, offices.path("x.klsync"))
    assert not offices.path("x.klsync").exists()
    assert archive.sent_sequences(p) == [1]
    _change_copy(p, sent.sha256, None)
    assert archive.sent_sequences(p) == []
    with pytest.raises(UserError, match="paket lengkap"):
        archive.reissue(p, SYSTEM, 1, offices.path("x.klsync"))


def test_on_a_server_the_copy_is_in_the_recording_transaction(
    offices: Offices, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = offices.prambanan
    if not p.on_server:
        pytest.skip("a server's archive table; an SQLite PC keeps the copies in its folder (tested above)")
    first = export.export(p, SYSTEM, offices.path("p1.klsync"))
    monkeypatch.setattr(export, "_record", _failing_record(export._record))
    with pytest.raises(EnvironmentProblem):
        export.export(p, SYSTEM, offices.path("p2.klsync"))
    monkeypatch.undo()
    assert _state(p)[3] == (first.sha256,)  # the copy went with the rolled-back record
    assert archive.folder(p) is None and not (p.database and p.database.parent.joinpath("arsip-sinkron").exists())
    second = export.export(p, SYSTEM, offices.path("p2.klsync"))
    assert sorted(_state(p)[3]) == sorted([first.sha256, second.sha256])
    assert archive.sent_sequences(p) == [1, 2]
    again = archive.reissue(p, SYSTEM, 2, offices.path("ulang-2.klsync"))
    assert again.path.read_bytes() == second.path.read_bytes()


def test_an_archived_copy_left_by_an_export_that_did_not_commit_goes_at_the_next_export(
    offices: Offices, monkeypatch: pytest.MonkeyPatch
) -> None:
    if offices.prambanan.on_server:
        pytest.skip(ARCHIVE_BESIDE_THE_FILE)
    p = offices.prambanan
    first = export.export(p, SYSTEM, offices.path("p1.klsync"))
    monkeypatch.setattr(export, "_record", _failing_record(export._record))
    with pytest.raises(EnvironmentProblem):
        export.export(p, SYSTEM, offices.path("p2.klsync"))
    monkeypatch.undo()
    folder = archive.folder(p)
    assert folder is not None
    assert len(list(folder.glob("*.klsync"))) == 2  # the copy of the package that was never recorded
    second = export.export(p, SYSTEM, offices.path("p2.klsync"))
    assert sorted(f.stem for f in folder.glob("*.klsync")) == sorted([first.sha256, second.sha256])
