"""clients.erased_at and invoices.billed_name: erase a client's personal data, invoices keeping the
name they were issued to (expand only)

Nullable columns: the previous release neither reads nor writes them. Invoices it issues until the
switch have no billed name and show their client's, as before; erasing such a client first copies
the name onto their issued invoices.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clients", sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("invoices", sa.Column("billed_name", sa.String(120), nullable=True))


def downgrade() -> None:
    op.drop_column("invoices", "billed_name")
    op.drop_column("clients", "erased_at")
