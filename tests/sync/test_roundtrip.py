from __future__ import annotations

import dataclasses
import json
import zipfile

from sqlalchemy import func, select

from klaten_desktop.db.models import Official
from klaten_desktop.services import identity, officials
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.sync import export, package
from tests.sync.conftest import PRAMBANAN, WEDI, Offices, add_letter, snapshot


def _first_official(ctx) -> str:  # type: ignore[no-untyped-def]
    with ctx.read() as session:
        return str(session.scalar(select(Official.id).where(Official.deleted_at.is_(None)).order_by(Official.nik)))


def test_packages_from_two_kecamatan_arrive_complete(offices: Offices) -> None:
    first = offices.receive(offices.send(offices.prambanan, "prambanan-1.klsync"))
    second = offices.receive(offices.send(offices.wedi, "wedi-1.klsync"))

    assert first.as_json() == {
        "office": PRAMBANAN,
        "sequence": 1,
        "created": first.total("created"),
        "updated": 0,
        "deleted": 0,
        "unchanged": 0,
        "conflicts": 0,
        "dry_run": False,
    }
    assert first.tables["official"].created == 40
    assert second.tables["official"].created == 30
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)
    assert snapshot(offices.regency, office_code=WEDI) == snapshot(offices.wedi)


def test_second_export_holds_only_changes_and_edits_and_deletions_travel(offices: Offices) -> None:
    offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    nothing = export.preview(offices.prambanan)
    assert nothing.total == 0 and nothing.sequence == 2

    edited_id = _first_official(offices.prambanan)
    detail = officials.get(offices.prambanan, edited_id)
    fields = dataclasses.replace(officials.fields_of(detail), telepon="081234567890", alamat="Dukuh Baru RT 001")
    officials.update_official(offices.prambanan, SYSTEM, edited_id, fields, expected_version=detail.row_version)
    with offices.prambanan.read() as session:
        deleted_id = str(
            session.scalar(select(Official.id).where(Official.id != edited_id, Official.deleted_at.is_(None)).limit(1))
        )
    officials.delete(offices.prambanan, SYSTEM, deleted_id)

    shown = export.preview(offices.prambanan)
    assert shown.counts["official"] == 2 and shown.deleted >= 1
    result = offices.receive(offices.send(offices.prambanan, "p2.klsync"))

    assert result.sequence == 2
    assert result.tables["official"].updated == 1
    assert result.tables["official"].deleted == 1
    assert result.total("created") == 0
    with offices.regency.read() as session:
        row = session.get(Official, edited_id)
        assert row is not None and row.telepon == "081234567890" and row.alamat == "Dukuh Baru RT 001"
        gone = session.get(Official, deleted_id)
        assert gone is not None and gone.deleted_at is not None
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)


def test_dry_run_reports_without_changing_anything(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    dry = offices.receive(path, dry_run=True)
    assert dry.dry_run is True and dry.tables["official"].created == 40
    with offices.regency.read() as session:
        assert session.scalar(select(func.count()).select_from(Official)) == 0
    real = offices.receive(path)
    assert real.as_json() == {**dry.as_json(), "dry_run": False}


def test_importing_a_package_twice_changes_nothing(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    offices.receive(path)
    before = snapshot(offices.regency)
    again = offices.receive(path)
    assert again.already_imported is True
    assert again.total("created") == again.total("updated") == again.total("deleted") == 0
    assert again.total("unchanged") > 0
    assert snapshot(offices.regency) == before
    assert len(export.history(offices.regency, direction="received")) == 1


def test_package_is_encrypted_and_lists_its_manifest(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync", full=True)
    data = path.read_bytes()
    with offices.prambanan.read() as session:
        some_nik = str(session.scalar(select(Official.nik).limit(1)))
    assert some_nik.encode() not in data  # a lost stick leaks no NIK
    opened = package.open_package(data)
    payload = package.decrypt(opened, identity.encryption_key(offices.regency))
    manifest, tables = package.read_zip(payload)
    assert manifest["office"] == PRAMBANAN and manifest["sequence"] == 1 and manifest["full"] is True
    assert manifest["counts"]["official"] == 40 == len(tables["official"].splitlines())
    assert set(manifest) >= {"format_version", "schema_version", "app_version", "install_id", "previous_sha256"}
    second = offices.send(offices.prambanan, "p2.klsync")
    opened2 = package.open_package(second.read_bytes())
    manifest2, _ = package.read_zip(package.decrypt(opened2, identity.encryption_key(offices.regency)))
    assert manifest2["previous_sha256"] == opened.sha256
    with zipfile.ZipFile(__import__("io").BytesIO(payload)) as zf:
        first_line = zf.read("rows/official.jsonl").splitlines()[0]
    assert json.loads(first_line)["office_code"] == PRAMBANAN


def test_history_and_reminder(offices: Offices) -> None:
    due = export.reminder(offices.prambanan)
    assert due.due and due.days_since is None
    offices.send(offices.prambanan, "p1.klsync")
    assert export.reminder(offices.prambanan).due is False
    later = offices.make_ctx("empty", name="prambanan", today=offices.prambanan.today().replace(year=2027))
    late = export.reminder(later)
    assert late.due and late.days_since is not None and late.days_since >= 30
    assert "hari lalu" in (late.message or "")
    sent = export.history(offices.prambanan)
    assert [(r.direction, r.sequence, r.recipient_office) for r in sent] == [("sent", 1, "33.10")]


def test_documents_travel_with_their_subjects(offices: Offices) -> None:
    from klaten_desktop.db.models import DocumentSubject

    with offices.prambanan.read() as session:
        install = identity.public_identity(offices.prambanan).install_id
        subjects = [str(i) for i in session.scalars(select(Official.id).order_by(Official.id).limit(2))]
    with offices.prambanan.write() as session:
        doc_id = add_letter(session, install, subjects)
    result = offices.receive(offices.send(offices.prambanan, "p1.klsync"))
    assert result.tables["document"].created == 1 and result.tables["register_entry"].created == 1
    with offices.regency.read() as session:
        stored = set(session.scalars(select(DocumentSubject.official_id).where(DocumentSubject.document_id == doc_id)))
    assert stored == set(subjects)
