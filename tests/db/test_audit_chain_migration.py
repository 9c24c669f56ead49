"""Revision 0006_audit_chain: the entries of an older database are masked and chained in id order, so the
migrated trail verifies and holds no full NIK, birth date or phone."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

from klaten_desktop.db.migrate import open_database
from klaten_desktop.domain import audit as rules
from klaten_desktop.services import audit_chain
from klaten_desktop.services.context import ServiceContext

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema" / "0003_official_email_ibu.sqlite"


def test_old_entries_are_masked_and_chained(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    db.write_bytes(FIXTURE.read_bytes())
    old = {"nik": "3310011205700001", "telepon": "081234567890", "nama": "Sumarno"}
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, entity, entity_id, old_values, new_values, summary) "
            "VALUES ('2026-11-20 08:00:00.000000', 'sistem', 'delete', 'official', 'x', ?, NULL, 'dihapus')",
            (json.dumps(old, sort_keys=True),),
        )
        before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    result = open_database(db, tmp_path / "backups")
    ctx = ServiceContext(result.engine, database=db)
    try:
        state = audit_chain.verify(ctx)
        assert state.broken is None and state.entries == before
    finally:
        ctx.dispose()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT old_values, prev_hash, hash FROM audit_log ORDER BY id").fetchall()
    assert rows[0][1] == rules.GENESIS
    assert all(after[1] == prior[2] for prior, after in itertools.pairwise(rows))
    assert json.loads(rows[-1][0]) == {"nama": "Sumarno", "nik": "3310 01•• •••• 0001", "telepon": "0812••••7890"}
