"""The audit trail's hash chain: each entry links to the one before, a raw SQL edit or delete is found and named,
the details of old entries are purged by retention while the chain still verifies, and personal data is masked."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from klaten_desktop.db.dialects import driver_sql
from klaten_desktop.db.models import AuditLog
from klaten_desktop.domain import audit as rules
from klaten_desktop.domain.enums import Jabatan, Sex
from klaten_desktop.domain.official_rules import OfficialFields
from klaten_desktop.services import audit, audit_chain, exports, integrity, officials, settings
from klaten_desktop.services.context import SYSTEM, Actor, ServiceContext
from klaten_desktop.services.errors import UserError

NIK = "3310011205700001"
CLERK = Actor("sri", "Sri Lestari", "operator")
ADMIN = Actor("ani", "Ani", "admin")


def _fields(nik: str = NIK, rt: int = 3, telepon: str = "081234567890") -> OfficialFields:
    return OfficialFields(
        nik=nik,
        nama="Sumarno",
        tempat_lahir="Klaten",
        tanggal_lahir=dt.date(1970, 5, 12),
        jenis_kelamin=Sex.L,
        alamat="Dukuh Sengon",
        desa_kode="33.10.01.2001",
        rw=2,
        rt=rt,
        jabatan=Jabatan.ketua_rt,
        term_start=dt.date(2024, 1, 1),
        term_end=dt.date(2028, 12, 31),
        sk_nomor="400/012/2024",
        sk_tanggal=dt.date(2023, 12, 20),
        telepon=telepon,
    )


def _three_entries(ctx: ServiceContext) -> list[int]:
    detail = officials.register(ctx, CLERK, _fields())
    officials.update_official(
        ctx, CLERK, detail.id, _fields(telepon="081298765432"), expected_version=detail.row_version
    )
    officials.register(ctx, CLERK, _fields(nik="3310012309800003", rt=4))
    with ctx.read() as session:
        return list(session.scalars(select(AuditLog.id).order_by(AuditLog.id)))


def _raw(ctx: ServiceContext, sql: str, *params: object) -> None:
    """``sql`` run outside the app: the sqlite3 module on the file, or a plain connection to the server."""
    if ctx.on_server:
        with ctx.engine.connect() as conn:
            conn.exec_driver_sql(driver_sql(sql, conn), tuple(params))
            conn.commit()
        return
    ctx.dispose()
    assert ctx.database is not None
    con = sqlite3.connect(ctx.database)
    with con:
        con.execute(sql, params)
    con.close()


def test_each_entry_links_to_the_one_before(ctx: ServiceContext) -> None:
    ids = _three_entries(ctx)
    with ctx.read() as session:
        rows = session.execute(select(AuditLog.prev_hash, AuditLog.hash).order_by(AuditLog.id)).all()
    assert rows[0].prev_hash == rules.GENESIS  # the template's first entry starts the chain
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.hash
    state = audit_chain.verify(ctx)
    assert state.broken is None and state.entries == len(ids) and state.head == rows[-1].hash
    assert audit_chain.head(ctx) == (ids[-1], rows[-1].hash)


def test_raw_update_is_found_and_named(ctx: ServiceContext) -> None:
    ids = _three_entries(ctx)
    target = ids[-2]
    _raw(ctx, "UPDATE audit_log SET actor = 'orang_lain' WHERE id = ?", target)
    broken = audit_chain.verify(ctx).broken
    assert broken is not None and broken.entry_id == target
    assert f"#{target}" in broken.message
    report = integrity.run(ctx)
    assert not report.ok
    assert any(f.code == "audit_chain" and f"#{target}" in f.message for f in report.findings)


def test_raw_update_of_values_is_found(ctx: ServiceContext) -> None:
    ids = _three_entries(ctx)
    _raw(ctx, "UPDATE audit_log SET new_values = '{}' WHERE id = ?", ids[-1])
    broken = audit_chain.verify(ctx).broken
    assert broken is not None and broken.entry_id == ids[-1] and "rincian" in broken.reason


def test_raw_delete_is_found_at_the_next_entry(ctx: ServiceContext) -> None:
    ids = _three_entries(ctx)
    _raw(ctx, "DELETE FROM audit_log WHERE id = ?", ids[-2])
    broken = audit_chain.verify(ctx).broken
    assert broken is not None and broken.entry_id == ids[-1]
    assert "dihapus" in broken.reason


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(ctx: ServiceContext) -> None:
    ids = _three_entries(ctx)
    with ctx.read() as session:
        row = session.execute(select(AuditLog).where(AuditLog.id == ids[-2])).scalar_one()
        forged = rules.entry_hash(row.prev_hash, row.at, "orang_lain", row.action, row.entity, row.entity_id,
                                  row.details_hash)  # fmt: skip
    _raw(ctx, "UPDATE audit_log SET actor = 'orang_lain', hash = ? WHERE id = ?", forged, ids[-2])
    broken = audit_chain.verify(ctx).broken
    assert broken is not None and broken.entry_id == ids[-1]


def test_personal_data_is_masked_in_audit_values(ctx: ServiceContext) -> None:
    detail = officials.register(ctx, CLERK, _fields())
    officials.update_official(
        ctx, CLERK, detail.id, _fields(telepon="081298765432"), expected_version=detail.row_version
    )
    with ctx.read() as session:
        stored = session.execute(
            select(AuditLog.old_values, AuditLog.new_values).where(AuditLog.entity == "official").order_by(AuditLog.id)
        )
        texts = [(o or "") + (n or "") for o, n in stored]
    joined = " ".join(texts)
    assert NIK not in joined and "1970-05-12" not in joined
    assert "081234567890" not in joined and "081298765432" not in joined
    created = json.loads(texts[0])
    assert created["nik"] == "3310 01•• •••• 0001"
    assert created["tanggal_lahir"] == "1970-••-••"
    assert created["telepon"] == "0812••••7890"
    assert "0812••••5432" in texts[1]


def test_purge_keeps_the_chain_verifiable(make_ctx: Callable[..., ServiceContext]) -> None:
    old = make_ctx(today=dt.date(2019, 3, 1))
    officials.register(old, CLERK, _fields())
    old.dispose()
    ctx = make_ctx(today=dt.date(2026, 11, 24))
    officials.register(ctx, CLERK, _fields(nik="3310012309800003", rt=4))
    settings.put(ctx, SYSTEM, audit_chain.RETENTION_KEY, 5)
    purged = audit_chain.purge(ctx, ADMIN)
    assert purged >= 1
    with ctx.read() as session:
        rows = session.execute(select(AuditLog.at, AuditLog.new_values, AuditLog.action).order_by(AuditLog.id)).all()
    assert all(r.new_values is None for r in rows if r.at < dt.datetime(2021, 11, 24))
    assert any(r.new_values is not None for r in rows if r.at >= dt.datetime(2021, 11, 24))
    assert rows[-1].action == audit_chain.PURGE_ACTION
    assert audit_chain.verify(ctx).broken is None


def test_details_emptied_outside_the_app_are_not_a_purge(ctx: ServiceContext) -> None:
    ids = _three_entries(ctx)
    _raw(ctx, "UPDATE audit_log SET old_values = NULL, new_values = NULL, summary = NULL WHERE id = ?", ids[-1])
    broken = audit_chain.verify(ctx).broken
    assert broken is not None and broken.entry_id == ids[-1]


def test_retention_must_be_whole_years(ctx: ServiceContext) -> None:
    settings.put(ctx, SYSTEM, audit_chain.RETENTION_KEY, 0)
    with pytest.raises(UserError, match="tahun"):
        audit_chain.purge(ctx, ADMIN)


def test_the_head_is_read_in_the_write_transaction(ctx: ServiceContext) -> None:
    _three_entries(ctx)
    with ctx.write() as session:
        audit.record(session, CLERK, "login", "user", "sri")
        first = audit.chain_head(session)
        audit.record(session, CLERK, "logout", "user", "sri")
        assert audit.chain_head(session) != first
    assert audit_chain.verify(ctx).broken is None


@pytest.mark.parametrize(
    "values",
    [
        ("3310011205700001", 'Sri "Ani" Lestari\n', dt.date(1970, 5, 12), 3, None, "081234567890", "", "Ñoño ✓"),
        (None, "", None, 0, "x", None, None, None),
    ],
)
def test_the_row_encoder_writes_what_to_json_writes(values: tuple[object, ...]) -> None:
    keys = ("nik", "nama", "tanggal_lahir", "rt", "email", "telepon", "alamat", "nama_ibu_kandung")
    assert audit.row_encoder(keys)(values) == audit.to_json(dict(zip(keys, values, strict=True)))


def test_an_export_is_audited_with_its_actor_and_file(ctx: ServiceContext, tmp_path: Path) -> None:
    officials.register(ctx, CLERK, _fields())
    assert exports.export_bpjs_list(ctx, CLERK, tmp_path / "daftar-bpjs.xlsx", columns=["nik", "nama"]) == 1
    with ctx.read() as session:
        entry = session.execute(
            select(AuditLog.actor, AuditLog.action, AuditLog.entity, AuditLog.new_values)
            .order_by(AuditLog.id.desc())
            .limit(1)
        ).one()
    assert (entry.actor, entry.action, entry.entity) == ("sri", "export", "file")
    assert json.loads(entry.new_values or "{}") == {
        "jenis": "bpjs", "berkas": "daftar-bpjs.xlsx", "baris": 1, "kolom": ["nik", "nama"], "desa": None,
        "bentuk_nik": "lengkap",
    }  # fmt: skip
    assert audit_chain.verify(ctx).broken is None
