"""Several PCs on one PostgreSQL database at once (issue #21): letter and certificate numbers, two edits of one
official, an import while another PC records payments, a long report while others write. Each PC is its own process."""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from klaten_desktop.db.models import AuditLog, ContributionPayment, Official, RegisterEntry
from klaten_desktop.services import accounts, audit_chain, demo, events, integrity, office, officials
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import register
from tests.conftest import SENGON
from tests.events.conftest import BRANCH_HEAD, EVENT_END, EVENT_START, EVENT_TITLE
from tests.server.conftest import PATIENCE_S, Office, locks_of_others, rt_workbook, table_digests
from tests.services.test_officials import fields as official_fields

PCS = 4
LETTERS_EACH = 40
IMPORTED = 300  # new officials in a desa's list


def test_letter_numbers_from_four_pcs_are_unique_and_without_gaps(ctx: ServiceContext, pcs: Office) -> None:
    workers = [pcs.start("reserve", f"pc-{i}", str(LETTERS_EACH)) for i in range(PCS)]
    pcs.go(PCS)
    results = pcs.results(workers)
    everything = [n for numbers in results for n in numbers]
    assert Counter(everything).most_common(1)[0][1] == 1  # no number given twice
    assert sorted(everything) == list(range(1, PCS * LETTERS_EACH + 1))  # and none skipped
    for numbers in results:
        assert numbers == sorted(numbers)  # each PC's numbers go up
    # they really issued at the same time: the PCs' ranges of numbers overlap
    assert any(min(a) < max(b) and min(b) < max(a) for a in results for b in results if a is not b)
    with ctx.read() as session:
        notes = Counter(session.scalars(select(RegisterEntry.note)))
    assert notes == {f"pc-{i}": LETTERS_EACH for i in range(PCS)}
    assert register.gap_report(ctx).missing == ()


def test_certificates_of_three_events_issued_on_three_pcs_at_once_have_unique_numbers(
    ctx: ServiceContext, pcs: Office, tmp_path: Path
) -> None:
    demo.populate(ctx, SYSTEM, 120)
    office.update(
        ctx, SYSTEM, bpjs_branch_name="Kantor Cabang BPJS Ketenagakerjaan Klaten", bpjs_branch_head=BRANCH_HEAD
    )
    attendees: dict[str, int] = {}
    for i in range(3):
        event = events.create(
            ctx,
            SYSTEM,
            title=f"{EVENT_TITLE} ({i + 1})",
            starts_at=EVENT_START,
            ends_at=EVENT_END,
            place="Pendopo Kecamatan Prambanan",
            organiser="Kecamatan Prambanan",
            speakers=[events.Speaker("Contoh Narasumber", "BPJS Ketenagakerjaan Cabang Klaten")],
        )
        events.add_from_registry(ctx, SYSTEM, event.id, desa_kode=SENGON)
        came = [p.id for p in events.participants(ctx, event.id)][: 6 + 2 * i]  # 6, 8 and 10 attended
        events.set_attendance(ctx, SYSTEM, event.id, came, True)
        attendees[event.id] = len(came)
    workers = [pcs.start("certificates", eid, str(tmp_path / f"sertifikat-{n}.pdf")) for n, eid in enumerate(attendees)]
    pcs.go(len(workers))
    results = pcs.results(workers)
    assert [len(numbers) for numbers in results] == list(attendees.values())
    everything = [n for numbers in results for n in numbers]
    assert len(set(everything)) == len(everything) == sum(attendees.values())  # no number given twice
    with ctx.read() as session:
        entries = session.execute(
            select(RegisterEntry.nomor, RegisterEntry.number).where(RegisterEntry.nomor.in_(everything))
        ).all()
    assert sorted(n for _, n in entries) == list(range(1, len(everything) + 1))  # one sequence, none skipped
    assert register.gap_report(ctx).missing == ()
    for n in range(len(workers)):
        assert (tmp_path / f"sertifikat-{n}.pdf").stat().st_size > 0


def test_two_staff_saving_one_official_one_is_told_who_saved_first(ctx: ServiceContext, pcs: Office) -> None:
    admin = accounts.create_first_admin(ctx, "sari", "Sari Wulandari", "kata-sandi-panjang-1")
    accounts.add_user(ctx, admin, "budi", "Budi Santoso", "operator", "kata-sandi-panjang-2")
    detail = officials.register(ctx, SYSTEM, official_fields())
    staff = {"sari": "Sari Wulandari", "budi": "Budi Santoso"}
    workers = {
        user: pcs.start("edit", user, name, detail.id, str(detail.row_version), f"Jl. Dari {name} 1")
        for user, name in staff.items()
    }
    pcs.go(2)
    results = {user: pcs.result(proc) for user, proc in workers.items()}
    saved = [user for user, r in results.items() if r["saved"]]
    assert len(saved) == 1, results  # exactly one save went through, never both
    (winner,) = saved
    (loser,) = set(staff) - {winner}
    assert results[winner]["row_version"] == detail.row_version + 1
    assert re.fullmatch(
        rf"Data ini diubah oleh {staff[winner]} pada 24 November 2026 \d\d\.\d\d WIB; muat ulang lalu ulangi\.",
        results[loser]["message"],
    )
    after = officials.get(ctx, detail.id)
    assert after.alamat == f"Jl. Dari {staff[winner]} 1" and after.row_version == detail.row_version + 1
    with ctx.read() as session:
        updates = session.scalars(
            select(AuditLog.actor).where(AuditLog.entity_id == detail.id, AuditLog.action == "update")
        ).all()
    assert updates == [winner]
    # the one told reloads and saves again: now it goes through
    again = officials.update_official(
        ctx, SYSTEM, detail.id, replace(officials.fields_of(after), alamat="Jl. Setelah Muat Ulang 2"),
        expected_version=after.row_version,
    )  # fmt: skip
    assert again.row_version == after.row_version + 1


def test_an_import_while_another_pc_records_batch_payments(ctx: ServiceContext, pcs: Office, tmp_path: Path) -> None:
    """Both are all-or-nothing transactions; run at once, each lands whole and the registry stays consistent."""
    demo.populate(ctx, SYSTEM, 240)
    with ctx.read() as session:
        by_desa = dict(
            session.execute(
                select(Official.desa_kode, func.count())
                .where(Official.deleted_at.is_(None))
                .group_by(Official.desa_kode)
            ).all()
        )
        paid_before = session.scalar(select(func.count()).select_from(ContributionPayment))
    paying = sorted(d for d in by_desa if d != SENGON)[:6]
    book = rt_workbook(tmp_path / "rt-sengon.xlsx", 300)
    payer = pcs.start("pay", *paying, "2026-12", "2027-06")
    importer = pcs.cli("import-officials", str(book), "--desa", SENGON, "--json")
    pcs.go(1)
    batches = pcs.result(payer)
    imported = pcs.result(importer)
    assert imported["created"] == 300 and imported["rejected"] == [], imported
    assert [b["desa"] for b in batches] == paying
    assert sum(b["recorded"] for b in batches) > 0
    with ctx.read() as session:
        assert (
            session.scalar(select(func.count()).where(Official.desa_kode == SENGON, Official.deleted_at.is_(None)))
            == by_desa.get(SENGON, 0) + 300
        )
        for batch in batches:  # each batch whole: as many payments as it said it recorded
            stored = session.scalar(select(func.count()).where(ContributionPayment.batch_id == batch["batch_id"]))
            assert stored == batch["recorded"], batch
        paid_after = session.scalar(select(func.count()).select_from(ContributionPayment))
    assert paid_after == paid_before + sum(b["recorded"] for b in batches)
    report = integrity.run(ctx)
    assert report.ok, report.findings
    chain = audit_chain.verify(ctx)
    assert chain.broken is None


def test_a_long_report_does_not_hold_up_the_staff_who_write(ctx: ServiceContext, pcs: Office) -> None:
    """A read transaction held open in another process (a long report): saves and letter numbers go on meanwhile."""
    reader = pcs.start("long_read", str(pcs.folder))
    pcs.go(1)
    while not (pcs.folder / "reading").exists():
        assert reader.poll() is None, reader.communicate()
        time.sleep(0.01)
    # while the report's transaction is open: a new official, a change, a letter number (each waits for nobody;
    # were they held up, the write lock's timeout would fail them and the report would never see "written")
    detail = officials.register(ctx, SYSTEM, official_fields())
    officials.update_official(
        ctx, SYSTEM, detail.id, replace(officials.fields_of(detail), alamat="Jl. Saat Laporan 3"), expected_version=1
    )
    number = register.reserve(ctx, SYSTEM, "pengantar", note="saat laporan")[0].number
    (pcs.folder / "written").touch()
    result = pcs.result(reader)
    assert result["still_open"] is True  # the writes above happened inside the report's transaction
    assert result["before"] == 0 and result["after"] == 1  # read committed: the report's next query sees them
    assert number == 1 and officials.get(ctx, detail.id).alamat == "Jl. Saat Laporan 3"


def test_two_pcs_importing_the_same_list_at_once_one_adds_it_the_other_nothing(
    ctx: ServiceContext, pcs: Office, tmp_path: Path
) -> None:
    """Both previewed before either saved (300 new each); the second to save is refused whole: nothing of it kept,
    no lock left (imports are all or nothing on the server too)."""
    demo.populate(ctx, SYSTEM, 60)
    book = rt_workbook(tmp_path / "rt-sengon.xlsx", IMPORTED)
    chain_before = audit_chain.verify(ctx)
    before = table_digests(ctx)
    procs = [pcs.start("import_officials", str(book), SENGON, str(pcs.folder)) for _ in range(2)]
    pcs.go(2)
    deadline = time.monotonic() + PATIENCE_S
    while len(list(pcs.folder.glob("planned-*"))) < 2:
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "the previews did not finish"
        time.sleep(0.01)
    (pcs.folder / "apply").touch()
    results = sorted(pcs.results(procs), key=lambda r: "refused" in r)
    assert [r["planned"] for r in results] == [IMPORTED, IMPORTED]
    saved, refused = results
    assert saved["created"] == IMPORTED
    assert "Tidak ada yang disimpan" in refused["refused"], refused
    after = table_digests(ctx)
    assert after["official"][0] == before["official"][0] + IMPORTED
    chain = audit_chain.verify(ctx)
    assert chain.broken is None
    assert chain.entries == chain_before.entries + IMPORTED + 1  # an entry per new official, one for the import
    assert locks_of_others(ctx) == []
