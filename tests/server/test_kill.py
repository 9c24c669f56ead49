"""A PC killed in the middle of a write transaction on the server (issue #21): an import of officials, a batch
payment of a desa. Each runs in its own process (tests/server/worker.py), stops inside its transaction after part of
its rows are written (a test-only hook says what the transaction then holds), and is killed there with SIGKILL. The
server rolls the transaction back: every table's rows are as before, the audit chain is whole, no batch is there in
part, and nothing is left holding a lock, so the next PC's import or payment goes through as usual.

The SQLite counterpart (a killed process on the data folder) is tests/faults/test_kill_registry.py.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from klaten_desktop.db.models import ContributionPayment, Enrollment, Official
from klaten_desktop.services import audit_chain, demo, integrity
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.conftest import SENGON
from tests.server.conftest import PATIENCE_S, Office, locks_of_others, rt_workbook, table_digests

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX; the server tests run on Linux")

NEW_OFFICIALS = 300
MONTHS = ("2026-12", "2027-06")


def _backend(ctx: ServiceContext, pid: int) -> tuple[str, int] | None:
    """The state of the server process ``pid`` and how many locks it holds (None once it is gone)."""
    with ctx.read() as session:
        state = session.scalar(text("SELECT state FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid})
        locks = session.scalar(text("SELECT count(*) FROM pg_locks WHERE pid = :pid"), {"pid": pid})
    return None if state is None else (str(state), int(locks or 0))


def _stopped_inside(pcs: Office, proc: subprocess.Popen[str]) -> dict[str, int]:
    """Wait until ``proc`` has stopped inside its transaction; what its transaction held there."""
    inside = pcs.folder / "inside"
    deadline = time.monotonic() + PATIENCE_S
    while not inside.exists():
        assert proc.poll() is None, f"the work ended before its stop: {proc.communicate()}"
        assert time.monotonic() < deadline, "the worker never reached its stop"
        time.sleep(0.01)
    held: dict[str, int] = json.loads(inside.read_text())
    return held


def _gone(ctx: ServiceContext, pid: int) -> None:
    """Wait until the server has noticed the lost client and ended its process (the transaction rolled back)."""
    deadline = time.monotonic() + PATIENCE_S
    while _backend(ctx, pid) is not None:
        assert time.monotonic() < deadline, f"server process {pid} of the killed PC is still there"
        time.sleep(0.02)


def _busiest_paying_desa(ctx: ServiceContext) -> str:
    """The desa (not Sengon, where the import goes) with the most open registered enrollments."""
    with ctx.read() as session:
        counts = session.execute(
            select(Official.desa_kode, func.count())
            .join(Enrollment, Enrollment.official_id == Official.id)
            .where(
                Official.deleted_at.is_(None),
                Official.desa_kode != SENGON,
                Enrollment.registered_on.is_not(None),
                Enrollment.ended_on.is_(None),
            )
            .group_by(Official.desa_kode)
            .order_by(func.count().desc(), Official.desa_kode)
        ).first()
    assert counts is not None
    return str(counts[0])


@pytest.mark.parametrize("work", ["import", "payment"])
def test_a_pc_killed_inside_its_write_transaction_leaves_the_database_as_it_was(
    ctx: ServiceContext, pcs: Office, tmp_path: Path, work: str
) -> None:
    demo.populate(ctx, SYSTEM, 240)
    book = rt_workbook(tmp_path / "rt-sengon.xlsx", NEW_OFFICIALS)
    desa = _busiest_paying_desa(ctx)
    if work == "import":  # stopped after the officials' INSERT, before their audit entries and the import's own
        table, nth, job = "official", 1, ["import_officials", str(book), SENGON]
    else:  # stopped after the second enrollment's payments of the desa's one batch
        table, nth, job = "contribution_payment", 2, ["pay", desa, *MONTHS]
    chain_before = audit_chain.verify(ctx)
    assert chain_before.broken is None
    before = table_digests(ctx)
    proc = pcs.start("stalled", str(pcs.folder), table, str(nth), *job)
    pcs.go(1)
    held = _stopped_inside(pcs, proc)

    # really inside: its transaction holds rows nobody else sees yet, and the server process holds locks for it
    assert held["rows"] > before[table][0]
    state = _backend(ctx, held["backend"])
    assert state is not None and state[0] == "idle in transaction" and state[1] > 0, state
    assert table_digests(ctx) == before

    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=PATIENCE_S)
    assert proc.returncode == -signal.SIGKILL
    _gone(ctx, held["backend"])

    assert table_digests(ctx) == before  # every row of every table: no part of the import or of the batch
    chain = audit_chain.verify(ctx)
    assert chain.broken is None and chain.entries == chain_before.entries
    assert locks_of_others(ctx) == []
    report = integrity.run(ctx)
    assert report.ok, report.findings

    # the next PC works as usual: the same import and the same batch, whole
    importer = pcs.cli("import-officials", str(book), "--desa", SENGON, "--json")
    imported = pcs.result(importer)
    assert imported["created"] == NEW_OFFICIALS and imported["rejected"] == [], imported
    (batch,) = pcs.result(pcs.start("pay", desa, *MONTHS))
    assert batch["recorded"] > 0
    with ctx.read() as session:
        assert (
            session.scalar(select(func.count()).where(ContributionPayment.batch_id == batch["batch_id"]))
            == (batch["recorded"])
        )
        assert (
            session.scalar(select(func.count()).select_from(ContributionPayment))
            == before["contribution_payment"][0] + batch["recorded"]
        )
        assert session.scalar(select(func.count()).select_from(Official)) == before["official"][0] + NEW_OFFICIALS
    chain = audit_chain.verify(ctx)
    assert chain.broken is None and chain.entries > chain_before.entries
