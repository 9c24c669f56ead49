"""One PC of the office in its own process, for the concurrency tests of server mode (tests/server/).

Run as ``python -m tests.server.worker JOB FOLDER URL [ARGS...]`` from the repository root: it opens the
PostgreSQL database ``URL`` as the app does (``AppPaths(..., database_url=URL)``), writes ``ready-NAME`` into
``FOLDER``, waits for ``FOLDER/go`` (so all processes start their work at the same moment), does ``JOB`` and
prints its result as one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from klaten_desktop.app import open_context
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.runtime.clock import ShiftedClock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services import officials, payments
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.documents import register
from klaten_desktop.services.errors import StaleRecordError, UserError
from klaten_desktop.services.events import certificates
from klaten_desktop.services.imports import apply_import, mapping_for, plan_import, read_workbook

TODAY = dt.date(2026, 11, 24)
#: How long a worker waits for the test's signal before it gives up (a bound for a broken test, not a timing).
PATIENCE_S = 120


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"{path.name} never came")
        time.sleep(0.005)


def reserve(ctx: ServiceContext, name: str, count: str) -> Any:
    """Letter numbers one by one, like a clerk issuing letters."""
    numbers = []
    for _ in range(int(count)):
        numbers.append(register.reserve(ctx, SYSTEM, "pengantar", note=name)[0].number)
        time.sleep(0.002)  # a moment between two letters: the other PCs get their turn
    return numbers


def edit(ctx: ServiceContext, username: str, display_name: str, official_id: str, version: str, alamat: str) -> Any:
    """Save a new address over the version the form loaded (``version``)."""
    actor = Actor(username, display_name, "operator")
    fields = replace(officials.fields_of(officials.get(ctx, official_id)), alamat=alamat)
    try:
        detail = officials.update_official(ctx, actor, official_id, fields, expected_version=int(version))
    except StaleRecordError as exc:
        return {"saved": False, "message": exc.message}
    return {"saved": True, "row_version": detail.row_version}


def pay(ctx: ServiceContext, *desa_and_months: str) -> Any:
    """Batch payments of whole desa (``pay_desa``), one batch after another: ``DESA... FROM TO``."""
    *desa, start, end = desa_and_months
    batches = []
    for kode in desa:
        result = payments.pay_desa(
            ctx, SYSTEM, kode, start=YearMonth.parse(start), end=YearMonth.parse(end), reference=f"SP2D {kode}"
        )
        batches.append({"desa": kode, "batch_id": result.batch_id, "recorded": result.months_recorded})
    return batches


def certificates_of(ctx: ServiceContext, event_id: str, out: str) -> Any:
    """The certificates of one event's attendees, numbered and written in one go (Sosialisasi › Cetak sertifikat)."""
    result = certificates.issue_certificates(ctx, SYSTEM, event_id, out=Path(out))
    return [c.nomor for c in result.certificates]


def long_read(ctx: ServiceContext, folder: str) -> Any:
    """A long report: one read transaction held open until the test has written (``written`` appears)."""
    from sqlalchemy import func, select

    from klaten_desktop.db.models import Official

    signals = Path(folder)
    with ctx.read() as session:
        before = session.scalar(select(func.count()).select_from(Official))
        (signals / "reading").touch()
        wait_for(signals / "written")  # the writer finished while this transaction was still open
        after = session.scalar(select(func.count()).select_from(Official))
        still_open = session.in_transaction()
    return {"before": before, "after": after, "still_open": still_open}


def import_officials(ctx: ServiceContext, path: str, desa: str, folder: str = "") -> Any:
    """A desa's workbook imported as ``import-officials FILE --desa DESA`` does: read, plan, apply. With ``folder``:
    once planned, it writes ``planned-PID`` there and applies when ``apply`` appears (PCs that previewed at once)."""
    table = read_workbook(Path(path))
    plan = plan_import(ctx, table, mapping_for(ctx, table), desa_kode=desa)
    if folder:
        (Path(folder) / f"planned-{os.getpid()}").touch()
        wait_for(Path(folder) / "apply")
    try:
        result = apply_import(ctx, SYSTEM, plan)
    except UserError as exc:
        return {"planned": plan.created, "refused": exc.message}
    return {"planned": plan.created, "created": result.created, "updated": result.updated, "rejected": plan.rejected}


def stalled(ctx: ServiceContext, folder: str, table: str, nth: str, job: str, *args: str) -> Any:
    """``job`` stopped in the middle of its write transaction, to be killed there (tests/server/test_kill.py).

    A test-only hook on the engine (never in the app): after the ``nth`` INSERT into ``table`` has run, it asks the
    same transaction how many rows ``table`` holds now and which server process serves it, writes that to
    ``FOLDER/inside`` and waits for the SIGKILL."""
    from sqlalchemy import event

    statement_of_table = re.compile(rf'\s*INSERT\s+INTO\s+"?{re.escape(table)}"?[\s(]', re.IGNORECASE)
    seen = 0

    def after(conn: Any, cursor: Any, statement: str, *_rest: Any) -> None:
        nonlocal seen
        if not statement_of_table.match(statement):
            return
        seen += 1
        if seen != int(nth):
            return
        with conn.connection.dbapi_connection.cursor() as own:  # the same connection: the same transaction
            own.execute(f"SELECT count(*), pg_backend_pid() FROM {table}")
            rows, backend = own.fetchone()
        inside = Path(folder) / "inside"
        inside.with_suffix(".tmp").write_text(json.dumps({"rows": rows, "backend": backend}))
        inside.with_suffix(".tmp").replace(inside)
        time.sleep(PATIENCE_S)
        raise SystemExit("never killed")

    event.listen(ctx.engine, "after_cursor_execute", after)
    return JOBS[job](ctx, *args)


JOBS = {
    "reserve": reserve,
    "edit": edit,
    "pay": pay,
    "long_read": long_read,
    "import_officials": import_officials,
    "stalled": stalled,
    "certificates": certificates_of,
}


def main(argv: list[str]) -> None:
    job, folder, url, *args = argv
    signals = Path(folder)
    ctx = open_context(AppPaths(signals / "data", database_url=url), clock=ShiftedClock.on(TODAY))
    try:
        (signals / f"ready-{job}-{os.getpid()}").touch()
        wait_for(signals / "go")
        print(json.dumps(JOBS[job](ctx, *args)))
    finally:
        ctx.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
