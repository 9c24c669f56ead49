"""The numbering register: format, per-year and per-kind sequences, reservations, voiding, gap report, and two
processes issuing at the same moment."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from klaten_desktop.db.models import NumberSequence, RegisterEntry
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.documents import letterhead, register
from klaten_desktop.services.errors import UserError
from klaten_desktop.services.letters import issue
from tests.conftest import SENGON

ROOT = Path(__file__).resolve().parents[2]


def test_default_format_and_kode_unit(ctx: ServiceContext) -> None:
    rows = register.reserve(ctx, SYSTEM, "pengantar", count=2, note="surat manual")
    assert [r.nomor for r in rows] == ["400.10.3/001/Kec.Prb/2026", "400.10.3/002/Kec.Prb/2026"]
    assert all(r.state == "reserved" and r.state_label == "Dicadangkan" for r in rows)
    assert letterhead.derive_kode_unit("PRAMBANAN") == "Kec.Prb"
    assert letterhead.derive_kode_unit("Klaten Selatan") == "Kec.KlS"
    assert letterhead.derive_kode_unit(None) == "Pemkab.Klt"


def test_configured_format_klasifikasi_and_per_kind_sequences(ctx: ServiceContext) -> None:
    letterhead.update(
        ctx,
        SYSTEM,
        format_nomor="{kode_klasifikasi}/{nomor}/{kode_unit}/{bulan_romawi}/{tahun}",
        klasifikasi={"iuran": "900.1", "*": "500.15.16"},
        kode_unit="Kec.PRB",
        urutan="per_jenis",
    )
    a = register.reserve(ctx, SYSTEM, "iuran", note="x")[0]
    b = register.reserve(ctx, SYSTEM, "keterangan", note="x")[0]
    c = register.reserve(ctx, SYSTEM, "iuran", note="x")[0]
    assert (a.nomor, b.nomor, c.nomor) == (
        "900.1/1/Kec.PRB/XI/2026",
        "500.15.16/1/Kec.PRB/XI/2026",
        "900.1/2/Kec.PRB/XI/2026",
    )
    assert {a.sequence, b.sequence} == {"surat.iuran", "surat.keterangan"}


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("{kode_klasifikasi}/{kode_unit}/{tahun}", "wajib memuat {nomor}"),
        ("{kode}/{nomor}", "tidak dikenal: kode"),
        ("{nomor:03x", "tidak sah"),
    ],
)
def test_bad_number_formats_are_refused(ctx: ServiceContext, fmt: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        letterhead.update(ctx, SYSTEM, format_nomor=fmt)


def test_sequence_restarts_on_first_of_january(ctx: ServiceContext) -> None:
    register.reserve(ctx, SYSTEM, "pengantar", count=3, note="x", on=dt.date(2026, 12, 31))
    new_year = register.reserve(ctx, SYSTEM, "pengantar", note="x", on=dt.date(2027, 1, 1))[0]
    assert new_year.nomor == "400.10.3/001/Kec.Prb/2027"
    assert register.gap_report(ctx, 2026).last_numbers == {"surat": 3}


def test_void_reserve_use_and_never_reuse(ctx: ServiceContext) -> None:
    first, second = register.reserve(ctx, SYSTEM, "pengantar", count=2, note="undangan rapat")
    voided = register.void(ctx, SYSTEM, first.nomor, reason="salah ketik")
    assert voided.state == "voided" and "salah ketik" in (voided.note or "")
    used = register.use_reserved(ctx, SYSTEM, second.nomor, note="dikirim 25/11")
    assert used.state == "issued"
    with pytest.raises(UserError, match="sudah dibatalkan"):
        register.void(ctx, SYSTEM, first.nomor, reason="lagi")
    with pytest.raises(UserError, match="Alasan"):
        register.void(ctx, SYSTEM, second.nomor, reason="  ")
    with pytest.raises(UserError, match="tidak berstatus dicadangkan"):
        register.use_reserved(ctx, SYSTEM, second.nomor)
    nxt = register.reserve(ctx, SYSTEM, "pengantar", note="x")[0]
    assert nxt.number == 3  # a voided number is never given out again
    assert [r.state for r in register.entries(ctx)] == ["voided", "issued", "reserved"]


def test_gap_report_lists_missing_numbers_and_open_reservations(office: ServiceContext, tmp_path: Path) -> None:
    issue.keterangan(office, SYSTEM, desa_kode=SENGON, out=tmp_path / "k.pdf")
    lost, reserved = register.reserve(office, SYSTEM, "pengantar", count=2, note="surat ke dinas")
    report = register.gap_report(office)
    assert report.missing == ()
    assert [r.nomor for r in report.reserved_open] == [lost.nomor, reserved.nomor]
    # numbers lost outside the app's control (a row removed by hand, a sequence bumped by a crashed older
    # version) show up as missing
    with office.write() as session:
        session.execute(delete(RegisterEntry).where(RegisterEntry.id == lost.id))
        session.execute(update(NumberSequence).values(last_number=NumberSequence.last_number + 1))
    report = register.gap_report(office)
    assert report.missing == (("surat", lost.number), ("surat", reserved.number + 1))
    assert not report.clean


_WORKER = textwrap.dedent(
    """
    import datetime as dt, json, sys, time
    from pathlib import Path
    from klaten_desktop.app import open_context
    from klaten_desktop.runtime.clock import ShiftedClock
    from klaten_desktop.runtime.paths import AppPaths
    from klaten_desktop.services.context import SYSTEM
    from klaten_desktop.services.documents import register

    data, go, name, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    url = sys.argv[5] if len(sys.argv) > 5 else None  # the PostgreSQL server's database (--db postgresql)
    ctx = open_context(AppPaths(data, database_url=url), clock=ShiftedClock.on(dt.date(2026, 11, 24)))
    (go.parent / f"ready-{name}").touch()
    while not go.exists():
        time.sleep(0.005)
    numbers = []
    for _ in range(n):
        numbers.append(register.reserve(ctx, SYSTEM, "pengantar", note=name)[0].number)
        time.sleep(0.003)  # like a person between two letters: lets the other process in
    print(json.dumps(numbers))
    """
)


def _server(ctx: ServiceContext) -> list[str]:
    """The URL of ``ctx``'s database on the PostgreSQL server (``--db postgresql``), else nothing."""
    return [ctx.engine.url.render_as_string(hide_password=False)] if ctx.on_server else []


def test_two_processes_issuing_at_once_get_no_duplicates_and_no_gaps(ctx: ServiceContext, tmp_path: Path) -> None:
    data = ctx.database.parent if ctx.database else tmp_path
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(data), str(go), f"proses-{i}", "100", *_server(ctx)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    everything = results[0] + results[1]
    assert len(everything) == 200
    assert Counter(everything).most_common(1)[0][1] == 1
    assert sorted(everything) == list(range(1, 201))
    # both really ran at the same time: their numbers interleave
    assert min(results[1]) < max(results[0]) and min(results[0]) < max(results[1])
    with ctx.read() as session:
        notes = Counter(session.scalars(select(RegisterEntry.note)))
    assert notes == {"proses-0": 100, "proses-1": 100}
    assert register.gap_report(ctx).missing == ()


def _start(command: list[str]) -> subprocess.Popen[str]:
    """One CLI process; under Wine, CreateProcess now and then fails with "Internal error" (WinError 1359) while
    another process starts, before the program runs at all: tried again then (nothing of ours has happened yet)."""
    for attempt in range(3):
        try:
            return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as exc:
            if getattr(exc, "winerror", None) != 1359 or attempt == 2:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def test_two_cli_processes_issuing_letters_at_once(office: ServiceContext, tmp_path: Path) -> None:
    data = office.database.parent if office.database else tmp_path
    desa = sorted({s.desa_kode for s in issue.subjects(office) if s.nomor_kpj})[:2]
    commands = [
        [
            sys.executable,
            "-m",
            "klaten_desktop",
            "--data-dir",
            str(data),
            *(["--db-url", *_server(office)] if office.on_server else []),
            "letters",
            "keterangan",
            "--desa",
            d,
            "--out",
            str(tmp_path / f"{d}.pdf"),
            "--json",
            "--date",
            "2026-11-24",
        ]
        for d in desa
    ]
    procs: list[subprocess.Popen[str]] = []
    numbers: list[int] = []
    try:
        for command in commands:
            procs.append(_start(command))
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            numbers += [int(d["nomor"].split("/")[1]) for d in json.loads(out)["documents"]]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.communicate()
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
