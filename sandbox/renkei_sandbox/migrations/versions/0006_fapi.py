"""FAPI 2.0: seen jti values (client assertions, DPoP proofs), server secrets, client jwks_uri

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "seen_jtis",
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("jti_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("purpose", "jti_hash", name=op.f("pk_seen_jtis")),
    )
    with op.batch_alter_table("seen_jtis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_seen_jtis_expires_at"), ["expires_at"], unique=False)
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_server_secrets")),
    )
    with op.batch_alter_table("oauth_clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jwks_uri", sa.Text(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("oauth_clients", schema=None) as batch_op:
        batch_op.drop_column("jwks_uri")
    op.drop_table("server_secrets")
    with op.batch_alter_table("seen_jtis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_seen_jtis_expires_at"))
    op.drop_table("seen_jtis")
