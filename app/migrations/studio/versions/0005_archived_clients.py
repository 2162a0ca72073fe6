"""clients.archived_at: archive a client instead of deleting what bookings and invoices name (expand only)

A nullable column: the previous release neither reads nor writes it, and shows archived clients as
any other until the switch.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clients", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("clients", "archived_at")
