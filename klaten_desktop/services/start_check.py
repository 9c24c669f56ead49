"""The start-up check of the database file, run beside the window rather than before it.

``PRAGMA quick_check`` reads the whole file: 2.2 s on a file of 100,000 officials, which the window used to wait
for. :class:`StartCheck` runs it on a worker thread while the window opens, and keeps the promise the check made
before: a damaged file is said before anyone adds data to it. Until the check has ended every write waits for it
(``ctx.before_write``); a damaged file is said as soon as the check ends, or by the first write if it comes first.

Light on purpose (SQLAlchemy Core only, no ORM): it starts before the window's first paint.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, environment_message

#: What to do when SQLite finds the file damaged beyond what ``check --repair`` can safely fix.
RESTORE_ADVICE = (
    "Jangan menambah data dan jangan menghapus berkas apa pun di folder data (termasuk klaten.sqlite-wal: isinya "
    "pekerjaan yang sudah tersimpan). Pulihkan cadangan terbaru yang baik (menu Berkas > Pulihkan dari cadangan, "
    "atau klaten-desktop restore BERKAS); lihat docs/backup-restore.md."
)


def quick_damage(ctx: ServiceContext) -> str | None:
    """``PRAGMA quick_check`` of the file (seconds on a large one): what is wrong, or None."""
    if ctx.on_server:
        return None
    try:
        with ctx.engine.connect() as conn:
            lines = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check")]
            # it read every page once: free the connection's page cache (up to 32 MiB, db/engine.py) of them
            conn.exec_driver_sql("PRAGMA shrink_memory")
    except DBAPIError as exc:
        folder = ctx.database.parent if ctx.database is not None else None
        message = environment_message(exc.orig if exc.orig is not None else exc, folder=folder)
        if message is None:
            raise
        return message
    return None if lines == ["ok"] else "; ".join(lines[:3])


def damage_message(damage: str) -> str:
    """What the user reads about a damaged file."""
    return f"Basis data rusak: {damage}\n\n{RESTORE_ADVICE}"


class StartCheck:
    """:func:`quick_damage` run once on a worker thread (:meth:`run`), holding the context's writes until it ended.

    On a damaged file the message must be said before the first write: ``say(message)`` (the GUI's message box)
    is called by :meth:`tell` when the check ends, or by the first write if that comes first; ``say`` returns False
    when it cannot be said on the calling thread (a worker), and that write is refused with the message instead.
    Once said, writes go on: the person decides (restore a backup, or keep working at their own risk), as before.
    """

    def __init__(self, ctx: ServiceContext, say: Callable[[str], bool]) -> None:
        self._ctx = ctx
        self._say = say
        self._ended = threading.Event()
        self._lock = threading.Lock()
        self._said = False
        self.damage: str | None = None
        ctx.before_write = self.hold_write

    def run(self) -> str | None:
        """The check: what is wrong, or None. Whatever happens, the writes waiting for it go on afterwards."""
        try:
            self.damage = quick_damage(self._ctx)
        finally:  # a bug in the check (reported by the worker) does not hold the writes for ever
            self._ended.set()
        return self.damage

    def ended(self) -> bool:
        return self._ended.is_set()

    def tell(self) -> bool:
        """Say the damage (once) if the check found any and it can be said here; True once it has been said or
        there is nothing to say."""
        if self.damage is None:
            return True
        with self._lock:
            if not self._said:
                self._said = self._say(damage_message(self.damage))
            return self._said

    def hold_write(self) -> None:
        """``ctx.before_write``: wait for the check; on a damaged file, no write before the damage was said."""
        self._ended.wait()
        if self.damage is not None and not self.tell():
            raise EnvironmentProblem(damage_message(self.damage))
