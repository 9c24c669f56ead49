"""voiding a contribution payment recorded by mistake

Revision ID: 0007_payment_void
Revises: 0006_audit_chain
Create Date: 2026-12-05 15:30:00

A payment recorded wrongly (issue #18: one arrow key too far recorded 626 months for 270 people) is voided with a
reason instead of being erased: ``voided_at``, ``voided_by`` (the actor's user name, as in ``audit_log.actor``)
and ``void_reason``. A voided row is also a tombstone (``deleted_at`` is set to the same time), so the unique
index of a live month, every reader of live payments and the recomputed ``enrollment.paid_through`` (from which
the coverage triggers of 0002 copy ``cov_paid_through``) leave it out, and it travels to the regency like any
deletion, carrying who voided it and why. Payments already have ``batch_id``. All three columns are NULL for every
existing row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_payment_void"
down_revision = "0006_audit_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ALTER TABLE ADD COLUMN (nullable, no default): no table copy, the partial indexes stay as they are
    op.add_column("contribution_payment", sa.Column("voided_at", sa.DateTime(), nullable=True))
    op.add_column("contribution_payment", sa.Column("voided_by", sa.String(length=60), nullable=True))
    op.add_column("contribution_payment", sa.Column("void_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contribution_payment", recreate="never") as batch:  # ALTER TABLE DROP COLUMN
        batch.drop_column("void_reason")
        batch.drop_column("voided_by")
        batch.drop_column("voided_at")
