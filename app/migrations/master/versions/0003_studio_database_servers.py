"""which PostgreSQL server holds each studio, and its move between servers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 19:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Expand only: NULL means the home server, where every studio made before this lives.
    op.add_column("organizations", sa.Column("database_server", sa.String(length=63), nullable=True))
    op.add_column("organizations", sa.Column("moving_to", sa.String(length=63), nullable=True))
    op.add_column("organizations", sa.Column("moved_from", sa.String(length=63), nullable=True))


def downgrade() -> None:
    op.drop_column("organizations", "moved_from")
    op.drop_column("organizations", "moving_to")
    op.drop_column("organizations", "database_server")
