"""the staff's second factor: staff_accounts.totp_secret and recovery_code_hashes, and the
studio's owners_need_totp (expand only)

Nullable columns and one with a server default: the previous release neither reads nor writes
them, and signs everyone in with the password alone until the switch.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff_accounts", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column(
        "staff_accounts",
        sa.Column("recovery_code_hashes", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.add_column(
        "studio_profile",
        sa.Column("owners_need_totp", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("studio_profile", "owners_need_totp")
    op.drop_column("staff_accounts", "recovery_code_hashes")
    op.drop_column("staff_accounts", "totp_secret")
