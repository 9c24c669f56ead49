"""Several packages at once (a stick from many kecamatan): one transaction, each package whole or not at all."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from klaten_desktop import cli
from klaten_desktop.db.models import Official
from klaten_desktop.db.models_sync import SyncPackage
from klaten_desktop.runtime.work import Cancelled
from klaten_desktop.services import officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.sync import importer
from tests.sync.conftest import Offices, exchange_keys, snapshot


def _packages(offices: Offices) -> list[Path]:
    """Prambanan's packages 1 and 2 (an official deleted in between) and Wedi's package 1."""
    p1 = offices.send(offices.prambanan, "sinkron-33.10.01-0001.klsync")
    with offices.prambanan.read() as session:
        first = session.scalar(select(Official.id).where(Official.deleted_at.is_(None)).order_by(Official.nik))
    officials.delete(offices.prambanan, SYSTEM, str(first))
    p2 = offices.send(offices.prambanan, "sinkron-33.10.01-0002.klsync")
    w1 = offices.send(offices.wedi, "sinkron-33.10.03-0001.klsync")
    return [p1, p2, w1]


def _received(ctx: ServiceContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(SyncPackage)) or 0)


def test_a_batch_ends_like_importing_one_by_one(offices: Offices) -> None:
    packages = _packages(offices)
    other = offices.make_ctx("kabupaten", name="regency2")  # a copy: the same identity and keys
    for kec in (offices.prambanan, offices.wedi):
        exchange_keys(kec, other, offices.folder / "kunci2")
    for path in packages:
        importer.import_package(other, SYSTEM, path)

    outcomes = importer.import_packages(offices.regency, SYSTEM, packages)

    assert [o.ok for o in outcomes] == [True, True, True]
    assert [(o.result.office, o.result.sequence) for o in outcomes if o.result] == [
        ("33.10.01", 1),
        ("33.10.01", 2),
        ("33.10.03", 1),
    ]
    assert snapshot(offices.regency) == snapshot(other)
    assert _received(offices.regency) == 3
    again = importer.import_packages(offices.regency, SYSTEM, packages)
    assert all(o.result is not None and o.result.already_imported for o in again)
    assert snapshot(offices.regency) == snapshot(other)


def test_a_refused_package_is_listed_and_the_others_are_imported(offices: Offices) -> None:
    p1, p2, w1 = _packages(offices)
    broken = offices.path("rusak.klsync")
    data = bytearray(p2.read_bytes())
    data[len(data) // 2] ^= 0x01
    broken.write_bytes(bytes(data))

    outcomes = importer.import_packages(offices.regency, SYSTEM, [p1, broken, w1])

    assert [o.ok for o in outcomes] == [True, False, True]
    refused = outcomes[1]
    assert refused.path == broken and refused.error and "Tidak ada data yang diubah" in refused.error
    assert _received(offices.regency) == 2
    assert snapshot(offices.regency, office_code="33.10.03") == snapshot(offices.wedi)


def test_a_dry_run_of_a_batch_sees_the_earlier_packages_and_writes_nothing(offices: Offices) -> None:
    p1, p2, w1 = _packages(offices)
    before = snapshot(offices.regency)

    alone = importer.import_package(offices.regency, SYSTEM, p2, dry_run=True)
    batch = importer.import_packages(offices.regency, SYSTEM, [p1, p2, w1], dry_run=True)

    assert alone.gaps == (1,)  # on its own, package 2 misses package 1
    second = batch[1].result
    assert second is not None and second.dry_run and second.gaps == () and second.tables["official"].deleted == 1
    assert batch[0].result is not None and batch[0].result.total("created") > 0
    assert snapshot(offices.regency) == before and _received(offices.regency) == 0


def test_a_cancelled_batch_keeps_nothing(offices: Offices) -> None:
    packages = _packages(offices)
    before = snapshot(offices.regency)
    seen: list[tuple[int, int]] = []

    with pytest.raises(Cancelled, match=r"^Impor paket dibatalkan; tidak ada data yang berubah\.$"):
        importer.import_packages(
            offices.regency, SYSTEM, packages, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: bool(seen)
        )

    assert seen == [(1, 3)]  # the first package was applied, then the cancel rolled it back
    assert snapshot(offices.regency) == before and _received(offices.regency) == 0


def test_an_unexpected_failure_rolls_back_the_whole_batch(offices: Offices, monkeypatch: pytest.MonkeyPatch) -> None:
    packages = _packages(offices)
    before = snapshot(offices.regency)
    real = importer.apply_rows
    calls: list[int] = []

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk penuh")
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "apply_rows", failing)
    with pytest.raises(OSError):
        importer.import_packages(offices.regency, SYSTEM, packages)

    assert len(calls) == 3
    assert snapshot(offices.regency) == before and _received(offices.regency) == 0


def _run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_imports_several_files(offices: Offices) -> None:
    p1, p2, w1 = _packages(offices)
    missing = offices.path("tidak-ada.klsync")

    code, out, err = _run(offices.regency, "sync", "import", str(p1), str(missing), str(p2), "--json")

    assert code == 1
    listed = json.loads(out)
    assert [item["file"] for item in listed] == [p1.name, missing.name, p2.name]
    assert listed[0]["office"] == "33.10.01" and listed[0]["sequence"] == 1 and listed[0]["dry_run"] is False
    assert set(listed[1]) == {"file", "error"} and "tidak ditemukan" in listed[1]["error"]
    assert "1 dari 3 paket ditolak (paket lainnya sudah diimpor)" in err and missing.name in err
    assert _received(offices.regency) == 2

    code, out, err = _run(offices.regency, "sync", "import", str(w1), str(p2))
    assert code == 0 and err == ""
    assert "Impor selesai: paket no. 1 dari 33.10.03" in out and "sudah pernah diimpor" in out
