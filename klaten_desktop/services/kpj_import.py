"""KPJ numbers in bulk: the list the BPJS branch sends back (NIK, name, KPJ number, start date), or the numbers
typed into a desa's table, registered for the submitted officials in one transaction (all valid rows or none).

The file is read with the officials import's reader and header finding (``services/imports``); each row is
checked against the registry first (the dry run, :func:`plan_kpj_file` / :func:`plan_kpj_entries`), then
:func:`apply_kpj_plan` registers the accepted rows with the single "Catat KPJ" call
(``enrollment.register_in``). Rejected rows go to an error workbook (:func:`write_kpj_error_workbook`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Enrollment, Official
from klaten_desktop.domain.formatting import format_date
from klaten_desktop.domain.kpj import check_kpj, normalize_kpj
from klaten_desktop.domain.nik import looks_like_excel_float, normalize_nik
from klaten_desktop.services import audit, backup, enrollment
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports.apply import STALE_MESSAGE
from klaten_desktop.services.imports.cells import EXCEL_FLOAT_NIK_MESSAGE, cell_text
from klaten_desktop.services.imports.columns import HEADER_SCAN_ROWS, field_for_header, find_header, header_key
from klaten_desktop.services.imports.data_rows import data_rows
from klaten_desktop.services.imports.error_workbook import write_rejected_rows
from klaten_desktop.services.imports.header import ColumnMapping
from klaten_desktop.services.imports.parsing import parse_date_flexible
from klaten_desktop.services.imports.reader import RawTable, read_workbook
from klaten_desktop.services.tariffs import Defaults

#: The columns of the branch's list, with the names the error workbook gives them.
KPJ_FIELD_LABELS = {"nik": "NIK", "nama": "Nama", "nomor_kpj": "Nomor KPJ", "kpj_mulai": "Tanggal Mulai Kepesertaan"}
_KPJ_NUMBER = ("kpj", "nokpj", "nomorkpj", "nokartu", "nomorkartu", "nokartupeserta", "nomorkartupeserta",
               "nopeserta", "nomorpeserta", "nokepesertaan", "nomorkepesertaan", "nomorpesertakpj")  # fmt: skip
_KPJ_START = ("tmt", "tmtkepesertaan", "tmtpeserta", "tanggalmulai", "tglmulai", "mulai", "mulaiberlaku",
              "tanggalberlaku", "berlakumulai", "tanggalkepesertaan", "tglkepesertaan", "tanggaldaftar",
              "tgldaftar", "tanggalterdaftar", "tanggalefektif", "tglefektif", "tmtkpj", "tanggalkpj",
              "tglkpj", "tanggalmulaikepesertaan", "tglmulaikepesertaan", "mulaikepesertaan")  # fmt: skip
_DATE_WORDS = ("tgl", "tanggal", "tmt")
_START_WORDS = ("mulai", "kepesertaan", "daftar", "efektif", "berlaku", "kpj", "peserta", "tmt")


def kpj_field_for_header(value: object) -> str | None:
    """The field a header cell of the branch's list names: NIK, Nama, Nomor KPJ or the start date."""
    key = header_key(value)
    if not key or key.isdigit():
        return None
    if key in _KPJ_NUMBER or (("kpj" in key) and not any(w in key for w in _DATE_WORDS)):
        return "nomor_kpj"
    if key in _KPJ_START or (any(w in key for w in _DATE_WORDS) and any(w in key for w in _START_WORDS)):
        return "kpj_mulai"
    field = field_for_header(value)
    return field if field in ("nik", "nama") else None


class KpjOutcome(StrEnum):
    registered = "registered"
    unchanged = "unchanged"
    rejected = "rejected"

    @property
    def label(self) -> str:
        return {"registered": "Akan dicatat", "unchanged": "Tetap", "rejected": "Ditolak"}[self.value]


@dataclass(frozen=True)
class KpjInput:
    """One row to register: the cells as read (a spreadsheet cell, or text typed into the desa's table)."""

    index: int  # into RawTable.rows (the table's row for typed numbers)
    sheet_row: int  # the row number shown to the user
    nik: object
    nama: object
    kpj: object
    start: object


@dataclass(frozen=True)
class KpjRow:
    index: int
    sheet_row: int
    outcome: KpjOutcome
    nik: str
    nama: str  # the registry's name when the NIK is known, else as written
    kpj: str
    start: dt.date | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    official_id: str | None = None
    enrollment_id: str | None = None  # the submitted (open) enrollment the KPJ is recorded on
    enrollment_version: int | None = None  # its row version when the plan was made


@dataclass(frozen=True)
class KpjPlan:
    source: str
    rows: tuple[KpjRow, ...]
    mapping: ColumnMapping | None = None  # None for numbers typed into the desa's table

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    def count(self, outcome: KpjOutcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    @property
    def registered(self) -> int:
        return self.count(KpjOutcome.registered)

    @property
    def unchanged(self) -> int:
        return self.count(KpjOutcome.unchanged)

    @property
    def rejected(self) -> tuple[KpjRow, ...]:
        return tuple(r for r in self.rows if r.outcome is KpjOutcome.rejected)

    def summary(self) -> str:
        """An Indonesian sentence with the counts (never "berhasil")."""
        return (
            f"{self.rows_read} baris dibaca: {self.registered} KPJ akan dicatat, {self.unchanged} tidak berubah, "
            f"{len(self.rejected)} ditolak."
        )

    def report(self, *, dry_run: bool) -> dict[str, object]:
        """The command line's ``--json`` answer (and what the screen counts)."""
        return {
            "rows_read": self.rows_read,
            "registered": self.registered,
            "unchanged": self.unchanged,
            "rejected": [{"row": r.sheet_row, "messages": list(r.errors)} for r in self.rejected],
            "dry_run": dry_run,
        }


# ------------------------------------------------------------------------------------------------ reading


def kpj_mapping(table: RawTable) -> ColumnMapping:
    """The header row and the columns of the branch's list; :class:`UserError` without NIK or KPJ column."""
    guess = find_header(table.rows, field_of=kpj_field_for_header)
    if guess is None:
        raise UserError(
            f"Baris judul kolom tidak ditemukan di {HEADER_SCAN_ROWS} baris pertama {table.source}. "
            "Pastikan ada baris berisi judul kolom NIK, Nama, Nomor KPJ dan Tanggal Mulai."
        )
    width = max(table.width, len(guess.fields))
    fields = guess.fields + (None,) * (width - len(guess.fields))
    labels = guess.labels + ("",) * (width - len(guess.labels))
    mapping = ColumnMapping(guess.header_row, guess.data_start, labels, fields)
    missing = [KPJ_FIELD_LABELS[f] for f in ("nik", "nomor_kpj", "kpj_mulai") if not mapping.has(f)]
    if missing:
        raise UserError(f"Kolom {', '.join(missing)} tidak ditemukan di {table.source}; kolom itu wajib ada.")
    return mapping


def kpj_inputs(table: RawTable, mapping: ColumnMapping) -> list[KpjInput]:
    """The data rows of the sheet (blank rows, totals and signatures left out, as the officials import does)."""
    columns = [mapping.column_of(f) for f in ("nik", "nama", "nomor_kpj", "kpj_mulai")]

    def cell(cells: Sequence[object], column: int | None) -> object:
        return cells[column] if column is not None and column < len(cells) else None

    return [
        KpjInput(index, table.sheet_row(index), *(cell(table.rows[index], c) for c in columns))
        for index in data_rows(table, mapping).indexes
    ]


def plan_kpj_file(ctx: ServiceContext, path: Path | str, *, sheet: str | None = None) -> tuple[KpjPlan, RawTable]:
    """Read the branch's list and check every row (nothing is written)."""
    table = read_workbook(path, sheet=sheet)
    mapping = kpj_mapping(table)
    return plan_kpj_entries(ctx, kpj_inputs(table, mapping), source=table.source, mapping=mapping), table


# ------------------------------------------------------------------------------------------------ checking


class _Known(NamedTuple):
    official_id: str
    nama: str
    enrollment_id: str | None
    enrollment_version: int | None
    kpj: str | None
    registered_on: dt.date | None


def _chunks(values: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    for i in range(0, len(values), size):
        yield list(values[i : i + size])


def _load(
    session: Session, niks: Sequence[str], kpjs: Sequence[str]
) -> tuple[dict[str, _Known], dict[str, tuple[str, str]]]:
    """The serving officials with these NIKs (with their open enrollment), and who holds each of these KPJs."""
    known: dict[str, _Known] = {}
    for chunk in _chunks(niks):
        rows = session.execute(
            select(
                Official.nik,
                Official.id,
                Official.nama,
                Enrollment.id,
                Enrollment.row_version,
                Enrollment.nomor_kpj,
                Enrollment.registered_on,
            )
            .outerjoin(
                Enrollment,
                (Enrollment.official_id == Official.id)
                & Enrollment.deleted_at.is_(None)
                & Enrollment.ended_on.is_(None),
            )
            .where(Official.nik.in_(chunk), Official.deleted_at.is_(None), Official.term_status == "menjabat")
        )
        for nik, *rest in rows:
            known[nik] = _Known(*rest)
    holders: dict[str, tuple[str, str]] = {}  # KPJ -> (NIK, name) of its holder
    for chunk in _chunks(kpjs):
        rows = session.execute(
            select(Enrollment.nomor_kpj, Official.nik, Official.nama)
            .join(Official, Official.id == Enrollment.official_id)
            .where(Enrollment.nomor_kpj.in_(chunk), Enrollment.deleted_at.is_(None), Enrollment.ended_on.is_(None))
        )
        for kpj, nik, nama in rows:
            holders[kpj] = (nik, nama)
    return known, holders


def _text(value: object) -> str:
    return cell_text(value) or ""


def _nik_of(raw: object) -> tuple[str, str | None]:
    """The NIK of a cell, and the reason it cannot be one."""
    if looks_like_excel_float(raw):
        return _text(raw), EXCEL_FLOAT_NIK_MESSAGE
    nik = normalize_nik(_text(raw))
    if not nik:
        return "", "NIK kosong."
    if not (nik.isascii() and nik.isdigit() and len(nik) == 16):
        return nik, "NIK harus 16 digit angka."
    return nik, None


def _check_row(
    item: KpjInput, today: dt.date, known: dict[str, _Known], holders: dict[str, tuple[str, str]], seen: _Seen
) -> KpjRow:
    errors: list[str] = []
    warnings: list[str] = []
    nik, nik_error = _nik_of(item.nik)
    if nik_error:
        errors.append(nik_error)
    kpj = normalize_kpj(_text(item.kpj))
    kpj_check = check_kpj(kpj)
    errors += [i.message for i in kpj_check.errors]
    warnings += [i.message for i in kpj_check.warnings]
    start: dt.date | None = None
    try:
        start = parse_date_flexible(item.start, today=today)
        if start is None:
            errors.append("Tanggal mulai kepesertaan wajib diisi.")
    except ValueError as exc:
        errors.append(str(exc))
    person = known.get(nik) if nik_error is None else None
    nama = person.nama if person is not None else _text(item.nama)
    outcome = KpjOutcome.registered
    if nik_error is None and person is None:
        errors.append("NIK ini tidak terdaftar sebagai pengurus yang menjabat.")
    elif person is not None and person.enrollment_id is None:
        errors.append(f"{person.nama} belum diajukan ke BPJS Ketenagakerjaan; ajukan dulu di Kepesertaan.")
    elif person is not None and person.kpj is not None:
        if person.kpj == kpj and person.registered_on == start:
            outcome = KpjOutcome.unchanged
        else:
            errors.append(
                f"{person.nama} sudah tercatat dengan KPJ {person.kpj} mulai {format_date(person.registered_on)}; "
                "ubah lewat Catat KPJ bila memang perlu."
            )
    holder = holders.get(kpj)
    if kpj and holder is not None and holder[0] != nik:
        errors.append(f"Nomor KPJ {kpj} sudah dipakai oleh {holder[1]}.")
    if nik and not nik_error:
        errors += seen.clash(item.sheet_row, nik, kpj)
    if person is not None and _text(item.nama) and header_key(item.nama) != header_key(person.nama):
        warnings.append(f"Nama di berkas ({_text(item.nama)}) berbeda dengan data pengurus ({person.nama}).")
    return KpjRow(
        item.index,
        item.sheet_row,
        KpjOutcome.rejected if errors else outcome,
        nik,
        nama,
        kpj,
        start,
        tuple(errors),
        tuple(warnings),
        person.official_id if person is not None else None,
        person.enrollment_id if person is not None else None,
        person.enrollment_version if person is not None else None,
    )


class _Seen:
    """The NIKs and KPJs of the rows already checked: a person or a number twice in one list is refused."""

    def __init__(self) -> None:
        self.niks: dict[str, int] = {}
        self.kpjs: dict[str, tuple[int, str]] = {}

    def clash(self, row: int, nik: str, kpj: str) -> list[str]:
        errors = []
        if nik in self.niks:
            errors.append(f"NIK yang sama sudah ada di baris {self.niks[nik]}.")
        else:
            self.niks[nik] = row
        other = self.kpjs.get(kpj)
        if kpj and other is not None and other[1] != nik:
            errors.append(f"Nomor KPJ yang sama sudah ada di baris {other[0]} untuk orang lain.")
        elif kpj:
            self.kpjs.setdefault(kpj, (row, nik))
        return errors


def plan_kpj_entries(
    ctx: ServiceContext, items: Sequence[KpjInput], *, source: str, mapping: ColumnMapping | None = None
) -> KpjPlan:
    """Check each row against the registry: what registering them would do (the dry run; nothing is written)."""
    today = ctx.today()
    niks = sorted({n for n, e in (_nik_of(i.nik) for i in items) if e is None})
    kpjs = sorted({k for k in (normalize_kpj(_text(i.kpj)) for i in items) if k})
    with ctx.read() as session:
        known, holders = _load(session, niks, kpjs)
    seen = _Seen()
    rows = tuple(_check_row(item, today, known, holders, seen) for item in items)
    return KpjPlan(source, rows, mapping)


# ------------------------------------------------------------------------------------------------ writing


@dataclass(frozen=True)
class KpjImportResult:
    registered: int
    unchanged: int
    rejected: int

    def message(self) -> str:
        tail = f"{self.unchanged} tidak berubah, {self.rejected} ditolak."
        if self.registered == 0:
            return f"Tidak ada KPJ yang dicatat: {tail}"
        return f"{self.registered} nomor KPJ dicatat; {tail}"


def apply_kpj_plan(ctx: ServiceContext, actor: Actor, plan: KpjPlan) -> KpjImportResult:
    """Register the accepted rows of ``plan`` in one transaction, after a backup; if any of them no longer
    holds (the enrollment changed since the dry run, or a KPJ became taken), nothing is written."""
    todo = [r for r in plan.rows if r.outcome is KpjOutcome.registered]
    if todo:
        backup.auto(ctx, "impor")  # a checked backup before coverage changes in bulk
        defaults = Defaults(ctx)
        with ctx.write() as session:
            for row in todo:
                assert row.official_id is not None and row.start is not None
                current = session.execute(
                    select(Enrollment.row_version, Enrollment.nomor_kpj).where(
                        Enrollment.id == row.enrollment_id,
                        Enrollment.deleted_at.is_(None),
                        Enrollment.ended_on.is_(None),
                    )
                ).first()
                if current is None or tuple(current) != (row.enrollment_version, None):
                    raise UserError(STALE_MESSAGE)
                try:
                    enrollment.register_in(
                        session, actor, row.official_id, kpj=row.kpj, start=row.start, defaults=defaults
                    )
                except UserError as exc:
                    raise UserError(f"Baris {row.sheet_row}: {exc} Tidak ada yang disimpan.") from exc
            audit.record(
                session,
                actor,
                "import",
                "enrollment",
                None,
                new={
                    "berkas": plan.source,
                    "baris_dibaca": plan.rows_read,
                    "kpj_dicatat": len(todo),
                    "tetap": plan.unchanged,
                    "ditolak": len(plan.rejected),
                },
                summary=f"Impor KPJ {plan.source}: {len(todo)} dicatat, {len(plan.rejected)} ditolak",
            )
    return KpjImportResult(len(todo), plan.unchanged, len(plan.rejected))


def write_kpj_error_workbook(plan: KpjPlan, table: RawTable, out_path: Path | str) -> int:
    """The rejected rows of the branch's list as they were, with their reasons (the import's error workbook)."""
    if plan.mapping is None:
        raise UserError("Buku kerja baris ditolak hanya untuk berkas yang dibaca.")
    return write_rejected_rows(table, plan.mapping, plan.rejected, out_path, field_labels=KPJ_FIELD_LABELS)


# ------------------------------------------------------------------------------------------------ a desa's table


class Submitted(NamedTuple):
    """A submitted official still waiting for a KPJ number (a row of the desa's table)."""

    official_id: str
    nik: str
    nama: str
    jabatan: str
    rw: int | None
    rt: int | None
    submitted_on: dt.date | None


def submitted_without_kpj(ctx: ServiceContext, desa_kode: str) -> list[Submitted]:
    """The serving officials of a desa submitted to the branch who have no KPJ yet, in RW/RT order."""
    with ctx.read() as session:
        rows = session.execute(
            select(
                Official.id,
                Official.nik,
                Official.nama,
                Official.jabatan,
                Official.rw,
                Official.rt,
                Enrollment.submitted_on,
            )
            .join(Enrollment, Enrollment.official_id == Official.id)
            .where(
                Official.desa_kode == desa_kode,
                Official.deleted_at.is_(None),
                Official.term_status == "menjabat",
                Enrollment.deleted_at.is_(None),
                Enrollment.ended_on.is_(None),
                Enrollment.nomor_kpj.is_(None),
            )
            .order_by(Official.rw, Official.rt, Official.jabatan, Official.nama)
        )
        return [Submitted(*r) for r in rows]


def plan_typed_numbers(
    ctx: ServiceContext, typed: Sequence[tuple[Submitted, str]], *, start: dt.date | None
) -> KpjPlan:
    """The numbers typed into a desa's table (rows left empty are skipped), checked as a file's rows are."""
    items = [
        KpjInput(n, n + 1, person.nik, person.nama, kpj, start) for n, (person, kpj) in enumerate(typed) if kpj.strip()
    ]
    if not items:
        raise UserError("Belum ada nomor KPJ yang diisi.")
    return plan_kpj_entries(ctx, items, source="tabel KPJ")
