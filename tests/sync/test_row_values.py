"""A package validly signed by a trusted office is still checked row by row before any write.

Each case takes a real package made by the app's own export (every travelling table has rows), changes one value
of one row, and seals the tampered copy again with Prambanan's own key: the signature is good, the row is not.
The bad values are chosen from what each column allows (``columns.py``), one kind of bad value per table.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import random
import zipfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import func, insert, select

from klaten_desktop.db.models import AuditLog, Event, EventParticipant, Official
from klaten_desktop.db.models_events import EventCertificate
from klaten_desktop.db.models_sync import SyncPackage, SyncPending
from klaten_desktop.services import identity
from klaten_desktop.services.sync import package
from klaten_desktop.services.sync.columns import Allowed
from klaten_desktop.services.sync.package import PackageRejected
from klaten_desktop.services.sync.tables import BY_NAME, SPECS, TABLE_LABELS
from tests.sync.conftest import DOC_ID, PRAMBANAN, Offices, add_letter, snapshot

EVENT_ID, PARTICIPANT_ID = "66666666-6666-4666-8666-666666666666", "77777777-7777-4777-8777-777777777777"
BAD_FORMS = {
    "uuid": "bukan-uuid",
    "nik": "3310013213990001",  # 32 Desember: no such day
    "desa": "33.10.01.9",
    "kecamatan": "33.10.1",
    "kpj": "1234567890X",
    "month": "2026-13",
    "programs": "JKK,XYZ",
    "json_object": "[1]",
    "json_texts": '{"a": 1}',
    "json_speakers": "[1]",
}
KINDS = ("date", "length", "enum", "range", "format", "null", "type")


def _column_for(spec_name: str, kind: str) -> Allowed | None:
    """The first column of the table that can hold this kind of bad value (``id`` and ``office_code`` last)."""
    spec = BY_NAME[spec_name]
    ordered = sorted(spec.allowed.values(), key=lambda a: a.name in ("id", "office_code", "row_version"))
    tests = {
        "date": lambda a: a.kind in ("date", "timestamp"),
        "length": lambda a: a.max_length is not None,
        "enum": lambda a: bool(a.values),
        "range": lambda a: a.kind == "integer" and a.minimum is not None,
        "format": lambda a: a.form is not None,
        "null": lambda a: not a.nullable,
        "type": lambda a: a.kind == "text",
    }
    return next((a for a in ordered if tests[kind](a)), None)


def _bad_value(allowed: Allowed, kind: str) -> tuple[Any, str]:
    """A bad value of ``kind`` for the column, and a fragment of the refusal."""
    if kind == "date":
        return (
            ("2026-13-45", "bukan tanggal yang ada")
            if allowed.kind == "date"
            else (
                "2026-02-30 10:00:00.000000",
                "bukan tanggal yang ada",
            )
        )
    if kind == "length":
        assert allowed.max_length is not None
        return "9" * (allowed.max_length + 1), f"lebih dari {allowed.max_length} karakter"
    if kind == "enum":
        return "X", "bukan salah satu dari"  # one character: within every enum column's length
    if kind == "range":
        assert allowed.minimum is not None
        return allowed.minimum - 1, "di luar rentang"
    if kind == "format":
        assert allowed.form is not None
        return BAD_FORMS[allowed.form], ""
    if kind == "null":
        return None, "wajib diisi"
    return 12345, "harus teks"


CASES = [
    pytest.param(spec.name, kind, id=f"{spec.name}-{kind}")
    for spec in SPECS
    for kind in KINDS
    if _column_for(spec.name, kind) is not None
]


@pytest.fixture
def every_table(offices: Offices) -> Offices:
    """Prambanan with rows in every travelling table: a letter, an event with a participant and a certificate."""
    install = identity.public_identity(offices.prambanan).install_id
    common = {"row_version": 1, "office_code": PRAMBANAN, "origin_install": install}
    with offices.prambanan.write() as session:
        official = session.scalars(select(Official.id).order_by(Official.id).limit(1)).one()
        add_letter(session, install, [official])
        session.execute(
            insert(Event).values(
                id=EVENT_ID, title="Sosialisasi BPJS", starts_at=dt.datetime(2026, 11, 24, 9), place="Pendopo",
                speakers=json.dumps([{"nama": "Bu Rina", "peran": "BPJS"}]), **common,
            )
        )  # fmt: skip
        session.execute(
            insert(EventParticipant).values(
                id=PARTICIPANT_ID, event_id=EVENT_ID, official_id=official, attended=1, **common
            )
        )
        session.execute(
            insert(EventCertificate).values(
                id="88888888-8888-4888-8888-888888888888", event_id=EVENT_ID, participant_id=PARTICIPANT_ID,
                document_id=DOC_ID, certificate_nomor="400/1/2026", **common,
            )
        )  # fmt: skip
    return offices


def _reseal(offices: Offices, path: Path, tables: dict[str, bytes], manifest: dict[str, Any]) -> Path:
    """``tables`` in a package sealed and signed again with Prambanan's real key, as the export did."""
    opened = package.open_package(path.read_bytes())
    header = opened.header
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for spec in SPECS:
            zf.writestr(f"rows/{spec.name}.jsonl", tables.get(spec.name, b""))
    data = package.seal(
        kind=header.kind,
        sender_install=header.sender_install,
        sender_office=header.sender_office,
        recipient_install=header.recipient_install,
        recipient_office=header.recipient_office,
        recipient_encryption_b64=identity.public_identity(offices.regency).encryption_public_b64,
        sequence=header.sequence,
        payload=buffer.getvalue(),
        signing_key=identity.signing_key(offices.prambanan),
    )
    tampered = path.with_name("tampered.klsync")
    tampered.write_bytes(data)
    return tampered


def _opened(offices: Offices, path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    opened = package.open_package(path.read_bytes())
    return package.read_zip(package.decrypt(opened, identity.encryption_key(offices.regency)))


def _changed(data: bytes, line: int, column: str, value: Any) -> bytes:
    lines = data.split(b"\n")
    row = orjson.loads(lines[line - 1])
    row[column] = value
    lines[line - 1] = orjson.dumps(row)
    return b"\n".join(lines)


def _counts(offices: Offices) -> tuple[int, int]:
    with offices.regency.read() as session:
        return (
            session.scalar(select(func.count()).select_from(SyncPackage)) or 0,
            session.scalar(select(func.count()).select_from(AuditLog)) or 0,
        )


def _refused(offices: Offices, path: Path) -> str:
    before, rows = _counts(offices), snapshot(offices.regency)
    with pytest.raises(PackageRejected) as info:
        offices.receive(path)
    assert _counts(offices) == before and snapshot(offices.regency) == rows
    assert info.value.message.endswith("Tidak ada data yang diubah.")
    return info.value.message


def test_the_untampered_resealed_package_is_imported(every_table: Offices) -> None:
    """The resealing itself is harmless, so each refusal below is due to the one changed value."""
    path = every_table.send(every_table.prambanan, "p1.klsync")
    manifest, tables = _opened(every_table, path)
    assert all(manifest["counts"][spec.name] > 0 for spec in SPECS)
    result = every_table.receive(_reseal(every_table, path, tables, manifest))
    assert result.total("created") == sum(manifest["counts"].values())


@pytest.mark.parametrize(("table", "kind"), CASES)
def test_a_bad_value_is_refused_naming_table_row_and_column(every_table: Offices, table: str, kind: str) -> None:
    allowed = _column_for(table, kind)
    assert allowed is not None
    value, fragment = _bad_value(allowed, kind)
    path = every_table.send(every_table.prambanan, "p1.klsync")
    manifest, tables = _opened(every_table, path)
    line = manifest["counts"][table]  # the last row of the table
    tables[table] = _changed(tables[table], line, allowed.name, value)
    message = _refused(every_table, _reseal(every_table, path, tables, manifest))
    assert f"tabel {TABLE_LABELS[table]} ({table}) baris {line}" in message
    assert f"kolom {allowed.name}:" in message and fragment in message


def test_an_eight_megabyte_name_is_refused(every_table: Offices) -> None:
    path = every_table.send(every_table.prambanan, "p1.klsync")
    manifest, tables = _opened(every_table, path)
    name = base64.b64encode(random.Random(19).randbytes(6 * 1024 * 1024)).decode()  # 8 MiB, no bomb to unzip
    tables["official"] = _changed(tables["official"], 1, "nama", name)
    message = _refused(every_table, _reseal(every_table, path, tables, manifest))
    assert "kolom nama: lebih dari 200 karakter" in message


def test_an_official_of_another_kecamatans_desa_is_refused(every_table: Offices) -> None:
    path = every_table.send(every_table.prambanan, "p1.klsync")
    manifest, tables = _opened(every_table, path)
    tables["official"] = _changed(tables["official"], 2, "desa_kode", "33.10.03.2001")  # a desa of Wedi
    message = _refused(every_table, _reseal(every_table, path, tables, manifest))
    assert "milik kantor lain (33.10.03.2001; tabel Pengurus (official) baris 2, kolom desa_kode)" in message


def test_an_unknown_desa_is_refused(every_table: Offices) -> None:
    path = every_table.send(every_table.prambanan, "p1.klsync")
    manifest, tables = _opened(every_table, path)
    tables["official"] = _changed(tables["official"], 3, "desa_kode", "33.10.01.2999")
    message = _refused(every_table, _reseal(every_table, path, tables, manifest))
    assert "baris 3" in message and "desa 33.10.01.2999 tidak ada dalam daftar wilayah" in message


@pytest.mark.parametrize(
    ("table", "column"),
    [("enrollment", "official_id"), ("event_participant", "official_id"), ("document", "_subjects")],
)
def test_rows_hanging_off_another_kecamatans_official_are_refused(
    every_table: Offices, table: str, column: str
) -> None:
    every_table.receive(every_table.send(every_table.wedi, "w1.klsync"))
    with every_table.regency.read() as session:
        wedi_official = session.scalars(select(Official.id).where(Official.office_code == "33.10.03").limit(1)).one()
    path = every_table.send(every_table.prambanan, "p1.klsync")
    manifest, tables = _opened(every_table, path)
    value: Any = [wedi_official] if column == "_subjects" else wedi_official
    tables[table] = _changed(tables[table], 1, column, value)
    message = _refused(every_table, _reseal(every_table, path, tables, manifest))
    assert f"({table}) baris 1" in message and f"kolom {column}: menunjuk data official milik kantor lain" in message


def test_a_bad_row_an_older_version_let_wait_is_kept_aside_not_stored(every_table: Offices) -> None:
    path = every_table.send(every_table.prambanan, "p1.klsync")
    _, tables = _opened(every_table, path)
    row = orjson.loads(tables["official"].split(b"\n")[0])
    row.update(id="99999999-9999-4999-8999-999999999999", tanggal_lahir="2026-13-45")
    with every_table.regency.write() as session:
        session.execute(
            insert(SyncPending).values(
                table_name="official", row_id=row["id"], row_version=1, origin_install="lama", office_code=PRAMBANAN,
                nik=row["nik"], row_json=json.dumps(row), reason="menunggu data induk (official)",
            )
        )  # fmt: skip
    result = every_table.receive(path)
    assert result.total("created") > 0
    with every_table.regency.read() as session:
        assert session.get(Official, row["id"]) is None
        [reason] = session.scalars(select(SyncPending.reason).where(SyncPending.row_id == row["id"]))
    assert reason == "tidak sah, tidak akan disimpan: kolom tanggal_lahir: bukan tanggal yang ada"
