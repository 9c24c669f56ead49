"""optional email and nama ibu kandung on official

Revision ID: 0003_official_email_ibu
Revises: 0002_coverage_summary
Create Date: 2026-12-10 02:00:00

Two optional columns an office may collect for the BPJS collective registration (issue #17): the e-mail address
and the mother's maiden name (*nama ibu kandung*, docs/domain.md 2.2). Both are NULL for every existing row and
never required.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_official_email_ibu"
down_revision = "0002_coverage_summary"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (nullable, no default): no table copy, the partial indexes stay as they are
    op.add_column("official", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("official", sa.Column("nama_ibu_kandung", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("official", recreate="never") as batch:  # ALTER TABLE DROP COLUMN, SQLite 3.35+
        batch.drop_column("nama_ibu_kandung")
        batch.drop_column("email")
