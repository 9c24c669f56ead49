"""Checks to show before an enrollment changes, so the person can confirm what is unusual (the rules themselves
are in domain/: ``domain/kpj.py`` for a KPJ start date)."""

from __future__ import annotations

import datetime as dt

from klaten_desktop.domain.kpj import StartDateCheck, check_start_date
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import enrollment, payments
from klaten_desktop.services.context import ServiceContext


def start_date_check(ctx: ServiceContext, official_id: str, start: dt.date) -> StartDateCheck:
    """What registering a KPJ starting on ``start`` would do, when the date is unusual: ask before
    :func:`enrollment.register` (which refuses a start before the submission unless ``confirmed``)."""
    with ctx.read() as session:
        row = enrollment.open_enrollment(session, official_id)
        submitted = row.submitted_on if row is not None else None
        paid = [YearMonth.parse(m) for m in payments.paid_months(session, row.id)] if row is not None else []
    return check_start_date(start, submitted_on=submitted, today=ctx.today(), paid=paid)
