"""The service context: the engine, the clock, the renderers and the office, handed to every service function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from klaten_desktop.db.engine import writer
from klaten_desktop.runtime.clock import SYSTEM_CLOCK, Clock
from klaten_desktop.services.errors import EnvironmentProblem, environment_message
from klaten_desktop.services.renderers import Renderers

if TYPE_CHECKING:  # the ORM is imported with the first unit of work, after the window's first paint
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Actor:
    """On whose behalf a service acts; written to the audit log. ``role`` decides what the services let it do
    (``services/access.py``): admin, operator, pembaca, or sistem (the program itself: the command line before any
    account exists, start-up housekeeping)."""

    username: str
    display_name: str
    role: str


SYSTEM = Actor("sistem", "Sistem", "sistem")
CLOCK = "klaten_clock"  # the key of the context's clock in ``Session.info``


class ServiceContext:
    def __init__(
        self,
        engine: Engine,
        *,
        database: Path | None = None,
        backups_dir: Path | None = None,
        clock: Clock = SYSTEM_CLOCK,
        renderers: Renderers | None = None,
    ) -> None:
        self.engine = engine
        self._writer = writer(engine)
        self.database = database
        self.backups_dir = backups_dir
        self.clock = clock
        self.renderers = renderers or Renderers()  # built by the composition root (app.build_renderers)
        # the office's private keys opened in this process (services/key_protection.py); never stored
        self.unlocked_keys: dict[str, bytes] = {}
        # asked for the key passphrase when a wrapped key is needed and still locked (the CLI's prompt), or None
        self.ask_key_passphrase: Callable[[], str | None] | None = None
        # called before every write transaction (may raise EnvironmentProblem), or None: the GUI's start-up check
        # of the file (services/integrity.StartCheck) holds writes until it has said whether the file is damaged
        self.before_write: Callable[[], None] | None = None

    @property
    def on_server(self) -> bool:
        """Whether the database is on a PostgreSQL server (server mode, docs/server-mode.md), not an SQLite file."""
        return self.engine.dialect.name == "postgresql"

    def today(self) -> dt.date:
        """The office's date, from the one clock (``runtime/clock.py``)."""
        return self.clock.today()

    def now(self) -> dt.datetime:
        """The current moment as naive UTC, from the one clock."""
        return self.clock.now()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        from sqlalchemy.orm import Session

        try:
            with Session(self.engine, expire_on_commit=False, info={CLOCK: self.clock}) as session:
                yield session
                session.rollback()
        except DBAPIError as exc:
            problem = _environment(exc, self.database)
            if problem is None:
                raise
            raise problem from exc

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction (BEGIN IMMEDIATE): committed when the block ends, rolled back on any error."""
        from sqlalchemy.orm import Session

        if self.before_write is not None:
            self.before_write()
        try:
            with Session(self._writer, expire_on_commit=False, info={CLOCK: self.clock}) as session, session.begin():
                yield session
        except DBAPIError as exc:
            problem = _environment(exc, self.database)
            if problem is None:
                raise
            raise problem from exc

    def dispose(self) -> None:
        self.engine.dispose()


def session_now(session: Session) -> dt.datetime:
    """``ctx.now()`` for a helper that holds only the session ``ctx.read()``/``ctx.write()`` opened (audit entries,
    row stamps): the same clock, so tests and stamps share it."""
    clock: Clock = session.info.get(CLOCK, SYSTEM_CLOCK)
    return clock.now()


def _environment(exc: DBAPIError, database: Path | None) -> EnvironmentProblem | None:
    """The environment problem behind a driver error (full disk, lock, damaged file), or None for a bug."""
    folder = database.parent if database is not None else None
    message = environment_message(exc.orig if exc.orig is not None else exc, folder=folder)
    return None if message is None else EnvironmentProblem(message)
