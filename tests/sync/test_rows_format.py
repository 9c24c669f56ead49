"""The rows inside a package: SQLite writes the lines, the importer checks them a column at a time."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select, update

from klaten_desktop.db import dialects
from klaten_desktop.db.models import DocumentSubject, Official
from klaten_desktop.services import identity
from klaten_desktop.services.context import ServiceContext
from klaten_desktop.services.sync import checks, conflicts, importer, package
from klaten_desktop.services.sync.columns import ENUMS, check_rules
from klaten_desktop.services.sync.tables import BY_NAME, MAX_JSON_COLUMNS, SPECS, SUBJECTS
from tests.sync.conftest import PRAMBANAN, Offices, add_letter, snapshot

# quotes, backslash, control characters, characters str.splitlines takes for line breaks, other scripts
AWKWARD = 'Sri "Mbok" \\ Rahayu\tꦱꦿꦶ\u2028baris\u0085NEL\x1cFS\r\n😀 é'


def _with_awkward_rows(offices: Offices) -> tuple[str, str]:
    ctx = offices.prambanan
    with ctx.read() as session:
        first, second = [str(i) for i in session.scalars(select(Official.id).order_by(Official.id).limit(2))]
    install = identity.public_identity(ctx).install_id
    with ctx.write() as session:
        session.execute(update(Official).where(Official.id == first).values(nama=AWKWARD, catatan="x\ny"))
        doc_id = add_letter(session, install, [second, first], payload='{"catatan": "é"}')
    return first, doc_id


def test_package_lines_are_the_stored_values_as_compact_json(offices: Offices) -> None:
    official_id, doc_id = _with_awkward_rows(offices)
    path = offices.send(offices.prambanan, "p1.klsync", full=True)
    opened = package.open_package(path.read_bytes())
    _, tables = package.read_zip(package.decrypt(opened, identity.encryption_key(offices.regency)))

    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with offices.prambanan.read() as session:
        subjects = sorted(session.scalars(select(DocumentSubject.official_id)))
        for spec in SPECS:
            rows = session.execute(select(*spec.select_columns()).order_by(spec.table.c.id)).all()
            expected = []
            for row in rows:
                obj = spec.encode(row)
                if spec.name == "document":
                    obj[SUBJECTS] = subjects
                expected.append(dumps(obj))
            got = sorted(tables.get(spec.name, b"").decode("utf-8").split("\n")[:-1], key=lambda s: json.loads(s)["id"])
            assert got == expected, spec.name  # the very text Python's json would have written

    result = offices.receive(path)
    assert result.tables["official"].created == 40 and result.tables["document"].created == 1
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)
    with offices.regency.read() as session:
        assert session.scalar(select(Official.nama).where(Official.id == official_id)) == AWKWARD
        stored = set(session.scalars(select(DocumentSubject.official_id).where(DocumentSubject.document_id == doc_id)))
    assert stored == set(subjects)
    # derived columns never travel: the regency's triggers rebuilt them from the stored enrollments
    kept = _derived(offices.prambanan, PRAMBANAN)
    assert any(row[1] is not None for row in kept)  # some officials have an enrollment
    assert _derived(offices.regency, PRAMBANAN) == kept


def _derived(ctx: ServiceContext, office_code: str) -> set[tuple[Any, ...]]:
    derived = [c for c in Official.__table__.columns if c.info.get("derived")]
    assert derived  # the test means something only while official has derived columns
    with ctx.read() as session:
        stmt = select(Official.id, *derived).where(Official.office_code == office_code)
        return {tuple(r) for r in session.execute(stmt)}


def test_a_row_a_unique_rule_blocks_waits_and_the_rest_is_stored(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    opened = package.open_package(path.read_bytes())
    _, tables = package.read_zip(package.decrypt(opened, identity.encryption_key(offices.regency)))
    rows = checks._parse_rows(BY_NAME["official"], tables["official"], PRAMBANAN)
    serving = [r for r in rows if r["term_status"] == "menjabat" and r["deleted_at"] is None]
    first, second = [r for r in serving if r["jabatan"] != "lainnya"][:2]
    second.update(desa_kode=first["desa_kode"], rw=first["rw"], rt=first["rt"], jabatan=first["jabatan"])
    me = identity.public_identity(offices.regency).install_id
    with offices.regency.write() as session:
        dialects.defer_foreign_keys(session)
        result = importer.apply_rows(session, {"official": rows}, me=me, package_id=None)
    assert result["official"].created == len(rows) - 1 and result["official"].waiting == 1
    [waiting] = conflicts.pending(offices.regency)
    assert waiting.row_id == second["id"] and "jabatan" in waiting.reason
    with offices.regency.read() as session:
        stored = set(session.scalars(select(Official.id)))
    assert stored == {r["id"] for r in rows} - {second["id"]}


def test_every_travelling_table_fits_one_json_object_call() -> None:
    assert all(len(spec.columns) <= MAX_JSON_COLUMNS for spec in SPECS)


def _official_row() -> dict[str, Any]:
    spec = BY_NAME["official"]
    row: dict[str, Any] = dict.fromkeys(spec.columns)
    row.update(
        id="33333333-3333-4333-8333-333333333333",
        nik="3310010101800001",
        nama="Budi",
        jenis_kelamin="L",
        desa_kode="33.10.01.2001",
        rw=1,
        rt=2,
        jabatan="ketua_rt",
        term_start="2024-01-01",
        term_status="menjabat",
        row_version=3,
        updated_at="2026-11-24 08:00:00.123456",
        office_code=PRAMBANAN,
        origin_install="44444444-4444-4444-8444-444444444444",
    )
    return row


def test_well_formed_rows_pass_the_column_checks() -> None:
    spec = BY_NAME["official"]
    rows = [_official_row() for _ in range(3)]
    rows[1]["updated_at"] = "2026-11-24 08:00:00"  # SQLite keeps no fraction when it is zero
    spec.check_rows(rows)
    assert spec.decode(rows[0]) is rows[0]
    BY_NAME["document"].check_rows([_document_row([rows[0]["id"]])])


def _document_row(subjects: Any) -> dict[str, Any]:
    doc: dict[str, Any] = dict.fromkeys(BY_NAME["document"].keys)
    doc.update(
        id="55555555-5555-4555-8555-555555555555", kind="pengantar", nomor="400/1/2026", issued_on="2026-11-24",
        payload="{}", print_count=1, office_code=PRAMBANAN, row_version=1, updated_at="2026-11-24 08:00:00",
        **{SUBJECTS: subjects},
    )  # fmt: skip
    return doc


def test_rows_of_an_older_package_without_the_later_columns_are_taken_with_them_empty() -> None:
    """A package from a version before revision 0003 has no ``email`` / ``nama_ibu_kandung``: both None."""
    spec = BY_NAME["official"]
    old = {k: v for k, v in _official_row().items() if k not in ("email", "nama_ibu_kandung")}
    spec.check_rows([old])
    assert (old["email"], old["nama_ibu_kandung"]) == (None, None)
    partial = {k: v for k, v in _official_row().items() if k != "email"}  # one of them missing: malformed
    with pytest.raises(ValueError, match="column email: kolom tidak ada"):
        spec.check_rows([partial])


@pytest.mark.parametrize(
    "change",
    [
        {"rt": True},
        {"rt": "2"},
        {"rt": 2.0},
        {"row_version": None},
        {"id": 7},
        {"id": "x" * 37},
        {"office_code": None},
        {"term_start": "2024-1-01"},
        {"term_start": "2024-01-01\n2024-01-01"},
        {"term_start": 20240101},
        {"updated_at": "2026-11-24T08:00:00"},
        {"updated_at": "2026-11-24 08:00:00.12"},
        {"extra": 1},
        {"nama": ...},  # a missing key
        "not an object",
    ],
)
def test_a_malformed_row_among_good_ones_is_refused(change: Any) -> None:
    spec = BY_NAME["official"]
    bad: Any = _official_row()
    if isinstance(change, dict):
        for key, value in change.items():
            if value is ...:
                del bad[key]
            else:
                bad[key] = value
    else:
        bad = change
    with pytest.raises((ValueError, TypeError)):
        spec.check_rows([_official_row(), bad, _official_row()])


@pytest.mark.parametrize("subjects", ["a", [1], None, ["d"]])
def test_document_subjects_must_be_a_list_of_text(subjects: Any) -> None:
    with pytest.raises(ValueError, match=SUBJECTS):
        BY_NAME["document"].check_rows([_document_row(subjects)])


def test_the_enums_and_the_models_check_constraints_allow_the_same_values() -> None:
    for key, enum in ENUMS.items():
        table, column = key.split(".")
        lists, _ = check_rules(BY_NAME[table].table)
        if column in lists:
            assert set(lists[column]) == {e.value for e in enum}, key
        assert BY_NAME[table].allowed[column].values == tuple(e.value for e in enum)


def test_server_lines_are_the_bytes_sqlite_writes() -> None:
    """On PostgreSQL the package lines are encoded in Python (export._lines_on_server); they must be byte for byte
    what SQLite's json_object writes for the same row as SQLite stores it, so a package does not depend on the
    sender's engine."""
    import datetime as dt
    import sqlite3

    from klaten_desktop.services.sync import export

    row = {
        "id": "0192b1c2-0000-7000-8000-000000000001",
        "nama": 'Sri "Ning" Rahayu\\ Ñ 漢 \t\n\r\x01',
        "tanggal_lahir": dt.date(1974, 10, 1),
        "updated_at": dt.datetime(2026, 11, 24, 9, 5, 7, 12),
        "deleted_at": dt.datetime(2026, 11, 24, 9, 5, 7),
        "rt": 3,
        "email": None,
    }
    stored = [export._as_stored(v) for v in row.values()]
    assert stored[2:5] == ["1974-10-01", "2026-11-24 09:05:07.000012", "2026-11-24 09:05:07.000000"]
    args = ", ".join(f"'{k}', ?" for k in row)
    with sqlite3.connect(":memory:") as con:
        (sqlite_line,) = con.execute(f"SELECT json_object({args})", stored).fetchone()
    assert export._compact(dict(zip(row, stored, strict=True))) == sqlite_line


def test_a_row_taken_as_new_because_its_parent_is_new_is_updated_when_it_was_stored(offices: Offices) -> None:
    # an enrollment hanging off an official the same import creates is not looked up; when it was stored after
    # all (here: moved to the new official), the primary key refuses it and the table is weighed again
    path = offices.send(offices.prambanan, "p1.klsync")
    offices.receive(path)
    opened = package.open_package(path.read_bytes())
    _, tables = package.read_zip(package.decrypt(opened, identity.encryption_key(offices.regency)))
    officials = checks._parse_rows(BY_NAME["official"], tables["official"], PRAMBANAN)
    enrollments = checks._parse_rows(BY_NAME["enrollment"], tables["enrollment"], PRAMBANAN)
    holder = next(o for o in officials if any(e["official_id"] == o["id"] for e in enrollments))
    moved = next(e for e in enrollments if e["official_id"] == holder["id"])
    new_id = "44444444-4444-4444-8444-444444444444"
    copy = {**holder, "id": new_id, "nik": holder["nik"][:12] + "9999", "deleted_at": "2026-01-02 03:04:05.000000"}
    moved = {**moved, "official_id": new_id, "row_version": moved["row_version"] + 1}
    me = identity.public_identity(offices.regency).install_id
    with offices.regency.write() as session:
        dialects.defer_foreign_keys(session)
        result = importer.apply_rows(session, {"official": [copy], "enrollment": [moved]}, me=me, package_id=None)
    assert result["official"].deleted == 1  # stored new, already deleted
    counts = result["enrollment"]
    assert (counts.created, counts.updated, counts.waiting, counts.conflicts) == (0, 1, 0, 0)
    with offices.regency.read() as session:
        table = BY_NAME["enrollment"].table
        stored = session.execute(select(table.c.official_id, table.c.row_version).where(table.c.id == moved["id"]))
        assert stored.one() == (new_id, moved["row_version"])
