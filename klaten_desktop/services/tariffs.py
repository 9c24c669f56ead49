"""Which tariff applies: the defaults from the domain plus dated tariffs the office entered in settings, and the
UMK table (``tarif.umk`` over ``domain.umk.DEFAULT_UMK``) a "persentase UMK" tariff is computed from.

:meth:`Defaults.figure` is the one place a month's contribution of an enrollment is priced, with the basis it
states; payments, the recap, the iuran letters and the BPJS list all ask it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaten_desktop.domain.enums import FundingSource, Program, parse_programs
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.domain.tariffs import (
    DEFAULT_TARIFFS,
    MonthFigure,
    Tariff,
    TariffBasis,
    month_figure,
    monthly_contribution,
    tariff_on,
)
from klaten_desktop.domain.umk import DEFAULT_UMK, UmkEntry, umk_for, umk_table
from klaten_desktop.services import settings
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.errors import UserError


def tariff_from_setting(raw: dict[str, Any]) -> Tariff:
    values = dict(raw)
    values["basis"] = TariffBasis(values["basis"])
    values["valid_from"] = dt.date.fromisoformat(values["valid_from"])
    if values.get("valid_to"):
        values["valid_to"] = dt.date.fromisoformat(values["valid_to"])
    else:
        values["valid_to"] = None
    return Tariff(**values)


def all_tariffs(ctx: ServiceContext) -> list[Tariff]:
    return _tariffs(settings.get(ctx, "tarif.tambahan"))


def _tariffs(raw: list[dict[str, Any]]) -> list[Tariff]:
    return [*DEFAULT_TARIFFS, *(tariff_from_setting(r) for r in raw)]


def umk_from_setting(raw: dict[str, Any]) -> UmkEntry:
    return UmkEntry(int(raw["tahun"]), int(raw["umk_sen"]), str(raw["sumber"]))


def umk_to_setting(entry: UmkEntry) -> dict[str, Any]:
    return {"tahun": entry.year, "umk_sen": entry.amount_sen, "sumber": entry.source}


def umk_in_force(raw: list[dict[str, Any]]) -> dict[int, UmkEntry]:
    """The UMK table in force from the ``tarif.umk`` setting's value: defaults, replaced year by year."""
    return umk_table(DEFAULT_UMK, (umk_from_setting(r) for r in raw))


class Defaults:
    """The office's defaults for a new enrollment."""

    def __init__(self, ctx: ServiceContext) -> None:
        values = settings.get_all(ctx)
        self.tariff_code: str = values["tarif.kode_default"]
        self.programs: frozenset[Program] = parse_programs(values["tarif.program_default"])
        self.funding: FundingSource = FundingSource(values["tarif.sumber_dana_default"])
        self.tariffs = _tariffs(values["tarif.tambahan"])
        self.umk = umk_in_force(values["tarif.umk"])

    def amount(
        self,
        on: dt.date,
        *,
        tariff_code: str | None = None,
        programs: frozenset[Program] | None = None,
        declared_income: int | None = None,
    ) -> tuple[str, int]:
        """The tariff code and the monthly amount recorded on an enrollment made on ``on`` (for a UMK tariff: on
        the UMK of ``on``'s year)."""
        code = tariff_code or self.tariff_code
        try:
            tariff = tariff_on(self.tariffs, code, on)
            umk = umk_for(self.umk, on.year) if tariff.basis is TariffBasis.UMK else None
        except LookupError as exc:
            raise UserError(str(exc)) from exc
        try:
            breakdown = monthly_contribution(
                tariff, declared_income=declared_income, programs=programs or self.programs, umk=umk
            )
        except ValueError as exc:
            raise UserError(str(exc), field="declared_income") from exc
        return code, breakdown.total

    def figure(self, *, tariff_code: str, programs: str, recorded_amount: int, month: YearMonth) -> MonthFigure:
        """A month's contribution of an enrollment (its tariff code, programs "JKK,JKM" and recorded monthly
        amount) and the basis it states; :class:`UserError` naming the year when a UMK is missing."""
        try:
            return month_figure(
                self.tariffs,
                self.umk,
                tariff_code=tariff_code,
                programs=parse_programs(programs),
                recorded_amount=recorded_amount,
                month=month,
            )
        except (LookupError, ValueError) as exc:
            raise UserError(str(exc)) from exc
