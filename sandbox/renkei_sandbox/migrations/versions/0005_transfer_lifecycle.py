"""Transfer lifecycle after execution: arranged failures, 資金返却 and 組戻 timestamps

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIMES = ("returned_at", "recall_requested_at", "recall_resolved_at")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("transfers") as batch:
        batch.add_column(sa.Column("fail_on_execution", sa.String(length=40), nullable=True))
        for name in _TIMES:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("transfers") as batch:
        for name in reversed(_TIMES):
            batch.drop_column(name)
        batch.drop_column("fail_on_execution")
