"""Zengin items on transaction-history rows: 取引区分, remitter name, bank and branch, EDI

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("category", 2),
    ("remitter_name_kana", 48),
    ("remitter_bank_name_kana", 30),
    ("remitter_branch_name_kana", 15),
    ("edi_info", 20),
)


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("transactions") as batch:
        for name, length in _COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=length), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("transactions") as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
