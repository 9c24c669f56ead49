"""Changing the tariff settings: the office's own dated tariffs (``tarif.tambahan``) and the defaults for new
enrollments (``tarif.kode_default``, ``tarif.program_default``, ``tarif.sumber_dana_default``).

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
from klaten_desktop.domain.tariffs import DEFAULT_TARIFFS, Tariff, monthly_contribution
from klaten_desktop.services import audit, settings
from klaten_desktop.services.context import Actor, ServiceContext, session_now
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.tariffs import tariff_from_setting

EXTRA_KEY = "tarif.tambahan"
CODE_KEY = "tarif.kode_default"
PROGRAM_KEY = "tarif.program_default"
FUNDING_KEY = "tarif.sumber_dana_default"


@dataclass(frozen=True)
class TariffRow:
    tariff: Tariff
    builtin: bool  # "bawaan": declared in code, read-only
    monthly: int  # per person per month with the default programs at the minimum income

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
    """Every tariff, built-in first, then the office's own in the order they were added."""
    values = settings.get_all(ctx)
    programs = parse_programs(str(values[PROGRAM_KEY]))
    extra = [tariff_from_setting(raw) for raw in values[EXTRA_KEY]]
    return [
        TariffRow(t, i < len(DEFAULT_TARIFFS), _monthly(t, programs)) for i, t in enumerate([*DEFAULT_TARIFFS, *extra])
    ]


def _monthly(tariff: Tariff, programs: frozenset[Program]) -> int:
    return monthly_contribution(tariff, declared_income=None, programs=programs).total


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
    return TariffRow(tariff, False, _monthly(tariff, programs))


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
    return TariffRow(ended, False, _monthly(ended, programs))


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
