"""NIK privacy (issue #20): the display mask, the audited reveal of one official's NIK, and exports with the NIK in
full (audited), masked, or left out (``tanpa NIK``) for lists that go to a desa or the public."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from klaten_desktop import cli
from klaten_desktop.db.models import AuditLog
from klaten_desktop.domain.nik import mask_nik_display
from klaten_desktop.services import demo, exports, officials
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError

SENGON = "33.10.01.2001"
CLERK = Actor("sari", "Sari", "operator")


def _audit(ctx: ServiceContext, action: str) -> list[tuple[str, str | None, str | None]]:
    with ctx.read() as session:
        rows = session.execute(
            select(AuditLog.actor, AuditLog.entity_id, AuditLog.new_values)
            .where(AuditLog.action == action)
            .order_by(AuditLog.id)
        )
        return [tuple(r) for r in rows]


def _sheet(path: Path) -> list[dict[str, object]]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _full_nik_exports(ctx: ServiceContext) -> list[tuple[str, str | None, str | None]]:
    return [e for e in _audit(ctx, "export") if e[2] is not None and '"bentuk_nik": "lengkap"' in e[2]]


def test_the_display_mask_keeps_region_and_serial_and_hides_the_birth_date() -> None:
    assert mask_nik_display("3310014506820003") == "3310 01•• •••• 0003"
    assert mask_nik_display("33100145") == "••••0145"


def test_reveal_returns_the_whole_nik_and_records_who_saw_it_masked(ctx: ServiceContext) -> None:
    demo.populate(ctx, SYSTEM, 5, seed=2)
    row = officials.list_rows(ctx)[0]
    assert officials.reveal_nik(ctx, CLERK, row.id) == row.nik
    [(actor, entity_id, values)] = _audit(ctx, "reveal_nik")
    assert (actor, entity_id) == ("sari", row.id)
    assert row.nik not in (values or "")  # the entry names the row, never the NIK
    with pytest.raises(UserError, match="tidak ditemukan"):
        officials.reveal_nik(ctx, CLERK, "tidak-ada")
    assert len(_audit(ctx, "reveal_nik")) == 1


def test_exports_in_full_masked_or_without_nik(ctx: ServiceContext, tmp_path: Path) -> None:
    demo.populate(ctx, SYSTEM, 20, seed=4)
    serving = {r.nama: r.nik for r in officials.list_rows(ctx, serving_only=True)}

    full = tmp_path / "bpjs.xlsx"
    count = exports.export_bpjs_list(ctx, CLERK, full, include_registered=True)
    assert {row["Nama"]: row["NIK"] for row in _sheet(full)} == serving
    [(actor, _, values)] = _full_nik_exports(ctx)
    assert actor == "sari" and values is not None and f'"baris": {count}' in values

    masked = tmp_path / "tersamar.xlsx"
    exports.export_officials(ctx, CLERK, masked, nik=exports.NIK_MASKED)
    assert {row["Nama"]: row["NIK"] for row in _sheet(masked)} == {n: mask_nik_display(k) for n, k in serving.items()}

    without = tmp_path / "tanpa-nik.csv"
    exports.export_officials(ctx, CLERK, without, nik=exports.NIK_NONE)
    text = without.read_text(encoding="utf-8-sig")
    assert "NIK" not in text.splitlines()[0] and not any(k in text for k in serving.values())
    assert len(_full_nik_exports(ctx)) == 1  # every export is recorded; one of them with full NIKs
    assert len(_audit(ctx, "export")) == 3

    with pytest.raises(UserError, match="Pilihan NIK tidak dikenal"):
        exports.export_officials(ctx, CLERK, tmp_path / "x.xlsx", nik="separuh")


def test_cli_export_tanpa_nik(ctx: ServiceContext, tmp_path: Path) -> None:
    demo.populate(ctx, SYSTEM, 10, seed=5)
    out = tmp_path / "untuk-desa.xlsx"
    assert cli.run(cli.parse(["export-officials", str(out), "--desa", SENGON, "--tanpa-nik"]), ctx) == 0
    rows = _sheet(out)
    assert rows and all("NIK" not in row for row in rows)
    assert _full_nik_exports(ctx) == []
    masked = tmp_path / "tersamar.xlsx"
    assert cli.run(cli.parse(["export-officials", str(masked), "--nik-tersamar"]), ctx) == 0
    assert all("••" in str(row["NIK"]) for row in _sheet(masked))
