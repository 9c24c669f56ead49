"""One spreadsheet row -> normalised values for an official, with the reasons it cannot be used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from klaten_desktop.db.models import Wilayah
from klaten_desktop.domain.import_rules import (
    EXCEL_FLOAT_NIK_MESSAGE,
    cell_text,
    desa_code_of,
    is_blank,
    kecamatan_code_of,
    parse_jabatan,
    place_key,
    rt_rw_from_date,
    split_desa_cell,
)
from klaten_desktop.domain.nik import looks_like_excel_float, normalize_nik
from klaten_desktop.domain.parsing import (
    normalize_name,
    normalize_phone,
    parse_date_flexible,
    parse_rt_number,
    parse_rt_rw_pair,
    parse_sex,
    split_place_and_date,
)
from klaten_desktop.services.imports.header import ColumnMapping


@dataclass(frozen=True)
class DesaDirectory:
    """Desa and kecamatan of Klaten for resolving a code or a name (names only within a kecamatan)."""

    desa_names: Mapping[str, str]  # desa kode -> nama
    kecamatan_names: Mapping[str, str]  # kecamatan kode -> nama
    by_name: Mapping[tuple[str, str], tuple[str, ...]]  # (kecamatan kode, place_key) -> desa kodes
    kecamatan_by_name: Mapping[str, str]  # place_key -> kecamatan kode
    office_kecamatan: str | None  # None for the regency

    @classmethod
    def load(cls, session: Session, office_kecamatan: str | None) -> DesaDirectory:
        desa: dict[str, str] = {}
        kec: dict[str, str] = {}
        by_name: dict[tuple[str, str], list[str]] = {}
        for kode, nama, tingkat, induk in session.execute(
            select(Wilayah.kode, Wilayah.nama, Wilayah.tingkat, Wilayah.kode_induk)
        ):
            if tingkat in ("desa", "kelurahan"):
                desa[kode] = nama
                by_name.setdefault((induk, place_key(nama)), []).append(kode)
            elif tingkat == "kecamatan":
                kec[kode] = nama
        return cls(
            desa,
            kec,
            {k: tuple(v) for k, v in by_name.items()},
            {place_key(n): k for k, n in kec.items()},
            office_kecamatan,
        )

    def label(self, desa_kode: str) -> str:
        return f"Desa {self.desa_names.get(desa_kode, desa_kode)}"

    def _kecamatan(self, text: str) -> str | None:
        code = kecamatan_code_of(text)
        if code is not None:
            return code if code in self.kecamatan_names else None
        return self.kecamatan_by_name.get(place_key(text))

    def resolve(self, desa_cell: object, kode_cell: object, kec_cell: object) -> tuple[str | None, str | None]:
        """(desa kode, None) or (None, Indonesian reason); (None, None) when every cell is blank."""
        for cell in (kode_cell, desa_cell):
            code = desa_code_of(cell)
            if code is not None:
                if code not in self.desa_names:
                    return None, f"Kode desa {code} tidak ada dalam daftar wilayah Kabupaten Klaten."
                return code, None
        text = cell_text(desa_cell)
        if text is None:
            return None, None
        name, kec_text = split_desa_cell(text)
        kec_text = kec_text or cell_text(kec_cell)
        if kec_text is not None:
            kec = self._kecamatan(kec_text)
            if kec is None:
                return None, f"Kecamatan {kec_text!r} tidak dikenal di Kabupaten Klaten."
        elif self.office_kecamatan is not None:
            kec = self.office_kecamatan
        else:
            return None, (
                f"Desa {name!r}: isi kolom Kecamatan atau kode desa, karena nama desa yang sama "
                "ada di lebih dari satu kecamatan."
            )
        codes = self.by_name.get((kec, place_key(name)), ())
        if len(codes) == 1:
            return codes[0], None
        kec_name = self.kecamatan_names.get(kec, kec)
        if not codes:
            return None, f"Desa {name!r} tidak ada di Kecamatan {kec_name}. Periksa ejaan atau isi kode desa."
        return None, f"Nama desa {name!r} ada lebih dari satu di Kecamatan {kec_name}; isi kode desa."


@dataclass(frozen=True)
class ParsedRow:
    """What one row says, normalised; ``values`` holds only the fields that were filled in."""

    index: int  # index into RawTable.rows
    sheet_row: int  # the row number Excel shows
    values: Mapping[str, Any]
    errors: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def nik(self) -> str:
        return str(self.values.get("nik") or "")


def _cell(cells: Sequence[object], mapping: ColumnMapping, field: str) -> object:
    col = mapping.column_of(field)
    if col is None or col >= len(cells):
        return None
    value = cells[col]
    return None if is_blank(value) else value


def _clean(value: object) -> str | None:
    return cell_text(value)


def parse_row(
    cells: Sequence[object],
    index: int,
    mapping: ColumnMapping,
    directory: DesaDirectory,
    *,
    desa_kode: str | None,
    today: dt.date,
) -> ParsedRow:
    """Normalise one row. Only ``ValueError`` from the parsers is expected; it becomes a reason."""
    values: dict[str, Any] = {}
    errors: list[str] = []
    warnings: list[str] = []

    def attempt(field: str, parse: Any) -> None:
        raw = _cell(cells, mapping, field)
        if raw is None:
            return
        try:
            parsed = parse(raw)
        except ValueError as exc:
            errors.append(str(exc))
            return
        if parsed is not None:
            values[field] = parsed

    raw_nik = _cell(cells, mapping, "nik")
    if raw_nik is not None:
        if isinstance(raw_nik, int | float) or looks_like_excel_float(raw_nik):
            errors.append(EXCEL_FLOAT_NIK_MESSAGE)
        else:
            values["nik"] = normalize_nik(str(raw_nik))
    attempt("nama", lambda v: normalize_name(_clean(v) or "") or None)

    def ttl(raw: object) -> tuple[str | None, dt.date | None]:
        if isinstance(raw, str):
            return split_place_and_date(raw, today=today)
        return None, parse_date_flexible(raw, today=today)

    raw_ttl = _cell(cells, mapping, "ttl")
    if raw_ttl is not None:
        try:
            place, born = ttl(raw_ttl)
        except ValueError as exc:
            errors.append(str(exc))
        else:
            if place:
                values["tempat_lahir"] = place
            if born:
                values["tanggal_lahir"] = born
    attempt("tempat_lahir", _clean)
    for field in ("tanggal_lahir", "term_start", "term_end", "sk_tanggal"):
        attempt(field, lambda v: parse_date_flexible(v, today=today))
    attempt("jenis_kelamin", lambda v: parse_sex(_clean(v)))
    attempt("alamat", _clean)
    attempt("sk_nomor", _clean)
    attempt("jabatan", parse_jabatan)
    attempt("telepon", normalize_phone)

    raw_pair = _cell(cells, mapping, "rt_rw")
    if raw_pair is not None:
        try:
            if isinstance(raw_pair, dt.date):
                rt, rw = rt_rw_from_date(raw_pair)
                warnings.append(
                    f"RT/RW terbaca Excel sebagai tanggal; dibaca sebagai RT {rt:03d} / RW {rw:03d}. "
                    "Periksa kembali, dan format kolom RT/RW sebagai Teks."
                )
            elif isinstance(raw_pair, str):
                rt, rw = parse_rt_rw_pair(raw_pair)
            else:
                raise ValueError(f"RT/RW {cell_text(raw_pair)!r} tidak dapat dibaca. Tulis seperti 003/002.")
        except ValueError as exc:
            errors.append(str(exc))
        else:
            if rt is not None:
                values["rt"] = rt
            if rw is not None:
                values["rw"] = rw
    attempt("rt", lambda v: parse_rt_number(v, "RT"))
    attempt("rw", lambda v: parse_rt_number(v, "RW"))

    row_desa, reason = directory.resolve(
        _cell(cells, mapping, "desa"), _cell(cells, mapping, "kode_desa"), _cell(cells, mapping, "kecamatan")
    )
    if reason is not None:
        errors.append(reason)
    elif row_desa is not None:
        if desa_kode is not None and row_desa != desa_kode:
            errors.append(
                f"Desa pada baris ini ({directory.label(row_desa)}) berbeda dengan desa yang dipilih untuk "
                f"seluruh berkas ({directory.label(desa_kode)})."
            )
        values["desa_kode"] = row_desa
    elif desa_kode is not None:
        values["desa_kode"] = desa_kode
    return ParsedRow(index, index + 1, values, tuple(errors), tuple(warnings))
