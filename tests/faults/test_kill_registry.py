"""SIGKILL during imports of desa workbooks and during batch contribution payments (issue #19, "Fault tests in CI").

Each test runs the real command lines in a grandchild of the fork server (tests/faults/forkserver.py) on a copy of
an office built once for the module, kills it at counted events (every SQL statement, commit and file operation
is an event; half the points at commits and file operations) and after seeded random delays, and then checks the
data folder as the next start finds it: ``PRAGMA integrity_check`` ok, every command that returned has its work
in the database, and no import or payment batch is there in part.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.faults.conftest import new_office
from tests.faults.harness import DB_NAME, WINDOWS_REASON, Campaign, ForkServer, Run, query
from tests.imports.conftest import write_xlsx

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason=WINDOWS_REASON)

SENGON = "33.10.01.2001"
FILES, PER_FILE = 3, 6
MONTHS = ("2027-01", "2027-02", "2027-03")


def _nik(file: int, row: int) -> str:
    return f"331001{row + 1:02d}{file + 1:02d}75{file * 100 + row + 1:04d}"


@pytest.fixture(scope="module")
def registry_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Prambanan with 60 demo officials, and three desa workbooks of six new Ketua RT each (in RW 31-33)."""
    folder = tmp_path_factory.mktemp("registry-seed")
    ctx = new_office(folder, officials=60, seed=5)
    ctx.dispose()
    for f in range(FILES):
        rows: list[list[object]] = [["No", "Nama", "NIK", "RT", "RW"]]
        rows += [[r + 1, f"Contoh Impor {f}-{r}", _nik(f, r), r + 1, 31 + f] for r in range(PER_FILE)]
        write_xlsx(folder / f"desa-{f}.xlsx", rows)
    return folder


def test_kills_during_imports(forkserver: ForkServer, registry_seed: Path, tmp_path: Path) -> None:
    def commands(folder: Path) -> list[list[str]]:
        data = str(folder / "data")
        return [["--data-dir", data, "import-officials", str(registry_seed / f"desa-{f}.xlsx"), "--desa", SENGON]
                for f in range(FILES)]  # fmt: skip

    def verify(folder: Path, run: Run) -> list[str]:
        db = folder / "data" / DB_NAME
        problems = []
        for f in range(FILES):
            niks = [_nik(f, r) for r in range(PER_FILE)]
            marks = ",".join("?" * len(niks))
            (present,) = query(db, f"SELECT count(*) FROM official WHERE nik IN ({marks})", niks)[0]
            if present not in (0, PER_FILE):
                problems.append(f"half an import: {present} of {PER_FILE} officials of desa-{f}.xlsx")
            if run.finished.get(f) == 0 and present != PER_FILE:
                problems.append(f"import of desa-{f}.xlsx returned but {present} of its officials are there")
        return problems

    campaign = Campaign("impor", registry_seed, commands, verify)
    campaign.run(forkserver, tmp_path, seed=19_01)
    assert not campaign.problems, "\n".join(campaign.problems)
    assert campaign.kills >= 40, campaign.points  # 6 x 40: at least 200 kills in all


def test_kills_during_payment_batches(forkserver: ForkServer, registry_seed: Path, tmp_path: Path) -> None:
    seed_db = registry_seed / "data" / DB_NAME
    # the desa with the most registered officials: each batch pays one month for all of them
    (desa,) = query(
        seed_db,
        "SELECT o.desa_kode FROM official o JOIN enrollment e ON e.official_id = o.id "
        "WHERE e.registered_on IS NOT NULL AND e.ended_on IS NULL GROUP BY o.desa_kode ORDER BY count(*) DESC",
    )[0]

    def commands(folder: Path) -> list[list[str]]:
        data = str(folder / "data")
        # --yes: some months are ahead of the wall clock, which the command asks about first
        return [["--data-dir", data, "enrollment", "pay", "--desa", desa, "--from", m, "--to", m,
                 "--paid-on", "2026-11-24", "--yes"] for m in MONTHS]  # fmt: skip

    expected: dict[str, int] = {}

    def verify(folder: Path, run: Run) -> list[str]:
        db = folder / "data" / DB_NAME
        problems = []
        for n, month in enumerate(MONTHS):
            rows = query(db, "SELECT count(*), count(DISTINCT batch_id) FROM contribution_payment WHERE periode = ?",
                         (month,))  # fmt: skip
            paid, batches = rows[0]
            if run.finished.get(n) == 0 and not run.killed and len(run.finished) == len(MONTHS):
                expected.setdefault(month, paid)  # the calibration run: every batch done
            full = expected.get(month)
            if batches > 1 or (full is not None and paid not in (0, full)):
                problems.append(f"half a payment batch for {month}: {paid} of {full} months in {batches} batches")
            if run.finished.get(n) == 0 and paid == 0:
                problems.append(f"payment batch {month} returned but is not in the database")
        audits = query(db, "SELECT count(*) FROM audit_log WHERE action = 'pay'")[0][0]
        paid_total = query(db, "SELECT count(DISTINCT enrollment_id || batch_id) FROM contribution_payment "
                               "WHERE periode >= '2027-01'")[0][0]  # fmt: skip
        if audits != paid_total:
            problems.append(f"{paid_total} enrollments paid in the batches but {audits} audit records")
        return problems

    campaign = Campaign("iuran", registry_seed, commands, verify)
    campaign.run(forkserver, tmp_path, seed=19_02)
    assert expected and all(expected.values()), expected
    assert not campaign.problems, "\n".join(campaign.problems)
    assert campaign.kills >= 40, campaign.points  # 6 x 40: at least 200 kills in all
