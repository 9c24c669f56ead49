"""SIGKILL while letters and certificates are issued (issue #19, "Fault tests in CI").

The real ``letters keterangan`` and ``certificates`` command lines run in a grandchild of the fork server
(tests/faults/forkserver.py), three batches a run, killed at counted events (SQL statements, commits, fsync and
rename of the PDF) and after seeded random delays. After every kill: ``PRAGMA integrity_check`` ok; every PDF in
the output folder is one the archive records (its SHA-256 in ``document``, so each number it prints is in the
register); every document has its register entry and every issued entry its document; the register has no hole;
a batch whose command returned is there, and a batch is there whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from klaten_desktop.services import events, office
from klaten_desktop.services.context import SYSTEM
from klaten_desktop.services.letters import options
from tests.faults.conftest import new_office
from tests.faults.harness import DB_NAME, WINDOWS_REASON, Campaign, ForkServer, Run, query, register_problems, sha256

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason=WINDOWS_REASON)

BATCHES = 3


@pytest.fixture(scope="module")
def documents_seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Prambanan with 60 demo officials, keterangan allowed for any status, and three events of three attendees."""
    folder = tmp_path_factory.mktemp("documents-seed")
    ctx = new_office(folder, officials=60, seed=7)
    options.set_allowed(ctx, SYSTEM, True)
    office.update(ctx, SYSTEM, bpjs_branch_name="Kantor Cabang BPJS Ketenagakerjaan Klaten",
                  bpjs_branch_head="Contoh Kepala Cabang, S.E.")  # fmt: skip
    ids = [r[0] for r in query(ctx.database, "SELECT id FROM official ORDER BY nik LIMIT 9")]
    for n in range(BATCHES):
        start = dt.datetime(2026, 12, 9 + n, 9, 0)
        event = events.create(ctx, SYSTEM, title=f"Sosialisasi Jaminan Sosial {n + 1}", starts_at=start,
                              ends_at=start + dt.timedelta(hours=3), place="Pendopo Kecamatan Prambanan",
                              organiser="Kecamatan Prambanan")  # fmt: skip
        events.add_participants(ctx, SYSTEM, event.id, ids[3 * n : 3 * n + 3])
        events.attend_all(ctx, SYSTEM, event.id)
    ctx.dispose()
    return folder


def _finished_batches_recorded(db: Path, out: Path, run: Run, name: str) -> list[str]:
    problems = []
    recorded = {r[0]: r[1] for r in query(db, "SELECT sha256, count(*) FROM document GROUP BY sha256")}
    for n in range(BATCHES):
        pdf = out / f"{name}-{n}.pdf"
        if run.finished.get(n) == 0 and not (pdf.exists() and sha256(pdf) in recorded):
            problems.append(f"{pdf.name}: the command returned but the file or its documents are missing")
    return problems


def test_kills_while_issuing_letters(forkserver: ForkServer, documents_seed: Path, tmp_path: Path) -> None:
    desa = [r[0] for r in query(
        documents_seed / "data" / DB_NAME,
        "SELECT o.desa_kode FROM official o JOIN enrollment e ON e.official_id = o.id WHERE e.registered_on IS NOT "
        "NULL AND e.ended_on IS NULL GROUP BY o.desa_kode HAVING count(*) BETWEEN 2 AND 6 ORDER BY o.desa_kode",
    )][:BATCHES]  # fmt: skip
    assert len(desa) == BATCHES

    def commands(folder: Path) -> list[list[str]]:
        data, out = str(folder / "data"), folder / "keluar"
        return [["--data-dir", data, "letters", "keterangan", "--desa", d, "--out", str(out / f"surat-{n}.pdf"),
                 "--date", "2026-11-24"] for n, d in enumerate(desa)]  # fmt: skip

    def verify(folder: Path, run: Run) -> list[str]:
        db, out = folder / "data" / DB_NAME, folder / "keluar"
        problems = register_problems(db, out) + _finished_batches_recorded(db, out, run, "surat")
        for sha, letters, batch in query(db, "SELECT sha256, count(*), count(DISTINCT recipients) FROM document "
                                             "GROUP BY sha256"):  # fmt: skip
            subjects = query(db, "SELECT count(*) FROM document_subject s JOIN document d ON d.id = s.document_id "
                                 "WHERE d.sha256 = ?", (sha,))[0][0]  # fmt: skip
            if subjects != letters:
                problems.append(f"a batch of {letters} letters ({batch} recipients) with {subjects} subjects")
        return problems

    campaign = Campaign("surat", documents_seed, commands, verify)
    campaign.run(forkserver, tmp_path, seed=19_03)
    assert not campaign.problems, "\n".join(campaign.problems)
    assert campaign.kills >= 40, campaign.points  # 6 x 40: at least 200 kills in all


def test_kills_while_issuing_certificates(forkserver: ForkServer, documents_seed: Path, tmp_path: Path) -> None:
    event_ids = [r[0] for r in query(documents_seed / "data" / DB_NAME, "SELECT id FROM event ORDER BY starts_at")]

    def commands(folder: Path) -> list[list[str]]:
        data, out = str(folder / "data"), folder / "keluar"
        return [["--data-dir", data, "certificates", "--event", e, "--out", str(out / f"sertifikat-{n}.pdf")]
                for n, e in enumerate(event_ids)]  # fmt: skip

    def verify(folder: Path, run: Run) -> list[str]:
        db, out = folder / "data" / DB_NAME, folder / "keluar"
        problems = register_problems(db, out) + _finished_batches_recorded(db, out, run, "sertifikat")
        for event_id, linked in query(db, "SELECT event_id, count(*) FROM event_certificate GROUP BY event_id"):
            if linked != 3:
                problems.append(f"event {event_id}: {linked} of its 3 certificates recorded")
        links = query(db, "SELECT count(*) FROM event_certificate")[0][0]
        documents = query(db, "SELECT count(*) FROM document WHERE kind = 'sertifikat'")[0][0]
        if links != documents:
            problems.append(f"{documents} certificates in the archive but {links} linked to their participant")
        return problems

    campaign = Campaign("sertifikat", documents_seed, commands, verify)
    campaign.run(forkserver, tmp_path, seed=19_04)
    assert not campaign.problems, "\n".join(campaign.problems)
    assert campaign.kills >= 40, campaign.points  # 6 x 40: at least 200 kills in all
