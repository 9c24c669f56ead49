"""Merging received rows into the tables (the regency): which version wins, which rows wait, how rows are stored.

Which version of a row wins is decided by ``(row_version, owner before regency, origin_install)`` only, never by
a clock. A row whose parent has not arrived yet, or that a unique rule refuses, waits in ``sync_pending``; a
version that loses while saying something different is kept in ``sync_conflict``. :func:`importer.apply_rows`
drives these steps table by table and counts what they did.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter, not_, or_
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from klaten_desktop.db import dialects
from klaten_desktop.db.models import DocumentSubject
from klaten_desktop.db.models_sync import SyncPending
from klaten_desktop.services.context import session_now
from klaten_desktop.services.sync.columns import RowProblem
from klaten_desktop.services.sync.tables import BY_NAME, SUBJECTS, TableSpec, content

Values = dict[str, Any]
CHUNK = 500


# ---------------------------------------------------------------- reading what is there


def existing(session: Session, spec: TableSpec, ids: list[str]) -> dict[str, Values]:
    """The stored rows of ``spec`` among ``ids``, by id, as package values."""
    if not ids:
        return {}
    t = spec.table
    rows = session.execute(select(*spec.select_columns()).where(dialects.id_in(session, t.c.id, ids)))
    return {values["id"]: values for values in (dict(zip(spec.columns, row, strict=True)) for row in rows)}


def _present(session: Session, table: str, ids: set[str]) -> set[str]:
    """Which of ``ids`` the table ``table`` holds."""
    if not ids:
        return set()
    t = BY_NAME[table].table
    return set(session.scalars(select(t.c.id).where(dialects.id_in(session, t.c.id, ids))))


def load_pending(session: Session) -> dict[str, list[Values]]:
    """Take every row still waiting from earlier imports out of ``sync_pending``, by table.

    A row an older version let wait that breaks what its column allows (``columns.py`` checks more) stays in
    ``sync_pending`` with the problem as its reason and is never stored.
    """
    pending: dict[str, list[Values]] = defaultdict(list)
    refused: list[Values] = []
    for row in session.execute(select(SyncPending.__table__)).mappings():
        spec = BY_NAME[row["table_name"]]
        try:
            pending[spec.name].append(spec.decode(json.loads(row["row_json"])))
        except RowProblem as problem:
            reason = f"tidak sah, tidak akan disimpan: kolom {problem.column}: {problem.reason}"
            refused.append({**row, "reason": reason})
    session.execute(delete(SyncPending))
    if refused:
        session.execute(insert(SyncPending), refused)
    return pending


# ---------------------------------------------------------------- which version wins


def _key(values: Mapping[str, Any], me: str) -> tuple[int, int, str]:
    """The order of versions of one row: higher ``row_version``, then the owner's, then ``origin_install``."""
    origin = values.get("origin_install") or ""
    return (int(values["row_version"]), 0 if origin == me else 1, origin)


def encode(spec: TableSpec, values: Mapping[str, Any]) -> str:
    """A row as the JSON kept in ``sync_conflict`` and ``sync_pending``."""
    return json.dumps(dict(values), ensure_ascii=False, sort_keys=True)


@dataclass
class Weighed:
    """What :func:`weigh` decided for one table's rows."""

    creates: list[Values]
    updates: list[Values]
    unchanged: int = 0


def weigh(
    session: Session,
    spec: TableSpec,
    rows: list[Values],
    ids: list[str],
    stored: Mapping[str, Values],
    *,
    me: str,
    package_id: int | None,
    conflicts: list[Values],
) -> Weighed:
    """Pick each row's winning version among ``rows`` (with ``ids``, in order) and the ``stored`` one; losers that
    differ join ``conflicts``."""
    groups: dict[str, list[Values]] = defaultdict(list)
    if not stored and len(set(ids)) == len(ids):
        return Weighed(rows, [])  # every row is new and comes once: nothing to weigh (a first import)
    for values in rows:
        groups[values["id"]].append(values)
    weighed = Weighed([], [])
    for row_id, candidates in groups.items():
        best = candidates[0]
        if len(candidates) > 1:
            candidates.sort(key=lambda v: _key(v, me), reverse=True)
            best = candidates[0]
            best_content = content(best)
            for other in candidates[1:]:
                if other.get("origin_install") != best.get("origin_install") and content(other) != best_content:
                    conflicts.append(conflict(spec, other, best, package_id, me, session_now(session)))
        current = stored.get(row_id)
        if current is None:
            weighed.creates.append(best)
            continue
        k_new, k_old = _key(best, me), _key(current, me)
        differs = content(current) != content(best)
        if k_new > k_old:
            weighed.updates.append(best)
            if differs and current.get("origin_install") != best.get("origin_install"):
                conflicts.append(conflict(spec, current, best, package_id, me, session_now(session)))
        else:
            weighed.unchanged += 1
            if differs and (k_new == k_old or current.get("origin_install") != best.get("origin_install")):
                conflicts.append(conflict(spec, best, current, package_id, me, session_now(session)))
    return weighed


def conflict(
    spec: TableSpec,
    loser: Mapping[str, Any],
    winner: Mapping[str, Any],
    package_id: int | None,
    me: str,
    now: dt.datetime,
) -> Values:
    """The ``sync_conflict`` row for a version that lost while saying something different."""
    loser_origin = loser.get("origin_install") or ""
    return {
        "kind": "koreksi_ditolak" if loser_origin == me else "versi",
        "status": "terbuka",
        "table_name": spec.name,
        "row_id": loser["id"],
        "office_code": loser["office_code"],
        "loser_version": int(loser["row_version"]),
        "loser_install": loser_origin,
        "loser_json": encode(spec, loser),
        "winner_version": int(winner["row_version"]),
        "winner_install": winner.get("origin_install"),
        "package_id": package_id,
        "resolved_by": None,
        "recorded_at": now,
    }


# ---------------------------------------------------------------- rows that must wait


def waiting(spec: TableSpec, values: Mapping[str, Any], reason: str) -> Values:
    """The ``sync_pending`` row for a row that waits, with the Indonesian reason."""
    return {
        "table_name": spec.name,
        "row_id": values["id"],
        "row_version": int(values["row_version"]),
        "origin_install": values.get("origin_install") or "",
        "office_code": values["office_code"],
        "nik": values.get("nik") if spec.name == "official" else None,
        "row_json": encode(spec, values),
        "reason": reason,
    }


def ready(
    session: Session,
    spec: TableSpec,
    creates: list[Values],
    updates: list[Values],
    present: Mapping[str, set[str]] | None = None,
) -> tuple[list[Values], list[Values], list[tuple[Values, str]]]:
    """Split rows into those whose parents exist and those that must wait for them (``present``: ids known to be
    stored, by table, which are not looked up again)."""
    rows = creates + updates
    if not rows:
        return creates, updates, []
    missing: dict[str, str] = {}
    links = list(spec.foreign_keys) + ([(SUBJECTS, "official")] if spec.name == "document" else [])
    for column, parent in links:
        if column == SUBJECTS:
            needed = {r for v in rows for r in v[SUBJECTS]}
        else:
            needed = set(map(itemgetter(column), rows))
            needed.discard(None)
        if parent == spec.name:
            needed -= set(map(itemgetter("id"), rows))  # a parent in the same batch is there in time
        if present is not None:
            needed -= present.get(parent, set())
        absent = needed - _present(session, parent, needed)
        if absent:
            label = f"menunggu data induk ({parent})"
            for v in rows:
                value = v.get(column)
                refs = value if isinstance(value, list) else [value] if value is not None else []
                if any(r in absent for r in refs):
                    missing[v["id"]] = label
    if not missing:
        return creates, updates, []
    blocked = [(v, missing[v["id"]]) for v in rows if v["id"] in missing]
    return (
        [v for v in creates if v["id"] not in missing],
        [v for v in updates if v["id"] not in missing],
        blocked,
    )


def surely_new(spec: TableSpec, rows: list[Values], created: Mapping[str, set[str]]) -> set[str]:
    """The ids of ``rows`` that hang off a row of another table this import created: their parent was not stored
    before, so neither, in all likelihood, were they. They are not looked up; storing them as new rows proves it
    (the primary key refuses a row that was there), else :func:`merge_table` weighs the table again, looking up
    every row."""
    links = [(column, created[parent]) for column, parent in spec.foreign_keys if created.get(parent)]
    if not links:
        return set()
    hits = [False] * len(rows)
    for column, new in links:
        hits = list(map(or_, hits, map(new.__contains__, map(itemgetter(column), rows))))
    ids = list(map(itemgetter("id"), rows))
    # an id also received without such a parent is looked up
    return set(compress(ids, hits)) - set(compress(ids, map(not_, hits)))


@dataclass
class Merged:
    """What :func:`merge_table` did to one table's rows."""

    stored: list[Values]  # created, updated or deleted
    existing: dict[str, Values]  # the rows stored before, by id (rows that were surely new are not in it)
    unchanged: int
    waiting: list[tuple[Values, str]]  # with the reason
    conflicts: list[Values]


def merge_table(
    session: Session,
    spec: TableSpec,
    rows: list[Values],
    *,
    me: str,
    package_id: int | None,
    created: Mapping[str, set[str]],
    present: Mapping[str, set[str]],
) -> Merged:
    """Weigh ``rows`` of ``spec`` against the stored ones and store the winners whose parents are there.

    ``created``: the ids this import stored as new rows, by table (:func:`surely_new`); ``present``: the ids known
    to be stored, by table, whose presence is not asked again (a child's parent).
    """
    ids = list(map(itemgetter("id"), rows))
    fresh = surely_new(spec, rows, created)
    if fresh:
        merged = _merge(session, spec, rows, ids, fresh, me, package_id, present)
        if merged is not None:
            return merged
    merged = _merge(session, spec, rows, ids, set(), me, package_id, present)
    assert merged is not None
    return merged


def _merge(
    session: Session,
    spec: TableSpec,
    rows: list[Values],
    ids: list[str],
    fresh: set[str],
    me: str,
    package_id: int | None,
    present: Mapping[str, set[str]],
) -> Merged | None:
    """:func:`merge_table` taking the ``fresh`` ids as not stored; None (nothing stored) when a rule refused the
    rows written in bulk while some were taken as new."""
    stored_before = existing(session, spec, [i for i in ids if i not in fresh] if fresh else ids)
    conflicts: list[Values] = []
    weighed = weigh(session, spec, rows, ids, stored_before, me=me, package_id=package_id, conflicts=conflicts)
    creates, updates, blocked = ready(session, spec, weighed.creates, weighed.updates, present)
    written = write(session, spec, creates, updates, one_by_one=not fresh)
    if written is None:
        return None
    stored, failed = written
    return Merged(stored, stored_before, weighed.unchanged, [*blocked, *failed], conflicts)


def _integrity_reason(message: str, row: Mapping[str, Any]) -> str:
    """The Indonesian reason a row waits after SQLite refused it with ``message``."""
    if "nik" in message:
        return "NIK sama dengan pengurus yang masih menjabat di data lain (NIK ganda antarkecamatan)"
    if "coalesce" in message or "slot" in message:
        return "jabatan di RT/RW ini masih dipegang pengurus lain (menunggu paket berikutnya)"
    return "bertentangan dengan data lain (menunggu paket berikutnya)"


# ---------------------------------------------------------------- storing rows


@dataclass(frozen=True)
class _Statements:
    """The SQL that stores one table's rows: a statement per row for one row, a staging table for many
    (:func:`klaten_desktop.db.dialects.store_staged`, measured there)."""

    spec: TableSpec
    insert: str
    update: str
    insert_params: Callable[[Values], Any]
    update_params: Callable[[Values], Any]

    @classmethod
    def of(cls, spec: TableSpec, paramstyle: str) -> _Statements:
        """The statements for ``spec``'s table, with the driver's placeholders (sqlite3 ``?``, psycopg ``%s``)."""
        name = spec.table.name
        columns = spec.columns
        others = [c for c in columns if c != "id"]
        mark = "?" if paramstyle == "qmark" else "%s"
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join(mark for _ in columns)
        assignments = ", ".join(f'"{c}" = {mark}' for c in others)
        return cls(
            spec=spec,
            insert=f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})',
            update=f'UPDATE "{name}" SET {assignments} WHERE id = {mark}',
            insert_params=itemgetter(*columns),
            update_params=itemgetter(*others, "id"),
        )

    def run(self, session: Session, updates: list[Values], creates: list[Values]) -> None:
        """Store ``updates`` and ``creates`` (and a document's subjects); raises IntegrityError on a unique rule."""
        connection = session.connection()  # inside the savepoint: the session emits SAVEPOINT lazily
        name, columns = self.spec.table.name, self.spec.columns
        if len(updates) > 1:
            dialects.store_staged(connection, name, columns, list(map(self.insert_params, updates)), update=True)
        elif updates:
            connection.exec_driver_sql(self.update, list(map(self.update_params, updates)))
        if len(creates) > 1:
            dialects.store_staged(connection, name, columns, list(map(self.insert_params, creates)), update=False)
        elif creates:
            connection.exec_driver_sql(self.insert, list(map(self.insert_params, creates)))
        if self.spec.name == "document":
            write_subjects(session, updates + creates)


def write(
    session: Session, spec: TableSpec, creates: list[Values], updates: list[Values], *, one_by_one: bool = True
) -> tuple[list[Values], list[tuple[Values, str]]] | None:
    """Store rows in bulk; when a unique rule objects, row by row so only the offending rows wait (or, without
    ``one_by_one``, nothing is stored and None is returned)."""
    if not creates and not updates:
        return [], []
    statements = _Statements.of(spec, session.connection().dialect.paramstyle)
    try:
        with session.begin_nested():
            statements.run(session, updates, creates)
        return updates + creates, []
    except IntegrityError:
        if not one_by_one:
            return None
    return _write_one_by_one(session, statements, creates, updates)


def _write_one_by_one(
    session: Session, statements: _Statements, creates: list[Values], updates: list[Values]
) -> tuple[list[Values], list[tuple[Values, str]]]:
    """Store rows one at a time, each in its own savepoint, until a round stores none; the rest wait."""
    spec = statements.spec
    todo = [(r, True) for r in updates] + [(r, False) for r in creates]
    new_ids = {r["id"] for r in creates}
    self_links = [column for column, parent in spec.foreign_keys if parent == spec.name]
    stored: list[Values] = []
    stored_ids: set[str] = set()
    errors: dict[str, str] = {}
    progress = True
    while todo and progress:
        progress = False
        rest: list[tuple[Values, bool]] = []
        for row, is_update in todo:
            # a row pointing at a new row of the same table waits until that row is stored
            if any(row[c] in new_ids and row[c] not in stored_ids for c in self_links):
                errors.setdefault(row["id"], f"menunggu data induk ({spec.name})")
                rest.append((row, is_update))
                continue
            try:
                with session.begin_nested():
                    statements.run(session, [row] if is_update else [], [] if is_update else [row])
                stored.append(row)
                stored_ids.add(row["id"])
                progress = True
            except IntegrityError as exc:
                errors[row["id"]] = _integrity_reason(str(exc.orig), row)
                rest.append((row, is_update))
        todo = rest
    return stored, [(row, errors[row["id"]]) for row, _ in todo]


def write_subjects(session: Session, rows: list[Values]) -> None:
    """Replace the ``document_subject`` rows of the documents ``rows`` with their ``_subjects``."""
    ids = [r["id"] for r in rows]
    for i in range(0, len(ids), CHUNK):
        session.execute(delete(DocumentSubject).where(DocumentSubject.document_id.in_(ids[i : i + CHUNK])))
    pairs = [{"document_id": r["id"], "official_id": o} for r in rows for o in r.get(SUBJECTS, [])]
    if pairs:
        session.execute(insert(DocumentSubject), pairs)
