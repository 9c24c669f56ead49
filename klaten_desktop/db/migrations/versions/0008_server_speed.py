"""the regency's scale: the dashboard's covering index also holds the post and the term start; on PostgreSQL the
coverage summary of inserted enrollments is refreshed once per statement, and foreign keys can be deferred

Revision ID: 0008_server_speed
Revises: 0007_payment_void
Create Date: 2026-12-05 18:40:00

``ix_official_coverage`` (revision 0002) let the dashboard count officials per desa and status from the index
alone; since the insured posts (Ketua RT and Ketua RW unless the office's setting adds others) and the 12-month
trend (which leaves out officials whose term had not started) also read ``jabatan`` and ``term_start``, SQLite
looked up every table row from the index, slower than no index at all (100,000 officials: trend 112 ms of
CPU with the old index, 91 ms scanning the table, 78 ms with this one). The index is rebuilt with the same
leading columns and the two added before ``deleted_at``, so every query that used it still does.

PostgreSQL only: the row-level AFTER INSERT trigger of revision 0002 ran its UPDATE of the official once per
inserted enrollment; a sync import inserts thousands in one statement (26 packages: 9,065 enrollments, 1.9 s of
the server's time in that trigger alone). It becomes a statement-level trigger with a transition table that
runs the same UPDATE once for every official concerned, at the same moment (the end of the statement). Deletes
and updates keep the row-level trigger (PostgreSQL allows no transition table with ``UPDATE OF`` columns). SQLite
has no statement-level triggers: its triggers stay as they are.

PostgreSQL only: every foreign key becomes ``DEFERRABLE INITIALLY IMMEDIATE`` (checked as before, at the end of
each statement), so the sync import can defer them to COMMIT with ``SET CONSTRAINTS ALL DEFERRED`` as it does on
SQLite with ``PRAGMA defer_foreign_keys``: a package that ends one official's term pointing ``replaced_by_id`` at
the new holder updates the old row before the new one exists (updates go first: the new holder's slot is free
only then).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_server_speed"
down_revision = "0007_payment_void"
branch_labels = None
depends_on = None

OLD_COLUMNS = [
    "desa_kode",
    "term_status",
    "ended_on",
    "cov_ended_on",
    "cov_registered_on",
    "cov_submitted_on",
    "cov_paid_through",
    "office_code",
    "deleted_at",
]
NEW_COLUMNS = [*OLD_COLUMNS[:-1], "jabatan", "term_start", "deleted_at"]
LIVE = sa.text("deleted_at IS NULL")


def _replace(columns: list[str]) -> None:
    op.drop_index("ix_official_coverage", table_name="official", sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index("ix_official_coverage", "official", columns, unique=False, sqlite_where=LIVE, postgresql_where=LIVE)


SUMMARY = ("cov_enrollment_id", "cov_submitted_on", "cov_registered_on", "cov_ended_on", "cov_paid_through")
INSERT_TRIGGER = "trg_enrollment_coverage_insert"
ROW_FUNCTION = "klaten_enrollment_coverage"  # revision 0002's, still used by the delete and update triggers
STATEMENT_FUNCTION = "klaten_enrollment_coverage_inserted"


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _foreign_keys(deferrable: bool) -> None:
    """Make every foreign key of the schema deferrable (or not), PostgreSQL only."""
    rows = op.get_bind().exec_driver_sql(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f' "
        "AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) "
        f"AND condeferrable = {'false' if deferrable else 'true'} ORDER BY 1, 2"
    )
    mode = "DEFERRABLE INITIALLY IMMEDIATE" if deferrable else "NOT DEFERRABLE"
    for table, name in rows.all():
        op.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" {mode}')


def upgrade() -> None:
    _replace(NEW_COLUMNS)
    if _on_postgresql():
        _foreign_keys(deferrable=True)
        op.execute(
            f"CREATE FUNCTION {STATEMENT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE official SET ({', '.join(SUMMARY)}) = ("
            "SELECT e.id, e.submitted_on, e.registered_on, e.ended_on, e.paid_through FROM enrollment AS e "
            "WHERE e.official_id = official.id AND e.deleted_at IS NULL "
            "ORDER BY e.ended_on IS NOT NULL, e.ended_on DESC, e.id DESC LIMIT 1"
            ") WHERE official.id IN (SELECT inserted.official_id FROM inserted); "
            "RETURN NULL; END $$"
        )
        op.execute(f"DROP TRIGGER {INSERT_TRIGGER} ON enrollment")
        op.execute(
            f"CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON enrollment REFERENCING NEW TABLE AS inserted "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {STATEMENT_FUNCTION}()"
        )


def downgrade() -> None:
    if _on_postgresql():
        _foreign_keys(deferrable=False)
        op.execute(f"DROP TRIGGER {INSERT_TRIGGER} ON enrollment")
        op.execute(f"DROP FUNCTION {STATEMENT_FUNCTION}()")
        op.execute(
            f"CREATE TRIGGER {INSERT_TRIGGER} AFTER INSERT ON enrollment FOR EACH ROW EXECUTE FUNCTION {ROW_FUNCTION}()"
        )
    _replace(OLD_COLUMNS)
