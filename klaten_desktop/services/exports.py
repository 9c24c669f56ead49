"""Export officials to .xlsx or .csv: the full registry (re-imports with zero changes) and the BPJS
collective-registration list; which columns, with what NIK (whole, masked or none), recorded in the audit trail.
The file itself is written by services/table_writer.py."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import aliased

from klaten_desktop.db.models import Enrollment, Official, Wilayah
from klaten_desktop.domain.enums import CoverageStatus, FundingSource, Jabatan, Program, format_programs
from klaten_desktop.domain.formatting import format_rt_rw, format_rupiah
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.domain.tariffs import MonthFigure, Tariff, TariffBasis, tariff_on
from klaten_desktop.runtime.work import CancelCheck, Progress
from klaten_desktop.services import audit, kode_pos, office, tariffs
from klaten_desktop.services.access import Permission, require
from klaten_desktop.services.context import Actor, ServiceContext
from klaten_desktop.services.coverage import STATUS_COLUMNS, StatusClassifier
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.imports.columns import FIELD_LABELS
from klaten_desktop.services.records import paid_since_registration
from klaten_desktop.services.table_writer import write_table


class ExportRow(NamedTuple):
    id: str
    nik: str
    nama: str
    jenis_kelamin: str
    tempat_lahir: str | None
    tanggal_lahir: dt.date | None
    alamat: str | None
    kecamatan: str
    desa: str
    kode_desa: str
    rt: int | None
    rw: int | None
    jabatan: str
    telepon: str | None
    term_start: dt.date | None
    term_end: dt.date | None
    sk_nomor: str | None
    sk_tanggal: dt.date | None
    status: str
    nomor_kpj: str | None
    dibayar_sampai: str | None
    email: str | None = None
    nama_ibu_kandung: str | None = None
    kelurahan: bool = False  # the desa is a kelurahan (docs/domain.md 4)
    terms: BpjsTerms | None = None  # the registration terms of the BPJS list (the same for every row)
    kode_pos: str | None = None  # the desa's kode pos as the office keeps it (services/kode_pos.py), else empty


@dataclass(frozen=True)
class BpjsTerms:
    """What a collective registration asks beyond the person, from the tariff settings (services/tariffs.py):
    the office's default tariff and programs in force in the start month, its default funding source, and the
    start month's contribution as services/tariffs.py prices it (``figure``)."""

    start: YearMonth
    tariff: Tariff
    programs: frozenset[Program]
    funding: FundingSource
    figure: MonthFigure

    def basis(self) -> str:
        """The contribution basis, saying what it is: a declared income, a share of the UMK or a fixed amount."""
        t = self.tariff
        if t.basis is TariffBasis.TETAP:
            assert t.fixed_amount is not None
            return f"Iuran tetap {format_rupiah(t.fixed_amount)} per bulan (tarif {t.code})"
        if t.basis is TariffBasis.UMK:
            return f"Persentase UMK: {self.figure.basis} (tarif {t.code})"
        return f"Penghasilan dilaporkan {format_rupiah(t.min_income)} (minimum tarif {t.code})"

    def monthly(self) -> int:
        return self.figure.amount

    def payer(self, row: ExportRow) -> str:
        if self.funding is FundingSource.MANDIRI:
            return "Peserta sendiri (mandiri)"
        if self.funding is FundingSource.APBD or row.kelurahan:
            return "Pemerintah Kabupaten Klaten" + (f" (Kelurahan {row.desa})" if row.kelurahan else "")
        return f"Pemerintah Desa {row.desa}"


def bpjs_terms(ctx: ServiceContext, start: YearMonth | None = None) -> BpjsTerms:
    """The terms for a list starting in ``start`` (default: the month after today); :class:`UserError` when the
    default tariff is not in force then."""
    month = start or YearMonth.of(ctx.today()).next()
    defaults = tariffs.Defaults(ctx)
    try:
        tariff = tariff_on(defaults.tariffs, defaults.tariff_code, month.first_day())
    except LookupError as exc:
        raise UserError(str(exc)) from exc
    code, amount = defaults.amount(month.first_day())
    figure = defaults.figure(
        tariff_code=code, programs=format_programs(defaults.programs), recorded_amount=amount, month=month
    )
    return BpjsTerms(month, tariff, defaults.programs, defaults.funding, figure)


def _terms(get: Callable[[BpjsTerms, ExportRow], object]) -> Callable[[int, ExportRow], object]:
    return lambda _n, row: get(row.terms, row) if row.terms is not None else None


@dataclass(frozen=True)
class ExportColumn:
    label: str
    kind: str  # "text", "number", "date"
    get: Callable[[int, ExportRow], object]
    field: int | None = None  # the column is this field of the row as it is (``get`` reads it)


def _attr(label: str, kind: str, name: str) -> ExportColumn:
    index = ExportRow._fields.index(name)
    return ExportColumn(label, kind, lambda _n, row: row[index], index)


@functools.lru_cache(maxsize=256)
def _month_text(stored: str) -> str:
    return YearMonth.parse(stored).label()


def _month_label(_n: int, row: ExportRow) -> str | None:
    """The month as the app shows it elsewhere ("April 2026"), not as it is stored ("2026-04")."""
    return _month_text(row.dibayar_sampai) if row.dibayar_sampai else None


_JABATAN_LABELS = {j.value: j.label for j in Jabatan}
_STATUS_LABELS = {s.value: s.label for s in CoverageStatus}


def _jabatan_label(_n: int, row: ExportRow) -> str:
    return _JABATAN_LABELS.get(row.jabatan) or Jabatan(row.jabatan).label  # an unknown value raises as before


def _status_label(_n: int, row: ExportRow) -> str:
    return _STATUS_LABELS.get(row.status) or CoverageStatus(row.status).label


EXPORT_COLUMNS: dict[str, ExportColumn] = {
    "no": ExportColumn(FIELD_LABELS["no"], "number", lambda n, _row: n),
    "nik": _attr(FIELD_LABELS["nik"], "text", "nik"),
    "nama": _attr(FIELD_LABELS["nama"], "text", "nama"),
    "jenis_kelamin": _attr(FIELD_LABELS["jenis_kelamin"], "text", "jenis_kelamin"),
    "tempat_lahir": _attr(FIELD_LABELS["tempat_lahir"], "text", "tempat_lahir"),
    "tanggal_lahir": _attr(FIELD_LABELS["tanggal_lahir"], "date", "tanggal_lahir"),
    "alamat": _attr(FIELD_LABELS["alamat"], "text", "alamat"),
    "kecamatan": _attr(FIELD_LABELS["kecamatan"], "text", "kecamatan"),
    "desa": _attr(FIELD_LABELS["desa"], "text", "desa"),
    "kode_desa": _attr(FIELD_LABELS["kode_desa"], "text", "kode_desa"),
    "rt": _attr(FIELD_LABELS["rt"], "number", "rt"),
    "rw": _attr(FIELD_LABELS["rw"], "number", "rw"),
    "rt_rw": ExportColumn(FIELD_LABELS["rt_rw"], "text", lambda _n, r: format_rt_rw(r.rt, r.rw) or None),
    "jabatan": ExportColumn(FIELD_LABELS["jabatan"], "text", _jabatan_label),
    "telepon": _attr(FIELD_LABELS["telepon"], "text", "telepon"),
    "term_start": _attr(FIELD_LABELS["term_start"], "date", "term_start"),
    "term_end": _attr(FIELD_LABELS["term_end"], "date", "term_end"),
    "sk_nomor": _attr(FIELD_LABELS["sk_nomor"], "text", "sk_nomor"),
    "sk_tanggal": _attr(FIELD_LABELS["sk_tanggal"], "date", "sk_tanggal"),
    "status": ExportColumn("Status Kepesertaan", "text", _status_label),
    "nomor_kpj": _attr("Nomor KPJ", "text", "nomor_kpj"),
    "dibayar_sampai": ExportColumn("Iuran Dibayar Sampai", "text", _month_label),
    "email": _attr(FIELD_LABELS["email"], "text", "email"),
    "nama_ibu_kandung": _attr(FIELD_LABELS["nama_ibu_kandung"], "text", "nama_ibu_kandung"),
    "kabupaten": ExportColumn("Kabupaten", "text", lambda _n, _r: "Klaten"),
    "provinsi": ExportColumn("Provinsi", "text", lambda _n, _r: "Jawa Tengah"),
    "kode_pos": _attr("Kode Pos", "text", "kode_pos"),
    "jenis_pekerjaan": ExportColumn("Jenis Pekerjaan", "text", _jabatan_label),
    "dasar_iuran": ExportColumn("Dasar Iuran", "text", _terms(lambda t, _r: t.basis())),
    "iuran_bulanan": ExportColumn("Iuran per Bulan (Rp)", "number", _terms(lambda t, _r: t.monthly())),
    "program": ExportColumn("Program", "text", _terms(lambda t, _r: format_programs(t.programs).replace(",", ", "))),
    "bulan_mulai": ExportColumn("Bulan Mulai Kepesertaan", "text", _terms(lambda t, _r: t.start.label())),
    "pembayar": ExportColumn("Pembayar Iuran", "text", _terms(lambda t, r: t.payer(r))),
}
#: Columns whose value comes from the registration terms (:class:`BpjsTerms`, read when one of them is chosen).
TERMS_COLUMNS = frozenset({"dasar_iuran", "iuran_bulanan", "program", "bulan_mulai", "pembayar"})

REGISTRY_COLUMNS: tuple[str, ...] = (
    "no", "nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "alamat", "kecamatan", "desa",
    "kode_desa", "rt", "rw", "jabatan", "telepon", "term_start", "term_end", "sk_nomor", "sk_tanggal", "status",
    "nomor_kpj", "dibayar_sampai",
)  # fmt: skip
#: What the BPJS Ketenagakerjaan branch needs for a collective (kolektif) registration of BPU members.
BPJS_COLUMNS: tuple[str, ...] = (
    "no", "nik", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "alamat", "rt_rw", "desa",
    "kecamatan", "kabupaten", "provinsi", "kode_pos", "telepon", "email", "jenis_pekerjaan", "dasar_iuran",
    "iuran_bulanan", "program", "bulan_mulai", "pembayar",
)  # fmt: skip


def export_rows(
    ctx: ServiceContext,
    *,
    desa_kode: str | None = None,
    only_unregistered: bool = False,
    terms: BpjsTerms | None = None,
) -> list[ExportRow]:
    """Serving officials (of one desa or all), in registry order, with coverage status and KPJ (and ``terms``).

    One column select: the person, the desa and kecamatan, and the coverage summary the officials list classifies
    (``coverage.STATUS_COLUMNS`` with the deciding enrollment's KPJ, as ``officials.list_rows`` reads them)."""
    desa = aliased(Wilayah)
    kec = aliased(Wilayah)
    stmt = (
        select(
            Official.id,
            Official.nik,
            Official.nama,
            Official.jenis_kelamin,
            Official.tempat_lahir,
            Official.tanggal_lahir,
            Official.alamat,
            kec.nama,
            desa.nama,
            Official.desa_kode,
            Official.rt,
            Official.rw,
            Official.jabatan,
            Official.telepon,
            Official.term_start,
            Official.term_end,
            Official.sk_nomor,
            Official.sk_tanggal,
            Official.email,
            Official.nama_ibu_kandung,
            desa.tingkat == "kelurahan",
            *STATUS_COLUMNS,
            Enrollment.nomor_kpj,
        )
        .join(desa, desa.kode == Official.desa_kode)
        .join(kec, kec.kode == desa.kode_induk)
        # the deciding enrollment (the open one, else the one that ended last), as the database's triggers keep it
        .outerjoin(Enrollment, Enrollment.id == Official.cov_enrollment_id)
        .where(Official.deleted_at.is_(None), Official.term_status == "menjabat")
        # a ketua RW (no RT) before the RT of the RW on both engines (PostgreSQL puts NULL last by default)
        .order_by(Official.desa_kode, Official.rw.nulls_first(), Official.rt.nulls_first(), Official.jabatan)
        .order_by(Official.nama)
    )
    if desa_kode is not None:
        stmt = stmt.where(Official.desa_kode == desa_kode)
    classify = StatusClassifier(ctx.today()).row_status
    belum = CoverageStatus.belum_terdaftar.value
    postal = kode_pos.codes(ctx)
    rows: list[ExportRow] = []
    make = ExportRow._make
    with ctx.read() as session:
        base = session.connection().execute(stmt).all()  # plain rows: no ORM loading step
    for b in base:
        status = classify(b[21:28])
        if only_unregistered and status != belum:
            continue
        paid = paid_since_registration(b[27], b[26])
        rows.append(make((*b[:18], status, b[28], paid, b[18], b[19], bool(b[20]), terms, postal.get(b[9]))))
    return rows


NIK_FULL, NIK_MASKED, NIK_NONE = "lengkap", "tersamar", "tanpa"
#: How the NIK goes into a list: in full (the BPJS list, the registry that is imported again; audited), masked
#: (``3310 01•• •••• 0001``) or left out (``--tanpa-nik``: lists for a desa or the public).
NIK_MODES = {
    NIK_FULL: "NIK lengkap",
    NIK_MASKED: "NIK tersamar",
    NIK_NONE: "Tanpa NIK",
}


def _nik_columns(columns: Sequence[str], nik: str) -> list[ExportColumn]:
    if nik not in NIK_MODES:
        raise UserError("Pilihan NIK tidak dikenal: " + nik + ". Pilihan: " + ", ".join(NIK_MODES) + ".")
    if nik == NIK_NONE:
        columns = [c for c in columns if c != "nik"]
    chosen = _check_columns(columns)
    if nik == NIK_MASKED:
        chosen = [
            ExportColumn(c.label, c.kind, lambda n, row: mask_nik_display(row.nik)) if c is EXPORT_COLUMNS["nik"] else c
            for c in chosen
        ]
    return chosen


def _check_columns(columns: Sequence[str]) -> list[ExportColumn]:
    unknown = [c for c in columns if c not in EXPORT_COLUMNS]
    if unknown:
        raise UserError(
            "Kolom ekspor tidak dikenal: " + ", ".join(unknown) + ". Kolom yang ada: " + ", ".join(EXPORT_COLUMNS) + "."
        )
    if not columns:
        raise UserError("Pilih paling sedikit satu kolom untuk diekspor.")
    return [EXPORT_COLUMNS[c] for c in columns]


def export_officials(
    ctx: ServiceContext,
    actor: Actor,
    out_path: Path | str,
    *,
    columns: Sequence[str] = REGISTRY_COLUMNS,
    desa_kode: str | None = None,
    only_unregistered: bool = False,
    start: YearMonth | None = None,
    csv_for_excel: bool = False,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
    nik: str = NIK_FULL,
) -> int:
    """Write the registry (or a selection of columns) to .xlsx or .csv; returns the number of officials.

    ``nik``: :data:`NIK_MODES`; a list written with full NIKs is recorded in the audit log (``ekspor_nik_lengkap``,
    by ``actor``), after the file is written.

    ``start``: the start month of the registration terms (:func:`bpjs_terms`), when a column of them is chosen.
    ``csv_for_excel``: a .csv to be opened in a spreadsheet (services/csv_cells.py), else one for programs.
    :class:`UserError` for an unknown column, or a ``desa_kode`` not in the wilayah list or (at a kecamatan
    office) outside the office's kecamatan.
    """
    require(actor, Permission.import_export)
    chosen = _nik_columns(columns, nik)
    if desa_kode is not None:
        check_desa(ctx, desa_kode)
    terms = bpjs_terms(ctx, start) if TERMS_COLUMNS & set(columns) else None
    rows = export_rows(ctx, desa_kode=desa_kode, only_unregistered=only_unregistered, terms=terms)
    kind = "bpjs" if only_unregistered else "registry"
    headers = [c.label for c in chosen]
    kinds = [c.kind for c in chosen]
    values = _values(chosen, rows)
    write_table(
        out_path,
        headers,
        values,
        kinds=kinds,
        total=len(rows),
        progress=progress,
        cancelled=cancelled,
        csv_for_excel=csv_for_excel,
    )
    nik_form = nik if "nik" in columns else NIK_NONE
    record_export(ctx, actor, kind, out_path, len(rows), columns=list(columns), desa_kode=desa_kode, nik=nik_form)
    return len(rows)


def _values(chosen: Sequence[ExportColumn], rows: Sequence[ExportRow]) -> Iterator[list[object]]:
    """The cells of each row: the fields taken as they are in one C-level pick, the rest asked of their column."""
    if len(chosen) < 2:
        return ([c.get(n, row) for c in chosen] for n, row in enumerate(rows, start=1))
    pick = operator.itemgetter(*(0 if c.field is None else c.field for c in chosen))
    computed = [(i, c.get) for i, c in enumerate(chosen) if c.field is None]

    def cells() -> Iterator[list[object]]:
        for n, row in enumerate(rows, start=1):
            values = list(pick(row))
            for i, get in computed:
                values[i] = get(n, row)
            yield values

    return cells()


def record_export(
    ctx: ServiceContext,
    actor: Actor,
    kind: str,
    out_path: Path | str,
    rows: int,
    *,
    columns: Sequence[str] = (),
    desa_kode: str | None = None,
    nik: str | None = None,
) -> None:
    """The audit entry of a file written out of the app (after it is written): what, which file, how many rows,
    which columns and in which form the NIKs left the app (``nik``: lengkap, tersamar, tanpa). Every export of
    personal data records one."""
    name = Path(out_path).name
    values: dict[str, object] = {"jenis": kind, "berkas": name, "baris": rows, "kolom": list(columns)}
    values["desa"] = desa_kode
    if nik is not None:
        values["bentuk_nik"] = nik
    with ctx.write() as session:
        audit.record(
            session,
            actor,
            "export",
            "file",
            None,
            new=values,
            summary=f"Ekspor {name}: {rows} baris" + (", NIK lengkap" if nik == NIK_FULL else ""),
        )


def check_desa(ctx: ServiceContext, desa_kode: str) -> None:
    """Refuse a desa code outside Klaten or (at a kecamatan office) outside the office's kecamatan."""
    with ctx.read() as session:
        office.require_desa_in_scope(session, desa_kode)


def export_bpjs_list(
    ctx: ServiceContext,
    actor: Actor,
    out_path: Path | str,
    *,
    columns: Sequence[str] = BPJS_COLUMNS,
    desa_kode: str | None = None,
    include_registered: bool = False,
    start: YearMonth | None = None,
    csv_for_excel: bool = False,
    nik: str = NIK_FULL,
) -> int:
    """The list for the BPJS branch's collective registration: serving officials not yet registered."""
    require(actor, Permission.import_export)
    return export_officials(
        ctx,
        actor,
        out_path,
        columns=columns,
        desa_kode=desa_kode,
        only_unregistered=not include_registered,
        start=start,
        csv_for_excel=csv_for_excel,
        nik=nik,
    )
