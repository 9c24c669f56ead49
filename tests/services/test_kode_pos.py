"""Kode pos per desa (setting ``wilayah.kode_pos``): five digits beginning 57, only for a desa of the office's area,
cleared with an empty value, audited; unknown stays empty."""

from __future__ import annotations

import pytest

from klaten_desktop.services import audit, kode_pos, settings
from klaten_desktop.services.context import SYSTEM, ServiceContext
from klaten_desktop.services.errors import UserError

SENGON = "33.10.01.2001"


def test_set_list_and_clear(ctx: ServiceContext) -> None:
    rows = kode_pos.rows(ctx)
    assert rows and all(r.desa_kode.startswith("33.10.01.") for r in rows)  # Prambanan's desa only
    assert all(r.kode_pos is None for r in rows)
    assert kode_pos.set_code(ctx, SYSTEM, SENGON, " 57454 ") == "57454"
    assert settings.get(ctx, "wilayah.kode_pos") == {SENGON: "57454"}
    assert [r.kode_pos for r in kode_pos.rows(ctx) if r.desa_kode == SENGON] == ["57454"]
    last = audit.recent(ctx, limit=1)[0]
    assert (last.action, last.entity, last.entity_id) == ("update", "kode_pos", SENGON)
    assert kode_pos.set_code(ctx, SYSTEM, SENGON, "") is None
    assert kode_pos.codes(ctx) == {}


@pytest.mark.parametrize(("desa", "code", "match"), [
    (SENGON, "5745", "5 angka berawalan 57"),
    (SENGON, "12345", "5 angka berawalan 57"),
    (SENGON, "57a54", "5 angka berawalan 57"),
    ("33.10.25.1001", "57411", "tidak termasuk Kecamatan"),
    ("33.10.99.2001", "57411", "tidak ada dalam daftar wilayah"),
])  # fmt: skip
def test_bad_codes_refused_unchanged(ctx: ServiceContext, desa: str, code: str, match: str) -> None:
    with pytest.raises(UserError, match=match):
        kode_pos.set_code(ctx, SYSTEM, desa, code)
    assert kode_pos.codes(ctx) == {}
