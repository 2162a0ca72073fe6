"""The two Alembic histories on real databases: they build what the models declare, and keep data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, Enum, create_engine, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from app.models.master import MasterBase
from app.models.studio import StudioBase
from app.tenancy import migrations
from tests.conftest import POSTGRES_URL, PREFIX, drop_databases, server_engine

START = datetime(2030, 1, 7, 10, tzinfo=UTC)


@pytest.fixture
def empty_database():
    """A new, empty database on the test server; yields an engine on it."""
    name = PREFIX + "t_migrations"
    with server_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(POSTGRES_URL.set(database=name), poolclass=NullPool)
    yield engine
    engine.dispose()
    drop_databases([name])


def upgrade(engine, kind: str, revision: str = "head") -> None:
    with engine.begin() as conn:
        migrations.upgrade(kind, conn, revision)


def downgrade(engine, kind: str, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(migrations.alembic_config(kind, conn), revision)


@pytest.mark.parametrize(
    ("kind", "metadata"), [("master", MasterBase.metadata), ("studio", StudioBase.metadata)]
)
def test_head_is_what_the_models_declare(empty_database, kind, metadata):
    upgrade(empty_database, kind)
    with empty_database.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        checks = set(
            conn.scalars(
                text(
                    "SELECT conname FROM pg_constraint WHERE contype IN ('c', 'x') AND connamespace = 'public'::regnamespace"
                )
            )
        )
    declared = {
        c.name
        for table in metadata.tables.values()
        for c in table.constraints
        if isinstance(c, (CheckConstraint, ExcludeConstraint))
    }
    assert checks == declared


@pytest.mark.parametrize(
    ("kind", "metadata"), [("master", MasterBase.metadata), ("studio", StudioBase.metadata)]
)
def test_every_status_check_allows_exactly_its_enums_values(empty_database, kind, metadata):
    upgrade(empty_database, kind)
    columns = [c for table in metadata.tables.values() for c in table.columns if isinstance(c.type, Enum)]
    assert len(columns) == {"master": 2, "studio": 5}[kind]
    with empty_database.connect() as conn:
        for column in columns:
            definition = conn.scalar(
                text("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = :name"),
                {"name": column.type.name},
            )
            assert set(re.findall(r"'([^']*)'", definition)) == set(column.type.enum_class.values()), column


def test_0002_renames_sessions_and_staff_users_keeping_every_row(empty_database):
    upgrade(empty_database, "studio", "0001")
    with empty_database.begin() as conn:
        conn.execute(
            text("INSERT INTO rooms (id, name, hourly_rate_cents, is_active) VALUES (1, 'A', 0, true)")
        )
        conn.execute(text("INSERT INTO clients (id, name) VALUES (1, 'Ada')"))
        conn.execute(
            text(
                "INSERT INTO staff_users (name, email, password_hash, role, is_active) "
                "VALUES ('Owner', 'o@x.example', 'h', 'owner', true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO sessions (room_id, client_id, starts_at, ends_at, status, created_by_id) "
                "VALUES (1, 1, :s, :e, 'booked', 1)"
            ),
            {"s": START, "e": START + timedelta(hours=2)},
        )
        conn.execute(
            text(
                "INSERT INTO invoices (id, number, client_id, status, tax_rate_bp, subtotal_cents, "
                "tax_cents, total_cents) VALUES (1, 'INV-0001', 1, 'draft', 0, 100, 0, 100)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO invoice_lines (invoice_id, description, quantity, unit_price_cents, "
                "amount_cents, session_id) VALUES (1, 'Hour', 1, 100, 100, 1)"
            )
        )

    upgrade(empty_database, "studio")
    with empty_database.begin() as conn:
        assert conn.execute(text("SELECT id, created_by_id, status FROM bookings")).all() == [
            (1, 1, "booked")
        ]
        assert conn.execute(text("SELECT id, email FROM staff_accounts")).all() == [(1, "o@x.example")]
        assert conn.scalar(text("SELECT booking_id FROM invoice_lines")) == 1
        # The sequences continue where they were: the next rows get id 2.
        assert (
            conn.scalar(
                text(
                    "INSERT INTO staff_accounts (name, email, password_hash, role, is_active) "
                    "VALUES ('Sam', 's@x.example', 'h', 'staff', true) RETURNING id"
                )
            )
            == 2
        )
        assert (
            conn.scalar(
                text(
                    "INSERT INTO bookings (room_id, client_id, starts_at, ends_at, status) "
                    "VALUES (1, 1, :s, :e, 'booked') RETURNING id"
                ),
                {"s": START + timedelta(hours=2), "e": START + timedelta(hours=3)},
            )
            == 2
        )
    with pytest.raises(IntegrityError) as refused, empty_database.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO bookings (room_id, client_id, starts_at, ends_at, status) "
                "VALUES (1, 1, :s, :e, 'booked')"
            ),
            {"s": START, "e": START + timedelta(hours=1)},
        )
    assert refused.value.orig.diag.constraint_name == "bookings_no_overlap"

    downgrade(empty_database, "studio", "0001")
    with empty_database.connect() as conn:
        assert conn.execute(text("SELECT id FROM sessions ORDER BY id")).scalars().all() == [1, 2]
        assert conn.scalar(text("SELECT session_id FROM invoice_lines")) == 1
    upgrade(empty_database, "studio")
    with empty_database.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM bookings")) == 2
