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
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    from klaten_desktop.db.migrate import DatabaseUnreadableError, NewerSchemaError, open_database
    from klaten_desktop.services.context import ServiceContext
    from klaten_desktop.services.files import use_scratch

    try:
        paths.ensure()
        use_scratch(paths.scratch)  # temporary files holding NIKs; what a killed run left there is removed
        opened = open_database(paths.database, paths.backups)
    except (NewerSchemaError, DatabaseUnreadableError) as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise EnvironmentProblem(data_folder_message(paths, exc)) from exc
    except (sqlite3.Error, DBAPIError) as exc:
        raise EnvironmentProblem(
            environment_message(exc, folder=paths.data_dir)
            or f"Basis data {paths.database.name} tidak dapat dibuka saat ini; berkas itu tidak diubah. Tutup program "
            "lain yang memakainya, periksa disk, lalu coba lagi."
        ) from exc
    return ServiceContext(
        opened.engine,
        database=paths.database,
        backups_dir=paths.backups,
        clock=clock or SYSTEM_CLOCK,
        renderers=renderers,
    )


def data_folder_message(paths: AppPaths, exc: OSError) -> str:
    """Why the data folder cannot be used: full, read-only, missing (a removed flash disk) or refused."""
    import errno

    message = environment_message(exc, folder=paths.data_dir)
    if message is not None and exc.errno != errno.EROFS:
        return message
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"Folder data {paths.data_dir} hanya dapat dibaca atau tidak boleh ditulis. Pilih folder lain dengan "
            "--data-dir atau minta pengelola komputer memberi izin tulis."
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return (
            f"Folder data {paths.data_dir} tidak ada dan tidak dapat dibuat (mungkin flashdisk atau drive jaringan "
            "terlepas). Pasang kembali drive itu atau pilih folder lain dengan --data-dir."
        )
    return f"Folder data {paths.data_dir} tidak dapat dipakai ({exc.strerror or exc}). Pilih folder lain."
