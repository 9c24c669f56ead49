"""the Beranda worklist counts from three indexes: the serving officials by position and by NIK, and the (rare)
enrollments that have a KPJ number but no registration date

Revision ID: 0009_worklist_counts
Revises: 0008_server_speed
Create Date: 2026-12-05 19:30:00

``services/worklists.counts`` counts eight lists of serving officials. Five are decided by the official row (its
coverage summary, revision 0002, and its term end) and one holds the officials whose RT/RW position another serving
official also holds. With no index holding all the columns they read, SQLite read every table row (100,000
officials: 62 ms for the five lists, 60 ms to group the positions) and PostgreSQL hashed the positions of every row
into more memory than ``work_mem`` (225 ms, spilled to disk).

``ix_official_worklists`` holds, for serving officials only, the position first (desa, RW, RT, post: the lists
group by it from the index order, no sort, no hash), then every column the five lists read (office, term end,
the summary's four columns) and the two columns of the index's own condition (SQLite counts a partial index as
covering only when the columns of its WHERE are in it too).

``ix_official_serving_nik`` holds the serving officials by NIK (and office, and the index's own condition): the
NIKs held by two serving officials are grouped from it in order. They were found from the NIK index of every row,
serving or not, then the serving rows of each NIK seen twice read from the table: every re-elected official's NIK
is seen twice (100,000 serving officials with 33,333 ended terms sharing their NIK: 84 ms; from this index 39 ms).

``ix_enrollment_kpj_unregistered`` holds the open, live enrollments that have a KPJ number but no registration
date (recording a KPJ number sets both, so it is empty or nearly so): the list of submissions waiting for a KPJ
number counts the waiting officials from the summary and subtracts those few, instead of looking up the enrollment
of each of the thousands waiting (7,984 of 100,000 demo officials: 18 ms on SQLite). It holds every column the
count reads: without statistics SQLite picks a covering index first, and with only ``official_id`` it scanned
``ix_enrollment_dashboard`` instead, reading every enrollment row for its KPJ number (32 ms).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_worklist_counts"
down_revision = "0008_server_speed"
branch_labels = None
depends_on = None

SERVING = sa.text("deleted_at IS NULL AND term_status = 'menjabat'")
KPJ_UNREGISTERED = sa.text(
    "deleted_at IS NULL AND ended_on IS NULL AND registered_on IS NULL AND nomor_kpj IS NOT NULL"
)
SERVING_NIK_COLUMNS = ["nik", "office_code", "term_status", "deleted_at"]
KPJ_COLUMNS = ["official_id", "id", "nomor_kpj", "registered_on", "ended_on", "deleted_at"]
WORKLIST_COLUMNS = [
    "desa_kode",
    "rw",
    "rt",
    "jabatan",
    "office_code",
    "term_end",
    "cov_ended_on",
    "cov_registered_on",
    "cov_submitted_on",
    "cov_paid_through",
    "term_status",
    "deleted_at",
]


def upgrade() -> None:
    op.create_index(
        "ix_official_worklists",
        "official",
        WORKLIST_COLUMNS,
        unique=False,
        sqlite_where=SERVING,
        postgresql_where=SERVING,
    )
    op.create_index(
        "ix_official_serving_nik",
        "official",
        SERVING_NIK_COLUMNS,
        unique=False,
        sqlite_where=SERVING,
        postgresql_where=SERVING,
    )
    op.create_index(
        "ix_enrollment_kpj_unregistered",
        "enrollment",
        KPJ_COLUMNS,
        unique=False,
        sqlite_where=KPJ_UNREGISTERED,
        postgresql_where=KPJ_UNREGISTERED,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_enrollment_kpj_unregistered",
        table_name="enrollment",
        sqlite_where=KPJ_UNREGISTERED,
        postgresql_where=KPJ_UNREGISTERED,
    )
    op.drop_index("ix_official_serving_nik", table_name="official", sqlite_where=SERVING, postgresql_where=SERVING)
    op.drop_index("ix_official_worklists", table_name="official", sqlite_where=SERVING, postgresql_where=SERVING)
