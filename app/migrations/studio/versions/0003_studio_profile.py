"""the studio's profile: invoicing details, time zone, currency, language (expand only)

A new table with its one row, so the previous release, which does not know it, runs unchanged.
Its defaults (UTC, EUR, English, no tax) are what the previous release showed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from app.models.enums import allowed
from app.models.studio import Language

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "studio_profile",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("legal_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("address", sa.Text(), server_default="", nullable=False),
        sa.Column("tax_id", sa.String(length=60), server_default="", nullable=False),
        sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("currency", sa.String(length=3), server_default="EUR", nullable=False),
        sa.Column("default_tax_rate_bp", sa.Integer(), server_default="0", nullable=False),
        sa.Column("language", sa.String(length=5), server_default="en", nullable=False),
        sa.CheckConstraint("id = 1", name="studio_profile_single_row"),
        sa.CheckConstraint(
            "default_tax_rate_bp >= 0 AND default_tax_rate_bp <= 10000", name="studio_profile_tax_rate_range"
        ),
        sa.CheckConstraint(allowed("language", Language), name="studio_profile_language_valid"),
        sa.PrimaryKeyConstraint("id", name="studio_profile_pkey"),
    )
    op.execute("INSERT INTO studio_profile (id) VALUES (1)")


def downgrade() -> None:
    op.drop_table("studio_profile")
