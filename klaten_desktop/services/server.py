"""The database server of an installation in server mode (docs/server-mode.md): its URL from the stored setting and
the password, the connection test of the wizard and Pengaturan, the password at start, the self-test's scratch
database.

The setting lives in the data folder (``runtime/server_config.py``), the password in the OS credential store
(``runtime/credentials.py``, the only way the services reach ``keyring``) or is asked by whoever starts the app
(the GUI's dialog, the console).
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from klaten_desktop.runtime import credentials, server_config
from klaten_desktop.runtime.paths import AppPaths
from klaten_desktop.runtime.server_config import ServerSetting
from klaten_desktop.services.errors import EnvironmentProblem, UserError

log = logging.getLogger(__name__)

DRIVER = "postgresql+psycopg"
CONNECT_TIMEOUT_S = 8
SCRATCH_PREFIX = "klaten_ujimandiri_"

MAX_PASSWORD_ATTEMPTS = 3
T = TypeVar("T")

AskPassword = Callable[[ServerSetting, str | None], str | None]
"""``ask(setting, problem)``: the password typed by the person (None: cancelled); ``problem`` says why it is asked
again (the kept one was refused)."""


def url_of(setting: ServerSetting, password: str | None) -> str:
    """The SQLAlchemy URL of ``setting`` with ``password`` (kept in memory only; messages use ``setting.label``)."""
    from sqlalchemy.engine import URL

    return URL.create(
        DRIVER,
        username=setting.user,
        password=password or None,
        host=setting.host,
        port=setting.port,
        database=setting.database,
        query={"connect_timeout": str(CONNECT_TIMEOUT_S)},  # an unreachable server is said in seconds, not minutes
    ).render_as_string(hide_password=False)


@dataclass(frozen=True)
class Probe:
    """What the connection test found: the server's version and what the database holds."""

    server_version: str
    revision: str | None  # the Klaten schema revision, None for an empty database
    other_tables: int  # tables of something else (a database not meant for Klaten Desktop)
    office_name: str | None = None  # the office already set up there (by another PC)

    def summary(self, label: str) -> str:
        if self.office_name is not None:
            state = f"berisi data kantor {self.office_name} (PC lain sudah memakainya; langsung masuk)"
        elif self.revision is not None:
            state = "berisi data Klaten Desktop yang kantornya belum diatur"
        elif self.other_tables:
            state = f"berisi {self.other_tables} tabel lain, bukan data Klaten Desktop"
        else:
            state = "masih kosong; tabel dibuat saat aplikasi dimulai"
        return f"Tersambung ke {label} (PostgreSQL {self.server_version}): basis data {state}."


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


def connection_problem(setting: ServerSetting, exc: BaseException) -> EnvironmentProblem:
    """An Indonesian message for a failed connection (never the password)."""
    reason = _reason(exc)
    low = reason.lower()
    if "password authentication failed" in low or "no password supplied" in low:
        hint = "Nama pengguna atau kata sandi ditolak server."
    elif "does not exist" in low and "database" in low:
        hint = f"Basis data {setting.database} belum ada di server; minta pengelola server membuatnya."
    elif "timeout" in low or "refused" in low or "could not translate host" in low or "no route" in low:
        hint = "Server tidak terjangkau: periksa alamat, port, jaringan, dan apakah PostgreSQL menyala."
    else:
        hint = "Periksa alamat, port, nama basis data, pengguna dan kata sandi."
    return EnvironmentProblem(f"Tidak dapat tersambung ke server basis data {setting.label}: {hint} ({reason})")


def probe(setting: ServerSetting, password: str | None) -> Probe:
    """Connect once and look inside: the connection test. :class:`UserError` for an incomplete setting,
    :class:`EnvironmentProblem` when the server cannot be used."""
    problem = setting.problem()
    if problem is not None:
        raise UserError(problem)
    try:
        from sqlalchemy import create_engine, inspect, text
        from sqlalchemy.exc import DBAPIError
    except ImportError as exc:  # pragma: no cover - SQLAlchemy is a hard dependency
        raise EnvironmentProblem(str(exc)) from exc
    try:
        engine = create_engine(url_of(setting, password), poolclass=_null_pool())
    except ImportError as exc:
        raise EnvironmentProblem(
            "Pemasangan Klaten Desktop ini tidak memuat pengandar PostgreSQL (psycopg); mode server belum dapat "
            "dipakai."
        ) from exc
    try:
        with engine.connect() as conn:
            version = str(conn.exec_driver_sql("SHOW server_version").scalar() or "?").split(" ")[0]
            tables = set(inspect(conn).get_table_names())
            revision = office_name = None
            if "alembic_version" in tables:
                revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision is not None and "office" in tables:
                office_name = conn.execute(text("SELECT name FROM office WHERE id = 1")).scalar()
    except DBAPIError as exc:
        raise connection_problem(setting, exc) from exc
    finally:
        engine.dispose()
    others = len(tables - {"alembic_version"}) if revision is None else 0
    return Probe(
        server_version=version,
        revision=None if revision is None else str(revision),
        other_tables=others,
        office_name=None if office_name is None else str(office_name),
    )


def _null_pool() -> type:
    from sqlalchemy.pool import NullPool

    return NullPool


def remember(paths: AppPaths, setting: ServerSetting | None, password: str | None) -> bool:
    """Store the choice in the data folder and the password in the OS credential store; True when the password is
    kept there (False: it will be asked at each start). ``setting`` None: the database file of the data folder
    (a password kept for the previous server is removed)."""
    previous = _stored_or_none(paths)
    server_config.save(paths.data_dir, setting)
    if previous is not None and (setting is None or previous.account != setting.account):
        credentials.forget(previous.account)
    if setting is None or not password:
        return False
    return credentials.save(setting.account, password)


def _stored_or_none(paths: AppPaths) -> ServerSetting | None:
    try:
        return server_config.load(paths.data_dir)
    except server_config.ServerConfigError:
        return None


def stored(paths: AppPaths) -> ServerSetting | None:
    """The server stored for ``paths``' data folder, or None (the file). :class:`UserError` when damaged."""
    try:
        return server_config.load(paths.data_dir)
    except server_config.ServerConfigError as exc:
        raise UserError(str(exc)) from exc


def with_stored_server(paths: AppPaths, ask: AskPassword | None) -> AppPaths:
    """``paths`` with the stored server's URL (the password from the credential store, else from ``ask``); as it
    is when ``--db-url`` was given or the database is the file of the data folder. :class:`UserError` when the
    password is needed and nobody gave it."""
    if paths.database_url is not None:
        return paths
    setting = stored(paths)
    if setting is None:
        return paths
    password = credentials.load(setting.account)
    if password is None and ask is not None:
        password = ask(setting, None)
        if password is None:
            raise UserError(f"Kata sandi server basis data {setting.label} tidak diisi; aplikasi tidak dibuka.")
    return dataclasses.replace(paths, database_url=url_of(setting, password))


def password_refused(exc: BaseException) -> bool:
    """True when a start failed because the server refused the password or wants one (then it is asked)."""
    text = f"{exc} {exc.__cause__ or ''}".lower()
    return "password authentication failed" in text or "no password supplied" in text


def open_stored(
    paths: AppPaths, open_fn: Callable[[AppPaths], T], ask: AskPassword | None, *, typed: str | None = None
) -> T:
    """``open_fn(paths)`` on the stored server when there is one (``--db-url`` wins, the file when none).

    The password is ``typed`` (just typed in the set-up step, so it is not asked again where no store keeps it), or
    comes from the OS credential store; without one the server is tried as it is (a ``trust`` or
    ``.pgpass``/``PGPASSWORD`` set-up needs none), and when it asks for one, ``ask`` is asked (again after a
    refusal, at most three times). A password typed here is kept in the credential store when there is one.
    :class:`UserError` when the person gave none."""
    if paths.database_url is not None:
        return open_fn(paths)
    setting = stored(paths)
    if setting is None:
        return open_fn(paths)
    password = typed or credentials.load(setting.account)
    asked = False
    for attempt in range(MAX_PASSWORD_ATTEMPTS + 1):
        try:
            result = open_fn(dataclasses.replace(paths, database_url=url_of(setting, password)))
        except EnvironmentProblem as exc:
            if ask is None or attempt == MAX_PASSWORD_ATTEMPTS or not password_refused(exc):
                raise
            password = ask(setting, "Kata sandi ditolak server; ketik ulang." if password else None)
            if password is None:
                raise UserError(
                    f"Kata sandi server basis data {setting.label} tidak diisi; basis data tidak dibuka. Simpan kata "
                    "sandi di Pengaturan › Server basis data (penyimpan kata sandi sistem), atau untuk perintah "
                    "terjadwal setel variabel lingkungan PGPASSWORD."
                ) from exc
            asked = True
            continue
        if asked and password:
            credentials.save(setting.account, password)
        return result
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def needs_choice(paths: AppPaths) -> bool:
    """True on the very first start: no ``--db-url``, no stored choice and no database file yet (an installation
    from before server mode has its file and keeps it without asking)."""
    return paths.database_url is None and not server_config.exists(paths.data_dir) and not paths.database.exists()


def create_scratch_database(url: str) -> str:
    """A new empty database ``klaten_ujimandiri_<random>`` on the server of ``url`` (the self-test's, so an
    office's data is never touched); its URL. Needs the CREATEDB right."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    name = f"{SCRATCH_PREFIX}{uuid.uuid4().hex[:12]}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except DBAPIError as exc:
        parsed = make_url(url)
        raise EnvironmentProblem(
            f"Uji mandiri tidak dapat membuat basis data uji di server {parsed.host}/{parsed.database} "
            f"({_reason(exc)}). Pengguna {parsed.username} memerlukan hak CREATEDB; data kantor tidak disentuh."
        ) from exc
    finally:
        engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_scratch_database(scratch_url: str, *, via: str) -> None:
    """Drop a database made by :func:`create_scratch_database`, connected through ``via`` (the URL it was made
    from); refuses any other name."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = make_url(scratch_url).database or ""
    if not name.startswith(SCRATCH_PREFIX):
        raise ValueError(f"not a self-test database: {name}")
    engine = create_engine(via, isolation_level="AUTOCOMMIT", poolclass=_null_pool())
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        engine.dispose()
