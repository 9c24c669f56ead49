"""hash-chained audit log with masked personal data

Revision ID: 0006_audit_chain
Revises: 0005_accounts
Create Date: 2026-12-05 16:00:00

Three columns on ``audit_log`` (issue #20, docs/audit.md): ``details_hash`` (the hash of the old values, new
values and summary, kept when a retention purge empties them), ``prev_hash`` and ``hash`` (the chain). The
existing entries first have NIK, birth date, telephone and mother's maiden name masked in their values
(domain/audit.py, the same rule as new entries), then are chained in id order. ``sync_package.audit_head`` keeps
the sender's chain head a package carried (its manifest member ``audit_head``).
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

from klaten_desktop.domain import audit as rules

revision = "0006_audit_chain"
down_revision = "0005_accounts"
branch_labels = None
depends_on = None


def _masked(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        values = json.loads(text)
    except ValueError:
        return text
    if not isinstance(values, dict):
        return text
    return json.dumps(rules.mask_values(values), ensure_ascii=False, sort_keys=True)


def _when(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def upgrade() -> None:
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.add_column(sa.Column("details_hash", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("sync_package", sa.Column("audit_head", sa.Text(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT id, at, actor, action, entity, entity_id, old_values, new_values, summary FROM audit_log ORDER BY id"
        )
    ).all()
    prev = rules.GENESIS
    updates = []
    for id_, at, actor, action, entity, entity_id, old, new, summary in rows:
        old, new = _masked(old), _masked(new)
        details = rules.details_hash(old, new, summary)
        prev_hash, prev = prev, rules.entry_hash(prev, _when(at), actor, action, entity, entity_id, details)
        updates.append({"i": id_, "o": old, "n": new, "d": details, "p": prev_hash, "h": prev})
    if updates:
        bind.execute(
            sa.text(
                "UPDATE audit_log SET old_values = :o, new_values = :n, details_hash = :d, prev_hash = :p, hash = :h "
                "WHERE id = :i"
            ),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_package", recreate="never") as batch:
        batch.drop_column("audit_head")
    with op.batch_alter_table("audit_log", recreate="never") as batch:  # ALTER TABLE DROP COLUMN, SQLite 3.35+
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
        batch.drop_column("details_hash")
