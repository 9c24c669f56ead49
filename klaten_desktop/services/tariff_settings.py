"""Changing the tariff settings: the office's own dated tariffs (``tarif.tambahan``), the UMK table
(``tarif.umk``) and the defaults for new enrollments (``tarif.kode_default``, ``tarif.program_default``,
``tarif.sumber_dana_default``).

The built-in tariffs (``domain.tariffs.DEFAULT_TARIFFS``) are read-only; an office tariff never disappears, it
is ended (``valid_to``) so enrollments made under it keep their history.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from klaten_desktop.db.models import Setting
from klaten_desktop.domain.enums import FundingSource, Program, format_programs, parse_programs
from klaten_desktop.domain.tariffs import DEFAULT_TARIFFS, Tariff, TariffBasis, monthly_contribution
from klaten_desktop.domain.umk import DEFAULT_UMK, MissingUmk, UmkEntry, umk_for
from klaten_desktop.services import audit, settings
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.tariffs import tariff_from_setting, umk_from_setting, umk_in_force, umk_to_setting

EXTRA_KEY = "tarif.tambahan"
UMK_KEY = "tarif.umk"
CODE_KEY = "tarif.kode_default"
PROGRAM_KEY = "tarif.program_default"
FUNDING_KEY = "tarif.sumber_dana_default"


@dataclass(frozen=True)
class TariffRow:
    tariff: Tariff
    builtin: bool  # "bawaan": declared in code, read-only
    monthly: int | None  # per person per month, default programs, minimum income; UMK: this year's (None: no UMK)
    monthly_note: str = ""  # for a UMK tariff: "UMK 2027" or "UMK 2027 belum diisi"

    @property
    def key(self) -> tuple[str, dt.date]:
        return self.tariff.code, self.tariff.valid_from


@dataclass(frozen=True)
class TariffDefaults:
    tariff_code: str
    programs: frozenset[Program]
    funding: FundingSource


def tariff_to_setting(tariff: Tariff) -> dict[str, Any]:
    """The JSON form kept in ``tarif.tambahan`` (read back by ``services.tariffs.tariff_from_setting``)."""
    values = dataclasses.asdict(tariff)
    values["basis"] = tariff.basis.value
    values["valid_from"] = tariff.valid_from.isoformat()
    values["valid_to"] = tariff.valid_to.isoformat() if tariff.valid_to is not None else None
    return values


def defaults(ctx: ServiceContext) -> TariffDefaults:
    values = settings.get_all(ctx)
    return TariffDefaults(
        tariff_code=str(values[CODE_KEY]),
        programs=parse_programs(str(values[PROGRAM_KEY])),
        funding=FundingSource(values[FUNDING_KEY]),
    )


def rows(ctx: ServiceContext) -> list[TariffRow]:
    """Every tariff, built-in first, then the office's own in the order they were added. A UMK tariff's monthly
    amount is this year's (today's year), or none when that year has no UMK."""
    values = settings.get_all(ctx)
    programs = parse_programs(str(values[PROGRAM_KEY]))
    extra = [tariff_from_setting(raw) for raw in values[EXTRA_KEY]]
    umk = umk_in_force(values[UMK_KEY])
    year = ctx.today().year
    return [_row(t, i < len(DEFAULT_TARIFFS), programs, umk, year) for i, t in enumerate([*DEFAULT_TARIFFS, *extra])]


def _row(tariff: Tariff, builtin: bool, programs: frozenset[Program], umk: dict[int, UmkEntry], year: int) -> TariffRow:
    if tariff.basis is not TariffBasis.UMK:
        return TariffRow(tariff, builtin, monthly_contribution(tariff, declared_income=None, programs=programs).total)
    try:
        entry = umk_for(umk, year)
    except MissingUmk:
        return TariffRow(tariff, builtin, None, f"UMK {year} belum diisi")
    try:
        amount = monthly_contribution(tariff, declared_income=None, programs=programs, umk=entry).total
    except ValueError:  # JHT chosen as a default, no JHT rate in this tariff
        return TariffRow(tariff, builtin, None, "tanpa persentase JHT")
    return TariffRow(tariff, builtin, amount, f"UMK {year}")


def _load(session: Session, key: str) -> Any:
    row = session.get(Setting, key)
    return settings.DEFAULTS[key] if row is None else json.loads(row.value)


def _store(session: Session, key: str, value: Any) -> None:
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=encoded, updated_at=session_now(session)))
    else:
        row.value = encoded
        row.updated_at = session_now(session)


def add_tariff(ctx: ServiceContext, actor: Actor, tariff: Tariff) -> TariffRow:
    """Add an office tariff. A code may have several dated versions, but not two starting on the same day."""
    new = tariff_to_setting(tariff)
    with ctx.write() as session:
        extra: list[dict[str, Any]] = list(_load(session, EXTRA_KEY))
        existing = [*DEFAULT_TARIFFS, *(tariff_from_setting(raw) for raw in extra)]
        if any(t.code == tariff.code and t.valid_from == tariff.valid_from for t in existing):
            raise UserError(
                f"Tarif {tariff.code} yang mulai berlaku pada tanggal itu sudah ada; pilih tanggal mulai lain.",
                field="valid_from",
            )
        _store(session, EXTRA_KEY, [*extra, new])
        audit.record(
            session, actor, "create", "tariff", tariff.code, new=new, summary=f"Tarif {tariff.code} ditambahkan"
        )
        programs = parse_programs(str(_load(session, PROGRAM_KEY)))
        umk = umk_in_force(_load(session, UMK_KEY))
    return _row(tariff, False, programs, umk, ctx.today().year)


def end_tariff(ctx: ServiceContext, actor: Actor, code: str, valid_from: dt.date, ends_on: dt.date) -> TariffRow:
    """End an office tariff on ``ends_on`` (its last valid day). Built-in tariffs cannot be ended."""
    if any(t.code == code and t.valid_from == valid_from for t in DEFAULT_TARIFFS):
        raise UserError(f"Tarif {code} adalah tarif bawaan dan tidak dapat diubah.")
    with ctx.write() as session:
        extra: list[dict[str, Any]] = list(_load(session, EXTRA_KEY))
        found = [i for i, raw in enumerate(extra) if (raw["code"], raw["valid_from"]) == (code, valid_from.isoformat())]
        if not found:
            raise UserError(f"Tarif {code} tidak ditemukan.")
        index, raw = found[0], extra[found[0]]
        old = tariff_from_setting(raw)
        try:
            ended = dataclasses.replace(old, valid_to=ends_on)
        except ValueError as exc:
            raise UserError(str(exc), field="valid_to") from exc
        extra[index] = tariff_to_setting(ended)
        _store(session, EXTRA_KEY, extra)
        audit.record(
            session,
            actor,
            "update",
            "tariff",
            code,
            old={"valid_to": raw.get("valid_to")},
            new={"valid_to": ends_on.isoformat()},
            summary=f"Tarif {code} diakhiri",
        )
        programs = parse_programs(str(_load(session, PROGRAM_KEY)))
        umk = umk_in_force(_load(session, UMK_KEY))
    return _row(ended, False, programs, umk, ctx.today().year)


def set_defaults(
    ctx: ServiceContext,
    actor: Actor,
    *,
    tariff_code: str,
    programs: frozenset[Program],
    funding: FundingSource,
) -> TariffDefaults:
    """The tariff, programs and funding source given to new enrollments."""
    if not programs:
        raise UserError("Pilih sedikitnya satu program (JKK, JKM atau JHT).", field="programs")
    if Program.JKK not in programs or Program.JKM not in programs:
        raise UserError("Program JKK dan JKM wajib diikuti; JHT boleh ditambahkan.", field="programs")
    new = {CODE_KEY: tariff_code, PROGRAM_KEY: format_programs(programs), FUNDING_KEY: funding.value}
    with ctx.write() as session:
        extra = [tariff_from_setting(raw) for raw in _load(session, EXTRA_KEY)]
        if tariff_code not in {t.code for t in (*DEFAULT_TARIFFS, *extra)}:
            raise UserError(f"Tarif {tariff_code!r} tidak dikenal.", field="tariff_code")
        for key, value in new.items():
            old = _load(session, key)
            if old == value:
                continue
            _store(session, key, value)
            audit.record(session, actor, "update", "setting", key, old={"value": old}, new={"value": value})
    return TariffDefaults(tariff_code, programs, funding)


# ---------------------------------------------------------------------------------------------- UMK table


@dataclass(frozen=True)
class UmkRow:
    entry: UmkEntry
    builtin: bool  # a default declared in code with its source (domain.umk.DEFAULT_UMK), not replaced
    replaces_builtin: bool = False  # the office's value for a year that also has a default


def umk_rows(ctx: ServiceContext) -> list[UmkRow]:
    """The UMK table in force, by year: each year the office's value if it entered one, else the default."""
    office_years = {umk_from_setting(raw).year for raw in settings.get(ctx, UMK_KEY)}
    default_years = {e.year for e in DEFAULT_UMK}
    return [
        UmkRow(e, e.year not in office_years, e.year in office_years and e.year in default_years)
        for e in umk_in_force(settings.get(ctx, UMK_KEY)).values()
    ]


def set_umk(ctx: ServiceContext, actor: Actor, year: int, amount_sen: int, source: str) -> UmkEntry:
    """Enter (or correct) the UMK of ``year`` with its source; it replaces a default of the same year."""
    try:
        entry = UmkEntry(year, amount_sen, " ".join(source.split()))
    except ValueError as exc:
        field = "source" if "Sumber" in str(exc) else "year" if "Tahun" in str(exc) else "amount"
        raise UserError(str(exc), field=field) from exc
    new = umk_to_setting(entry)
    with ctx.write() as session:
        stored: list[dict[str, Any]] = list(_load(session, UMK_KEY))
        old = next((raw for raw in stored if int(raw["tahun"]) == year), None)
        kept = [raw for raw in stored if int(raw["tahun"]) != year]
        _store(session, UMK_KEY, sorted([*kept, new], key=lambda raw: int(raw["tahun"])))
        audit.record(
            session, actor, "update" if old else "create", "umk", str(year), old=old, new=new, summary=f"UMK {year}"
        )
    return entry


def remove_umk(ctx: ServiceContext, actor: Actor, year: int) -> None:
    """Remove the office's UMK of ``year`` (a mistyped year, say); a default of that year comes back in force."""
    with ctx.write() as session:
        stored: list[dict[str, Any]] = list(_load(session, UMK_KEY))
        old = next((raw for raw in stored if int(raw["tahun"]) == year), None)
        if old is None:
            builtin = any(e.year == year for e in DEFAULT_UMK)
            raise UserError(
                f"UMK {year} adalah nilai bawaan dan tidak dapat dihapus; isi nilai lain untuk menggantinya."
                if builtin
                else f"UMK {year} tidak ada dalam tabel kantor."
            )
        _store(session, UMK_KEY, [raw for raw in stored if raw is not old])
        audit.record(session, actor, "delete", "umk", str(year), old=old, summary=f"UMK {year} dihapus")
