"""The write-ahead log is copied into the database in the background, not by the commit of a bulk write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import func, select, update

from klaten_desktop.db.models import Official
from klaten_desktop.services import demo, housekeeping
from klaten_desktop.services.context import SYSTEM, ServiceContext


def _log(ctx: ServiceContext) -> Path:
    assert ctx.database is not None
    return ctx.database.with_name(ctx.database.name + "-wal")


def _officials_in_database_file(ctx: ServiceContext) -> int:
    """Officials as the database file alone holds them (a copy without its log)."""
    assert ctx.database is not None
    copy = ctx.database.with_name("salinan.sqlite")
    copy.write_bytes(ctx.database.read_bytes())
    con = sqlite3.connect(copy)
    try:
        return int(con.execute("SELECT count(*) FROM official").fetchone()[0])
    finally:
        con.close()


def test_a_bulk_write_leaves_its_pages_in_the_log_until_the_checkpoint(ctx: ServiceContext) -> None:
    demo.populate(ctx, SYSTEM, 300, seed=3)
    with ctx.read() as session:
        stored = session.scalar(select(func.count()).select_from(Official))
    assert stored and _log(ctx).stat().st_size > 0
    assert _officials_in_database_file(ctx) < stored  # committed and durable, but only in the log so far

    done = housekeeping.checkpoint(ctx, min_bytes=0)

    assert done is not None and not done.busy and done.copied_frames == done.log_frames > 0
    assert _officials_in_database_file(ctx) == stored


def test_a_small_log_is_left_alone(ctx: ServiceContext) -> None:
    size = _log(ctx).stat().st_size if _log(ctx).exists() else 0
    assert size < housekeeping.MIN_WAL_BYTES
    assert housekeeping.checkpoint(ctx) is None


def test_a_reader_keeps_its_pages_and_nothing_waits(ctx: ServiceContext) -> None:
    demo.populate(ctx, SYSTEM, 100, seed=4)
    with ctx.read() as session:
        before = session.scalar(select(func.count()).where(Official.catatan.is_not(None)))
        with ctx.write() as writing:  # committed after the reader's snapshot
            writing.execute(update(Official).values(catatan="diperiksa"))
        done = housekeeping.checkpoint(ctx, min_bytes=0)
        assert done is not None and done.copied_frames < done.log_frames  # the reader still needs some
        assert session.scalar(select(func.count()).where(Official.catatan.is_not(None))) == before == 0
    again = housekeeping.checkpoint(ctx, min_bytes=0)
    assert again is not None and again.copied_frames == again.log_frames
