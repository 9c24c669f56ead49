"""The regency console: per kecamatan, what arrived, when, and what is missing."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from klaten_desktop.db.models import Office, Official, Wilayah
from klaten_desktop.db.models_sync import SyncConflict, SyncPackage, SyncPeerState, SyncPending
from klaten_desktop.domain.nik import mask_nik
from klaten_desktop.services import settings
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.coverage import StatusCounts, count_statement, counts_from_rows, insured_posts
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync.checks import sequence_gaps


@dataclass(frozen=True)
class KecamatanStatus:
    office_code: str
    nama: str
    installs: tuple[str, ...]  # install ids that sent packages (more than one: a replaced or cloned PC)
    last_sequence: int | None
    last_created_at: str | None  # as the kecamatan's PC recorded it
    last_imported_at: dt.datetime | None  # the regency's clock
    days_since_import: int | None
    app_version: str | None
    last_counts: dict[str, int]
    gaps: tuple[int, ...]
    coverage: StatusCounts  # today's coverage status counts of the kecamatan's officials, as the recap counts them
    open_conflicts: int
    waiting_rows: int
    # the kecamatan's audit chain head its last package carried ({"id", "hash"}), None before any package had it
    audit_head: dict[str, Any] | None = None

    @property
    def officials_serving(self) -> int:
        """Officials who should be covered (term and enrollment not ended): the denominator of coverage."""
        return self.coverage.serving

    @property
    def officials_aktif(self) -> int:
        return self.coverage.aktif

    @property
    def coverage_percent(self) -> float:
        """The one coverage figure (services/coverage.py): aktif among those who should be covered."""
        return self.coverage.cakupan_persen

    def overdue(self, days: int) -> bool:
        return self.days_since_import is None or self.days_since_import >= days


@dataclass(frozen=True)
class DuplicateNik:
    nik_masked: str
    offices: tuple[str, ...]
    row_ids: tuple[str, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class Console:
    stale_days: int
    kecamatan: tuple[KecamatanStatus, ...]
    duplicate_niks: tuple[DuplicateNik, ...]

    @property
    def stale(self) -> tuple[str, ...]:
        return tuple(k.office_code for k in self.kecamatan if k.overdue(self.stale_days))

    def as_json(self) -> dict[str, Any]:
        return {
            "stale_days": self.stale_days,
            "kecamatan": [
                {
                    "office": k.office_code,
                    "nama": k.nama,
                    "installs": list(k.installs),
                    "last_sequence": k.last_sequence,
                    "last_created_at": k.last_created_at,
                    "last_imported_at": None if k.last_imported_at is None else k.last_imported_at.isoformat(),
                    "days_since_import": k.days_since_import,
                    "app_version": k.app_version,
                    "counts": k.last_counts,
                    "officials_serving": k.officials_serving,
                    "officials_aktif": k.officials_aktif,
                    "coverage_percent": k.coverage_percent,
                    "gaps": list(k.gaps),
                    "open_conflicts": k.open_conflicts,
                    "waiting_rows": k.waiting_rows,
                    "audit_head": k.audit_head,
                }
                for k in self.kecamatan
            ],
            "no_package_for_days": list(self.stale),
            "sequence_gaps": {k.office_code: list(k.gaps) for k in self.kecamatan if k.gaps},
            "multiple_installs": [k.office_code for k in self.kecamatan if len(k.installs) > 1],
            "duplicate_niks": [
                {"nik": d.nik_masked, "offices": list(d.offices), "ids": list(d.row_ids), "names": list(d.names)}
                for d in self.duplicate_niks
            ],
        }


def console(ctx: ServiceContext, *, stale_days: int | None = None) -> Console:
    """Everything the regency console shows. ``stale_days`` defaults to the export reminder setting."""
    days = int(settings.get(ctx, "ekspor.pengingat_hari")) if stale_days is None else stale_days
    today = ctx.today()
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None or office.role != "kabupaten":
            raise UserError("Konsol sinkronisasi hanya tersedia di kantor kabupaten.")
        kecamatan = session.execute(
            select(Wilayah.kode, Wilayah.nama).where(Wilayah.tingkat == "kecamatan").order_by(Wilayah.kode)
        ).all()
        packages: dict[str, list[Any]] = defaultdict(list)
        for p in session.scalars(
            select(SyncPackage).where(SyncPackage.direction == "received", SyncPackage.kind == "data")
        ):
            packages[p.sender_office].append(p)
        installs: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for install, code, status in session.execute(
            select(SyncPeerState.install_id, SyncPeerState.office_code, SyncPeerState.status)
        ):
            installs[code].append((install, status))
        by_kecamatan = count_statement(today, Official.office_code, None, posts=insured_posts(session, today))
        per_kecamatan = counts_from_rows(session.execute(by_kecamatan))
        conflicts = dict(
            session.execute(
                select(SyncConflict.office_code, func.count())
                .where(SyncConflict.status == "terbuka")
                .group_by(SyncConflict.office_code)
            )
            .tuples()
            .all()
        )
        waiting = dict(
            session.execute(select(SyncPending.office_code, func.count()).group_by(SyncPending.office_code))
            .tuples()
            .all()
        )
        result = []
        for code, nama in kecamatan:
            pkgs = packages.get(code, [])
            active = [i for i, s in installs.get(code, []) if s == "aktif"]
            stream = [p for p in pkgs if p.sender_install in active] or pkgs
            last = max(stream, key=lambda p: p.sequence, default=None)
            last_import = max((p.recorded_at for p in pkgs), default=None)
            gaps: tuple[int, ...] = ()
            for install in active:
                gaps += sequence_gaps([(p.sequence, bool(p.full)) for p in pkgs if p.sender_install == install])
            result.append(
                KecamatanStatus(
                    office_code=code,
                    nama=nama,
                    installs=tuple(sorted(i for i, _ in installs.get(code, []))),
                    last_sequence=None if last is None else last.sequence,
                    last_created_at=None if last is None else last.created_at,
                    last_imported_at=last_import,
                    # never negative: the regency PC's clock may have been set back after a power cut
                    days_since_import=None if last_import is None else max(0, (today - _local_date(last_import)).days),
                    app_version=None if last is None else last.app_version,
                    last_counts={} if last is None else json.loads(last.counts),
                    gaps=gaps,
                    coverage=per_kecamatan.get(code, StatusCounts()),
                    open_conflicts=int(conflicts.get(code, 0)),
                    waiting_rows=int(waiting.get(code, 0)),
                    audit_head=_last_audit_head(stream),
                )
            )
        duplicates = _duplicate_niks(session)
    return Console(days, tuple(result), duplicates)


def _last_audit_head(packages: list[Any]) -> dict[str, Any] | None:
    """The audit chain head of the newest package (by sequence) that carried one."""
    carried = [p for p in packages if p.audit_head]
    if not carried:
        return None
    head: dict[str, Any] = json.loads(max(carried, key=lambda p: p.sequence).audit_head)
    return head


def _duplicate_niks(session: Any) -> tuple[DuplicateNik, ...]:
    """The same NIK held by officials of two kecamatan (stored rows, and rows waiting because of it)."""
    live = select(Official.nik, Official.office_code, Official.id, Official.nama).where(Official.deleted_at.is_(None))
    by_nik: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    dup_niks = (
        select(Official.nik)
        .where(Official.deleted_at.is_(None))
        .group_by(Official.nik)
        .having(func.count(func.distinct(Official.office_code)) > 1)
    )
    for nik, code, row_id, nama in session.execute(live.where(Official.nik.in_(dup_niks))):
        by_nik[nik].append((code, row_id, nama))
    for nik, code, row_id, row_json in session.execute(
        select(SyncPending.nik, SyncPending.office_code, SyncPending.row_id, SyncPending.row_json).where(
            SyncPending.table_name == "official", SyncPending.nik.is_not(None)
        )
    ):
        data = json.loads(row_json)
        if data.get("deleted_at") is not None:
            continue
        if nik not in by_nik:
            for other in session.execute(live.where(Official.nik == nik)):
                by_nik[nik].append((other[1], other[2], other[3]))
        by_nik[nik].append((code, row_id, data.get("nama", "")))
    found = []
    for nik, holders in sorted(by_nik.items()):
        offices = tuple(sorted({h[0] for h in holders}))
        if len(offices) > 1:
            found.append(
                DuplicateNik(mask_nik(nik), offices, tuple(h[1] for h in holders), tuple(h[2] for h in holders))
            )
    return tuple(found)


def _local_date(utc_naive: dt.datetime) -> dt.date:
    """The local calendar date of a naive UTC timestamp from the database."""
    return utc_naive.replace(tzinfo=dt.UTC).astimezone().date()
