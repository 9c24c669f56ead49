"""Coverage status for many officials at once: the one home of the bulk form of the rule.

The rule itself is :func:`klaten_desktop.domain.coverage.coverage_status` (plain Python, one official). Every
reader of many officials goes through this module instead of writing the rule again:

* **which enrollment decides**: the open one, else the one that ended last; on the same end date the one recorded
  last (the larger id: row ids are time-ordered UUIDv7). The database keeps that enrollment's columns on the
  official row (``cov_*``, triggers of revision ``0002_coverage_summary``, whose SQL is written out there as it
  ran); :data:`DECIDING_ORDER` is the same order for queries (``check --repair``), and the list, the detail
  pane, the dashboard, the recap and the regency console all read the ``cov_*`` columns;
* **the thresholds for a date** (:class:`StatusClassifier`): two paid-through months, so 100,000 rows are
  classified by string comparison;
* **the SQL** (:func:`status_expression`): the same rule as a CASE over the ``cov_*`` columns;
* **the 12-month trend** (:func:`trend_dates`, :class:`TrendBuckets`);
* **who is insured** (:func:`insured_posts`, :func:`insured`): Perbup Klaten 9/2022 covers the Ketua RT and
  the Ketua RW; other posts stay in the registry but are not submitted, billed to the ADD or counted in any
  figure unless the office's dated setting (services/coverage_settings.py) includes them;
* **the coverage percentage** (:class:`StatusCounts`): *covered* means *aktif*, among the officials who should
  be covered, i.e. every live official whose term or enrollment has not ended (all statuses but *berakhir*):
  ``cakupan = aktif / (pengurus − berakhir) × 100``, one decimal. The dashboard, the recap and the regency
  console all show this figure.

tests/services/test_coverage_agreement.py runs random enrollment histories through the domain rule, the
classifier, the SQL on a migrated database, the triggers and the trend, and requires they agree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Integer, Select, and_, case, cast, func, literal, literal_column, or_, select, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from klaten_desktop.db.models import Enrollment, Official
from klaten_desktop.domain.coverage import (
    ALL_POSTS,
    DUE_DAY,
    NONAKTIF_AFTER_MONTHS,
    InsuredPostsRule,
    insured_rule_on,
    nonaktif_from,
)
from klaten_desktop.domain.enums import CoverageStatus
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import coverage_settings

BERAKHIR = CoverageStatus.berakhir.value
BELUM = CoverageStatus.belum_terdaftar.value
DIAJUKAN = CoverageStatus.diajukan.value
AKTIF = CoverageStatus.aktif.value
MENUNGGAK = CoverageStatus.menunggak.value
NONAKTIF = CoverageStatus.nonaktif.value
STATUSES: tuple[str, ...] = tuple(s.value for s in CoverageStatus)
TREND_MONTHS = 12

# --- which enrollment decides -----------------------------------------------------------------------------------

DECIDING_ORDER = (Enrollment.ended_on.is_not(None), Enrollment.ended_on.desc(), Enrollment.id.desc())
"""Open first, then the latest end date, then the one recorded last (the triggers' ORDER BY)."""


def deciding(column: Any) -> Any:
    """``column`` of the official's deciding enrollment, as a scalar subquery correlated to ``official``."""
    return (
        select(column)
        .where(Enrollment.official_id == Official.id, Enrollment.deleted_at.is_(None))
        .order_by(*DECIDING_ORDER)
        .limit(1)
        .correlate(Official)
        .scalar_subquery()
    )


# the columns of the coverage summary on ``official`` and the enrollment columns they copy
SUMMARY = (
    (Official.cov_enrollment_id, Enrollment.id),
    (Official.cov_submitted_on, Enrollment.submitted_on),
    (Official.cov_registered_on, Enrollment.registered_on),
    (Official.cov_ended_on, Enrollment.ended_on),
    (Official.cov_paid_through, Enrollment.paid_through),
)

# what a reader selects to classify an official (in this order, for StatusClassifier.row_status)
STATUS_COLUMNS = (
    Official.term_status,
    Official.ended_on,
    Official.cov_enrollment_id,
    Official.cov_ended_on,
    Official.cov_submitted_on,
    Official.cov_registered_on,
    Official.cov_paid_through,
)


# --- who is insured ---------------------------------------------------------------------------------------------


def insured_rules(session: Session) -> list[InsuredPostsRule]:
    """The office's dated versions of the rule (see :func:`insured_rule_on` for the one in force)."""
    return coverage_settings.load(session)


def insured_posts(session: Session, on: dt.date) -> frozenset[str]:
    """The posts (``Jabatan`` values) submitted, billed to the ADD and counted on ``on``."""
    return insured_rule_on(insured_rules(session), on).posts


def posts_on(rules: Sequence[InsuredPostsRule], on: dt.date) -> frozenset[str]:
    return insured_rule_on(rules, on).posts


def insured(posts: frozenset[str]) -> ColumnElement[bool]:
    """The SQL condition "the official's post is insured" for ``posts``."""
    if posts >= ALL_POSTS:
        return true()
    return Official.jabatan.in_(sorted(posts))


def not_insured_message(who: Sequence[str], label: str) -> str:
    """Why officials were not submitted: their post is not insured (``label``: who is, e.g. "Ketua RT dan ...")."""
    names = ", ".join(who[:10]) + (f" dan {len(who) - 10} orang lainnya" if len(who) > 10 else "")
    return (
        f"{names} tidak diajukan: sesuai Perbup Klaten 9/2022 yang ditanggung dari ADD hanya {label}. "
        "Sekretaris, Bendahara dan jabatan lain dapat diikutsertakan mulai tanggal tertentu di Pengaturan, tab "
        "Kantor (Kepesertaan dan surat keterangan)."
    )


# --- the thresholds for a date ------------------------------------------------------------------------------------


class StatusClassifier:
    """Classify rows as of one date. ``aktif_min``: the oldest paid-through month that is still aktif;
    ``nonaktif_max``: the newest paid-through month that is already nonaktif."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        current = YearMonth.of(on)
        self.newest_due = current if on.day > DUE_DAY else current.prev()
        self.aktif_min = str(self.newest_due)
        self.nonaktif_max = str(self.newest_due - NONAKTIF_AFTER_MONTHS)
        # nothing paid since registration: the paid-through month is the one before the registration month
        self.aktif_registered_from = (self.newest_due + 1).first_day()
        self.menunggak_registered_from = (self.newest_due - NONAKTIF_AFTER_MONTHS + 2).first_day()

    def paid_status(self, paid_through: str) -> str:
        if paid_through >= self.aktif_min:
            return AKTIF
        if paid_through > self.nonaktif_max:
            return MENUNGGAK
        return NONAKTIF

    def status(
        self,
        *,
        term_status: str,
        term_ended_on: dt.date | None,
        has_enrollment: bool,
        enrollment_ended_on: dt.date | None,
        submitted_on: dt.date | None,
        registered_on: dt.date | None,
        paid_through: str | None,
    ) -> str:
        on = self.on
        if term_status == "berakhir" and (term_ended_on is None or term_ended_on <= on):
            return BERAKHIR
        if not has_enrollment:
            return BELUM
        if enrollment_ended_on is not None and enrollment_ended_on <= on:
            return BERAKHIR
        if registered_on is None or registered_on > on:
            return DIAJUKAN if submitted_on is not None and submitted_on <= on else BELUM
        effective = paid_through if paid_through is not None else str(YearMonth.of(registered_on).prev())
        return self.paid_status(effective)

    def row_status(self, row: Sequence[Any]) -> str:
        """The status of a row holding :data:`STATUS_COLUMNS` (the officials list and the detail pane)."""
        t_status, t_ended, e_id, e_ended, e_sub, e_reg, e_paid = row
        return self.status(
            term_status=t_status,
            term_ended_on=t_ended,
            has_enrollment=e_id is not None,
            enrollment_ended_on=e_ended,
            submitted_on=e_sub,
            registered_on=e_reg,
            paid_through=e_paid,
        )


def lapsing_months(on: dt.date, within_days: int) -> list[str]:
    """Paid-through months whose protection lapses (nonaktif) in (on, on + within_days]."""
    limit = on + dt.timedelta(days=within_days)
    current = YearMonth.of(on)
    return [str(m) for m in (current - back for back in range(0, 6)) if on < nonaktif_from(m) <= limit]


# --- the SQL ----------------------------------------------------------------------------------------------------
# Every figure reads the official row alone: its ``cov_*`` columns hold the deciding enrollment's dates and
# paid-through month. An official without an enrollment has them all NULL, which the rule reads as *belum
# terdaftar*, exactly as an enrollment that was neither submitted nor registered.


def status_expression(on: dt.date) -> ColumnElement[str]:
    """The coverage status on ``on`` as a SQL CASE (same rule as ``StatusClassifier.status``), portable SQL:
    date columns compared with bound dates, the ``YYYY-MM`` paid-through column with bound month strings."""
    t = StatusClassifier(on)
    return case(
        (
            and_(Official.term_status == "berakhir", or_(Official.ended_on.is_(None), Official.ended_on <= on)),
            literal(BERAKHIR),
        ),
        (and_(Official.cov_ended_on.is_not(None), Official.cov_ended_on <= on), literal(BERAKHIR)),
        (
            or_(Official.cov_registered_on.is_(None), Official.cov_registered_on > on),
            case(
                (and_(Official.cov_submitted_on.is_not(None), Official.cov_submitted_on <= on), literal(DIAJUKAN)),
                else_=literal(BELUM),
            ),
        ),
        (Official.cov_paid_through >= t.aktif_min, literal(AKTIF)),
        (Official.cov_paid_through > t.nonaktif_max, literal(MENUNGGAK)),
        (Official.cov_paid_through.is_not(None), literal(NONAKTIF)),
        # registered, nothing recorded as paid: the month before registration counts as paid
        (Official.cov_registered_on >= t.aktif_registered_from, literal(AKTIF)),
        (Official.cov_registered_on >= t.menunggak_registered_from, literal(MENUNGGAK)),
        else_=literal(NONAKTIF),
    )


def count_statement(on: dt.date, group: Any, kecamatan_kode: str | None, *, posts: frozenset[str]) -> Select[Any]:
    """Live officials in insured ``posts`` per ``group`` column and status on ``on``: one scan of
    ix_official_coverage, no join."""
    status = status_expression(on).label("status")
    stmt = (
        select(group, status, func.count())
        .select_from(Official)
        .where(Official.deleted_at.is_(None), insured(posts))
        .group_by(group, status)
    )
    if kecamatan_kode is not None:
        stmt = stmt.where(Official.office_code == kecamatan_kode)
    return stmt


# --- the coverage percentage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    """Officials per coverage status; ``pengurus`` counts every row, ``berakhir`` included."""

    belum_terdaftar: int = 0
    diajukan: int = 0
    aktif: int = 0
    menunggak: int = 0
    nonaktif: int = 0
    berakhir: int = 0

    @property
    def pengurus(self) -> int:
        return self.belum_terdaftar + self.diajukan + self.aktif + self.menunggak + self.nonaktif + self.berakhir

    @property
    def serving(self) -> int:
        """The denominator of coverage: every official who should be covered (term and enrollment not ended)."""
        return self.pengurus - self.berakhir

    @property
    def cakupan_persen(self) -> float:
        """aktif / (pengurus − berakhir) × 100, rounded to one decimal; 0 when nobody is serving."""
        return coverage_percent(self.aktif, self.serving)

    def get(self, status: str) -> int:
        value: int = getattr(self, status)
        return value

    @classmethod
    def from_mapping(cls, counts: Mapping[str, int]) -> StatusCounts:
        return cls(**{s: int(counts.get(s, 0)) for s in STATUSES})

    @classmethod
    def total(cls, parts: Iterable[StatusCounts]) -> StatusCounts:
        sums = dict.fromkeys(STATUSES, 0)
        for part in parts:
            for s in STATUSES:
                sums[s] += part.get(s)
        return cls(**sums)


def coverage_percent(aktif: int, serving: int) -> float:
    return 0.0 if serving <= 0 else round(aktif * 100.0 / serving, 1)


def counts_from_rows(rows: Iterable[Sequence[Any]]) -> dict[str, StatusCounts]:
    """``(group, status, n)`` rows of :func:`count_statement` as counts per group."""
    raw: dict[str, dict[str, int]] = {}
    for key, status, n in rows:
        raw.setdefault(key, {})[status] = int(n)
    return {key: StatusCounts.from_mapping(c) for key, c in raw.items()}


# --- the trend ----------------------------------------------------------------------------------------------------


def trend_dates(today: dt.date, months: int = TREND_MONTHS) -> list[tuple[YearMonth, dt.date]]:
    """The last ``months`` months, oldest first, each with its as-of date (month end; today for this month)."""
    current = YearMonth.of(today)
    points = []
    for back in range(months - 1, -1, -1):
        month = current - back
        points.append((month, today if back == 0 else month.last_day()))
    return points


class TrendBuckets:
    """The 12-month trend in one GROUP BY over one integer.

    Every date that decides a status is reduced in SQL to the number of trend points it comes after, and every
    paid-through month to the number of the points' thresholds it reaches; these and the post are packed into
    one integer per official (:meth:`key`), so the database groups 100,000 rows by a single integer (a few
    hundred groups) instead of sorting them by nine text columns. :meth:`status` reads a group back for each point
    with the rule of :meth:`StatusClassifier.status`. Portable SQL: date columns compared with bound dates, the
    ``YYYY-MM`` paid-through column with month strings, small integer constants.

    Date buckets, for ``n`` points (0 oldest, ``n - 1`` today): 0 for a date in or before the first point's month,
    ``i`` for a date in the month of point ``i``, ``n - 1`` for a date this month up to today, ``n`` for a date after
    today, ``n + 1`` for none. A date is on or before point ``p`` exactly when its bucket is at most ``p``.
    """

    def __init__(self, today: dt.date, months: int = TREND_MONTHS) -> None:
        self.points = trend_dates(today, months)
        self.n = len(self.points)
        self.radix = self.n + 2
        # the first day of the months of points 1 .. n-1, then the day after today
        self.boundaries = [m.first_day() for m, _ in self.points[1:]] + [today + dt.timedelta(days=1)]
        self.classifiers = [StatusClassifier(on) for _, on in self.points]
        # the paid-through months at which some point's status changes (paid_status compares only with these)
        self.thresholds = sorted(
            {c.aktif_min for c in self.classifiers}
            | {str(YearMonth.parse(c.nonaktif_max) + 1) for c in self.classifiers}
        )
        below = str(YearMonth.parse(self.thresholds[0]) - 1)
        self.paid_of_level = [below, *self.thresholds]  # a month of each level, for paid_status
        self.posts = sorted(ALL_POSTS)
        # the paid status of each paid level at each point
        self._paid = [[c.paid_status(month) for month in self.paid_of_level] for c in self.classifiers]

    def _date_bucket(self, column: Any, *, none: int) -> Any:
        """``column`` as its bucket (see the class docstring), ``none`` when NULL."""
        return case(
            (column.is_(None), _int(none)),
            (column < self.boundaries[0], _int(0)),
            else_=_search(column, self.boundaries, 1, len(self.boundaries)),
        )

    def _paid_level(self) -> Any:
        """How many thresholds the paid-through month reaches (registered with nothing recorded as paid: the month
        before the registration month, i.e. thresholds ``t`` with ``first day of t + 1 <= registered_on``)."""
        registered_from = [(YearMonth.parse(t) + 1).first_day() for t in self.thresholds]
        return case(
            (
                Official.cov_paid_through.is_not(None),
                _search(Official.cov_paid_through, self.thresholds, 0, len(self.thresholds)),
            ),
            (
                Official.cov_registered_on.is_not(None),
                _search(Official.cov_registered_on, registered_from, 0, len(registered_from)),
            ),
            else_=_int(0),
        )

    @functools.cached_property
    def key(self) -> Any:
        """The one integer to GROUP BY (see :meth:`decode`); built once per day (:func:`trend_buckets`)."""
        r, none = self.radix, self.n + 1
        term = case((Official.term_status == "berakhir", _int(1)), else_=_int(0))
        post = case(*((Official.jabatan == p, _int(i)) for i, p in enumerate(self.posts)), else_=_int(len(self.posts)))
        key: Any = cast(term, BigInteger) * (len(self.posts) + 1) + post
        for column, null in (
            (Official.ended_on, none),
            (Official.term_start, 0),  # a term without a start date counts from the beginning
            (Official.cov_ended_on, none),
            (Official.cov_registered_on, none),
            (Official.cov_submitted_on, none),
        ):
            key = key * r + self._date_bucket(column, none=null)
        return key * (len(self.thresholds) + 1) + self._paid_level()

    def decode(self, key: int) -> tuple[bool, str | None, int, int, int, int, int, int]:
        """(term ended, post, buckets of term end, term start, enrollment end, registration, submission, paid
        level) of a :meth:`key`."""
        rest, paid = divmod(int(key), len(self.thresholds) + 1)
        buckets = []
        for _ in range(5):
            rest, b = divmod(rest, self.radix)
            buckets.append(b)
        term, post = divmod(rest, len(self.posts) + 1)
        submitted, registered, e_ended, term_start, term_ended = buckets
        name = self.posts[post] if post < len(self.posts) else None
        return bool(term), name, term_ended, term_start, e_ended, registered, submitted, paid

    def timeline(self, key: int, posts: Sequence[frozenset[str]]) -> list[str | None]:
        """The status at each point (oldest first) of the officials of a :meth:`key`, the insured posts of each
        point in ``posts`` (None where the term had not started yet or the post was not insured that day)."""
        term, post, term_ended, term_start, e_ended, registered, submitted, paid = self.decode(key)
        ended_from = e_ended
        if term:  # a term that ended without a date has ended at every point
            ended_from = min(ended_from, 0 if term_ended == self.n + 1 else term_ended)
        out: list[str | None] = []
        for point in range(self.n):
            if post not in posts[point] or term_start > point:
                out.append(None)
            elif ended_from <= point:
                out.append(BERAKHIR)
            elif registered > point:
                out.append(DIAJUKAN if submitted <= point else BELUM)
            else:
                out.append(self._paid[point][paid])
        return out


@functools.lru_cache(maxsize=4)
def trend_buckets(today: dt.date, months: int = TREND_MONTHS) -> TrendBuckets:
    """The :class:`TrendBuckets` of ``today`` (the dashboard asks for the same day's again and again: the SQL
    expression, a few hundred nodes, is built once)."""
    return TrendBuckets(today, months)


def _int(value: int) -> Any:
    """A small integer constant written into the SQL (not bound: PostgreSQL would type a bound int as int2)."""
    return literal_column(str(int(value)), Integer)


def _search(column: Any, bounds: Sequence[Any], lo: int, hi: int) -> Any:
    """How many of the sorted ``bounds`` are at most ``column``, given that ``bounds[lo - 1] <= column`` and
    ``column < bounds[hi]`` (as far as they exist): a binary search written as nested CASE."""
    if lo >= hi:
        return _int(lo)
    mid = (lo + hi) // 2
    return case((column < bounds[mid], _search(column, bounds, lo, mid)), else_=_search(column, bounds, mid + 1, hi))
