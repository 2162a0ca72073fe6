"""trial end on the organization, monthly credit grants once per month

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 16:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Expand only: a nullable column each, which the previous release never reads.
    op.add_column("organizations", sa.Column("trial_ends_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        """
        UPDATE organizations o SET trial_ends_at = s.trial_ends_at
        FROM (SELECT DISTINCT ON (organization_id) organization_id, trial_ends_at
              FROM subscriptions ORDER BY organization_id, id DESC) s
        WHERE s.organization_id = o.id AND o.status = 'TRIAL'
        """
    )
    op.add_column("ai_credit_entries", sa.Column("grant_month", sa.Date(), nullable=True))
    op.create_unique_constraint(
        "ai_credit_entries_one_grant_per_month", "ai_credit_entries", ["organization_id", "grant_month"]
    )


def downgrade() -> None:
    op.drop_constraint("ai_credit_entries_one_grant_per_month", "ai_credit_entries", type_="unique")
    op.drop_column("ai_credit_entries", "grant_month")
    op.drop_column("organizations", "trial_ends_at")
