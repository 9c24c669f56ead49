"""Which tariff applies: the defaults from the domain plus dated tariffs the office entered in settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klaten_desktop.domain.enums import FundingSource, Program, parse_programs
from klaten_desktop.domain.tariffs import (
    DEFAULT_TARIFFS,
    Tariff,
    TariffBasis,
    monthly_contribution,
    tariff_on,
)
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
    extra = [tariff_from_setting(raw) for raw in settings.get(ctx, "tarif.tambahan")]
    return [*DEFAULT_TARIFFS, *extra]


class Defaults:
    """The office's defaults for a new enrollment."""

    def __init__(self, ctx: ServiceContext) -> None:
        values = settings.get_all(ctx)
        self.tariff_code: str = values["tarif.kode_default"]
        self.programs: frozenset[Program] = parse_programs(values["tarif.program_default"])
        self.funding: FundingSource = FundingSource(values["tarif.sumber_dana_default"])
        self.tariffs = all_tariffs(ctx)

    def amount(
        self,
        on: dt.date,
        *,
        tariff_code: str | None = None,
        programs: frozenset[Program] | None = None,
        declared_income: int | None = None,
    ) -> tuple[str, int]:
        code = tariff_code or self.tariff_code
        try:
            tariff = tariff_on(self.tariffs, code, on)
        except LookupError as exc:
            raise UserError(str(exc)) from exc
        try:
            breakdown = monthly_contribution(
                tariff, declared_income=declared_income, programs=programs or self.programs
            )
        except ValueError as exc:
            raise UserError(str(exc), field="declared_income") from exc
        return code, breakdown.total
