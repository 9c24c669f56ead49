"""``check``: SQLite integrity and foreign keys, then the domain's own consistency rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session, aliased

from klaten_desktop.db.models import Enrollment, Office, Official, Wilayah
from klaten_desktop.domain.nik import NikError, decode_nik, nik_kecamatan_unknown
from klaten_desktop.services import audit, audit_chain
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.coverage import SUMMARY, deciding
from klaten_desktop.services.errors import EnvironmentProblem
from klaten_desktop.services.start_check import RESTORE_ADVICE as RESTORE_ADVICE
from klaten_desktop.services.start_check import quick_damage as quick_damage  # its home: the start-up check
from klaten_desktop.services.wilayah import known_kecamatan

#: Findings about the file itself (no row count to show).
FILE_CODES = ("integrity", "unreadable")
REINDEX_ADVICE = "Hanya indeks yang rusak: jalankan klaten-desktop check --repair (cadangan dibuat lebih dulu)."


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning"
    message: str
    count: int = 1


@dataclass(frozen=True)
class CheckReport:
    integrity_ok: bool
    foreign_keys_ok: bool
    officials: int
    serving: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.integrity_ok and self.foreign_keys_ok and not any(f.severity == "error" for f in self.findings)

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "integrity_check": "ok" if self.integrity_ok else "gagal",
            "foreign_key_check": "ok" if self.foreign_keys_ok else "gagal",
            "pengurus": self.officials,
            "menjabat": self.serving,
            "temuan": [
                {"kode": f.code, "tingkat": f.severity, "pesan": f.message, "jumlah": f.count} for f in self.findings
            ],
        }


_LIVE = Official.deleted_at.is_(None)
_SERVING = (_LIVE, Official.term_status == "menjabat")
_OPEN_ENROLLMENT = (Enrollment.deleted_at.is_(None), Enrollment.ended_on.is_(None))


def _count(session: Session, stmt: Any) -> int:
    """The number a ``count()`` select gives (0 for none)."""
    return int(session.scalar(stmt) or 0)


def _counted(found: int, code: str, severity: str, message: str) -> list[Finding]:
    """A finding for ``found`` rows breaking a rule; none when no row does."""
    return [Finding(code, severity, message, found)] if found else []


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


#: On a PostgreSQL server: data pages whose checksum failed (counted only when the cluster has checksums on).
_PG_CHECKSUM_FAILURES = "SELECT coalesce(checksum_failures, 0) FROM pg_stat_database WHERE datname = current_database()"
#: Foreign keys added NOT VALID (rows written before them were never checked against them).
_PG_UNCHECKED_KEYS = (
    "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated AND connamespace = "
    "current_schema()::regnamespace"
)


def _server_findings(session: Session) -> tuple[bool, bool, list[Finding]]:
    """A PostgreSQL server's checks: the server keeps pages and foreign keys itself (no PRAGMA to ask); what it can
    say is whether it found damaged pages and whether every foreign key was checked against the rows."""
    failures = int(session.execute(text(_PG_CHECKSUM_FAILURES)).scalar() or 0)
    findings = _counted(
        failures,
        "integrity",
        "error",
        "Server PostgreSQL menemukan halaman data rusak (checksum). Hubungi pengelola server; pulihkan dari "
        "cadangan pg_dump terbaru",
    )
    unchecked = int(session.execute(text(_PG_UNCHECKED_KEYS)).scalar() or 0)
    findings += _counted(unchecked, "foreign_keys", "error", "Rujukan antartabel yang belum diperiksa server")
    return not failures, not unchecked, findings


def _storage_findings(session: Session) -> tuple[bool, bool, list[Finding]]:
    """SQLite's own checks: page integrity and foreign keys (whether each passed, and what they found)."""
    if _on_server(session):
        return _server_findings(session)
    findings: list[Finding] = []
    integrity = [str(r[0]) for r in session.execute(text("PRAGMA integrity_check"))]
    integrity_ok = integrity == ["ok"]
    if not integrity_ok:
        advice = REINDEX_ADVICE if only_index_damage(integrity) else RESTORE_ADVICE
        findings.append(
            Finding("integrity", "error", "PRAGMA integrity_check: " + "; ".join(integrity[:5]) + ". " + advice)
        )
    fk_rows = session.execute(text("PRAGMA foreign_key_check")).all()
    findings += _counted(len(fk_rows), "foreign_keys", "error", "Rujukan antartabel yang putus")
    return integrity_ok, not fk_rows, findings


def _official_findings(session: Session, office: Office | None) -> list[Finding]:
    """Officials the registry should not hold: a NIK serving twice, a desa outside the office or not a desa."""
    officials = select(func.count()).select_from(Official)
    other = aliased(Official)
    dup_nik = _count(
        session,
        select(func.count(func.distinct(Official.nik)))
        .select_from(Official)
        .join(other, (other.nik == Official.nik) & (other.id != Official.id))
        .where(*_SERVING, other.deleted_at.is_(None), other.term_status == "menjabat"),
    )
    findings = _counted(dup_nik, "nik_duplicate", "error", "NIK sama pada dua pengurus yang menjabat")
    if office is not None and office.role == "kecamatan":
        outside = _count(session, officials.where(_LIVE, Official.office_code != office.office_code))
        findings += _counted(outside, "outside_kecamatan", "error", "Pengurus dari desa di luar kecamatan kantor ini")
    wrong_owner = _count(session, officials.where(_LIVE, Official.office_code != func.substr(Official.desa_kode, 1, 8)))
    findings += _counted(wrong_owner, "owner", "error", "Kode kantor pemilik tidak sesuai desa")
    not_desa = _count(
        session,
        officials.join(Wilayah, Wilayah.kode == Official.desa_kode).where(
            _LIVE, Wilayah.tingkat.not_in(("desa", "kelurahan"))
        ),
    )
    return findings + _counted(not_desa, "desa", "error", "Pengurus tercatat pada wilayah yang bukan desa/kelurahan")


def _enrollment_findings(session: Session) -> list[Finding]:
    """Open enrollments that contradict their official or their own registration (no month paid, no KPJ)."""
    enrollments = select(func.count()).select_from(Enrollment)
    registered = (*_OPEN_ENROLLMENT, Enrollment.registered_on.is_not(None))
    after_term = _count(
        session,
        enrollments.join(Official, Official.id == Enrollment.official_id).where(
            *_OPEN_ENROLLMENT, Official.term_status == "berakhir"
        ),
    )
    no_paid = _count(session, enrollments.where(*registered, Enrollment.paid_through.is_(None)))
    no_kpj = _count(session, enrollments.where(*registered, Enrollment.nomor_kpj.is_(None)))
    return [
        *_counted(
            after_term,
            "enrollment_after_term",
            "error",
            "Kepesertaan masih berjalan untuk pengurus yang sudah berhenti",
        ),
        *_counted(no_paid, "paid_through", "error", "Kepesertaan terdaftar tanpa bulan iuran"),
        *_counted(no_kpj, "kpj_missing", "error", "Kepesertaan terdaftar tanpa nomor KPJ"),
    ]


def _serving_findings(session: Session, today: dt.date) -> list[Finding]:
    """Warnings on serving officials: a NIK that fails its checks or names a kecamatan that does not exist, a term
    already over but not replaced."""
    bad_nik = odd_kecamatan = 0
    known = known_kecamatan(session)
    for (nik,) in session.execute(select(Official.nik).where(*_SERVING)):
        try:
            decode_nik(nik, today=today)
        except NikError:
            bad_nik += 1
            continue
        odd_kecamatan += nik_kecamatan_unknown(nik, known)
    term_over = _count(session, select(func.count()).select_from(Official).where(*_SERVING, Official.term_end < today))
    return [
        *_counted(bad_nik, "nik_invalid", "warning", "NIK yang tidak lolos pemeriksaan"),
        *_counted(odd_kecamatan, "nik_kecamatan", "warning", "NIK dengan kode kecamatan yang tidak ada"),
        *_counted(term_over, "term_over", "warning", "Masa jabatan sudah lewat tetapi pengurus belum diganti"),
    ]


def only_index_damage(lines: list[str]) -> bool:
    """Whether every line of ``PRAGMA integrity_check`` speaks of an index only (REINDEX rebuilds those from the
    tables, so nothing is lost)."""
    return bool(lines) and lines != ["ok"] and all(" index " in f" {line} " for line in lines)


def run(ctx: ServiceContext) -> CheckReport:
    """Check the database file, then the registry's rules; every finding with how many rows it concerns.

    Never raises for a damaged file: what SQLite reports becomes a finding with what to do.
    """
    try:
        with ctx.read() as session:
            integrity_ok, foreign_keys_ok, findings = _storage_findings(session)
    except EnvironmentProblem as exc:
        return CheckReport(False, False, 0, 0, (Finding("unreadable", "error", exc.message),))
    if not integrity_ok:  # the registry's rules on a damaged file would crash or mislead
        return CheckReport(integrity_ok, foreign_keys_ok, 0, 0, tuple(findings))
    try:
        return _registry_report(ctx, foreign_keys_ok, findings)
    except EnvironmentProblem as exc:
        return CheckReport(
            integrity_ok, foreign_keys_ok, 0, 0, (*findings, Finding("unreadable", "error", exc.message))
        )


def _registry_report(ctx: ServiceContext, foreign_keys_ok: bool, findings: list[Finding]) -> CheckReport:
    with ctx.read() as session:
        office = session.get(Office, 1)
        if office is None:
            findings.append(Finding("office", "warning", "Kantor belum diatur (jalankan init)."))
        officials = select(func.count()).select_from(Official)
        total = _count(session, officials.where(_LIVE))
        serving = _count(session, officials.where(*_SERVING))
        findings += _official_findings(session, office)
        findings += _enrollment_findings(session)
        findings += _serving_findings(session, ctx.today())
        findings += _counted(
            stale_summaries(session),
            "coverage_summary",
            "error",
            "Ringkasan kepesertaan pada data pengurus tidak sesuai (perbaiki dengan: check --repair)",
        )
    findings += _audit_findings(ctx)
    return CheckReport(True, foreign_keys_ok, total, serving, tuple(findings))


def _audit_findings(ctx: ServiceContext) -> list[Finding]:
    """The audit trail's hash chain (services/audit_chain.py): where an entry was edited or deleted outside the app."""
    broken = audit_chain.verify(ctx).broken
    if broken is None:
        return []
    return [Finding("audit_chain", "error", broken.message + " Laporkan kepada admin; jangan perbaiki sendiri.")]


def stale_summaries(session: Any) -> int:
    """Officials whose ``cov_*`` columns differ from their enrollments (only if the triggers were bypassed, e.g. a
    database edited by a tool that dropped them)."""
    differs = or_(*(own.is_distinct_from(deciding(source)) for own, source in SUMMARY))
    return int(session.scalar(select(func.count()).select_from(Official).where(differs)) or 0)


def repair_summaries(ctx: ServiceContext, actor: Actor) -> int:
    """Recompute every official's coverage summary from the enrollments; returns how many were wrong."""
    require(actor, Permission.maintenance)
    with ctx.write() as session:
        stale = stale_summaries(session)
        if stale:
            session.execute(update(Official).values({own: deciding(source) for own, source in SUMMARY}))
            audit.record(
                session,
                actor,
                "repair",
                "official",
                None,
                summary=f"Ringkasan kepesertaan dihitung ulang ({stale} pengurus tidak sesuai)",
            )
    return stale


def storage_damage(ctx: ServiceContext) -> list[str]:
    """The lines of ``PRAGMA integrity_check`` (empty when the file is sound)."""
    if ctx.on_server:  # the server keeps its own pages (the check reports checksum failures)
        return []
    with ctx.read() as session:
        lines = [str(r[0]) for r in session.execute(text("PRAGMA integrity_check"))]
        _drop_page_cache(session)
    return [] if lines == ["ok"] else lines


def _drop_page_cache(session: Session) -> None:
    """After a check that read every page once: free the connection's page cache (up to 32 MiB, db/engine.py) of
    them rather than keep them in memory for the rest of the day."""
    session.execute(text("PRAGMA shrink_memory"))


def reindex(ctx: ServiceContext, actor: Actor) -> bool:
    """REINDEX when the only damage is in indexes (rebuilt from the tables, nothing lost); True when done."""
    require(actor, Permission.maintenance)
    if not only_index_damage(storage_damage(ctx)):
        return False
    with ctx.write() as session:
        session.execute(text("REINDEX"))
        audit.record(session, actor, "repair", "database", None, summary="Indeks basis data dibangun ulang (REINDEX)")
    return True
