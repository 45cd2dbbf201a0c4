"""audit events, and idempotency claims with an owner

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFUSE = "audit_events is append-only"
_POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSE}' USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    """Upgrade schema."""

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("interaction_id", sa.String(length=64), nullable=True),
        sa.Column("source_address", sa.String(length=45), nullable=True),
        sa.Column("client_id", sa.String(length=64), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("login_id", sa.String(length=64), nullable=True),
        sa.Column("bank_code", sa.String(length=4), nullable=True),
        sa.Column("resource", sa.String(length=120), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_kind_occurred", ["kind", "occurred_at"], unique=False)
    _refuse_changes_to_audit_events()

    # Claims made before this revision get an owner nobody holds: a retry takes them over.
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE idempotency_records SET owner = '', claimed_at = created_at")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.alter_column("owner", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("claimed_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def _refuse_changes_to_audit_events() -> None:
    """Triggers that make the database itself refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_POSTGRES_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        op.execute(
            "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{action.lower()} BEFORE {action} ON audit_events "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"
        )


def downgrade() -> None:
    """Downgrade schema."""

    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("owner")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_kind_occurred")
    op.drop_table("audit_events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
