"""SIGKILL during sync export (kecamatan) and sync import (regency) (issue #19, "Fault tests in CI").

The real ``sync export`` and ``sync import`` command lines run in a grandchild of the fork server
(tests/faults/forkserver.py), killed at counted events (SQL statements, commits, fsync and rename of the package)
and after seeded random delays. After every kill: ``PRAGMA integrity_check`` ok; every package file in the output
folder is recorded as sent (no orphan package whose sequence the office would use again with other bytes) and the
sent sequences have no hole; a package whose import returned is recorded with all its rows, and a package is
imported whole or not at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from klaten_desktop.domain.months import YearMonth
from klaten_desktop.services import payments
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.sync.export import export
from tests.faults.conftest import new_office
from tests.faults.harness import DB_NAME, WINDOWS_REASON, Campaign, ForkServer, Run, package_problems, query
from tests.sync.conftest import exchange_keys

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason=WINDOWS_REASON)

ROUNDS = 3
MONTHS = ("2027-01", "2027-02", "2027-03")


@pytest.fixture(scope="module")
def sync_seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[int, tuple[str, list[str]]]]:
    """Prambanan (40 demo officials) and the regency, keys exchanged; three packages Prambanan sent in turn (all
    its officials, then a month of payments for one desa, then another), with the ids each one brings."""
    base = tmp_path_factory.mktemp("sync-seed")
    kecamatan = new_office(base / "kecamatan", officials=40, seed=9)
    regency = new_office(base / "kabupaten", role="kabupaten")
    exchange_keys(kecamatan, regency, base / "kunci")
    regency.dispose()
    (desa,) = query(
        kecamatan.database,
        "SELECT o.desa_kode FROM official o JOIN enrollment e ON e.official_id = o.id WHERE e.registered_on IS NOT "
        "NULL AND e.ended_on IS NULL GROUP BY o.desa_kode ORDER BY count(*) DESC",
    )[0]
    brings: dict[int, tuple[str, list[str]]] = {}
    packages = base / "paket"
    packages.mkdir()
    for n in range(ROUNDS):
        if n == 0:
            brings[1] = ("official", [r[0] for r in query(kecamatan.database, "SELECT id FROM official")])
        else:
            month = YearMonth.parse(MONTHS[n - 1])
            payments.pay_desa(kecamatan, SYSTEM, desa, start=month, end=month)
            ids = [r[0] for r in query(kecamatan.database, "SELECT id FROM contribution_payment WHERE periode = ?",
                                       (str(month),))]  # fmt: skip
            brings[n + 1] = ("contribution_payment", ids)
        export(kecamatan, SYSTEM, packages / f"paket-{n + 1}.klsync")
    kecamatan.dispose()
    return base / "kecamatan", base / "kabupaten", brings


def test_kills_during_sync_export(forkserver: ForkServer, sync_seed: tuple[Path, Path, object],
                                  tmp_path: Path) -> None:  # fmt: skip
    kecamatan, _, _ = sync_seed
    (nik,) = query(
        kecamatan / "data" / DB_NAME,
        "SELECT o.nik FROM official o JOIN enrollment e ON e.official_id = o.id "
        "WHERE e.registered_on IS NOT NULL AND e.ended_on IS NULL ORDER BY o.nik LIMIT 1",
    )[0]

    def commands(folder: Path) -> list[list[str]]:
        data, out = str(folder / "data"), folder / "keluar"
        result: list[list[str]] = []
        for n in range(ROUNDS):  # a change, then the package that carries it
            month = f"2028-0{n + 1}"
            result.append(
                ["--data-dir", data, "enrollment", "pay", "--nik", nik, "--from", month, "--to", month, "--yes"]
            )
            result.append(["--data-dir", data, "sync", "export", "--out", str(out / f"paket-{n}.klsync")])
        return result

    def verify(folder: Path, run: Run) -> list[str]:
        db, out = folder / "data" / DB_NAME, folder / "keluar"
        problems = package_problems(db, out)
        sent = query(db, "SELECT count(*) FROM sync_package WHERE direction = 'sent'")[0][0]
        for n in range(ROUNDS):
            package = out / f"paket-{n}.klsync"
            if run.finished.get(2 * n + 1) == 0 and not package.exists():
                problems.append(f"{package.name}: the export returned but the file is missing")
        done = sum(1 for n in range(ROUNDS) if run.finished.get(2 * n + 1) == 0)
        if sent < 3 + done:  # the seed office sent three before
            problems.append(f"{done} exports returned but only {sent - 3} recorded")
        return problems

    campaign = Campaign("ekspor", kecamatan, commands, verify)
    campaign.run(forkserver, tmp_path, seed=19_05)
    assert not campaign.problems, "\n".join(campaign.problems)
    assert campaign.kills >= 40, campaign.points  # 6 x 40: at least 200 kills in all


def test_kills_during_sync_import(forkserver: ForkServer,
                                  sync_seed: tuple[Path, Path, dict[int, tuple[str, list[str]]]],
                                  tmp_path: Path) -> None:  # fmt: skip
    kecamatan, regency, brings = sync_seed
    packages = kecamatan.parent / "paket"

    def commands(folder: Path) -> list[list[str]]:
        data = str(folder / "data")
        return [["--data-dir", data, "sync", "import", str(packages / f"paket-{n}.klsync")]
                for n in range(1, ROUNDS + 1)]  # fmt: skip

    def verify(folder: Path, run: Run) -> list[str]:
        db = folder / "data" / DB_NAME
        problems = []
        for sequence, (table, ids) in brings.items():
            recorded = query(db, "SELECT count(*) FROM sync_package WHERE direction = 'received' AND sequence = ?",
                             (sequence,))[0][0]  # fmt: skip
            marks = ",".join("?" * len(ids))
            present = query(db, f"SELECT count(*) FROM {table} WHERE id IN ({marks})", ids)[0][0]
            if (recorded, present) not in ((0, 0), (1, len(ids))):
                problems.append(f"package {sequence}: recorded {recorded} time(s) with {present} of {len(ids)} rows")
            if run.finished.get(sequence - 1) == 0 and not recorded:
                problems.append(f"package {sequence}: the import returned but the package is not recorded")
        return problems

    campaign = Campaign("impor-paket", regency, commands, verify)
    campaign.run(forkserver, tmp_path, seed=19_06)
    assert not campaign.problems, "\n".join(campaign.problems)
    assert campaign.kills >= 40, campaign.points  # 6 x 40: at least 200 kills in all
