"""The ``cov_*`` columns of ``official`` (migration 0002): the database keeps them equal to the deciding enrollment
(the open one, else the one that ended last, ties by id) after any sequence of writes, and the upgrade from 0001
fills them for existing rows. Writes here go straight to SQLite, as a repair by hand or any future code path would.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klaten_desktop.db.migrate import open_database
from klaten_desktop.services.context import ServiceContext

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schema"
DESA = "33.10.01.2001"
COV = "cov_enrollment_id, cov_submitted_on, cov_registered_on, cov_ended_on, cov_paid_through"


def expected(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """The summary computed in Python from the enrollment rows."""
    officials = [r[0] for r in conn.execute("SELECT id FROM official")]
    live: dict[str, list[tuple[Any, ...]]] = {o: [] for o in officials}
    for row in conn.execute(
        "SELECT official_id, id, submitted_on, registered_on, ended_on, paid_through FROM enrollment "
        "WHERE deleted_at IS NULL"
    ):
        live[row[0]].append(row[1:])
    result: dict[str, tuple[Any, ...]] = {}
    for official, rows in live.items():
        if not rows:
            result[official] = (None,) * 5
            continue
        # open first; then the latest end date; then the larger id
        best = max(rows, key=lambda r: (r[3] is None, r[3] or "", r[0]))
        result[official] = tuple(best)
    return result


def stored(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    return {r[0]: tuple(r[1:]) for r in conn.execute(f"SELECT id, {COV} FROM official")}


def _add_official(conn: sqlite3.Connection, n: int) -> str:
    oid = f"00000000-0000-4000-8000-{n:012d}"
    conn.execute(
        "INSERT INTO official (id, row_version, updated_at, office_code, nik, nama, jenis_kelamin, desa_kode, "
        "jabatan, term_status) VALUES (?, 1, '2026-11-24 08:00:00', '33.10.01', ?, 'Contoh', 'L', ?, "
        "'lainnya', 'menjabat')",
        (oid, f"{3310010101900000 + n}", DESA),
    )
    return oid


DATES = st.sampled_from([None, "2026-03-01", "2026-03-01", "2026-10-31"])  # ties on purpose
MONTHS = st.sampled_from([None, "2026-01", "2026-09", "2026-11"])
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.integers(0, 1), DATES, DATES, DATES, MONTHS),
        st.tuples(st.just("end"), st.integers(0, 20), DATES),
        st.tuples(st.just("pay"), st.integers(0, 20), MONTHS),
        st.tuples(st.just("soft_delete"), st.integers(0, 20), st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 20)),
        st.tuples(st.just("move"), st.integers(0, 20), st.integers(0, 1)),
        st.tuples(st.just("kpj"), st.integers(0, 20)),
    ),
    max_size=25,
)


def _apply(conn: sqlite3.Connection, officials: list[str], op: tuple[Any, ...], serial: int) -> None:
    ids = [r[0] for r in conn.execute("SELECT id FROM enrollment ORDER BY id")]
    kind = op[0]
    if kind == "insert":
        _, who, submitted, registered, ended, paid = op
        conn.execute(
            "INSERT INTO enrollment (id, row_version, updated_at, office_code, official_id, programs, tariff_code, "
            "monthly_amount, funding_source, submitted_on, registered_on, ended_on, paid_through) "
            "VALUES (?, 1, '2026-11-24 08:00:00', '33.10.01', ?, 'JKK,JKM', 'bpu', 16800, 'ADD', ?, ?, ?, ?)",
            (f"e{serial:04d}", officials[who], submitted, registered, ended, paid),
        )
        return
    if not ids:
        return
    target = ids[op[1] % len(ids)]
    if kind == "end":
        conn.execute("UPDATE enrollment SET ended_on = ? WHERE id = ?", (op[2], target))
    elif kind == "pay":
        conn.execute("UPDATE enrollment SET paid_through = ? WHERE id = ?", (op[2], target))
    elif kind == "soft_delete":
        value = "2026-11-24 09:00:00" if op[2] else None
        conn.execute("UPDATE enrollment SET deleted_at = ? WHERE id = ?", (value, target))
    elif kind == "delete":
        conn.execute("DELETE FROM enrollment WHERE id = ?", (target,))
    elif kind == "move":
        conn.execute("UPDATE enrollment SET official_id = ? WHERE id = ?", (officials[op[2]], target))
    else:  # a column the summary does not hold: nothing may change
        conn.execute("UPDATE enrollment SET nomor_kpj = '12345678901' WHERE id = ?", (target,))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_summary_follows_every_write_to_enrollment(ctx: ServiceContext, ops: list[tuple[Any, ...]]) -> None:
    assert ctx.database is not None
    conn = sqlite3.connect(ctx.database, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        officials = [_add_official(conn, n) for n in range(2)]
        for serial, op in enumerate(ops):
            try:
                _apply(conn, officials, op, serial)
            except sqlite3.IntegrityError:  # a second open enrollment: the unique index refuses it
                pass
            assert stored(conn) == expected(conn), op
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_the_open_enrollment_decides_else_the_one_that_ended_last_else_the_larger_id(ctx: ServiceContext) -> None:
    assert ctx.database is not None
    conn = sqlite3.connect(ctx.database, isolation_level=None)
    try:
        conn.execute("BEGIN")
        who = [_add_official(conn, 0)]
        steps = [
            (("insert", 0, None, None, "2026-03-01", None), "e0000"),
            (("insert", 0, None, None, "2026-03-01", None), "e0001"),  # same end date: the larger id
            (("insert", 0, None, None, "2026-01-31", None), "e0001"),  # ended earlier: not it
            (("insert", 0, "2026-04-01", None, None, None), "e0003"),  # open: it, whatever the ids
            (("end", 3, "2026-02-01"), "e0001"),  # e0003 ended before the others
            (("delete", 1), "e0000"),
            (("soft_delete", 0, True), "e0003"),
        ]
        for serial, (op, decides) in enumerate(steps):
            _apply(conn, who, op, serial)
            assert stored(conn)[who[0]][0] == decides, op
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def test_upgrade_from_0001_fills_the_summary(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    db.write_bytes((FIXTURES / "0001_initial.sqlite").read_bytes())
    result = open_database(db, tmp_path / "backups")
    result.engine.dispose()
    conn = sqlite3.connect(db)
    try:
        enrolled = conn.execute("SELECT count(*) FROM official WHERE cov_enrollment_id IS NOT NULL").fetchone()[0]
        assert enrolled > 0
        assert stored(conn) == expected(conn)
        triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert {"trg_enrollment_coverage_insert", "trg_enrollment_coverage_update"} <= triggers
    finally:
        conn.close()


def test_check_finds_a_summary_edited_behind_the_triggers_and_repair_fixes_it(ctx: ServiceContext) -> None:
    from klaten_desktop.services import demo, integrity
    from klaten_desktop.services.context import SYSTEM

    demo.populate(ctx, SYSTEM, 40, seed=3)
    assert ctx.database is not None
    assert integrity.repair_summaries(ctx, SYSTEM) == 0
    conn = sqlite3.connect(ctx.database)
    with conn:
        conn.execute("UPDATE official SET cov_paid_through = '2001-01' WHERE cov_enrollment_id IS NOT NULL")
        changed = conn.execute("SELECT changes()").fetchone()[0]
    conn.close()
    assert changed > 0
    finding = {f.code: f for f in integrity.run(ctx).findings}["coverage_summary"]
    assert finding.count == changed and finding.severity == "error"
    assert integrity.repair_summaries(ctx, SYSTEM) == changed
    assert "coverage_summary" not in {f.code for f in integrity.run(ctx).findings}
    conn = sqlite3.connect(ctx.database)
    try:
        assert stored(conn) == expected(conn)
    finally:
        conn.close()


def test_upgrade_from_an_early_0001_without_the_join_era_index(tmp_path: Path) -> None:
    """Development builds of 0001 made databases before ix_official_dashboard existed; they upgrade too."""
    db = tmp_path / "early.sqlite"
    db.write_bytes((FIXTURES / "0001_initial.sqlite").read_bytes())
    with sqlite3.connect(db) as conn:
        conn.execute("DROP INDEX ix_official_dashboard")
    conn.close()
    result = open_database(db, tmp_path / "backups")
    result.engine.dispose()
    conn = sqlite3.connect(db)
    try:
        assert stored(conn) == expected(conn)
    finally:
        conn.close()
