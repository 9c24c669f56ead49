"""coverage summary on official: the deciding enrollment's columns, kept by triggers on enrollment

Revision ID: 0002_coverage_summary
Revises: 0001_initial
Create Date: 2026-11-25 02:00:00

The dashboard counts officials per desa and coverage status. Over 100,000 officials the join to each one's
deciding enrollment cost more than the whole budget (150 ms), so the columns the status rule reads are copied
onto the official row by the database itself:

* ``cov_enrollment_id``: the official's open enrollment, else the one that ended last (ties: the larger id),
  live rows only; NULL when there is none;
* ``cov_submitted_on``, ``cov_registered_on``, ``cov_ended_on``, ``cov_paid_through``: its columns.

Three triggers on ``enrollment`` recompute them for the official concerned after every insert, delete and
update of a column that matters, whatever wrote the row (services, sync import, a repair by hand). The upgrade
fills them for existing rows. The SQL is written out here, not imported, so this revision stays as it ran.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_coverage_summary"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

COLUMNS = ("cov_enrollment_id", "cov_submitted_on", "cov_registered_on", "cov_ended_on", "cov_paid_through")


def _refresh(official_id: str) -> str:
    """UPDATE of one official's summary; ``official_id`` is the SQL expression naming it (NEW.x / OLD.x)."""
    return (
        f"UPDATE official SET ({', '.join(COLUMNS)}) = ("
        "SELECT e.id, e.submitted_on, e.registered_on, e.ended_on, e.paid_through FROM enrollment AS e "
        "WHERE e.official_id = official.id AND e.deleted_at IS NULL "
        "ORDER BY e.ended_on IS NOT NULL, e.ended_on DESC, e.id DESC LIMIT 1"
        f") WHERE official.id = {official_id};"
    )


TRIGGERS = {
    "trg_enrollment_coverage_insert": f"AFTER INSERT ON enrollment BEGIN {_refresh('NEW.official_id')} END",
    "trg_enrollment_coverage_delete": f"AFTER DELETE ON enrollment BEGIN {_refresh('OLD.official_id')} END",
    "trg_enrollment_coverage_update": (
        "AFTER UPDATE OF official_id, submitted_on, registered_on, ended_on, paid_through, deleted_at "
        f"ON enrollment BEGIN {_refresh('NEW.official_id')} "
        # an enrollment moved to another official (a repair): the old one loses it
        f"{_refresh('OLD.official_id').removesuffix(';')} AND OLD.official_id IS NOT NEW.official_id; END"
    ),
}

#: PostgreSQL (server mode, docs/server-mode.md): the same three triggers, row-level, calling one PL/pgSQL function
#: that runs the same UPDATE for the official concerned (and, when an enrollment moved, for the old one too).
PG_FUNCTION = "klaten_enrollment_coverage"
PG_TRIGGERS = {
    "trg_enrollment_coverage_insert": "AFTER INSERT",
    "trg_enrollment_coverage_delete": "AFTER DELETE",
    "trg_enrollment_coverage_update": (
        "AFTER UPDATE OF official_id, submitted_on, registered_on, ended_on, paid_through, deleted_at"
    ),
}


def _create_pg_triggers() -> None:
    op.execute(
        f"CREATE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP <> 'DELETE' THEN {_refresh('NEW.official_id')} END IF; "
        "IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.official_id IS DISTINCT FROM NEW.official_id) THEN "
        f"{_refresh('OLD.official_id')} END IF; "
        "RETURN NULL; END $$"
    )
    for name, when in PG_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} ON enrollment FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()")


INDEX_COLUMNS = [
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


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN: no table copy, the expression and partial indexes stay as they are
    op.add_column("official", sa.Column("cov_enrollment_id", sa.String(length=36), nullable=True))
    op.add_column("official", sa.Column("cov_submitted_on", sa.Date(), nullable=True))
    op.add_column("official", sa.Column("cov_registered_on", sa.Date(), nullable=True))
    op.add_column("official", sa.Column("cov_ended_on", sa.Date(), nullable=True))
    op.add_column("official", sa.Column("cov_paid_through", sa.String(length=7), nullable=True))
    # the join-era covering index of the dashboard; ix_official_coverage replaces it (IF EXISTS: databases made
    # by early development builds of 0001 never had it)
    op.execute("DROP INDEX IF EXISTS ix_official_dashboard")
    op.execute(
        f"UPDATE official SET ({', '.join(COLUMNS)}) = ("
        "SELECT e.id, e.submitted_on, e.registered_on, e.ended_on, e.paid_through FROM enrollment AS e "
        "WHERE e.official_id = official.id AND e.deleted_at IS NULL "
        "ORDER BY e.ended_on IS NOT NULL, e.ended_on DESC, e.id DESC LIMIT 1)"
    )
    if op.get_bind().dialect.name == "postgresql":
        _create_pg_triggers()
    else:
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    op.create_index(
        "ix_official_coverage",
        "official",
        INDEX_COLUMNS,
        unique=False,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_official_coverage",
        table_name="official",
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON enrollment")
        op.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")
    else:
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for column in reversed(COLUMNS):
        op.drop_column("official", column)  # SQLite 3.35+
    op.create_index(
        "ix_official_dashboard",
        "official",
        ["id", "desa_kode", "term_status", "ended_on", "office_code", "deleted_at"],
        unique=False,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
