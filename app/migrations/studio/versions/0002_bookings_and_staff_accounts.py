"""one name per concept: sessions -> bookings, staff_users -> staff_accounts

Renames (ALTER ... RENAME), so every row, id and sequence position is kept. Constraint, index and
sequence names follow the tables, so the database reads as if created under the new names. The two
renamed CHECKs on a status and a role are created afresh from their enums, as the models declare.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from app.models.enums import allowed
from app.models.studio import AccountRole, BookingStatus

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = [("sessions", "bookings"), ("staff_users", "staff_accounts")]
SEQUENCES = [("sessions_id_seq", "bookings_id_seq"), ("staff_users_id_seq", "staff_accounts_id_seq")]
# (table after the rename, old constraint name, new constraint name)
CONSTRAINTS = [
    ("bookings", "sessions_pkey", "bookings_pkey"),
    ("bookings", "sessions_room_id_fkey", "bookings_room_id_fkey"),
    ("bookings", "sessions_client_id_fkey", "bookings_client_id_fkey"),
    ("bookings", "sessions_created_by_id_fkey", "bookings_created_by_id_fkey"),
    ("bookings", "sessions_no_overlap", "bookings_no_overlap"),
    ("bookings", "sessions_ends_after_start", "bookings_ends_after_start"),
    ("staff_accounts", "staff_users_pkey", "staff_accounts_pkey"),
    ("staff_accounts", "staff_users_email_key", "staff_accounts_email_key"),
    ("invoice_lines", "invoice_lines_session_id_fkey", "invoice_lines_booking_id_fkey"),
]
# (table after the rename, column, enum, old CHECK name, new CHECK name)
ENUM_CHECKS = [
    ("bookings", "status", BookingStatus, "sessions_status_valid", "bookings_status_valid"),
    ("staff_accounts", "role", AccountRole, "staff_users_role_valid", "staff_accounts_role_valid"),
]
INDEXES = [
    ("ix_sessions_client_id", "ix_bookings_client_id"),
    ("ix_sessions_room_id", "ix_bookings_room_id"),
    ("ix_sessions_starts_at", "ix_bookings_starts_at"),
]


def _rename(tables, sequences, constraints, indexes, column) -> None:
    for old, new in tables:
        op.rename_table(old, new)
    for old, new in sequences:
        op.execute(f"ALTER SEQUENCE {old} RENAME TO {new}")
    for table, old, new in constraints:
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {old} TO {new}")
    for old, new in indexes:
        op.execute(f"ALTER INDEX {old} RENAME TO {new}")
    op.alter_column("invoice_lines", column[0], new_column_name=column[1])


def upgrade() -> None:
    _rename(TABLES, SEQUENCES, CONSTRAINTS, INDEXES, ("session_id", "booking_id"))
    for table, column, enum_class, old, new in ENUM_CHECKS:
        op.drop_constraint(old, table, type_="check")
        op.create_check_constraint(new, table, allowed(column, enum_class))


def downgrade() -> None:
    for table, _column, _enum, old, new in ENUM_CHECKS:
        op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT {new} TO {old}")
    back = {"bookings": "sessions", "staff_accounts": "staff_users"}
    _rename(
        [(new, old) for old, new in TABLES],
        [(new, old) for old, new in SEQUENCES],
        [(back.get(table, table), new, old) for table, old, new in CONSTRAINTS],
        [(new, old) for old, new in INDEXES],
        ("booking_id", "session_id"),
    )
