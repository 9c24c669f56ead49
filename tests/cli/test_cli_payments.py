"""``enrollment pay`` shows its summary (``--dry-run``) and asks before anything unusual; ``enrollment
void-payment`` undoes a mistake; ``enrollment register`` asks before an unusual KPJ start date."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from klaten_desktop import cli
from klaten_desktop.cli import base
from klaten_desktop.services import enrollment, officials, payments
from klaten_desktop.services.context import SYSTEM, ServiceContext
from tests.services.test_officials import NIK_MAN, NIK_OTHER, fields

SENGON = "33.10.01.2001"


def run(ctx: ServiceContext, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(cli.parse(list(argv)), ctx, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def registered(ctx: ServiceContext) -> ServiceContext:
    for nik, nama, rt in ((NIK_MAN, "Sumarno", 3), (NIK_OTHER, "Joko Santoso", 4)):
        oid = officials.register(ctx, SYSTEM, fields(nik=nik, nama=nama, rt=rt, tanggal_lahir=None)).id
        enrollment.register(ctx, SYSTEM, oid, kpj=f"1234567890{rt}", start=dt.date(2026, 1, 5))
    return ctx


def _live(ctx: ServiceContext) -> int:
    return sum(len(payments.history(ctx, r.id)) for r in officials.list_rows(ctx))


def test_pay_dry_run_shows_the_summary_and_records_nothing(registered: ServiceContext) -> None:
    code, out, err = run(
        registered, "enrollment", "pay", "--desa", SENGON, "--from", "2026-01", "--to", "2027-11", "--dry-run", "--json"
    )
    assert code == 0 and err == ""
    plan = json.loads(out)
    assert plan["dry_run"] is True and plan["unusual"] is True
    assert (plan["officials"], plan["months"], plan["months_recorded"], plan["total_amount"]) == (
        2,
        23,
        46,
        46 * 16_800,
    )
    assert plan["future_months"][0] == "2026-12" and len(plan["future_months"]) == 12
    assert any("lebih dari 12 bulan" in w for w in plan["warnings"])
    assert _live(registered) == 0

    code, out, _ = run(
        registered, "enrollment", "pay", "--nik", NIK_MAN, "--from", "2026-01", "--to", "2026-11", "--dry-run"
    )
    assert code == 0
    assert out.startswith("Uji coba (tidak ada yang dicatat): 11 bulan iuran untuk 1 pengurus")
    assert "Rp 184.800" in out and "⚠" not in out


def test_pay_unusual_needs_yes_without_a_console(registered: ServiceContext) -> None:
    argv = ("enrollment", "pay", "--desa", SENGON, "--from", "2026-01", "--to", "2027-11")
    code, out, err = run(registered, *argv)
    assert code == 1 and out == ""
    assert "lebih dari 12 bulan" in err and "--yes" in err
    assert _live(registered) == 0
    code, out, _ = run(registered, *argv, "--yes", "--json")
    assert code == 0 and json.loads(out)["months_recorded"] == 46


def test_pay_asks_the_person_at_the_console(registered: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "stdin_is_console", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("tidak\n"))
    argv = ("enrollment", "pay", "--nik", NIK_MAN, "--from", "2026-06", "--to", "2026-12")
    code, out, _ = run(registered, *argv)
    assert code == 1 and "1 bulan belum tiba (Desember 2026)" in out and "Dibatalkan" in out
    assert _live(registered) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("ya\n"))
    code, out, _ = run(registered, *argv)
    assert code == 0 and "7 bulan iuran dicatat" in out
    # a usual range is recorded without a question
    code, out, _ = run(registered, "enrollment", "pay", "--nik", NIK_OTHER, "--from", "2026-01", "--to", "2026-11")
    assert code == 0 and "Ketik 'ya'" not in out


def test_void_payment_by_batch_and_by_nik(registered: ServiceContext) -> None:
    code, out, _ = run(
        registered, "enrollment", "pay", "--desa", SENGON, "--from", "2026-01", "--to", "2027-11", "--yes", "--json"
    )
    batch = json.loads(out)["batch_id"]
    code, out, err = run(registered, "enrollment", "void-payment", "--batch", batch, "--from", "2026-12",
                         "--reason", "salah tahun", "--dry-run", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "payments": 24,
        "officials": 2,
        "total_amount": 24 * 16_800,
        "from": "2026-12",
        "to": "2027-11",
        "dry_run": True,
    }
    assert _live(registered) == 46
    code, out, _ = run(registered, "enrollment", "void-payment", "--batch", batch, "--from", "2026-12",
                       "--reason", "salah tahun")  # fmt: skip
    assert code == 0 and out.startswith("24 bulan iuran 2 pengurus (Desember 2026 s.d. November 2027)")
    assert _live(registered) == 22
    code, out, _ = run(registered, "enrollment", "void-payment", "--nik", NIK_MAN, "--from", "2026-11", "--to",
                       "2026-11", "--reason", "belum dibayar", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["payments"] == 1
    man = officials.serving_by_nik(registered, NIK_MAN)
    assert officials.get(registered, man.id).enrollment.paid_through == "2026-10"  # type: ignore[union-attr]
    code, _, err = run(registered, "enrollment", "void-payment", "--nik", NIK_MAN, "--from", "2026-11", "--reason", "x")
    assert code == 1 and "Tidak ada iuran tercatat" in err
    code, _, err = run(registered, "enrollment", "void-payment", "--batch", batch, "--reason", "  ")
    assert code == 1 and "Alasan pembatalan wajib diisi" in err


def test_register_asks_before_a_start_before_the_submission(ctx: ServiceContext) -> None:
    oid = officials.register(ctx, SYSTEM, fields()).id
    enrollment.submit(ctx, SYSTEM, [oid], on=dt.date(2026, 10, 1))
    argv = ("enrollment", "register", "--nik", NIK_MAN, "--kpj", "12345678901", "--start", "2025-01-06")
    code, _, err = run(ctx, *argv)
    assert code == 1 and "lebih awal daripada tanggal pengajuan" in err and "--yes" in err
    assert officials.get(ctx, oid).status.value == "diajukan"
    code, out, err = run(ctx, *argv, "--yes", "--json")
    assert code == 0, err
    assert json.loads(out)["registered_on"] == "2025-01-06"
    assert officials.get(ctx, oid).status.value == "nonaktif"
