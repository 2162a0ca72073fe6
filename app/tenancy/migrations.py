"""Run the two Alembic histories (master, studio) programmatically on a given connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


# pg_advisory_xact_lock's key (any constant; advisory locks are per database)
MIGRATION_LOCK = 0x52534D4D


def take_migration_lock(connection: Connection) -> None:
    """Wait for any other migration of this database, until this transaction ends: several web
    hosts release at once (one converge runs them side by side), and the revision must be read
    only once the other run has committed."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def alembic_config(kind: str, connection: Connection | None = None) -> Config:
    if kind not in ("master", "studio"):
        raise ValueError(f"unknown migration history {kind!r}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS / kind))
    config.attributes["connection"] = connection
    return config


def upgrade(kind: str, connection: Connection, revision: str = "head") -> None:
    command.upgrade(alembic_config(kind, connection), revision)


def head(kind: str) -> str:
    """The history's head revision, from the scripts alone (no database, no env.py)."""
    return ScriptDirectory.from_config(alembic_config(kind)).get_current_head()


def revision_of(connection: Connection) -> str | None:
    """The database's revision, read from alembic_version directly; None before any migration."""
    if connection.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))
