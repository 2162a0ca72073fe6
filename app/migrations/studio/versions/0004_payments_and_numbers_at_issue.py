"""payments against invoices; an invoice's number given when it is issued (expand only)

A new table, and invoices.number made nullable: the previous release still gives every new
invoice a number, which this release keeps; only this release creates drafts without one.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name="payments_amount_positive"),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoices.id"], name="payments_invoice_id_fkey", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["staff_accounts.id"], name="payments_recorded_by_id_fkey"
        ),
        sa.PrimaryKeyConstraint("id", name="payments_pkey"),
    )
    op.create_index("ix_payments_invoice_id", "payments", ["invoice_id"])
    op.alter_column("invoices", "number", existing_type=sa.String(length=30), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE invoices SET number = 'DRAFT-' || id WHERE number IS NULL")
    op.alter_column("invoices", "number", existing_type=sa.String(length=30), nullable=False)
    op.drop_index("ix_payments_invoice_id", table_name="payments")
    op.drop_table("payments")
