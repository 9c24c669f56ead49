"""Every way a package can be bad is refused before any write, with an Indonesian message."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog, Official, TrustedPeer
from klaten_desktop.db.models_sync import SyncPackage
from klaten_desktop.domain.enums import OfficeRole
from klaten_desktop.services import identity, office
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import package
from klaten_desktop.services.sync.package import PackageRejected
from tests.sync.conftest import Offices, exchange_keys, snapshot


def _counts(ctx: ServiceContext) -> tuple[int, int, int]:
    with ctx.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Official)) or 0,
            session.scalar(select(func.count()).select_from(SyncPackage)) or 0,
            session.scalar(select(func.count()).select_from(AuditLog)) or 0,
        )


def _refused(offices: Offices, path: Path, *fragments: str) -> str:
    before = _counts(offices.regency)
    with pytest.raises(PackageRejected) as info:
        offices.receive(path)
    assert _counts(offices.regency) == before
    message = info.value.message
    for fragment in fragments:
        assert fragment in message
    assert message.endswith("Tidak ada data yang diubah.")
    return message


def _sealed(offices: Offices, manifest_changes: dict[str, Any], entries: dict[str, bytes]) -> Path:
    """A package signed with Prambanan's real key and encrypted to the regency, with hostile contents."""
    me = identity.public_identity(offices.prambanan)
    regency = identity.public_identity(offices.regency)
    manifest = {
        "format_version": 1,
        "kind": "data",
        "schema_version": "0001_initial",
        "app_version": "0.1.0",
        "office": me.office_code,
        "install_id": me.install_id,
        "recipient_office": regency.office_code,
        "recipient_install": regency.install_id,
        "sequence": 1,
        "previous_sha256": None,
        "full": True,
        "created_at": "2026-11-24T08:00:00Z",
        "counts": {},
        **manifest_changes,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.filename = name  # on Windows ZipInfo turns "\\" into "/"; a hostile writer keeps the name as given
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    data = package.seal(
        kind="data",
        sender_install=me.install_id,
        sender_office=me.office_code,
        recipient_install=regency.install_id,
        recipient_office=regency.office_code,
        recipient_encryption_b64=regency.encryption_public_b64,
        sequence=1,
        payload=buffer.getvalue(),
        signing_key=identity.signing_key(offices.prambanan),
    )
    path = offices.path("hostile.klsync")
    path.write_bytes(data)
    return path


def test_a_well_formed_hostile_helper_package_is_accepted(offices: Offices) -> None:
    """The helper itself builds importable packages, so the refusals below are due to the tampering."""
    result = offices.receive(_sealed(offices, {}, {}))
    assert result.sequence == 1


@pytest.mark.parametrize("where", ["magic", "header", "ciphertext", "middle", "signature", "last"])
def test_any_flipped_bit_is_refused(offices: Offices, where: str) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    data = bytearray(path.read_bytes())
    header_len = int.from_bytes(data[8:12], "big")
    position = {
        "magic": 3,
        "header": 12 + header_len // 2,
        "ciphertext": 12 + header_len + 8 + 5,
        "middle": len(data) // 2,
        "signature": len(data) - 30,
        "last": len(data) - 1,
    }[where]
    data[position] ^= 0x04
    path.write_bytes(bytes(data))
    _refused(offices, path)


@pytest.mark.parametrize("keep", [0, 5, 11, 40, 0.5, -1])
def test_truncated_file_is_refused(offices: Offices, keep: float) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else (len(data) + keep if keep < 0 else keep)
    path.write_bytes(data[:cut])
    message = _refused(offices, path)
    assert "terpotong" in message or "bukan paket" in message


def test_unknown_sender_is_refused(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    with offices.regency.write() as session:
        session.query(TrustedPeer).filter(TrustedPeer.office_code == "33.10.01").delete()
    _refused(offices, path, "Pengirim paket tidak dikenal", "keys import")


def test_package_encrypted_for_another_regency_is_refused(offices: Offices) -> None:
    other = offices.make_ctx("empty", name="regency2")
    office.init(other, SYSTEM, role=OfficeRole.kabupaten, name="Kabupaten Palsu")
    exchange_keys(offices.prambanan, other, offices.folder)  # Prambanan now sends to the other regency
    path = offices.send(offices.prambanan, "p1.klsync")
    _refused(offices, path, "ditujukan untuk kantor lain")


def test_newer_schema_is_refused(offices: Offices) -> None:
    _refused(offices, _sealed(offices, {"schema_version": "0099_masa_depan"}, {}), "skema", "lebih baru")


def test_newer_format_is_refused(offices: Offices) -> None:
    path = offices.send(offices.prambanan, "p1.klsync")
    data = bytearray(path.read_bytes())
    data[7] = 2
    path.write_bytes(bytes(data))
    _refused(offices, path, "versi aplikasi yang lebih baru")


@pytest.mark.parametrize("name", ["../rows/official.jsonl", "/etc/passwd", "C:/Windows/x.jsonl", "rows\\x.jsonl"])
def test_entry_leaving_the_working_folder_is_refused(offices: Offices, name: str) -> None:
    _refused(offices, _sealed(offices, {}, {name: b""}), "keluar dari folder kerja")


def test_unknown_entry_is_refused(offices: Offices) -> None:
    _refused(offices, _sealed(offices, {}, {"rows/secret.exe": b"MZ"}), "tidak dikenal")


def test_entry_for_an_unknown_table_is_named(offices: Offices) -> None:
    message = _refused(offices, _sealed(offices, {}, {"rows/tabel_baru.jsonl": b""}), "rows/tabel_baru.jsonl")
    assert "tabel yang tidak dikenal" in message and "manifest" not in message


def test_bad_manifest_member_is_named(offices: Offices) -> None:
    _refused(offices, _sealed(offices, {"full": "ya"}, {}), "manifest tidak sah: full")
    _refused(offices, _sealed(offices, {"counts": {"tabel_baru": 0}}, {}), "manifest tidak sah: counts")


def test_decompression_bomb_is_refused(offices: Offices) -> None:
    bomb = b"\n" * (60 * 1024 * 1024)
    _refused(offices, _sealed(offices, {}, {"rows/official.jsonl": bomb}), "bom dekompresi")


def test_rows_of_another_office_are_refused(offices: Offices) -> None:
    wedi_package = offices.send(offices.wedi, "w1.klsync")
    opened = package.open_package(wedi_package.read_bytes())
    _, tables = package.read_zip(package.decrypt(opened, identity.encryption_key(offices.regency)))
    path = _sealed(offices, {"counts": {"official": 30}}, {"rows/official.jsonl": tables["official"]})
    _refused(offices, path, "milik kantor lain")


def test_manifest_counts_must_match(offices: Offices) -> None:
    _refused(offices, _sealed(offices, {"counts": {"official": 3}}, {}), "jumlah baris")


def test_not_a_package_at_all(offices: Offices) -> None:
    path = offices.path("foto.jpg")
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    _refused(offices, path, "bukan paket")
    assert snapshot(offices.regency)["official"] == set()
