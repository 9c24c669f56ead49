"""the archive of sent sync packages in the database, for a PostgreSQL server

Revision ID: 0011_sync_archive
Revises: 0010_pg_worklists
Create Date: 2026-12-05 22:00:00

A sent package cannot be rebuilt byte for byte (its encryption uses a fresh ephemeral key and nonce), so its bytes
are kept for ``sync reissue``. An SQLite PC keeps them in ``arsip-sinkron/`` beside its file; a server has no such
folder (every PC reaches the database, none holds the archive), so ``sync_package_archive`` holds them there,
written in the transaction that records the package: a recorded package always has its bytes, and bytes of a
package that was never recorded never exist. The table is created on both engines (one schema); an SQLite PC
leaves it empty (``services/sync/archive.py``). ``migrate-to`` fills it from the folder.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_sync_archive"
down_revision = "0010_pg_worklists"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_package_archive",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_sync_package_archive")),
    )


def downgrade() -> None:
    op.drop_table("sync_package_archive")
