"""Write an import plan: one transaction for the whole file, all rows or none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from klaten_desktop.db.dialects import driver_sql
from klaten_desktop.db.models import SERVING, Official, new_uuids
from klaten_desktop.services import audit, backup
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports.bulk import gc_paused
from klaten_desktop.services.imports.plan import (
    DATE_COLUMNS,
    VALUE_COLUMNS,
    ImportPlan,
    Outcome,
    PlannedRow,
    office_scope,
    slot_key,
)

# Core tables: an executemany on the Table is one multi-row INSERT per batch, where the ORM bulk path
# splits rows into many small statements by which values are None (measured 5x slower here).
OFFICIAL = cast(Table, Official.__table__)
STALE_MESSAGE = (
    "Data pengurus berubah sejak pratinjau dibuat (mungkin oleh pengguna lain). Tidak ada yang disimpan; "
    "buat pratinjau ulang lalu impor lagi."
)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    rejected: int
    created_ids: tuple[str, ...]

    @property
    def written(self) -> int:
        return self.created + self.updated

    def message(self) -> str:
        """What happened, with counts; "berhasil" only when something was actually imported."""
        tail = f"{self.unchanged} tidak berubah, {self.rejected} ditolak."
        if self.written == 0:
            return f"Tidak ada data yang diimpor: {tail}"
        return f"Impor berhasil: {self.created} pengurus baru, {self.updated} diubah, {tail}"


@dataclass(frozen=True)
class _Current:
    """What a plan's outcomes rest on, read again inside the write transaction: each serving NIK's official
    and row version, and the single-holder slots taken (only the key columns: no values to convert)."""

    versions: dict[str, tuple[str, int]]
    slots: set[tuple[str, int, int, str]]

    @classmethod
    def load(cls, session: Session) -> _Current:
        versions: dict[str, tuple[str, int]] = {}
        slots: set[tuple[str, int, int, str]] = set()
        for nik, official_id, version, desa, rw, rt, jabatan in session.connection().exec_driver_sql(_CURRENT_SQL):
            versions[nik] = (official_id, version)
            if jabatan != "lainnya":
                slots.add((desa, rw or 0, rt or 0, jabatan))  # slot_key
        return cls(versions, slots)


_CURRENT_SQL = f"SELECT nik, id, row_version, desa_kode, rw, rt, jabatan FROM {OFFICIAL.name} WHERE {SERVING.text}"


def _still_valid(plan: ImportPlan, current: _Current) -> bool:
    created, kept = Outcome.created, (Outcome.updated, Outcome.unchanged)
    versions, slots = current.versions, current.slots
    for row in plan.rows:
        if row.outcome is created:
            assert row.values is not None
            if row.nik in versions:
                return False
            if slots and row.values["jabatan"] != "lainnya" and slot_key(row.values) in slots:
                return False
        elif row.outcome in kept and versions.get(row.nik) != (row.official_id, row.row_version):
            return False
    return True


def _insert_rows(session: Session, actor: Actor, rows: list[PlannedRow], office_install: str | None) -> tuple[str, ...]:
    """One DBAPI executemany for the officials, then one writing their audit entries (chained in the same pass).

    The values are turned into the text SQLAlchemy's SQLite types bind (dates as ISO text, timestamps with
    microseconds), once per value instead of through per-row parameter processing: 13,000 rows. The audit
    entries hold the row's values as ``audit.to_json`` writes them (personal data masked).
    """
    now = session_now(session)
    connection = session.connection()
    dialect = connection.dialect
    date_bind = _processor(OFFICIAL.c.tanggal_lahir.type, dialect)
    updated_at = _processor(OFFICIAL.c.updated_at.type, dialect)(now)
    # sorted: the primary key index (and the audit log's entity index) is filled in order, not at random
    # places; which row gets which random id does not matter
    ids = sorted(new_uuids(len(rows)))
    records: list[tuple[Any, ...]] = []
    audit_values: list[tuple[Any, ...]] = []
    date = dt.date

    def day(value: Any) -> Any:
        """What SQLAlchemy's SQLite DATE binds: for a date the same text as isoformat()."""
        if value is None:
            return None
        return value.isoformat() if type(value) is date else date_bind(value)

    for row_id, row in zip(ids, rows, strict=True):
        assert row.values is not None
        record = _row_values(row)
        try:
            values = _PICK_VALUES(record)
        except KeyError:
            values = tuple(record.get(c) for c in VALUE_COLUMNS)
        (nik, nama, tempat, lahir, sex, alamat, desa, rw, rt, jabatan, start, end, sk, sk_date, telepon, email,
         ibu) = values  # fmt: skip
        audit_values.append(values)
        records.append(
            (row_id, 1, updated_at, str(desa)[:8], office_install, nik, nama, tempat, day(lahir), sex, alamat, desa,
             rw, rt, jabatan, day(start), day(end), sk, day(sk_date), telepon, email, ibu, "menjabat")
        )  # fmt: skip
    if records:
        connection.exec_driver_sql(driver_sql(_OFFICIAL_SQL, connection), records)
        to_json, summary = _AUDIT_JSON, "Pengurus baru dari impor"
        audit.write_rows(
            session,
            [
                {
                    "at": now,
                    "actor": actor.username,
                    "action": "create",
                    "entity": "official",
                    "entity_id": row_id,
                    "old_values": None,
                    "new_values": to_json(values),
                    "summary": summary,
                }
                for row_id, values in zip(ids, audit_values, strict=True)
            ],
        )
    return tuple(ids)


def _processor(type_: Any, dialect: Any) -> Callable[[Any], Any]:
    """The bind processor of the dialect's own type (SQLite's DATE/DATETIME store text in a fixed format)."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else (lambda v: v)


_OFFICIAL_COLUMNS = ("id", "row_version", "updated_at", "office_code", "origin_install", *VALUE_COLUMNS, "term_status")
_PICK_VALUES = itemgetter(*VALUE_COLUMNS)
_AUDIT_JSON = audit.row_encoder(VALUE_COLUMNS)  # audit.to_json of a new official's values
# the order _insert_rows unpacks them in
assert VALUE_COLUMNS == ("nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "desa_kode", "rw",
                         "rt", "jabatan", "term_start", "term_end", "sk_nomor", "sk_tanggal", "telepon", "email",
                         "nama_ibu_kandung")  # fmt: skip
_OFFICIAL_SQL = (
    f"INSERT INTO {OFFICIAL.name} ({', '.join(_OFFICIAL_COLUMNS)}) VALUES ({', '.join('?' * len(_OFFICIAL_COLUMNS))})"
)


def _row_values(row: PlannedRow) -> dict[str, Any]:
    """The column values a planned row writes (a seam for tests that inject a failure)."""
    return dict(row.values or {})


def _update_rows(session: Session, actor: Actor, rows: list[PlannedRow], install: str | None) -> None:
    """The changed columns of each updated official, guarded by its row version, and their audit entries.

    Rows that change the same columns share one statement, run as one DBAPI executemany (a re-sent list
    mostly changes the same one or two columns on every row: a few statements for 13,000 rows instead of one
    ORM round trip each). Values are bound as the dialect's own types store them, as for new rows. If any
    official changed since the plan was made, the whole import stops (:data:`STALE_MESSAGE`).
    """
    if not rows:
        return
    now = session_now(session)
    connection = session.connection()
    dialect = connection.dialect
    date_bind = _processor(OFFICIAL.c.tanggal_lahir.type, dialect)
    updated_at = _processor(OFFICIAL.c.updated_at.type, dialect)(now)
    groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
    entries = []
    for row in rows:
        assert row.official_id is not None and row.row_version is not None
        new = {c: v for c, _old, v in row.changes}
        columns = tuple(new)
        params = [date_bind(v) if c in DATE_COLUMNS and v is not None else v for c, v in new.items()]
        if "desa_kode" in new:
            params.append(str(new["desa_kode"])[:8])
        params += (updated_at, install, row.official_id, row.row_version)
        groups.setdefault(columns, []).append(tuple(params))
        entries.append((row.official_id, {c: old for c, old, _new in row.changes}, new))
    for columns, params in groups.items():
        assigned = [f"{c} = ?" for c in columns]
        if "desa_kode" in columns:
            assigned.append("office_code = ?")  # an official belongs to the kecamatan of its desa
        sql = (
            f"UPDATE {OFFICIAL.name} SET {', '.join(assigned)}, row_version = row_version + 1, updated_at = ?, "
            "origin_install = ? WHERE id = ? AND row_version = ?"
        )
        if connection.exec_driver_sql(driver_sql(sql, connection), params).rowcount != len(params):
            raise UserError(STALE_MESSAGE)
    audit.record_many(session, actor, "update", "official", entries, summary="Data pengurus diubah dari impor")


def apply_import(ctx: ServiceContext, actor: Actor, plan: ImportPlan) -> ImportResult:
    """Write the created and updated rows of ``plan`` in one transaction, after checking it still holds.

    Rejected rows are left out (they are in the error workbook); if anything fails, nothing is written.
    """
    require(actor, Permission.import_export)
    is_created, is_updated = Outcome.created, Outcome.updated
    created = [r for r in plan.rows if r.outcome is is_created]
    updated = [r for r in plan.rows if r.outcome is is_updated]
    ids: tuple[str, ...] = ()
    if created or updated:
        backup.auto(ctx, "impor")  # a checked backup before the registry changes in bulk
        try:
            with gc_paused(), ctx.write() as session:
                _, install = office_scope(session)
                if not _still_valid(plan, _Current.load(session)):
                    raise UserError(STALE_MESSAGE)
                _update_rows(session, actor, updated, install)
                ids = _insert_rows(session, actor, created, install)
                audit.record(
                    session,
                    actor,
                    "import",
                    "official",
                    None,
                    new={
                        "berkas": plan.source,
                        "baris_dibaca": plan.rows_read,
                        "baru": len(created),
                        "diubah": len(updated),
                        "tetap": plan.unchanged,
                        "ditolak": plan.rejected,
                    },
                    summary=f"Impor {plan.source}: {len(created)} baru, {len(updated)} diubah, {plan.rejected} ditolak",
                )
        except IntegrityError as exc:
            raise UserError(
                "Impor dibatalkan karena ada data yang bertentangan dengan data lain (NIK atau jabatan ganda). "
                "Tidak ada yang disimpan; buat pratinjau ulang."
            ) from exc
    return ImportResult(len(created), len(updated), plan.unchanged, plan.rejected, ids)
