"""``migrate-to``: move an SQLite installation (the data folder's ``klaten.sqlite``) into an EMPTY PostgreSQL
database (server mode, docs/server-mode.md).

In ONE transaction on the server (holding the app's write lock, so no PC writes meanwhile):

1. refuse a database that already holds any table (nothing is changed then);
2. run the Alembic migrations to head (the server's schema is exactly the one a new server installation gets);
3. empty what the migrations seeded (the region table, the system account) and copy every table of the file in
   foreign-key order, primary keys as they are (the office identity, its keys still wrapped as stored, officials,
   enrollments, payments, documents and the register, events, sync state, the audit chain, accounts,
   settings...), with the row triggers of ``enrollment`` off (the coverage summaries are copied, not recomputed);
4. move each serial/identity sequence past the largest id copied;
5. put the copies of the sent sync packages, kept in the folder ``arsip-sinkron/`` beside the file, into the
   table ``sync_package_archive`` (where a server keeps them, ``services/sync/archive.py``), so ``sync reissue``
   works on the server: every copy whose package the file records as sent and whose bytes still have its hash;
6. count and checksum every table on both sides (:func:`table_checksum`: the same SQLAlchemy column types read
   both, rows ordered by primary key in Python, values normalised, SHA-256; for ``sync_package_archive`` the
   file's table together with the folder's copies): any difference rolls everything back.

The file is opened read-only (``mode=ro``, one snapshot): not one byte of it changes. After the commit the audit
chain is verified on the server (``services/audit_chain.verify``) and its head compared with the file's.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError

from klaten_desktop.db import dialects, models_events, models_sync  # noqa: F401  (their tables join Base.metadata)
from klaten_desktop.db.engine import is_postgresql, make_engine_url, make_readonly_engine, writer
from klaten_desktop.db.migrate import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    damaged_message,
    is_damage,
    upgrade_connection,
)
from klaten_desktop.db.models import Base
from klaten_desktop.db.models_sync import SyncPackage, SyncPackageArchive
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report
from klaten_desktop.services import audit_chain
from klaten_desktop.services.bootstrap import server_label
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import EnvironmentProblem, UserError, environment_message
from klaten_desktop.services.sync import archive, continuity

log = logging.getLogger(__name__)

BATCH = 5_000
CANCEL_MESSAGE = "Pemindahan dibatalkan; basis data server tetap kosong dan berkas SQLite tidak diubah."


@dataclass(frozen=True)
class TableCheck:
    """One table on both sides: row counts and checksums (:func:`table_checksum`)."""

    table: str
    source_rows: int
    target_rows: int
    source_checksum: str
    target_checksum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_checksum == self.target_checksum

    def as_json(self) -> dict[str, object]:
        return {
            "tabel": self.table,
            "baris": self.source_rows,
            "baris_server": self.target_rows,
            "checksum": self.source_checksum,
            "checksum_server": self.target_checksum,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class AuditCheck:
    """The audit chain verified on both sides after the move."""

    entries: int
    source_head: str
    target_head: str
    broken: str | None  # the break found on the server (Indonesian), None when the chain verifies

    @property
    def ok(self) -> bool:
        return self.broken is None and self.source_head == self.target_head

    def as_json(self) -> dict[str, object]:
        return {
            "entri": self.entries,
            "ujung_berkas": self.source_head,
            "ujung_server": self.target_head,
            "putus": self.broken,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class MigrationReport:
    source: Path
    target: str  # HOST/DB (never the password)
    revision: str
    tables: tuple[TableCheck, ...]
    committed: bool
    audit: AuditCheck | None

    @property
    def ok(self) -> bool:
        return self.committed and all(t.ok for t in self.tables) and self.audit is not None and self.audit.ok

    @property
    def rows(self) -> int:
        return sum(t.source_rows for t in self.tables)

    def as_json(self) -> dict[str, object]:
        return {
            "berkas": str(self.source),
            "server": self.target,
            "skema": self.revision,
            "ok": self.ok,
            "disimpan": self.committed,
            "baris": self.rows,
            "tabel": [t.as_json() for t in self.tables],
            "rantai_audit": self.audit.as_json() if self.audit else None,
        }


# ------------------------------------------------------------------------------------------------ checksums


def _normal(value: Any) -> Any:
    """One value as the checksum sees it, the same whichever engine returned it."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value.normalize())
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "hex:" + bytes(value).hex()
    raise TypeError(f"no checksum form for {type(value).__name__}")


def _pk_key(values: Sequence[Any]) -> tuple[tuple[int, Any], ...]:
    # (0, None) sorts before any value; the ordering is Python's, so both engines' collations are out of the way
    return tuple((0, "") if v is None else (1, v) for v in values)


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """Rows and the SHA-256 of ``table`` as read through ``conn``: every row's columns (in the table's order)
    normalised (:func:`_normal`) and JSON-encoded, one line per row, rows ordered by primary key in Python."""
    columns = list(table.columns)
    pk = [columns.index(c) for c in table.primary_key.columns] or list(range(len(columns)))
    lines: list[tuple[tuple[tuple[int, Any], ...], str]] = []
    for row in conn.execute(select(*columns)):
        lines.append((_pk_key([row[i] for i in pk]), _line(row)))
    lines.sort(key=lambda item: item[0])
    return _digest(line for _key, line in lines)


def _line(row: Sequence[Any]) -> str:
    return json.dumps([_normal(v) for v in row], ensure_ascii=False)


def _digest(lines: Iterable[str]) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    for line in lines:
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


# ------------------------------------------------------------------------------- the archive of sent packages

ARCHIVE = Base.metadata.tables[SyncPackageArchive.__tablename__]


def _folder_copies(src: Connection, source: Path) -> dict[str, tuple[Path, Any]]:
    """The copies in the folder beside ``source`` of the packages it records as sent and its table lacks:
    ``{sha256: (file, the package's recorded_at)}``."""
    in_table = set(src.scalars(select(ARCHIVE.c.sha256)))
    sent = {
        sha: recorded_at
        for sha, recorded_at in src.execute(
            select(SyncPackage.sha256, SyncPackage.recorded_at).where(SyncPackage.direction == "sent")
        )
        if sha not in in_table
    }
    found = archive.folder_copies(source.parent / continuity.ARCHIVE_FOLDER, sorted(sent))
    return {sha: (path, sent[sha]) for sha, path in found.items()}


def _copy_archive(dst: Connection, copies: dict[str, tuple[Path, Any]], cancelled: CancelCheck | None) -> None:
    """The folder's copies into ``sync_package_archive``, one at a time (a full package can be large)."""
    for sha in sorted(copies):
        check(cancelled, CANCEL_MESSAGE)
        path, recorded_at = copies[sha]
        dst.execute(insert(ARCHIVE).values(sha256=sha, data=path.read_bytes(), recorded_at=recorded_at))


def _archive_check(
    src: Connection, dst: Connection, copies: dict[str, tuple[Path, Any]], cancelled: CancelCheck | None
) -> TableCheck:
    """``sync_package_archive`` on both sides: the file's table with the folder's copies against the server's
    table, in :func:`table_checksum`'s form, read one package at a time."""

    def row(conn: Connection, sha: str) -> Sequence[Any]:
        check(cancelled, CANCEL_MESSAGE)
        return conn.execute(select(*ARCHIVE.columns).where(ARCHIVE.c.sha256 == sha)).one()

    def source_lines() -> Iterable[str]:
        for sha in sorted(set(src.scalars(select(ARCHIVE.c.sha256))) | set(copies)):
            if sha in copies:
                path, recorded_at = copies[sha]
                yield _line([sha, path.read_bytes(), recorded_at])
            else:
                yield _line(row(src, sha))

    def target_lines() -> Iterable[str]:
        for sha in sorted(dst.scalars(select(ARCHIVE.c.sha256))):
            yield _line(row(dst, sha))

    source_rows, source_sum = _digest(source_lines())
    target_rows, target_sum = _digest(target_lines())
    return TableCheck(ARCHIVE.name, source_rows, target_rows, source_sum, target_sum)


# ------------------------------------------------------------------------------------------------ the move


def tables() -> list[Table]:
    """Every table of the schema in foreign-key order (parents first); ``alembic_version`` is the migrations'."""
    return list(Base.metadata.sorted_tables)


def _source_revision(source: Path, engine: Engine) -> str:
    """The file's schema revision, read through the read-only engine (``probe_revision``'s ``mode=ro`` connection
    would leave an empty ``-wal`` and ``-shm`` beside the file)."""
    if not source.is_file() or source.stat().st_size == 0:
        raise UserError(f"Berkas basis data {source} tidak ada atau kosong; tidak ada yang dapat dipindahkan.")
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" not in tables:
                raise UserError(f"Berkas {source.name} bukan basis data Klaten Desktop; tidak ada yang dipindahkan.")
            revision = conn.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError as exc:
        if is_damage(exc):
            raise UserError(damaged_message(source.name)) from exc
        raise EnvironmentProblem(
            environment_message(exc.orig or exc, folder=source.parent)
            or f"Berkas {source.name} tidak dapat dibaca saat ini; tutup program lain yang memakainya lalu ulangi."
        ) from exc
    if revision is None:
        raise UserError(f"Berkas {source.name} kosong: belum ada data untuk dipindahkan.")
    if revision not in KNOWN_REVISIONS:
        raise UserError(
            f"Berkas {source.name} dibuat oleh versi Klaten Desktop yang lebih baru (skema {revision}). Perbarui "
            "aplikasi ini lebih dulu; tidak ada yang diubah."
        )
    if revision != HEAD_REVISION:
        raise UserError(
            f"Skema berkas {source.name} ({revision}) belum diperbarui ke versi ini ({HEAD_REVISION}). Buka Klaten "
            "Desktop sekali tanpa --db-url (atau jalankan klaten-desktop check), lalu ulangi migrate-to."
        )
    return str(revision)


def _existing_tables(conn: Connection) -> list[str]:
    rows = conn.execute(
        text(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg_temp%' "
            "AND table_schema NOT LIKE 'pg_toast%' ORDER BY 1"
        )
    )
    return [str(r[0]) for r in rows]


def _refuse_non_empty(conn: Connection, label: str) -> None:
    found = _existing_tables(conn)
    if found:
        shown = ", ".join(found[:3]) + (f", dan {len(found) - 3} lainnya" if len(found) > 3 else "")
        raise UserError(
            f"Basis data tujuan {label} tidak kosong: sudah berisi {len(found)} tabel ({shown}). migrate-to hanya "
            "mengisi basis data PostgreSQL yang masih kosong; buat basis data baru (mis. createdb klaten) lalu "
            "ulangi. Tidak ada yang diubah."
        )


def _copy(
    src: Connection, dst: Connection, schema: list[Table], progress: Progress | None, cancelled: CancelCheck | None
) -> None:
    counts = {t.name: int(src.scalar(select(func.count()).select_from(t)) or 0) for t in schema}
    total, done = sum(counts.values()) * 2, 0  # copying, then checking
    for table in schema:
        dst.exec_driver_sql(f'ALTER TABLE "{table.name}" DISABLE TRIGGER USER')
    for table in reversed(schema):  # what the migrations seeded (regions, the system account) makes way
        dst.execute(table.delete())
    for table in schema:
        result = src.execute(select(*table.columns).execution_options(yield_per=BATCH))
        for batch in result.partitions():
            check(cancelled, CANCEL_MESSAGE)
            dst.execute(insert(table), [dict(row._mapping) for row in batch])
            done += len(batch)
            report(progress, done, total)
    for table in schema:
        dst.exec_driver_sql(f'ALTER TABLE "{table.name}" ENABLE TRIGGER USER')
        _reset_sequences(dst, table)
    dialects.refresh_statistics(dst, counts)  # the server plans with the copied rows at once


def _reset_sequences(dst: Connection, table: Table) -> None:
    """Move each serial/identity sequence of ``table`` past its largest key (the next insert gets a new id)."""
    for column in table.primary_key.columns:
        sequence = dst.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": f'"{table.name}"', "c": column.name})
        if sequence is None:
            continue
        top = dst.scalar(select(func.max(column)))
        dst.execute(
            text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
            {"s": sequence, "v": int(top) if top is not None else 1, "called": top is not None},
        )


def _checks(
    src: Connection, dst: Connection, schema: Iterable[Table], progress: Progress | None, cancelled: CancelCheck | None
) -> list[TableCheck]:
    found: list[TableCheck] = []
    rows = sum(int(src.scalar(select(func.count()).select_from(t)) or 0) for t in schema)
    done = rows  # the copy was the first half
    for table in schema:
        if table is ARCHIVE:  # with the folder's copies: _archive_check
            continue
        check(cancelled, CANCEL_MESSAGE)
        source_rows, source_sum = table_checksum(src, table)
        target_rows, target_sum = table_checksum(dst, table)
        found.append(TableCheck(table.name, source_rows, target_rows, source_sum, target_sum))
        done += source_rows
        report(progress, done, rows * 2)
    return found


def _audit(source_engine: Engine, target_engine: Engine) -> AuditCheck:
    source = audit_chain.verify(ServiceContext(source_engine))
    target = audit_chain.verify(ServiceContext(target_engine))
    return AuditCheck(target.entries, source.head, target.head, target.broken.message if target.broken else None)


def migrate_to(
    source: Path, url: str, *, progress: Progress | None = None, cancelled: CancelCheck | None = None
) -> MigrationReport:
    """Move the SQLite file ``source`` into the empty PostgreSQL database ``url`` (see the module text).

    Refusals (a non-empty target, an old or foreign file) are :class:`UserError` with nothing changed; a checksum
    difference rolls the whole move back and comes back as a report with ``committed`` False.
    """
    if not is_postgresql(url):
        raise UserError(
            "Alamat tujuan (--db-url) harus server PostgreSQL, seperti postgresql+psycopg://PENGGUNA@HOST/NAMA."
        )
    label = server_label(url)
    if not source.is_file():
        raise UserError(f"Berkas basis data {source} tidak ditemukan; tidak ada yang dapat dipindahkan.")
    schema = tables()
    source_engine = make_readonly_engine(source)
    try:
        revision = _source_revision(source, source_engine)
        target_engine = make_engine_url(url)
    except BaseException as exc:
        source_engine.dispose()
        if not isinstance(exc, ImportError):
            raise
        raise EnvironmentProblem(
            "Pemasangan Klaten Desktop ini tidak memuat pengandar PostgreSQL (psycopg); migrate-to tidak dapat "
            "dijalankan di sini."
        ) from exc
    try:
        with source_engine.connect() as src, writer(target_engine).connect() as dst:
            src.begin()  # one snapshot of the file for the copy and the checks
            transaction = dst.begin()
            try:
                _refuse_non_empty(dst, label)
                upgrade_connection(dst)
                _copy(src, dst, schema, progress, cancelled)
                copies = _folder_copies(src, source)
                _copy_archive(dst, copies, cancelled)
                found = _checks(src, dst, schema, progress, cancelled)
                found.append(_archive_check(src, dst, copies, cancelled))
                committed = all(t.ok for t in found)
                if committed:
                    transaction.commit()
                else:
                    transaction.rollback()
                    log.error("migrate-to rolled back: %s", [t.table for t in found if not t.ok])
            except BaseException:
                transaction.rollback()
                raise
        audit = _audit(source_engine, target_engine) if committed else None
        log.info("SQLite file moved to the server %s: %d tables, committed %s", label, len(found), committed)
        return MigrationReport(source, label, revision, tuple(found), committed, audit)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise EnvironmentProblem(
            f"Pemindahan ke server {label} gagal ({reason}). Tidak ada yang disimpan di server dan berkas "
            f"{source.name} tidak diubah."
        ) from exc
    finally:
        source_engine.dispose()
        target_engine.dispose()


def report_lines(result: MigrationReport) -> list[str]:
    """The report as Indonesian text lines (the command line)."""
    width = max((len(t.table) for t in result.tables), default=5)
    lines = [
        f"Sumber: {result.source} (skema {result.revision})",
        f"Tujuan: server {result.target}",
        "",
        f"{'Tabel':<{width}}  {'Baris':>9}  {'Checksum (SHA-256)':<16}  Hasil",
    ]
    for t in result.tables:
        verdict = "cocok" if t.ok else f"BEDA (server: {t.target_rows} baris, {t.target_checksum[:16]})"
        lines.append(f"{t.table:<{width}}  {t.source_rows:>9}  {t.source_checksum[:16]}  {verdict}")
    lines.append("")
    if not result.committed:
        lines.append(
            "Hasil: jumlah baris atau checksum berbeda; seluruh pemindahan dibatalkan, basis data server tetap kosong."
        )
        return lines
    audit = result.audit
    if audit is not None:
        if audit.ok:
            lines.append(f"Rantai log audit: {audit.entries} entri, utuh di server (ujung sama dengan berkas).")
        else:
            lines.append(f"Rantai log audit: TIDAK utuh di server: {audit.broken or 'ujungnya berbeda dari berkas'}")
    lines.append(
        f"Selesai: {result.rows} baris dalam {len(result.tables)} tabel dipindahkan dan diperiksa. Berkas "
        f"{result.source.name} tidak diubah; simpan sebagai arsip dan jangan dipakai lagi untuk mencatat. Mulai "
        "sekarang jalankan Klaten Desktop dengan --db-url ke server ini di setiap PC."
    )
    return lines
