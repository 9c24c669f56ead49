"""From a template, the office and the letter's data to the payload: the plain JSON a letter is printed from.

The payload is archived with the letter; a reprint renders exactly it again. Its format is described in
docs/letters.md and read by :mod:`klaten_desktop.reports.letters`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from klaten_desktop.domain.coverage import EnrollmentFacts, InsuredPostsRule, status_statement
from klaten_desktop.domain.enums import CoverageStatus, Jabatan
from klaten_desktop.domain.formatting import (
    format_date,
    format_number,
    format_rt_rw,
    format_rupiah,
    terbilang,
    terbilang_rupiah,
)
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.tariffs import ROUNDING_RULE, MonthFigure, basis_runs
from klaten_desktop.services.documents.letterhead import LetterSettings, OfficeInfo
from klaten_desktop.services.letters.templates import RINCIAN, LetterTemplate, fill

PAYLOAD_VERSION = 1
PROGRAM_LABELS = {
    "JKK": "Jaminan Kecelakaan Kerja (JKK)",
    "JKM": "Jaminan Kematian (JKM)",
    "JHT": "Jaminan Hari Tua (JHT)",
}
FUNDING_LABELS = {
    "ADD": "Alokasi Dana Desa (ADD)",
    "APBDes": "Anggaran Pendapatan dan Belanja Desa (APBDes)",
    "APBD": "APBD Kabupaten Klaten",
    "mandiri": "iuran mandiri peserta",
}


class Subject(NamedTuple):
    """One official as a letter needs them (a column select, not an ORM object)."""

    id: str
    nik: str
    nama: str
    tempat_lahir: str | None
    tanggal_lahir: dt.date | None
    jabatan: str
    jabatan_lain: str | None
    rt: int | None
    rw: int | None
    telepon: str | None
    desa_kode: str
    desa_nama: str
    enrollment_id: str | None
    nomor_kpj: str | None
    programs: str | None
    registered_on: dt.date | None
    funding_source: str | None
    monthly_amount: int | None
    submitted_on: dt.date | None = None
    ended_on: dt.date | None = None
    paid_through: str | None = None  # "YYYY-MM"
    tariff_code: str | None = None  # the enrollment's tariff: what prices its months (services/tariffs.py)
    pengantar_on: dt.date | None = None  # the last surat pengantar listing this official (not voided)

    def needs_pengantar(self) -> bool:
        """Listed on a surat pengantar: not submitted yet (or the last enrollment ended), or submitted without a
        KPJ and no surat pengantar issued for them since (e.g. marked diajukan with "Ajukan")."""
        if self.enrollment_id is None or self.ended_on is not None:
            return True
        if self.nomor_kpj:
            return False
        return self.pengantar_on is None or (self.submitted_on is not None and self.pengantar_on < self.submitted_on)

    def status(self, on: dt.date) -> tuple[CoverageStatus, str]:
        """The status on ``on`` (domain/coverage.py) and the words a letter states it in."""
        facts = None
        if self.enrollment_id is not None:
            paid = YearMonth.parse(self.paid_through) if self.paid_through else None
            facts = EnrollmentFacts(self.submitted_on, self.registered_on, self.nomor_kpj, self.ended_on, paid)
        return status_statement(on=on, enrollment=facts, term_ended_on=None)

    def status_short(self, on: dt.date) -> str:
        """For a table column: "Aktif", "Menunggak", "Berakhir 31 Agustus 2026", "Belum terdaftar"."""
        status, _ = self.status(on)
        if status is CoverageStatus.berakhir and self.ended_on is not None:
            return f"{status.label} {format_date(self.ended_on)}"
        return status.label

    @property
    def jabatan_label(self) -> str:
        if self.jabatan == Jabatan.lainnya and self.jabatan_lain:
            return self.jabatan_lain
        return Jabatan(self.jabatan).label

    @property
    def jabatan_lengkap(self) -> str:
        """ "Ketua RT 004 RW 003", "Ketua RW 001", "Sekretaris RW 002"."""
        parts = ["Ketua" if self.jabatan in (Jabatan.ketua_rt, Jabatan.ketua_rw) else self.jabatan_label]
        if self.rt is not None:
            parts.append(f"RT {self.rt:03d}")
        if self.rw is not None:
            parts.append(f"RW {self.rw:03d}")
        return " ".join(parts)

    @property
    def rt_rw(self) -> str:
        return format_rt_rw(self.rt, self.rw) or "-"


def program_label(programs: str | None) -> str:
    names = [PROGRAM_LABELS.get(p.strip(), p.strip()) for p in (programs or "").split(",") if p.strip()]
    return _and(names) if names else "-"


def _and(items: Sequence[str]) -> str:
    """ "A", "A dan B", "A, B dan C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " dan " + items[-1]


def title_case(name: str | None) -> str:
    return " ".join(w.capitalize() for w in (name or "").split())


def office_values(office: OfficeInfo, settings: LetterSettings, *, nomor: str, on: dt.date) -> dict[str, str]:
    kec = title_case(office.kecamatan) if office.kecamatan else "Klaten"
    contact = ", ".join(
        part
        for part in (
            f"Telepon {office.phone}" if office.phone else "",
            f"Pos-el {office.email}" if office.email else "",
        )
        if part
    )
    return {
        "nomor": nomor,
        "tanggal": format_date(on),
        "tahun": str(on.year),
        "kantor": office.name,
        "kecamatan": kec,
        "kecamatan_kapital": kec.upper(),
        "alamat": office.address or "",
        "kontak": contact,
        "telepon": office.phone or "",
        "email": office.email or "",
        "camat_nama": office.camat_nama or "",
        "camat_nip": office.camat_nip or "",
        "camat_pangkat": office.camat_pangkat or "",
        "cabang_bpjs": office.bpjs_branch_name or "Kantor Cabang BPJS Ketenagakerjaan Klaten",
        "alamat_cabang_bpjs": office.bpjs_branch_address or "Klaten",
    }


def funding_statement(
    subjects: Sequence[Subject], rule: InsuredPostsRule | None, default: str, *, new_enrollments: bool = False
) -> str:
    """``{{sumber_dana}}``: where the contributions of ``subjects`` are charged, as a letter may say it.

    Each official's recorded funding source; ``default`` (the office's default for new enrollments) for one
    without an enrollment, or for everyone when ``new_enrollments`` (a pengantar: they are submitted with it).
    "ADD" is stated only for a post the ADD covers under ``rule``, the rule in force on the letter's date; for
    another post the letter says it is not charged to the ADD and on what basis (docs/letters.md "Who is listed
    and billed"). ``rule`` None: the posts were already checked (an iuran letter counts only the months in which
    a post was insured)."""
    labels: list[str] = []
    outside: list[str] = []
    for s in subjects:
        source = default if new_enrollments or s.enrollment_id is None else s.funding_source
        if source == "ADD" and rule is not None and s.jabatan not in rule.posts:
            if s.jabatan_label not in outside:
                outside.append(s.jabatan_label)
            continue
        label = FUNDING_LABELS.get(source or "", source or "")
        if label and label not in labels:
            labels.append(label)
    if outside:
        assert rule is not None
        labels.append(
            f"sumber dana di luar Alokasi Dana Desa (ADD), sebab jabatan {_and(outside)} tidak termasuk jabatan yang "
            f"ditanggung ADD ({rule.label}) menurut {rule.source}"
        )
    return " serta ".join(labels) if labels else "-"


def count_values(n: int) -> dict[str, str]:
    return {"jumlah": str(n), "jumlah_terbilang": terbilang(n)}


def subject_values(s: Subject, on: dt.date, rule: InsuredPostsRule, default_funding: str) -> dict[str, str]:
    amount = s.monthly_amount or 0
    return {
        "status_kepesertaan": s.status(on)[1],
        "nama": s.nama,
        "nik": s.nik,
        "tempat_lahir": s.tempat_lahir or "-",
        "tanggal_lahir": format_date(s.tanggal_lahir) or "-",
        "jabatan": s.jabatan_lengkap,
        "rt_rw": s.rt_rw,
        "desa": title_case(s.desa_nama),
        "nomor_kpj": s.nomor_kpj or "-",
        "program": program_label(s.programs),
        "tanggal_mulai": format_date(s.registered_on) or "-",
        "sumber_dana": funding_statement([s], rule, default_funding),
        "iuran_bulanan": format_rupiah(amount) if s.monthly_amount is not None else "-",
        "iuran_bulanan_terbilang": terbilang_rupiah(amount) if s.monthly_amount is not None else "-",
        **count_values(1),
    }


def subject_fields(s: Subject, on: dt.date) -> dict[str, Any]:
    born = ", ".join(p for p in (s.tempat_lahir or "", format_date(s.tanggal_lahir)) if p) or "-"
    return {
        "type": "fields",
        "rows": [
            ["Nama", s.nama],
            ["NIK", s.nik],
            ["Tempat, tanggal lahir", born],
            ["Jabatan", s.jabatan_lengkap],
            ["Desa", title_case(s.desa_nama) + ", Kecamatan {{kecamatan}}"],
            ["Nomor KPJ", s.nomor_kpj or "-"],
            ["Status kepesertaan", f"{s.status(on)[1]} (pada tanggal {format_date(on)})"],
        ],
    }


def lampiran_table(subjects: Sequence[Subject], *, title: str, subtitle: str, on: dt.date) -> dict[str, Any]:
    """The lampiran of a surat pengantar, with each official's coverage status on the letter's date ``on``."""
    return {
        "title": title,
        "subtitles": [subtitle],
        "columns": ["No", "Nama", "NIK", "Tanggal lahir", "Jabatan", "RT/RW", "Desa", "No. HP", "Status"],
        "widths": [7, 28, 27, 22, 15, 11, 17, 19, 19],
        "size": 7.5,
        "align": ["r", "l", "l", "l", "l", "c", "l", "l", "l"],
        "rows": [
            [
                str(i),
                s.nama,
                s.nik,
                format_date(s.tanggal_lahir) or "-",
                s.jabatan_label,
                s.rt_rw,
                title_case(s.desa_nama),
                s.telepon or "-",
                s.status_short(on),
            ]
            for i, s in enumerate(subjects, 1)
        ],
        "footer": f"Jumlah: {len(subjects)} ({terbilang(len(subjects))}) orang",
    }


def _per_month(figures: Sequence[MonthFigure]) -> str:
    """ "Rp 11.623", or "Rp 11.623–12.420" when the months of the period differ (a new year's UMK)."""
    low, high = min(f.amount for f in figures), max(f.amount for f in figures)
    return format_rupiah(low) if low == high else f"{format_rupiah(low)}–{format_number(high)}"


def iuran_table(rows: Sequence[tuple[Subject, Sequence[MonthFigure]]]) -> tuple[list[dict[str, Any]], int]:
    """The per-official contribution table of a surat pemberitahuan iuran (each official's months as priced by
    services/tariffs.py) followed by the basis of each run of months, and the total."""
    total = sum(f.amount for _, figures in rows for f in figures)
    runs = basis_runs((f, 1) for _, figures in rows for f in figures)
    basis = "; ".join(f"{r.period}: {r.basis}" for r in runs)
    rounding = f" {ROUNDING_RULE}" if any(r.on_umk for r in runs) else ""
    table = {
        "type": "table",
        "columns": ["No", "Nama", "Jabatan", "RT/RW", "No. KPJ", "Iuran/bulan", "Bulan", "Jumlah"],
        "widths": [8, 38, 20, 15, 25, 20, 12, 24],
        "align": ["r", "l", "l", "c", "l", "r", "r", "r"],
        "rows": [
            [
                str(i),
                s.nama,
                s.jabatan_label,
                s.rt_rw,
                s.nomor_kpj or "-",
                _per_month(figures),
                str(len(figures)),
                format_rupiah(sum(f.amount for f in figures)),
            ]
            for i, (s, figures) in enumerate(rows, 1)
        ],
        "total": ["", "Jumlah", "", "", "", "", "", format_rupiah(total)],
    }
    note = {"type": "p", "text": f"Dasar iuran per orang per bulan: {basis}.{rounding}"}
    return [table, note], total


def _blocks(
    body: str, values: Mapping[str, str], rincian: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None
) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for paragraph in re.split(r"\n\s*\n", body.strip()):
        text = paragraph.strip()
        if not text:
            continue
        if re.fullmatch(r"\{\{\s*" + RINCIAN + r"\s*\}\}", text):
            if rincian is not None:
                parts = [rincian] if isinstance(rincian, Mapping) else list(rincian)
                blocks.extend(_fill_block(part, values) for part in parts)
            continue
        blocks.append({"type": "p", "text": fill(text, values)})
    return blocks


def _fill_block(block: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    if block["type"] == "fields":
        return {"type": "fields", "rows": [[a, fill(b, values)] for a, b in block["rows"]]}
    return dict(block)


def build(
    template: LetterTemplate,
    values: Mapping[str, str],
    *,
    office: OfficeInfo,
    settings: LetterSettings,
    on: dt.date,
    kind_label: str | None = None,
    rincian: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    attachment: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The letter's payload (without its verification block, which is signed over this)."""

    def f(text: str) -> str:
        return fill(text, values).strip()

    kop_lines = [line for line in (f(t) for t in template.kop_lines) if line]
    return {
        "v": PAYLOAD_VERSION,
        "kind": template.kind,
        "kind_label": kind_label or template.label,
        "template_version": template.version,
        "layout": template.layout,
        "paper": settings.kertas,
        "office_code": office.office_code,
        "kop": {
            "instansi": f(template.kop_instansi),
            "unit": f(template.kop_unit),
            "lines": kop_lines,
            "logo": settings.logo,
        },
        "tempat": settings.tempat or "Klaten",
        "tanggal": on.isoformat(),
        "tanggal_teks": format_date(on),
        "nomor": values["nomor"],
        "sifat": f(template.sifat) or "Biasa",
        "lampiran": "1 (satu) berkas" if attachment else "-",
        "hal": f(template.hal),
        "title": f(template.title),
        "yth": [f(t) for t in template.yth if f(t)],
        "di": f(template.di),
        "body": _blocks(template.body, values, rincian),
        "signature": {
            "jabatan": f(template.ttd_jabatan),
            "nama": f(template.ttd_nama),
            "pangkat": f(template.ttd_pangkat),
            "nip": f(template.ttd_nip),
        },
        "tembusan": [f(t) for t in template.tembusan if f(t)],
        "attachment": dict(attachment) if attachment else None,
        **(dict(extra) if extra else {}),
    }
