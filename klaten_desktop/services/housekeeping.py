"""Upkeep of the database file that nobody waits for: copying the write-ahead log into the database.

SQLite writes every commit to ``klaten.sqlite-wal`` first (durable there, synchronous=FULL) and copies the
pages into the database file later, in a "checkpoint". A connection does that itself, right after its commit,
only once the log has grown very large (``wal_autocheckpoint`` in engine.PRAGMAS, a bound); otherwise the
window asks for it here on a background thread, so a batch import of 26 sync packages (about 60 MB of log) is
not followed by half a second of copying before the user sees the result. When the last connection closes,
SQLite checkpoints by itself (the command line).
"""

from __future__ import annotations

from dataclasses import dataclass

from klaten_desktop.services.context import ServiceContext

#: Below this the log is left alone: SQLite's own default threshold (1,000 pages of 4 KiB).
MIN_WAL_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Checkpoint:
    log_frames: int  # pages in the log
    copied_frames: int  # of those, copied into the database (the rest is still needed by a reader)
    busy: bool  # another checkpoint was running


def checkpoint(ctx: ServiceContext, *, min_bytes: int = MIN_WAL_BYTES) -> Checkpoint | None:
    """A PASSIVE checkpoint when the log holds more than ``min_bytes``; None when there was nothing worth doing.

    PASSIVE never waits for a lock and never blocks other connections: readers go on, and a writer may commit
    meanwhile (its pages wait for the next checkpoint). Nothing is lost if it is interrupted: the log stays
    valid until every page is in the database.
    """
    if ctx.database is None:
        return None
    log = ctx.database.with_name(ctx.database.name + "-wal")
    try:
        size = log.stat().st_size
    except FileNotFoundError:
        return None
    if size <= min_bytes:
        return None
    # a pool connection outside any transaction (the connections run in autocommit mode, engine._on_connect):
    # a checkpoint inside a read transaction could not copy the pages committed after it began
    raw = ctx.engine.raw_connection()
    try:
        cursor = raw.cursor()
        busy, frames, copied = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        cursor.close()
    finally:
        raw.close()
    return Checkpoint(int(frames), int(copied), bool(busy))
