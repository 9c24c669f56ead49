"""Importing packages: a kecamatan's data at the regency, or the regency's corrections at a kecamatan.

Every check that can reject a file runs before the first write. The real import is one transaction; a dry run
does the same work inside a savepoint that is rolled back. Which version of a row wins is decided by
``(row_version, owner before regency, origin_install)`` only, never by a clock, so packages imported in any order
end in the same database: a row whose parent has not arrived yet waits in ``sync_pending`` and is retried at
every import; a version that loses while saying something different is kept in ``sync_conflict``.

Here: the entry points (one package, a batch of several) and the recording of a package; the checks that can
refuse a file are in ``checks.py``, the merging of rows (which version wins, which rows wait, bulk writes) in
``merge.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from klaten_desktop.db import dialects
from klaten_desktop.db.models import Office
from klaten_desktop.db.models_sync import SyncConflict, SyncPackage, SyncPeerState, SyncPending
from klaten_desktop.runtime.work import CancelCheck, Progress, check, report
from klaten_desktop.services import audit, backup
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import EnvironmentProblem, UserError
from klaten_desktop.services.sync import merge, stream
from klaten_desktop.services.sync.checks import Checked, check_install, check_package, check_references, gaps
from klaten_desktop.services.sync.merge import Values
from klaten_desktop.services.sync.tables import SPECS, content


@dataclass
class TableCounts:
    """What an import did to one table."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: int = 0
    waiting: int = 0


@dataclass(frozen=True)
class ImportResult:
    """What importing one package did (or, for a dry run, would do)."""

    office: str
    sequence: int
    kind: str
    dry_run: bool
    already_imported: bool
    tables: dict[str, TableCounts]
    gaps: tuple[int, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    replaced: tuple[stream.Replaced, ...] = ()  # received packages a re-base replaced (rebase=True only)

    def total(self, name: str) -> int:
        """The count ``name`` (``created``, ``updated``, ...) summed over the tables."""
        return sum(getattr(c, name) for c in self.tables.values())

    def as_json(self) -> dict[str, Any]:
        """The documented ``sync import --json`` object."""
        return {
            "office": self.office,
            "sequence": self.sequence,
            "created": self.total("created"),
            "updated": self.total("updated"),
            "deleted": self.total("deleted"),
            "unchanged": self.total("unchanged"),
            "conflicts": self.total("conflicts"),
            "dry_run": self.dry_run,
        }


# ---------------------------------------------------------------- import


def import_package(
    ctx: ServiceContext,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    new_install: bool = False,
    rebase: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import one package. ``new_install``: accept that another installation now speaks for this kecamatan;
    ``rebase``: accept a stream of the same installation that differs from the packages received (``stream.py``).
    A real import makes an automatic backup first."""
    require(actor, Permission.sync)
    checked = check_package(ctx, path)
    options = _Options(dry_run, new_install, rebase)
    if not dry_run:
        backup.auto(ctx, "impor-sinkron")
    with ctx.write() as session:
        savepoint = session.begin_nested()
        result = _apply_package(session, actor, checked, Path(path).name, options, progress)
        if dry_run:
            savepoint.rollback()
        else:
            savepoint.commit()
            _refresh_statistics(session, [result])
    return result


@dataclass(frozen=True)
class PackageOutcome:
    """One file of :func:`import_packages`: its result, or the Indonesian reason it was refused."""

    path: Path
    result: ImportResult | None
    error: str | None

    @property
    def ok(self) -> bool:
        """Whether the package was imported (or would be, for a dry run)."""
        return self.result is not None


CANCELLED = "Impor paket dibatalkan; tidak ada data yang berubah."


@dataclass(frozen=True)
class _Options:
    dry_run: bool
    new_install: bool
    rebase: bool


def import_packages(
    ctx: ServiceContext,
    actor: Actor,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    new_install: bool = False,
    rebase: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> list[PackageOutcome]:
    """Import several packages (a stick from many kecamatan) in the order given, in one transaction.

    Each package is stored whole or not at all, in its own savepoint: a refused package is listed with its
    reason and the others go on. Later packages see the earlier ones, so a dry run of a batch shows what the
    real import will do (a package that fills another's sequence gap, parents arriving in an earlier package).
    One commit at the end: one disk sync for the batch instead of one per package. A dry run, a cancel (checked
    between packages and before the commit) or an unexpected error leaves the database as it was. A real import
    makes an automatic backup first.
    """
    require(actor, Permission.sync)
    paths = [Path(p) for p in paths]
    outcomes: list[PackageOutcome] = []
    if not dry_run:
        backup.auto(ctx, "impor-sinkron")
    try:
        outcomes = _import_batch(ctx, actor, paths, _Options(dry_run, new_install, rebase), progress, cancelled)
    except IntegrityError as exc:  # only a row the checks let through breaking a rule at COMMIT; never seen
        raise UserError(
            "Impor paket dibatalkan: sebuah paket melanggar aturan basis data. Tidak ada data yang berubah; "
            "impor paket satu per satu untuk menemukan paket yang bermasalah."
        ) from exc
    return outcomes


def _import_batch(
    ctx: ServiceContext,
    actor: Actor,
    paths: list[Path],
    options: _Options,
    progress: Progress | None,
    cancelled: CancelCheck | None,
) -> list[PackageOutcome]:
    """The packages of :func:`import_packages`, each in its own savepoint of one transaction."""
    outcomes: list[PackageOutcome] = []
    with ctx.write() as session, _CheckedAhead(ctx, paths) as ahead:
        # no savepoint around the batch: a cancel or an error rolls the transaction back (raised out of the
        # block), and a dry run rolls it back below; only the packages' own savepoints keep undo pages
        for n, path in enumerate(paths):
            check(cancelled, CANCELLED)  # out of ctx.write(): the whole batch is rolled back
            try:
                checked = ahead.checked(n)
                with session.begin_nested():
                    result = _apply_package(session, actor, checked, path.name, options, None)
            except (UserError, EnvironmentProblem) as exc:
                outcomes.append(PackageOutcome(path, None, exc.message))
            else:
                outcomes.append(PackageOutcome(path, result, None))
            report(progress, n + 1, len(paths))
        check(cancelled, CANCELLED)  # also a cancel during the last package: nothing is kept
        if options.dry_run:
            session.rollback()
        else:
            _refresh_statistics(session, [o.result for o in outcomes if o.result is not None])
    return outcomes


def _refresh_statistics(session: Session, results: list[ImportResult]) -> None:
    """The planner's statistics of the tables the import changed by a tenth or more (PostgreSQL: ``ANALYZE``,
    inside the import's transaction; SQLite: nothing), so the next statements are planned with the rows received
    rather than with the older, smaller tables until autovacuum comes by (``dialects.refresh_statistics``)."""
    changed: dict[str, int] = {}
    for result in results:
        for name, c in result.tables.items():
            changed[name] = changed.get(name, 0) + c.created + c.updated + c.deleted
    dialects.refresh_statistics(session.connection(), changed)


class _CheckedAhead:
    """The files of a batch checked one ahead, on a worker thread: reading, decrypting and checking the next
    file (Python's work) runs while the rows of this one are written (the database's work, during which the
    driver lets other threads run: the server's on PostgreSQL, SQLite's own C code). The checks of the bench's 26
    packages (500 officials each) take 0.7 s of CPU; measured with and without, runs alternated: SQLite 3.0-3.7 s
    against 3.7-4.6 s (load 4.2); PostgreSQL 8.7-9.9 s against 10.0-11.0 s at load 6.4, within the noise at 3.4.

    :func:`check_package` writes nothing and reads only the office and the trusted keys, which a package does
    not change, so a file checked ahead is checked as it would be in turn; its refusal is raised when its turn
    comes. A file is checked on the caller's thread while the key could be asked for (a passphrase prompt).
    """

    def __init__(self, ctx: ServiceContext, paths: list[Path]) -> None:
        self._ctx, self._paths = ctx, paths
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-check")
        self._ahead: dict[int, Future[Checked]] = {}

    def __enter__(self) -> _CheckedAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)  # a cancel waits for the file being read

    def checked(self, n: int) -> Checked:
        """File ``n`` checked (raises its refusal), with file ``n + 1`` started on the worker."""
        future = self._ahead.pop(n, None)
        try:
            return future.result() if future is not None else check_package(self._ctx, self._paths[n])
        finally:
            if n + 1 < len(self._paths) and self._key_ready():
                self._ahead[n + 1] = self._pool.submit(check_package, self._ctx, self._paths[n + 1])

    def _key_ready(self) -> bool:
        """Whether the office's decryption key comes without asking for a passphrase."""
        return self._ctx.ask_key_passphrase is None or "encryption" in self._ctx.unlocked_keys


def _apply_package(
    session: Session,
    actor: Actor,
    checked: Checked,
    file_name: str,
    options: _Options,
    progress: Progress | None,
) -> ImportResult:
    """Store one checked package inside the caller's savepoint (which the caller rolls back for a dry run)."""
    header = checked.opened.header
    dry_run, new_install = options.dry_run, options.new_install
    office = session.get(Office, 1)
    assert office is not None
    me = office.install_id
    placed = stream.place(session, actor, checked, rebase=options.rebase and header.kind == "data")
    if placed.already_imported:  # this very package was imported before
        counts = {s.name: TableCounts(unchanged=len(checked.rows[s.name])) for s in SPECS}
        return ImportResult(header.sender_office, header.sequence, header.kind, dry_run, True, counts)
    check_references(session, checked)  # before the rows are written: refused, the savepoint holds nothing
    warnings: list[str] = list(placed.warnings)
    if header.kind == "data":
        warnings += check_install(session, header.sender_office, header.sender_install, new_install)
    dialects.defer_foreign_keys(session)
    package_id = _record_package(session, checked, file_name)
    if header.kind == "data":
        _set_active(session, header.sender_office, header.sender_install, new_install)
        tables = apply_rows(session, checked.rows, me=me, package_id=package_id, progress=progress)
    else:
        tables = _store_corrections(session, checked.rows, package_id=package_id)
    missing = gaps(session, header.sender_install)
    if missing:
        warnings.append(
            "Paket nomor " + ", ".join(str(g) for g in missing) + f" dari {checked.sender_name} belum diterima."
        )
    result = ImportResult(
        header.sender_office,
        header.sequence,
        header.kind,
        dry_run,
        False,
        tables,
        missing,
        tuple(warnings),
        placed.replaced,
    )
    _record_result(session, actor, checked, package_id, result)
    return result


def _record_package(session: Session, checked: Checked, file_name: str) -> int:
    """Add the package to ``sync_package`` (direction ``received``); returns its id."""
    header = checked.opened.header
    manifest = checked.manifest
    package_id: int = session.execute(
        insert(SyncPackage)
        .returning(SyncPackage.id)
        .values(
            direction="received",
            kind=header.kind,
            sender_install=header.sender_install,
            sender_office=header.sender_office,
            recipient_install=header.recipient_install,
            recipient_office=header.recipient_office,
            sequence=header.sequence,
            previous_sha256=manifest.get("previous_sha256"),
            audit_head=_stored(manifest.get("audit_head")),
            sha256=checked.opened.sha256,
            full=int(manifest["full"]),
            counts=json.dumps(manifest["counts"], sort_keys=True),
            app_version=str(manifest["app_version"])[:20],
            schema_version=str(manifest["schema_version"]),
            created_at=str(manifest["created_at"])[:40],
            file_name=file_name[:260],
            recorded_at=session_now(session),
        )
    ).scalar_one()
    return package_id


def _stored(head: object) -> str | None:
    """The manifest's ``audit_head`` as ``sync_package.audit_head`` keeps it (checked by checks._audit_head_ok)."""
    return None if head is None else json.dumps(head, sort_keys=True)


def _record_result(session: Session, actor: Actor, checked: Checked, package_id: int, result: ImportResult) -> None:
    """Keep the import's result on its ``sync_package`` row and in the audit log."""
    header = checked.opened.header
    session.execute(
        update(SyncPackage)
        .where(SyncPackage.id == package_id)
        .values(result=json.dumps({**result.as_json(), "gaps": list(result.gaps)}))
    )
    audit.record(
        session,
        actor,
        "sync_import",
        "sync_package",
        None,
        new={**result.as_json(), "sender": header.sender_office, "kind": header.kind},
        summary=f"Paket no. {header.sequence} dari {checked.sender_name} diimpor",
    )


def _set_active(session: Session, office_code: str, install: str, new_install: bool) -> None:
    """Mark ``install`` as the kecamatan's active installation (``new_install``: the others as replaced)."""
    if new_install:
        session.execute(
            update(SyncPeerState)
            .where(SyncPeerState.office_code == office_code, SyncPeerState.install_id != install)
            .values(status="diganti")
        )
    if session.get(SyncPeerState, install) is None:
        session.add(SyncPeerState(install_id=install, office_code=office_code, status="aktif"))
        session.flush()


# ---------------------------------------------------------------- applying rows (regency)


def apply_rows(
    session: Session,
    incoming: Mapping[str, list[Values]],
    *,
    me: str,
    package_id: int | None,
    progress: Progress | None = None,
) -> dict[str, TableCounts]:
    """Merge received rows (plus rows still waiting from earlier imports) into the tables."""
    pending = merge.load_pending(session)
    result: dict[str, TableCounts] = {}
    conflicts: list[Values] = []
    waiting: list[Values] = []
    created: dict[str, set[str]] = {}  # ids stored as new rows by this import, by table
    present: dict[str, set[str]] = {}  # ids known to be stored, by table (parents not looked up again)
    for step, spec in enumerate(SPECS):
        rows = [*incoming.get(spec.name, ()), *pending.get(spec.name, ())]
        merged = merge.merge_table(session, spec, rows, me=me, package_id=package_id, created=created, present=present)
        conflicts += merged.conflicts
        waiting += [merge.waiting(spec, values, reason) for values, reason in merged.waiting]
        result[spec.name] = _counts(merged.stored, merged.existing, merged.unchanged, len(merged.waiting))
        stored_ids = set(map(itemgetter("id"), merged.stored))
        created[spec.name] = stored_ids - merged.existing.keys()
        present[spec.name] = created[spec.name] | set(merged.existing)
        report(progress, step + 1, len(SPECS))
    if conflicts:
        session.execute(dialects.insert_or_ignore(session, SyncConflict), conflicts)
        for c in conflicts:
            result[c["table_name"]].conflicts += 1
    if waiting:
        session.execute(dialects.insert_or_replace(session, SyncPending), waiting)
    return result


def _counts(stored: list[Values], existing: Mapping[str, Values], unchanged: int, waiting: int) -> TableCounts:
    """One table's counts: each stored row created, updated or deleted by this import."""
    counts = TableCounts(unchanged=unchanged, waiting=waiting)
    if not existing:  # every row stored is new
        counts.created = list(map(itemgetter("deleted_at"), stored)).count(None)
        counts.deleted = len(stored) - counts.created
        return counts
    for values in stored:
        current = existing.get(values["id"])
        if values["deleted_at"] is not None and (current is None or current["deleted_at"] is None):
            counts.deleted += 1
        elif current is None:
            counts.created += 1
        else:
            counts.updated += 1
    return counts


# ---------------------------------------------------------------- corrections (kecamatan)


def _store_corrections(
    session: Session, incoming: Mapping[str, list[Values]], *, package_id: int
) -> dict[str, TableCounts]:
    """Corrections from the regency are not applied: each waits for the kecamatan to accept or refuse it."""
    result: dict[str, TableCounts] = {}
    proposals: list[Values] = []
    for spec in SPECS:
        counts = TableCounts()
        result[spec.name] = counts
        rows = list(incoming.get(spec.name, ()))
        existing = merge.existing(session, spec, [r["id"] for r in rows])
        for values in rows:
            current = existing.get(values["id"])
            if current is not None and content(current) == content(values):
                counts.unchanged += 1
                continue
            proposals.append(
                {
                    "kind": "koreksi",
                    "status": "terbuka",
                    "table_name": spec.name,
                    "row_id": values["id"],
                    "office_code": values["office_code"],
                    "loser_version": int(values["row_version"]),
                    "loser_install": values.get("origin_install") or "",
                    "loser_json": merge.encode(spec, values),
                    "winner_version": None if current is None else current["row_version"],
                    "winner_install": None if current is None else current["origin_install"],
                    "package_id": package_id,
                    "resolved_by": None,
                    "recorded_at": session_now(session),
                }
            )
            counts.conflicts += 1
    if proposals:
        session.execute(dialects.insert_or_ignore(session, SyncConflict), proposals)
    return result
