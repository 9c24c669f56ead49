"""The dry run: what importing a sheet would do to each row (created / updated / unchanged / rejected)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Office, Official
from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.formatting import format_rt_rw
from klaten_desktop.domain.import_rules import (
    IMPORT_FIELDS,
    is_blank_row,
    is_column_number_row,
    is_footer_row,
    official_is_clean,
)
from klaten_desktop.domain.nik import NikError, decode_nik
from klaten_desktop.domain.official_rules import OfficialFields, check_official
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports.header import ColumnMapping
from klaten_desktop.services.imports.reader import RawTable
from klaten_desktop.services.imports.rows import DesaDirectory, ParsedRow, RowParser

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
PROGRESS_EVERY = 500
FOOTER_MAX_CELLS = 3

#: The columns of ``official`` an import may fill (the order of OfficialFields).
VALUE_COLUMNS = (
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "alamat",
    "desa_kode",
    "rw",
    "rt",
    "jabatan",
    "term_start",
    "term_end",
    "sk_nomor",
    "sk_tanggal",
    "telepon",
)


class Outcome(StrEnum):
    created = "created"
    updated = "updated"
    unchanged = "unchanged"
    rejected = "rejected"

    @property
    def label(self) -> str:
        return {"created": "Baru", "updated": "Diubah", "unchanged": "Tetap", "rejected": "Ditolak"}[self.value]


class ImportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("Impor dibatalkan; tidak ada data yang berubah.")


@dataclass(frozen=True)
class PlannedRow:
    index: int  # index into RawTable.rows
    sheet_row: int  # the row number Excel shows (1-based, counting title rows)
    outcome: Outcome
    nik: str
    nama: str
    desa_kode: str | None
    errors: tuple[str, ...]
    warnings: tuple[str, ...]
    official_id: str | None = None  # the serving official updated or left unchanged
    row_version: int | None = None  # that official's version when the plan was made
    values: Mapping[str, Any] | None = None  # database values after the import (created/updated)
    changes: tuple[tuple[str, Any, Any], ...] = ()  # (column, old, new) for updated rows


@dataclass(frozen=True)
class ImportPlan:
    source: str
    sheet: str
    rows_read: int
    rows: tuple[PlannedRow, ...]
    created: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int  # rows kept with warnings
    mapping: ColumnMapping
    desa_kode: str | None

    @property
    def writes(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        """An Indonesian sentence with the counts (never "berhasil")."""
        return (
            f"{self.rows_read} baris dibaca: {self.created} baru, {self.updated} diubah, "
            f"{self.unchanged} tidak berubah, {self.rejected} ditolak"
            + (f" ({self.warnings} baris dengan peringatan)." if self.warnings else ".")
        )


@dataclass(frozen=True)
class _Serving:
    id: str
    row_version: int
    values: dict[str, Any]


@dataclass(frozen=True)
class ServingState:
    by_nik: dict[str, _Serving]
    slots: dict[tuple[str, int, int, str], _Serving]

    @classmethod
    def load(cls, session: Session) -> ServingState:
        columns = [getattr(Official, c) for c in VALUE_COLUMNS]
        stmt = select(Official.id, Official.row_version, *columns).where(
            Official.deleted_at.is_(None), Official.term_status == "menjabat"
        )
        by_nik: dict[str, _Serving] = {}
        slots: dict[tuple[str, int, int, str], _Serving] = {}
        for row in session.execute(stmt):
            values = dict(zip(VALUE_COLUMNS, row[2:], strict=True))
            serving = _Serving(row[0], row[1], values)
            by_nik[values["nik"]] = serving
            if values["jabatan"] != Jabatan.lainnya.value:
                slots[slot_key(values)] = serving
        return cls(by_nik, slots)


def slot_key(values: Mapping[str, Any]) -> tuple[str, int, int, str]:
    return (values["desa_kode"], values["rw"] or 0, values["rt"] or 0, values["jabatan"])


def office_scope(session: Session) -> tuple[str | None, str | None]:
    """(kecamatan code or None for the regency, install id)."""
    office = session.get(Office, 1)
    if office is None:
        raise UserError("Kantor belum diatur; jalankan 'init' terlebih dahulu.")
    return (None if office.role == "kabupaten" else office.office_code), office.install_id


def data_rows(table: RawTable, mapping: ColumnMapping) -> list[int]:
    """Indexes of the rows under the header that hold data (no blanks, column numbers, totals, signatures)."""
    used = [i for i, f in enumerate(mapping.fields) if f in IMPORT_FIELDS]
    nik_col = mapping.column_of("nik")
    result: list[int] = []
    footer = False
    for index in range(mapping.data_start, len(table.rows)):
        cells = table.rows[index]
        picked = [cells[i] if i < len(cells) else None for i in used]
        if is_blank_row(picked):
            continue
        has_nik = nik_col is not None and nik_col < len(cells) and not is_blank_row([cells[nik_col]])
        if not has_nik:
            # a footer line ("Jumlah", "Mengetahui,", "Kepala Desa ...") holds a few cells; a data row without
            # a NIK holds more and must be reported, not dropped
            few = sum(not is_blank_row([c]) for c in cells) <= FOOTER_MAX_CELLS
            if footer or is_column_number_row(cells) or (few and is_footer_row(cells)):
                footer = footer or is_footer_row(cells)
                continue
        result.append(index)
    return result


def _holder(directory: DesaDirectory, s: Mapping[str, Any]) -> str:
    where = directory.label(s["desa_kode"])
    rt_rw = format_rt_rw(s["rt"], s["rw"])
    return " ".join(f"{s['nama']}, {Jabatan(s['jabatan']).label} {rt_rw} {where}".split())


def _as_db(fields: OfficialFields) -> dict[str, Any]:
    values = {c: getattr(fields, c) for c in VALUE_COLUMNS}
    values["jenis_kelamin"] = fields.jenis_kelamin.value if fields.jenis_kelamin else None
    values["jabatan"] = fields.jabatan.value if fields.jabatan else None
    return values


def _merge(parsed: ParsedRow, existing: _Serving | None, today: dt.date) -> OfficialFields:
    return _merged(parsed, existing, today)[0]


def _merged(parsed: ParsedRow, existing: _Serving | None, today: dt.date) -> tuple[OfficialFields, dict[str, Any]]:
    """The fields to check and their database values (``_as_db`` of the fields, built without a second pass)."""
    base: dict[str, Any] = dict.fromkeys(VALUE_COLUMNS) if existing is None else dict(existing.values)
    base.update(parsed.values)  # an empty cell never erases: only filled fields are in parsed.values
    sex = base["jenis_kelamin"]
    if sex is None and existing is None and base["nik"]:
        try:
            sex = decode_nik(base["nik"], today=today).sex
        except NikError:
            sex = None
    jabatan = base["jabatan"]
    if jabatan is None and existing is None:
        jabatan = Jabatan.ketua_rt if base["rt"] is not None else Jabatan.ketua_rw if base["rw"] is not None else None
    sex_enum = Sex(sex) if sex is not None else None
    jabatan_enum = Jabatan(jabatan) if jabatan is not None else None
    base["nik"] = base["nik"] or ""
    base["nama"] = base["nama"] or ""
    fields = OfficialFields(
        nik=base["nik"],
        nama=base["nama"],
        tempat_lahir=base["tempat_lahir"],
        tanggal_lahir=base["tanggal_lahir"],
        jenis_kelamin=sex_enum,
        alamat=base["alamat"],
        desa_kode=base["desa_kode"],
        rw=base["rw"],
        rt=base["rt"],
        jabatan=jabatan_enum,
        term_start=base["term_start"],
        term_end=base["term_end"],
        sk_nomor=base["sk_nomor"],
        sk_tanggal=base["sk_tanggal"],
        telepon=base["telepon"],
    )
    # ``_value_`` is what ``.value`` returns, without the enum property lookup (13,000 rows)
    base["jenis_kelamin"] = sex_enum._value_ if sex_enum is not None else None
    base["jabatan"] = jabatan_enum._value_ if jabatan_enum is not None else None
    if len(base) != len(VALUE_COLUMNS):  # only the value columns, as _as_db
        base = {c: base[c] for c in VALUE_COLUMNS}
    return fields, base


def _rejected(p: ParsedRow, errors: list[str] | tuple[str, ...], warnings: tuple[str, ...] = ()) -> PlannedRow:
    return PlannedRow(
        p.index,
        p.sheet_row,
        Outcome.rejected,
        p.nik,
        str(p.values.get("nama") or ""),
        p.values.get("desa_kode"),
        tuple(errors),
        warnings,
    )


def diff_rows(
    parsed: list[ParsedRow],
    state: ServingState,
    directory: DesaDirectory,
    *,
    today: dt.date,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[PlannedRow]:
    """Compare parsed rows with the serving officials; pure apart from the callbacks."""
    nik_rows: dict[str, list[int]] = {}
    for p in parsed:
        nik = p.nik
        if nik:
            nik_rows.setdefault(nik, []).append(p.sheet_row)
    planned: list[PlannedRow] = []
    slot_rows: dict[tuple[str, int, int, str], list[int]] = {}
    total = len(parsed)
    kecamatan = directory.office_kecamatan
    for n, p in enumerate(parsed, start=1):
        if n % PROGRESS_EVERY == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled
            if progress is not None:
                progress(n, total)
        errors = list(p.errors)
        nik = p.nik
        others = [r for r in nik_rows.get(nik, ()) if r != p.sheet_row]
        if others:
            listed = ", ".join(str(r) for r in others)
            errors.append(
                f"NIK {nik} juga ada di baris {listed} berkas ini. Semua baris dengan NIK yang sama ditolak; "
                "sisakan satu baris yang benar lalu impor lagi."
            )
        existing = state.by_nik.get(nik) if nik else None
        if errors:
            planned.append(_rejected(p, errors, p.warnings))
            continue
        fields, values = _merged(p, existing, today)
        if official_is_clean(fields, today=today, kecamatan_kode=kecamatan):
            issues: tuple[object, ...] = ()
        else:
            check = check_official(fields, today=today, kecamatan_kode=kecamatan)
            issues = check.issues
        if issues:
            warnings = tuple(dict.fromkeys([*p.warnings, *(i.message for i in check.warnings)]))
            errors = [i.message for i in check.errors]
        else:
            warnings = tuple(dict.fromkeys(p.warnings)) if p.warnings else ()
            errors = []
        if not errors and fields.jabatan is not None and fields.jabatan.is_single_holder:
            key = slot_key(values)
            holder = state.slots.get(key)
            if holder is not None and (existing is None or holder.id != existing.id):
                errors.append(
                    f"Jabatan ini masih dipegang {_holder(directory, holder.values)}. "
                    "Gunakan 'Ganti pengurus' untuk menggantinya."
                )
            else:
                slot_rows.setdefault(key, []).append(len(planned))
        if errors:
            planned.append(_rejected(p, errors, warnings))
            continue
        if existing is None:
            planned.append(
                PlannedRow(p.index, p.sheet_row, Outcome.created, fields.nik, fields.nama, fields.desa_kode, (),
                           warnings, values=values)
            )  # fmt: skip
            continue
        changes = tuple((c, existing.values[c], values[c]) for c in VALUE_COLUMNS if existing.values[c] != values[c])
        planned.append(
            PlannedRow(
                p.index,
                p.sheet_row,
                Outcome.updated if changes else Outcome.unchanged,
                fields.nik,
                fields.nama,
                fields.desa_kode,
                (),
                warnings,
                official_id=existing.id,
                row_version=existing.row_version,
                values=values if changes else None,
                changes=changes,
            )
        )
    for key, positions in slot_rows.items():
        if len(positions) < 2:
            continue
        sheet_rows = ", ".join(str(planned[i].sheet_row) for i in positions)
        jabatan = Jabatan(key[3]).label
        message = (
            f"Baris {sheet_rows} berkas ini sama-sama mengisi jabatan {jabatan} "
            f"{format_rt_rw(key[2] or None, key[1] or None)} {directory.label(key[0])}. "
            "Semua baris itu ditolak; sisakan satu pengurus untuk jabatan ini."
        )
        for i in positions:
            row = planned[i]
            planned[i] = PlannedRow(
                row.index, row.sheet_row, Outcome.rejected, row.nik, row.nama, row.desa_kode, (message,), row.warnings
            )
    return planned


def plan_import(
    ctx: ServiceContext,
    table: RawTable,
    mapping: ColumnMapping,
    *,
    desa_kode: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """The dry run: nothing is written. :class:`UserError` when required columns are missing."""
    missing = mapping.missing(desa_chosen=desa_kode is not None)
    if missing:
        raise UserError(
            "Kolom berikut tidak ditemukan: " + ", ".join(missing) + ". Perbaiki pemetaan kolom lalu coba lagi."
        )
    today = ctx.today()
    with ctx.read() as session:
        kecamatan, _ = office_scope(session)
        directory = DesaDirectory.load(session, kecamatan)
        if desa_kode is not None:
            if desa_kode not in directory.desa_names:
                raise UserError(f"Kode desa {desa_kode} tidak ada dalam daftar wilayah.")
            if kecamatan is not None and not desa_kode.startswith(kecamatan + "."):
                raise UserError(f"Desa {desa_kode} tidak termasuk kecamatan kantor ini ({kecamatan}).")
        state = ServingState.load(session)
    indexes = data_rows(table, mapping)
    parser = RowParser(mapping, directory, desa_kode=desa_kode, today=today)
    parsed = [parser.parse(table.rows[i], i) for i in indexes]
    rows = diff_rows(parsed, state, directory, today=today, progress=progress, cancelled=cancelled)
    if progress is not None:
        progress(len(rows), len(rows))
    count = {o: 0 for o in Outcome}
    for r in rows:
        count[r.outcome] += 1
    return ImportPlan(
        source=table.source,
        sheet=table.sheet,
        rows_read=len(rows),
        rows=tuple(rows),
        created=count[Outcome.created],
        updated=count[Outcome.updated],
        unchanged=count[Outcome.unchanged],
        rejected=count[Outcome.rejected],
        warnings=sum(1 for r in rows if r.warnings and r.outcome is not Outcome.rejected),
        mapping=mapping,
        desa_kode=desa_kode,
    )
