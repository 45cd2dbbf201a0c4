"""Connector registry (利用者保護): 電子決済等代行業者 登録番号, purpose, contact,
API接続チェックリスト status and suspension on oauth_clients

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("oauth_clients") as batch:
        batch.add_column(sa.Column("registration_number", sa.String(length=60), nullable=True))
        batch.add_column(sa.Column("purpose", sa.Text(), nullable=True))
        batch.add_column(sa.Column("contact", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column(
                "checklist_status", sa.String(length=16), nullable=False, server_default="not_submitted"
            )
        )
        batch.add_column(sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("oauth_clients") as batch:
        for name in ("suspended_at", "checklist_status", "contact", "purpose", "registration_number"):
            batch.drop_column(name)
