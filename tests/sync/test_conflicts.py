"""Ownership: the regency's corrections travel back for review; a losing version is kept, never dropped."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import insert, select

from klaten_desktop.db.models import Official
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.sync import conflicts, export, status
from tests.sync.conftest import PRAMBANAN, WEDI, Offices, snapshot


def _an_official(ctx: ServiceContext) -> str:
    with ctx.read() as session:
        return str(session.scalar(select(Official.id).where(Official.deleted_at.is_(None)).order_by(Official.nik)))


def _edit(ctx: ServiceContext, official_id: str, **changes: object) -> None:
    detail = officials.get(ctx, official_id)
    fields = dataclasses.replace(officials.fields_of(detail), **changes)
    officials.update_official(ctx, SYSTEM, official_id, fields, expected_version=detail.row_version)


def _telepon(ctx: ServiceContext, official_id: str) -> str | None:
    return officials.get(ctx, official_id).telepon


def test_regency_correction_goes_back_and_is_accepted(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    oid = _an_official(offices.prambanan)
    _edit(offices.regency, oid, telepon="085700000001")
    assert export.preview(offices.regency, to=PRAMBANAN).counts["official"] == 1

    back = offices.path("balikan-1.klsync")
    export.export(offices.regency, SYSTEM, back, to=PRAMBANAN)
    result = offices.receive(back, offices.prambanan)
    assert result.as_json()["conflicts"] == 1 and result.total("updated") == 0
    assert _telepon(offices.prambanan, oid) != "085700000001"  # nothing applied before review

    [proposal] = conflicts.list_conflicts(offices.prambanan)
    assert proposal.kind == "koreksi" and proposal.changed_fields == ("telepon",)
    assert proposal.proposed["telepon"] == "085700000001"
    conflicts.accept(offices.prambanan, SYSTEM, proposal.id)
    assert _telepon(offices.prambanan, oid) == "085700000001"
    assert conflicts.list_conflicts(offices.prambanan) == []
    with pytest.raises(UserError, match="sudah diputuskan"):
        conflicts.refuse(offices.prambanan, SYSTEM, proposal.id)

    again = offices.receive(offices.send(offices.prambanan, "p2.klsync"))
    assert again.tables["official"].updated == 1 and again.total("conflicts") == 0
    assert conflicts.list_conflicts(offices.regency) == []
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)


def test_refused_correction_is_overridden_and_kept_at_the_regency(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    oid = _an_official(offices.prambanan)
    original = _telepon(offices.prambanan, oid)
    _edit(offices.regency, oid, telepon="085700000002")
    back = offices.path("balikan-1.klsync")
    export.export(offices.regency, SYSTEM, back, to=PRAMBANAN)
    offices.receive(back, offices.prambanan)
    [proposal] = conflicts.list_conflicts(offices.prambanan)
    conflicts.refuse(offices.prambanan, SYSTEM, proposal.id)
    assert _telepon(offices.prambanan, oid) == original

    result = offices.receive(offices.send(offices.prambanan, "p2.klsync"))
    assert result.tables["official"].updated == 1 and result.tables["official"].conflicts == 1
    assert _telepon(offices.regency, oid) == original
    [kept] = conflicts.list_conflicts(offices.regency)
    assert kept.kind == "koreksi_ditolak" and kept.proposed["telepon"] == "085700000002"


def test_concurrent_edits_owner_wins_and_loser_is_kept_for_review(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    oid = _an_official(offices.prambanan)
    _edit(offices.regency, oid, telepon="085700000003")  # version 2, made at the regency
    _edit(offices.prambanan, oid, telepon="085700000004")  # version 2, made by the owner
    result = offices.receive(offices.send(offices.prambanan, "p2.klsync"))
    assert result.as_json()["conflicts"] == 1
    assert _telepon(offices.regency, oid) == "085700000004"
    [kept] = conflicts.list_conflicts(offices.regency)
    assert kept.proposed["telepon"] == "085700000003" and kept.current_version == 2
    assert status.console(offices.regency).kecamatan[0].open_conflicts == 1

    # the regency takes its own version back after review: it becomes a correction for Prambanan
    conflicts.accept(offices.regency, SYSTEM, kept.id)
    assert _telepon(offices.regency, oid) == "085700000003"
    assert export.preview(offices.regency, to=PRAMBANAN).counts["official"] == 1


def test_same_nik_in_two_kecamatan_is_flagged(offices: Offices) -> None:
    with offices.prambanan.read() as session:
        row = session.execute(select(Official).where(Official.deleted_at.is_(None)).limit(1)).scalar_one()
        values = {c.name: getattr(row, c.name) for c in Official.__table__.columns}
    values.update(id="00000000-0000-4000-8000-000000000001", desa_kode="33.10.03.2001", office_code=WEDI, rt=99, rw=99)
    with offices.wedi.write() as session:
        session.execute(insert(Official).values(**values))
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    result = offices.receive(offices.send(offices.wedi, "w1.klsync"))
    # both kecamatan's rows are stored (NIKs are unique per office) and the duplicate is flagged, not merged
    assert result.tables["official"].waiting == 0
    assert conflicts.pending(offices.regency) == []
    with offices.regency.read() as session:
        assert session.get(Official, values["id"]) is not None
    console = status.console(offices.regency).as_json()
    [dup] = console["duplicate_niks"]
    assert dup["offices"] == [PRAMBANAN, WEDI]
    assert values["id"] in dup["ids"] and "*" in dup["nik"]
    assert str(values["nik"]) not in str(console)  # the console shows the NIK masked


def test_successor_chain_with_a_nik_from_another_kecamatan_is_stored(offices: Offices) -> None:
    """A replacement chain whose successor's NIK also serves in another kecamatan arrives whole."""
    with offices.prambanan.read() as session:
        row = session.execute(select(Official).where(Official.deleted_at.is_(None)).limit(1)).scalar_one()
        values = {c.name: getattr(row, c.name) for c in Official.__table__.columns}
    successor = {
        **values,
        "id": "00000000-0000-4000-8000-000000000002",
        "desa_kode": "33.10.03.2001",
        "office_code": WEDI,
        "rt": 98,
        "rw": 98,
    }
    predecessor = {
        **values,
        "id": "00000000-0000-4000-8000-000000000003",
        "nik": "3310034101800001",
        "desa_kode": "33.10.03.2001",
        "office_code": WEDI,
        "rt": 97,
        "rw": 97,
        "term_status": "berakhir",
        "replaced_by_id": successor["id"],
    }
    with offices.wedi.write() as session:
        session.execute(insert(Official).values(**successor))
        session.execute(insert(Official).values(**predecessor))
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    result = offices.receive(offices.send(offices.wedi, "w1.klsync"))
    assert result.tables["official"].waiting == 0
    assert conflicts.pending(offices.regency) == []
    with offices.regency.read() as session:
        stored = session.get(Official, predecessor["id"])
        assert stored is not None and stored.replaced_by_id == successor["id"]
