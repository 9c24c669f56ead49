"""PostgreSQL only: the planner told how many distinct RT/RW positions there are, so the Beranda worklist counts
group them from their index instead of hashing them past ``work_mem``

Revision ID: 0010_pg_worklists
Revises: 0009_worklist_counts
Create Date: 2026-12-05 22:05:00

``services/worklists.counts`` finds the officials holding a position twice by grouping the serving officials by
position (desa, RW, RT, post), in the order of ``ix_official_worklists`` (revision 0009). PostgreSQL's statistics
are per column: it multiplied the distinct values of the four columns into an estimate of 3,333 positions among
100,000 officials (there are 100,000), judged a hash table of them small, and hashed every table row instead of
reading the index in order; the table spilled past ``work_mem`` (4 MB) to disk: 270-360 ms of the statement's
330-510 ms (EXPLAIN (ANALYZE, BUFFERS), bench/bench_dashboard.py at load 6-8). The statistics object
``st_official_position`` records the distinct count of the four columns together (ANALYZE fills it: run here,
and after every bulk load, ``dialects.refresh_statistics``); with it the positions are grouped from the index in
its order, 47-75 ms. SQLite groups from the index without being told.
"""

from __future__ import annotations

from alembic import op

revision = "0010_pg_worklists"
down_revision = "0009_worklist_counts"
branch_labels = None
depends_on = None


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _on_postgresql():
        op.execute("CREATE STATISTICS st_official_position (ndistinct) ON desa_kode, rw, rt, jabatan FROM official")
        op.execute("ANALYZE official")


def downgrade() -> None:
    if _on_postgresql():
        op.execute("DROP STATISTICS IF EXISTS st_official_position")
