"""accounts: failed-login counter and last login on app_user

Revision ID: 0005_accounts
Revises: 0003_official_email_ibu
Create Date: 2026-12-05 16:00:00

Local accounts (issue #20, docs/accounts.md) keep their failed-attempt counter, the time of the last failure (the
growing delay is counted from it) and the last successful login in the ``app_user`` row. Existing rows get 0 and
NULL; no account is made here: the first start after the upgrade asks for the first admin.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_accounts"
down_revision = "0003_official_email_ibu"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN: no table copy
    op.add_column("app_user", sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")))
    op.add_column("app_user", sa.Column("last_failed_at", sa.DateTime(), nullable=True))
    op.add_column("app_user", sa.Column("last_login_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("app_user", recreate="never") as batch:  # ALTER TABLE DROP COLUMN, SQLite 3.35+
        batch.drop_column("last_login_at")
        batch.drop_column("last_failed_at")
        batch.drop_column("failed_attempts")
