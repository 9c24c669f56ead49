"""The minimal reader and writer of klsync.py (written from docs/sync-format.md only) against the real app:
it reads what the app exports, and the app imports what it writes, in both directions (data and return)."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from klaten_desktop.db.models import Official
from klaten_desktop.services import events, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import conflicts, export, keys
from klaten_desktop.services.sync.importer import import_package
from klaten_desktop.services.sync.package import PackageRejected
from tests.sync.conformance import klsync
from tests.sync.conftest import PRAMBANAN, Offices, add_letter, snapshot

DOC = Path(__file__).resolve().parents[3] / "docs" / "sync-format.md"
SPEC = klsync.read_spec(DOC.read_text(encoding="utf-8"))
Rows = dict[str, list[dict[str, Any]]]


def test_the_minimal_module_uses_nothing_of_the_app() -> None:
    tree = ast.parse(Path(klsync.__file__).read_text(encoding="utf-8"))
    modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert {m.split(".")[0] for m in modules} <= {
        "__future__", "base64", "hashlib", "io", "json", "os", "re", "struct", "uuid", "zipfile", "dataclasses",
        "typing", "cryptography",
    }  # fmt: skip


def test_the_document_lists_the_tables_and_versions_the_reader_needs() -> None:
    assert SPEC.tables[0] == "register_entry" and "event_certificate" in SPEC.tables
    assert set(SPEC.columns) == set(SPEC.tables)
    assert [c.name for c in SPEC.columns["document"]][-1] == "_subjects"
    assert "menjabat" in next(c for c in SPEC.columns["official"] if c.name == "term_status").allowed
    assert SPEC.schema_versions


def _trust(ctx: ServiceContext, tool: klsync.Installation, folder: Path) -> klsync.Peer:
    """``ctx`` trusts the tool's identity file; returns the app's own identity as the tool reads it."""
    tool_file, app_file = folder / f"alat-{tool.install_id}.json", folder / f"app-{tool.install_id}.json"
    tool_file.write_bytes(tool.identity_file())
    found = keys.read_identity(ctx, tool_file)
    assert found.peer.fingerprint == tool.peer.fingerprint
    keys.trust(ctx, SYSTEM, found)
    keys.export_identity(ctx, app_file)
    return klsync.read_identity_file(app_file.read_bytes())


def _content(ctx: ServiceContext) -> None:
    """An event at 09:30 WIB with speakers and a guest, and a letter with a JSON payload, at Prambanan."""
    event = events.create(
        ctx, SYSTEM, title="Sosialisasi BPJS", starts_at=dt.datetime(2026, 11, 24, 9, 30), place="Pendopo",
        ends_at=dt.datetime(2026, 11, 24, 12, 0), speakers=[("Bu Sari", "Narasumber")],
    )  # fmt: skip
    events.add_guest(ctx, SYSTEM, event.id, nama="Pak Tamu", peran="Camat", asal="Kecamatan")
    with ctx.read() as session:
        ids = list(session.scalars(select(Official.id).order_by(Official.nik).limit(2)))
    with ctx.write() as session:
        add_letter(session, "install-lama", ids, payload=json.dumps({"yth": ["Kepala Desa"], "nomor": "400/1"}))


def _read_export(offices: Offices, tmp_path: Path) -> tuple[klsync.Package, klsync.Installation]:
    """Prambanan's full export, read by the tool standing in as its regency."""
    tool = klsync.Installation("33.10", "kabupaten", "Alat uji kabupaten — Klaten")  # non-ASCII: signed as UTF-8
    prambanan = _trust(offices.prambanan, tool, tmp_path)
    path = offices.send(offices.prambanan, "p1.klsync", full=True)
    return klsync.read_package(path.read_bytes(), tool, [prambanan], SPEC), tool


def test_reader_reads_an_app_export_and_its_return_package_is_imported(offices: Offices, tmp_path: Path) -> None:
    _content(offices.prambanan)
    package, tool = _read_export(offices, tmp_path)
    # every table of the closed list, in order, empty ones as 0-byte entries with count 0
    assert package.entries == ("manifest.json", *(f"rows/{t}.jsonl" for t in SPEC.tables))
    expected = snapshot(offices.prambanan)
    for table in SPEC.tables:
        assert len(package.rows[table]) == len(expected[table]) == package.manifest["counts"][table]
        if not package.rows[table]:
            assert package.entry_sizes[f"rows/{table}.jsonl"] == 0
    assert package.manifest["previous_sha256"] is None and package.manifest["full"] is True
    assert package.manifest["stream_sha256"] == [] and package.manifest["restored"] is None
    # event times travel as local WIB wall-clock time, as entered
    [event] = package.rows["event"]
    assert (event["starts_at"], event["ends_at"]) == ("2026-11-24 09:30:00.000000", "2026-11-24 12:00:00.000000")
    assert json.loads(event["speakers"]) == [{"nama": "Bu Sari", "peran": "Narasumber"}]
    [letter] = package.rows["document"]
    assert json.loads(letter["payload"])["nomor"] == "400/1" and len(letter["_subjects"]) == 2

    # the tool corrects an official and sends it back; the kecamatan holds it for review
    prambanan = klsync.read_identity_file(_identity(offices.prambanan, tmp_path))
    official = package.rows["official"][0]
    corrected = {**official, "telepon": "085700000009", "row_version": official["row_version"] + 1}
    corrected["origin_install"] = tool.install_id
    back = tmp_path / "balikan-1.klsync"
    back.write_bytes(_return(tool, prambanan, 1, None, {"official": [corrected]}))
    result = import_package(offices.prambanan, SYSTEM, back)
    assert result.kind == "return" and result.as_json()["conflicts"] == 1
    [proposal] = conflicts.list_conflicts(offices.prambanan)
    assert proposal.proposed["telepon"] == "085700000009"
    # the next return package continues the chain; one that does not is refused as a broken chain
    second = _return(tool, prambanan, 2, klsync.sha256(back.read_bytes()), {"official": [corrected]})
    (tmp_path / "balikan-2.klsync").write_bytes(second)
    assert import_package(offices.prambanan, SYSTEM, tmp_path / "balikan-2.klsync").sequence == 2
    (tmp_path / "balikan-1b.klsync").write_bytes(_return(tool, prambanan, 1, None, {}))
    with pytest.raises(PackageRejected, match=r"dua salinan.*hubungi kantor kabupaten"):
        import_package(offices.prambanan, SYSTEM, tmp_path / "balikan-1b.klsync")
    (tmp_path / "balikan-3.klsync").write_bytes(_return(tool, prambanan, 3, "0" * 64, {}))
    with pytest.raises(PackageRejected) as info:
        import_package(offices.prambanan, SYSTEM, tmp_path / "balikan-3.klsync")
    assert "tidak bersambung" in info.value.message and "hubungi kantor kabupaten" in info.value.message
    assert "dua salinan" not in info.value.message


def _identity(ctx: ServiceContext, folder: Path) -> bytes:
    path = folder / "identitas.json"
    keys.export_identity(ctx, path)
    return path.read_bytes()


def _return(tool: klsync.Installation, to: klsync.Peer, sequence: int, previous: str | None, rows: Rows) -> bytes:
    return klsync.write_package(
        me=tool, to=to, kind="return", sequence=sequence, previous_sha256=previous, rows=rows, spec=SPEC
    )


def test_writer_sends_data_the_regency_imports_and_reads_its_return_package(offices: Offices, tmp_path: Path) -> None:
    _content(offices.prambanan)
    package, _ = _read_export(offices, tmp_path)
    # the tool stands in for Prambanan's PC at the regency and sends those rows as its own packages
    kecamatan = klsync.Installation(PRAMBANAN, "kecamatan", "Kecamatan Prambanan (alat uji)")
    regency = _trust(offices.regency, kecamatan, tmp_path)

    def send(name: str, sequence: int, previous: str | None, rows: Rows, **kwargs: Any) -> Path:
        path = tmp_path / name
        path.write_bytes(
            klsync.write_package(
                me=kecamatan, to=regency, kind="data", sequence=sequence, previous_sha256=previous, rows=rows,
                spec=SPEC, **kwargs,
            )
        )  # fmt: skip
        return path

    first = send("k1.klsync", 1, None, package.rows, full=True)
    result = import_package(offices.regency, SYSTEM, first)
    assert result.total("created") == sum(map(len, package.rows.values())) and result.total("waiting") == 0
    assert snapshot(offices.regency, office_code=PRAMBANAN) == snapshot(offices.prambanan)

    official = {**package.rows["official"][0], "catatan": "dari alat uji", "origin_install": kecamatan.install_id}
    official["row_version"] += 1
    second = send("k2.klsync", 2, klsync.sha256(first.read_bytes()), {"official": [official]})
    assert import_package(offices.regency, SYSTEM, second).as_json()["updated"] == 1
    assert import_package(offices.regency, SYSTEM, second).already_imported

    # what a writer gets wrong is named: the 7-byte magic in the associated data, a broken chain
    seven = send("k3-aad.klsync", 3, klsync.sha256(second.read_bytes()), {}, magic_in_associated_data=b"KLTSYNC")
    with pytest.raises(PackageRejected, match="data terkait") as info:
        import_package(offices.regency, SYSTEM, seven)
    assert "kunci lain" not in info.value.message
    broken = send("k3-chain.klsync", 3, klsync.sha256(first.read_bytes()), {})
    with pytest.raises(PackageRejected, match=r"tidak bersambung.*hubungi kecamatan itu"):
        import_package(offices.regency, SYSTEM, broken)
    # skipping a number: previous_sha256 names a package the regency does not hold, stream_sha256 names the rest
    other = "0" * 64
    skipped = send("k4-skip.klsync", 4, other, {}, stream_sha256=[klsync.sha256(first.read_bytes()), other, other])
    with pytest.raises(PackageRejected, match=r"paket no\. 4 menyebut SHA-256 paket no\. 2"):
        import_package(offices.regency, SYSTEM, skipped)

    # the regency corrects the official; the tool reads the return package
    detail = officials.get(offices.regency, official["id"])
    fields = dataclasses.replace(officials.fields_of(detail), telepon="085700000001")
    officials.update_official(offices.regency, SYSTEM, official["id"], fields, expected_version=detail.row_version)
    back = tmp_path / "balikan.klsync"
    export.export(offices.regency, SYSTEM, back, to=PRAMBANAN)
    returned = klsync.read_package(back.read_bytes(), kecamatan, [regency], SPEC)
    assert returned.header["kind"] == "return" and returned.manifest["sequence"] == 1
    [row] = returned.rows["official"]
    assert (row["id"], row["telepon"], row["origin_install"]) == (official["id"], "085700000001", regency.install_id)
    assert all(not rows for table, rows in returned.rows.items() if table != "official")
