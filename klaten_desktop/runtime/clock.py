"""The one clock every service reads: today's date and the current time, replaceable in tests.

Services never call ``date.today()`` or ``datetime.now()`` themselves; they ask ``ctx.clock``. A frozen clock in
tests then reaches every stamp (documents, audit entries, package headers) alike.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Protocol

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
"""Western Indonesia Time, the zone of every office in Klaten (no daylight saving)."""


class Clock(Protocol):
    def today(self) -> dt.date:
        """The calendar date at the office."""
        ...

    def now(self) -> dt.datetime:
        """The current moment as a naive UTC datetime (the database's convention)."""
        ...


class SystemClock:
    """The computer's clock."""

    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class ShiftedClock:
    """A clock set to a chosen moment that then runs with real time (tests: a fixed day, ordered stamps)."""

    start: dt.datetime
    _started: float = field(default_factory=time.monotonic, init=False, repr=False)

    @classmethod
    def on(cls, day: dt.date, hour: int = 9) -> ShiftedClock:
        """Office hours on ``day`` (09:00 WIB unless told), then running."""
        return cls(_office_hours(day, hour))

    def today(self) -> dt.date:
        return _local_date(self.now())

    def now(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=time.monotonic() - self._started)


@dataclass
class FixedClock:
    """A clock that stands still (tests, reproducible samples); ``now`` is naive UTC."""

    moment: dt.datetime

    @classmethod
    def on(cls, day: dt.date, hour: int = 9) -> FixedClock:
        """Office hours on ``day`` (09:00 WIB unless told), as naive UTC."""
        return cls(_office_hours(day, hour))

    def today(self) -> dt.date:
        return _local_date(self.moment)

    def now(self) -> dt.datetime:
        return self.moment


def _office_hours(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=WIB).astimezone(dt.UTC).replace(tzinfo=None)


def _local_date(utc: dt.datetime) -> dt.date:
    return utc.replace(tzinfo=dt.UTC).astimezone(WIB).date()


def office_time(utc: dt.datetime) -> dt.datetime:
    """A stamp of the database (naive UTC) as the wall-clock time at the office (naive WIB), for people to read."""
    return utc.replace(tzinfo=dt.UTC).astimezone(WIB).replace(tzinfo=None)


SYSTEM_CLOCK = SystemClock()
