"""equipment.archived_at: archive gear sold or gone instead of deleting it (expand only)

A nullable column: the previous release neither reads nor writes it, and lists archived equipment
as any other until the switch.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("equipment", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("equipment", "archived_at")
