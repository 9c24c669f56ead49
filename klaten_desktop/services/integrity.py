"""``check``: SQLite integrity and foreign keys, then the domain's own consistency rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import aliased

from klaten_desktop.db.models import Enrollment, Office, Official, Wilayah
from klaten_desktop.domain.nik import NikError, decode_nik, nik_kecamatan_unknown
from klaten_desktop.services import audit
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.coverage import SUMMARY, deciding
from klaten_desktop.services.wilayah import known_kecamatan


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


def run(ctx: ServiceContext) -> CheckReport:
    findings: list[Finding] = []
    today = ctx.today()
    with ctx.read() as session:
        integrity = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
        integrity_ok = integrity == ["ok"]
        if not integrity_ok:
            findings.append(Finding("integrity", "error", "PRAGMA integrity_check: " + "; ".join(integrity[:5])))
        fk_rows = session.execute(text("PRAGMA foreign_key_check")).all()
        if fk_rows:
            findings.append(Finding("foreign_keys", "error", "Rujukan antartabel yang putus", len(fk_rows)))
        office = session.get(Office, 1)
        if office is None:
            findings.append(Finding("office", "warning", "Kantor belum diatur (jalankan init)."))
        live = Official.deleted_at.is_(None)
        total = session.scalar(select(func.count()).select_from(Official).where(live)) or 0
        serving_cond = (live, Official.term_status == "menjabat")
        serving = session.scalar(select(func.count()).select_from(Official).where(*serving_cond)) or 0

        other = aliased(Official)
        dup_nik = (
            session.scalar(
                select(func.count(func.distinct(Official.nik)))
                .select_from(Official)
                .join(other, (other.nik == Official.nik) & (other.id != Official.id))
                .where(*serving_cond, other.deleted_at.is_(None), other.term_status == "menjabat")
            )
            or 0
        )
        if dup_nik:
            findings.append(Finding("nik_duplicate", "error", "NIK sama pada dua pengurus yang menjabat", dup_nik))

        if office is not None and office.role == "kecamatan":
            outside = (
                session.scalar(
                    select(func.count()).select_from(Official).where(live, Official.office_code != office.office_code)
                )
                or 0
            )
            if outside:
                findings.append(
                    Finding("outside_kecamatan", "error", "Pengurus dari desa di luar kecamatan kantor ini", outside)
                )
        wrong_owner = (
            session.scalar(
                select(func.count())
                .select_from(Official)
                .where(live, Official.office_code != func.substr(Official.desa_kode, 1, 8))
            )
            or 0
        )
        if wrong_owner:
            findings.append(Finding("owner", "error", "Kode kantor pemilik tidak sesuai desa", wrong_owner))
        not_desa = (
            session.scalar(
                select(func.count())
                .select_from(Official)
                .join(Wilayah, Wilayah.kode == Official.desa_kode)
                .where(live, Wilayah.tingkat.not_in(("desa", "kelurahan")))
            )
            or 0
        )
        if not_desa:
            findings.append(
                Finding("desa", "error", "Pengurus tercatat pada wilayah yang bukan desa/kelurahan", not_desa)
            )

        open_e = (Enrollment.deleted_at.is_(None), Enrollment.ended_on.is_(None))
        ended_official_open = (
            session.scalar(
                select(func.count())
                .select_from(Enrollment)
                .join(Official, Official.id == Enrollment.official_id)
                .where(*open_e, Official.term_status == "berakhir")
            )
            or 0
        )
        if ended_official_open:
            findings.append(
                Finding(
                    "enrollment_after_term",
                    "error",
                    "Kepesertaan masih berjalan untuk pengurus yang sudah berhenti",
                    ended_official_open,
                )
            )
        registered_no_paid = (
            session.scalar(
                select(func.count())
                .select_from(Enrollment)
                .where(*open_e, Enrollment.registered_on.is_not(None), Enrollment.paid_through.is_(None))
            )
            or 0
        )
        if registered_no_paid:
            findings.append(
                Finding("paid_through", "error", "Kepesertaan terdaftar tanpa bulan iuran", registered_no_paid)
            )
        no_kpj = (
            session.scalar(
                select(func.count())
                .select_from(Enrollment)
                .where(*open_e, Enrollment.registered_on.is_not(None), Enrollment.nomor_kpj.is_(None))
            )
            or 0
        )
        if no_kpj:
            findings.append(Finding("kpj_missing", "error", "Kepesertaan terdaftar tanpa nomor KPJ", no_kpj))

        bad_nik = odd_kecamatan = 0
        known = known_kecamatan(session)
        for (nik,) in session.execute(select(Official.nik).where(*serving_cond)):
            try:
                decode_nik(nik, today=today)
            except NikError:
                bad_nik += 1
                continue
            odd_kecamatan += nik_kecamatan_unknown(nik, known)
        if bad_nik:
            findings.append(Finding("nik_invalid", "warning", "NIK yang tidak lolos pemeriksaan", bad_nik))
        if odd_kecamatan:
            findings.append(
                Finding("nik_kecamatan", "warning", "NIK dengan kode kecamatan yang tidak ada", odd_kecamatan)
            )
        term_over = (
            session.scalar(select(func.count()).select_from(Official).where(*serving_cond, Official.term_end < today))
            or 0
        )
        if term_over:
            findings.append(
                Finding("term_over", "warning", "Masa jabatan sudah lewat tetapi pengurus belum diganti", term_over)
            )
        stale = stale_summaries(session)
        if stale:
            findings.append(
                Finding(
                    "coverage_summary",
                    "error",
                    "Ringkasan kepesertaan pada data pengurus tidak sesuai (perbaiki dengan: check --repair)",
                    stale,
                )
            )
    return CheckReport(integrity_ok, not fk_rows, int(total), int(serving), tuple(findings))


def stale_summaries(session: Any) -> int:
    """Officials whose ``cov_*`` columns differ from their enrollments (only if the triggers were bypassed, e.g. a
    database edited by a tool that dropped them)."""
    differs = or_(*(own.is_distinct_from(deciding(source)) for own, source in SUMMARY))
    return int(session.scalar(select(func.count()).select_from(Official).where(differs)) or 0)


def repair_summaries(ctx: ServiceContext, actor: Actor) -> int:
    """Recompute every official's coverage summary from the enrollments; returns how many were wrong."""
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
