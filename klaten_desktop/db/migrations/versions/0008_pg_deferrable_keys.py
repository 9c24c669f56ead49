"""foreign keys that can wait until the commit, on a PostgreSQL server

Revision ID: 0008_pg_deferrable_keys
Revises: 0007_payment_void
Create Date: 2026-12-05 19:00:00

A sync import stores a package's rows table by table with its foreign keys checked at the commit (SQLite:
``PRAGMA defer_foreign_keys``; ``db/dialect.defer_foreign_keys``). Some rows need it: an official whose term
ended by replacement points (``replaced_by_id``) at the new holder, and the new holder can only be stored once the
old one no longer serves the slot (``uq_official_slot_serving``). On PostgreSQL the same needs the foreign keys
declared ``DEFERRABLE`` (``SET CONSTRAINTS ALL DEFERRED`` then defers them); ``INITIALLY IMMEDIATE`` keeps every
other transaction checking them per statement, as before. The SQLite file is not changed.
"""

from __future__ import annotations

from alembic import op

revision = "0008_pg_deferrable_keys"
down_revision = "0007_payment_void"
branch_labels = None
depends_on = None

_FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, c.conname
FROM pg_constraint AS c JOIN pg_namespace AS n ON n.oid = c.connamespace
WHERE c.contype = 'f' AND n.nspname = current_schema()
ORDER BY 1, 2
"""


def _alter(deferrable: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    how = "DEFERRABLE INITIALLY IMMEDIATE" if deferrable else "NOT DEFERRABLE"
    for table, name in bind.exec_driver_sql(_FOREIGN_KEYS).all():
        op.execute(f'ALTER TABLE {table} ALTER CONSTRAINT "{name}" {how}')


def upgrade() -> None:
    _alter(True)


def downgrade() -> None:
    _alter(False)
