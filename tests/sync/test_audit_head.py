"""The kecamatan's audit chain head travels in its sync packages (manifest member ``audit_head``); the regency
keeps it per package and its console shows the last one per office; a malformed head refuses the package."""

from __future__ import annotations

from sqlalchemy import select

from klaten_desktop.db.models import AuditLog
from klaten_desktop.services.sync import checks, status
from tests.sync.conftest import PRAMBANAN, Offices


def test_the_head_travels_and_the_console_shows_it(offices: Offices) -> None:
    with offices.prambanan.read() as session:
        before = session.execute(select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id.desc()).limit(1)).one()
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    row = next(k for k in status.console(offices.regency).kecamatan if k.office_code == PRAMBANAN)
    # the head when the package was built: before the entry recording this export
    assert row.audit_head == {"id": before.id, "hash": before.hash}
    officials_row = next(k for k in status.console(offices.regency).as_json()["kecamatan"] if k["office"] == PRAMBANAN)
    assert officials_row["audit_head"] == {"id": before.id, "hash": before.hash}
    offices.receive(offices.send(offices.prambanan, "p2.klsync"))
    again = next(k for k in status.console(offices.regency).kecamatan if k.office_code == PRAMBANAN)
    assert again.audit_head is not None and again.audit_head["id"] > before.id


def test_a_malformed_head_is_refused() -> None:
    good = {"id": 3, "hash": "a" * 64}
    assert checks._audit_head_ok(None) and checks._audit_head_ok(good)
    for bad in ({"id": 0, "hash": "a" * 64}, {"id": 3, "hash": "A" * 64}, {"id": 3}, {**good, "x": 1}, "a" * 64,
                {"id": True, "hash": "a" * 64}):  # fmt: skip
        assert not checks._audit_head_ok(bad)
