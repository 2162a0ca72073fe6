"""bookings.reminder_queued_at: when the client's reminder was queued, so it is queued once (expand only)

A nullable column: the previous release neither reads nor writes it. The periodic reminders job
sets it in the same transaction as it decides to remind, so two runs cannot both remind.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bookings", sa.Column("reminder_queued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("bookings", "reminder_queued_at")
