"""Opening an office's database as services: the start-up path shared by the app, the CLI and the self-test."""

from __future__ import annotations

from typing import TYPE_CHECKING

from klaten_desktop.runtime.clock import SYSTEM_CLOCK, Clock
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message

if TYPE_CHECKING:  # SQLAlchemy is imported only once a database is opened
    from klaten_desktop.services.context import ServiceContext
    from klaten_desktop.services.renderers import Renderers


def open_context(paths: AppPaths, *, clock: Clock | None = None, renderers: Renderers | None = None) -> ServiceContext:
    """Open and migrate the database in ``paths`` (backing it up first when a migration is due).

    Failures come out as :class:`UserError` (a newer or foreign database) or :class:`EnvironmentProblem`.
    """
    from klaten_desktop.db.migrate import DatabaseUnreadableError, NewerSchemaError, open_database
    from klaten_desktop.services.context import ServiceContext

    try:
        paths.ensure()
        opened = open_database(paths.database, paths.backups)
    except (NewerSchemaError, DatabaseUnreadableError) as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise EnvironmentProblem(
            environment_message(exc) or f"Folder data {paths.data_dir} tidak dapat dipakai: {exc.strerror}"
        ) from exc
    return ServiceContext(
        opened.engine,
        database=paths.database,
        backups_dir=paths.backups,
        clock=clock or SYSTEM_CLOCK,
        renderers=renderers,
    )
