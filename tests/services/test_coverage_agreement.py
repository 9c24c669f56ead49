"""Every form of the coverage rule agrees (issue #16): random enrollment histories written to the real migrated
database, then for each of the 12 trend points the status from

* the domain rule (:func:`klaten_desktop.domain.coverage.coverage_status`) on the deciding enrollment chosen in
  Python (open first, then the latest end date, then the larger id),
* the triggers' ``cov_*`` columns (they must name that enrollment and copy its columns),
* the bulk classifier on those columns (the officials list and the detail pane),
* the SQL CASE (:func:`klaten_desktop.services.coverage.status_expression`, the dashboard and the recap),
* the trend's packed GROUP BY key (:class:`klaten_desktop.services.coverage.TrendBuckets`),

must be one and the same. A second test records random payments and voids them (one month, a range, a whole
batch) through the services, and requires the same of the paid-through month they leave.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, insert, select, update

from klaten_desktop.db.models import Enrollment, Official
from klaten_desktop.domain.coverage import ALL_POSTS, EnrollmentFacts, coverage_status, paid_through_from_months
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import coverage, enrollment, payments
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError

DESA = "33.10.01.2001"
STAMP = dt.datetime(2026, 11, 24, 1, 0)
TIES = [dt.date(2026, 3, 15), dt.date(2026, 3, 16), dt.date(2026, 6, 30), dt.date(2026, 7, 1)]
DATES = st.one_of(st.sampled_from(TIES), st.dates(dt.date(2025, 1, 1), dt.date(2027, 6, 30)))
MAYBE_DATE = st.one_of(st.none(), DATES)
MONTHS = st.one_of(st.none(), st.builds(YearMonth, st.integers(2024, 2027), st.integers(1, 12)))

OFFICIAL = st.fixed_dictionaries(
    {"term_start": MAYBE_DATE, "ended_on": MAYBE_DATE, "berakhir": st.booleans()},
)
ENROLLMENT = st.fixed_dictionaries(
    {
        "who": st.integers(0, 2),
        "submitted_on": MAYBE_DATE,
        "registered_on": MAYBE_DATE,
        "ended_on": MAYBE_DATE,
        "paid_through": MONTHS,
    }
)
CHANGE = st.one_of(
    st.tuples(st.just("end"), st.integers(0, 20), DATES),
    st.tuples(st.just("pay"), st.integers(0, 20), MONTHS),
    st.tuples(st.just("soft_delete"), st.integers(0, 20)),
)


def _write(
    conn: Connection, people: list[dict[str, Any]], enrollments: list[dict[str, Any]], changes: list[Any]
) -> list[str]:
    ids = []
    for n, person in enumerate(people):
        oid = f"00000000-0000-7000-8000-{n:012d}"
        berakhir = person["berakhir"] and person["ended_on"] is not None
        conn.execute(
            insert(Official).values(
                id=oid,
                row_version=1,
                updated_at=STAMP,
                office_code="33.10.01",
                nik=f"{3310010101900000 + n}",
                nama="Contoh",
                jenis_kelamin="L",
                desa_kode=DESA,
                jabatan="lainnya",
                term_status="berakhir" if berakhir else "menjabat",
                term_start=person["term_start"],
                ended_on=person["ended_on"] if berakhir else None,
            )
        )
        ids.append(oid)
    open_of: set[str] = set()
    for serial, e in enumerate(enrollments):
        who = ids[e["who"]]
        ended = e["ended_on"]
        if ended is None and who in open_of:  # one open enrollment per official (a unique index)
            ended = TIES[serial % len(TIES)]
        if ended is None:
            open_of.add(who)
        paid = e["paid_through"]
        conn.execute(
            insert(Enrollment).values(
                # ids deliberately not in insertion order: the tie-break is the id, not the order of writing
                id=f"e{(serial * 7) % 11:02d}-{serial:02d}",
                row_version=1,
                updated_at=STAMP,
                office_code="33.10.01",
                official_id=who,
                programs="JKK,JKM",
                tariff_code="bpu",
                monthly_amount=16_800,
                funding_source="ADD",
                submitted_on=e["submitted_on"],
                registered_on=e["registered_on"],
                ended_on=ended,
                paid_through=None if paid is None else str(paid),
            )
        )
    for change in changes:
        rows = list(conn.scalars(select(Enrollment.id).order_by(Enrollment.id)))
        if not rows:
            break
        target = Enrollment.id == rows[change[1] % len(rows)]
        if change[0] == "end":
            conn.execute(update(Enrollment).where(target, Enrollment.ended_on.is_(None)).values(ended_on=change[2]))
        elif change[0] == "pay":
            paid = None if change[2] is None else str(change[2])
            conn.execute(update(Enrollment).where(target).values(paid_through=paid))
        else:
            conn.execute(update(Enrollment).where(target).values(deleted_at=STAMP))
    return ids


def _deciding(conn: Connection) -> dict[str, Any]:
    """Each official's deciding enrollment row, chosen in Python."""
    best: dict[str, Any] = {}
    for e in conn.execute(select(Enrollment).where(Enrollment.deleted_at.is_(None))):
        key = (e.ended_on is None, e.ended_on or dt.date.min, e.id)
        held = best.get(e.official_id)
        if held is None or key > (held.ended_on is None, held.ended_on or dt.date.min, held.id):
            best[e.official_id] = e
    return best


def _domain(official: Any, e: Any, on: dt.date) -> str:
    facts = None
    if e is not None:
        paid = None if e.paid_through is None else YearMonth.parse(e.paid_through)
        facts = EnrollmentFacts(e.submitted_on, e.registered_on, e.nomor_kpj, e.ended_on, paid)
    term_ended = official.ended_on if official.term_status == "berakhir" else None
    return coverage_status(on=on, enrollment=facts, term_ended_on=term_ended).value


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(OFFICIAL, min_size=3, max_size=3),
    enrollments=st.lists(ENROLLMENT, max_size=6),
    changes=st.lists(CHANGE, max_size=4),
    today=DATES,
)
def test_domain_sql_triggers_and_trend_agree(
    ctx: ServiceContext,
    people: list[dict[str, Any]],
    enrollments: list[dict[str, Any]],
    changes: list[Any],
    today: dt.date,
) -> None:
    with ctx.engine.connect() as conn:
        transaction = conn.begin()
        try:
            ids = _write(conn, people, enrollments, changes)
            deciding = _deciding(conn)
            officials = {o.id: o for o in conn.execute(select(Official).where(Official.id.in_(ids)))}
            for oid, o in officials.items():
                e = deciding.get(oid)
                expected = (
                    (None,) * 5 if e is None else (e.id, e.submitted_on, e.registered_on, e.ended_on, e.paid_through)
                )
                stored = (
                    o.cov_enrollment_id,
                    o.cov_submitted_on,
                    o.cov_registered_on,
                    o.cov_ended_on,
                    o.cov_paid_through,
                )
                assert stored == expected, ("triggers", oid)
            buckets = coverage.TrendBuckets(today)
            keys = {r[0]: r[1] for r in conn.execute(select(Official.id, buckets.key).where(Official.id.in_(ids)))}
            columns = {
                r[0]: tuple(r[1:])
                for r in conn.execute(select(Official.id, *coverage.STATUS_COLUMNS).where(Official.id.in_(ids)))
            }
            timelines = {oid: buckets.timeline(k, [ALL_POSTS] * buckets.n) for oid, k in keys.items()}
            for point, (_month, on) in enumerate(coverage.trend_dates(today)):
                status = select(Official.id, coverage.status_expression(on)).where(Official.id.in_(ids))
                sql = {r[0]: r[1] for r in conn.execute(status)}
                classifier = coverage.StatusClassifier(on)
                for oid, o in officials.items():
                    want = _domain(o, deciding.get(oid), on)
                    assert classifier.row_status(columns[oid]) == want, ("classifier", oid, on)
                    assert sql[oid] == want, ("sql", oid, on)
                    started = o.term_start is None or o.term_start <= on
                    assert timelines[oid][point] == (want if started else None), (
                        "trend",
                        oid,
                        on,
                    )
        finally:
            transaction.rollback()


# ------------------------------------------------------------------------------ payments and voids (issue #18)

PAY_FROM = YearMonth(2025, 6)
PAYMENT_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 20), st.integers(1, 6)),
        st.tuples(st.just("void"), st.integers(0, 20), st.integers(1, 6)),
        st.tuples(st.just("void_batch"), st.integers(0, 5), st.just(0)),
    ),
    max_size=6,
)
_serial = iter(range(10**6))


def _new_official(ctx: ServiceContext) -> str:
    n = next(_serial)
    oid = f"00000000-0000-7000-9000-{n:012d}"
    with ctx.write() as session:
        session.execute(
            insert(Official).values(
                id=oid,
                row_version=1,
                updated_at=STAMP,
                office_code="33.10.01",
                nik=f"{3310019901900000 + n}",
                nama="Contoh",
                jenis_kelamin="L",
                desa_kode=DESA,
                jabatan="lainnya",
                term_status="menjabat",
            )
        )
    return oid


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(registered=st.dates(dt.date(2025, 5, 1), dt.date(2026, 11, 30)), ops=PAYMENT_OPS)
# a month recorded again after its batch was voided belongs to the new batch: voiding the old one again finds nothing
@example(registered=dt.date(2025, 5, 1), ops=[("pay", 0, 1), ("void_batch", 0, 0), ("pay", 0, 1), ("void_batch", 0, 0)])
def test_payments_and_voids_agree_with_the_rule(
    ctx: ServiceContext, registered: dt.date, ops: list[tuple[str, int, int]]
) -> None:
    """Random payments and voids through the services: the recomputed paid-through month, the triggers' copy,
    the SQL status and the history all leave out exactly the voided months."""
    oid = _new_official(ctx)
    enrollment.register(ctx, SYSTEM, oid, kpj=f"9{next(_serial):010d}", start=registered)
    live: dict[YearMonth, str] = {}  # month -> the batch that recorded it
    batches: list[str] = []
    for kind, offset, length in ops:
        months = [PAY_FROM + offset + n for n in range(length)]
        if kind == "pay":
            new = {m for m in months if m >= YearMonth.of(registered) and m not in live}
            result = payments.record_payments(ctx, SYSTEM, [oid], start=months[0], end=months[-1])
            assert result.months_recorded == len(new)
            live |= dict.fromkeys(new, result.batch_id)
            batches.append(result.batch_id)
            continue
        if kind == "void":
            chosen = {m for m in months if m in live}
            target: dict[str, Any] = {"official_id": oid, "start": months[0], "end": months[-1]}
        else:
            if not batches:
                continue
            batch_id = batches[offset % len(batches)]
            chosen = {m for m, b in live.items() if b == batch_id}
            target = {"batch_id": batch_id}
        try:
            voided = payments.void_payments(ctx, SYSTEM, reason="uji", **target)
        except UserError:
            assert not chosen
            continue
        assert voided.payments == len(chosen)
        for m in chosen:
            del live[m]
    start = YearMonth.of(registered)
    expected = str(paid_through_from_months(start, live) or start.prev())
    assert sorted(p.periode for p in payments.history(ctx, oid)) == sorted(map(str, live))
    today = ctx.today()
    with ctx.read() as session:
        paid, cov_paid, sql_status = session.execute(
            select(Enrollment.paid_through, Official.cov_paid_through, coverage.status_expression(today))
            .join(Enrollment, Enrollment.official_id == Official.id)
            .where(Official.id == oid)
        ).one()
    assert paid == cov_paid == expected
    facts = EnrollmentFacts(None, registered, "kpj", None, YearMonth.parse(expected))
    assert sql_status == coverage_status(on=today, enrollment=facts, term_ended_on=None).value
