"""A voided payment travels to the regency: the row with who voided it and why, as a tombstone, and the
enrollment's recomputed paid-through month, so the regency counts the same status as the kecamatan."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from klaten_desktop.db.models import ContributionPayment, Enrollment
from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import officials, payments
from klaten_desktop.services.context import Actor
from klaten_desktop.services.sync.tables import BY_NAME
from tests.sync.conftest import PRAMBANAN, Offices, snapshot


def _paid_official(offices: Offices) -> tuple[str, str]:
    """An official of Prambanan with at least three months paid, and the last of them."""
    with offices.prambanan.read() as session:
        oid, last = session.execute(
            select(Enrollment.official_id, Enrollment.paid_through)
            .join(ContributionPayment, ContributionPayment.enrollment_id == Enrollment.id)
            .where(Enrollment.ended_on.is_(None), Enrollment.paid_through.is_not(None))
            .where(ContributionPayment.deleted_at.is_(None))
            .order_by(Enrollment.paid_through.desc(), Enrollment.id)
            .limit(1)
        ).one()
    return str(oid), str(last)


def test_a_void_reaches_the_regency_with_its_reason_and_the_status(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    oid, last = _paid_official(offices)
    month = YearMonth.parse(last)
    payments.void_payments(
        offices.prambanan,
        Actor("dewi", "Dewi", "operator"),
        official_id=oid,
        start=month - 2,
        reason="dicatat dua kali",
    )
    result = offices.receive(offices.send(offices.prambanan, "p2.klsync"))

    assert result.tables["contribution_payment"].deleted == 3
    assert result.tables["enrollment"].updated == 1
    with offices.regency.read() as session:
        voided = session.scalars(select(ContributionPayment).where(ContributionPayment.voided_at.is_not(None))).all()
        assert sorted(p.periode for p in voided) == [str(month - 2), str(month - 1), str(month)]
        assert {(p.voided_by, p.void_reason) for p in voided} == {("dewi", "dicatat dua kali")}
        assert all(p.deleted_at == p.voided_at for p in voided)
        paid = session.scalar(select(Enrollment.paid_through).where(Enrollment.official_id == oid))
    assert paid == str(month - 3)
    assert officials.get(offices.regency, oid).status == officials.get(offices.prambanan, oid).status
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)


def _payment_row() -> dict[str, Any]:
    spec = BY_NAME["contribution_payment"]
    row: dict[str, Any] = dict.fromkeys(spec.keys)
    row.update(
        id="0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b",
        row_version=1,
        updated_at="2026-11-24 08:00:00.000000",
        office_code=PRAMBANAN,
        enrollment_id="0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2c",
        periode="2026-10",
        amount=16_800,
        paid_on="2026-11-02",
    )
    return row


def test_payment_rows_of_a_package_before_revision_0004_are_taken_as_not_voided() -> None:
    spec = BY_NAME["contribution_payment"]
    old = {k: v for k, v in _payment_row().items() if k not in ("voided_at", "voided_by", "void_reason")}
    spec.check_rows([old])
    assert (old["voided_at"], old["voided_by"], old["void_reason"]) == (None, None, None)
    spec.check_rows([_payment_row()])
