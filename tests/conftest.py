"""Real PostgreSQL and Redis for every test: a throwaway master database and studio prefix per run.

TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres, a role with CREATEDB) and
TEST_REDIS_URL (default redis://127.0.0.1:6379/15) say where they are; scripts/test starts both when
they are not running.
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.settings import load_settings

POSTGRES_URL = make_url(os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")).set(
    drivername="postgresql+psycopg2"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RUN_ID = uuid.uuid4().hex[:8]
PREFIX = f"rsmtest_{RUN_ID}_"
DOMAIN = "studio.test"


def server_engine():
    return create_engine(POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")


def databases_with_prefix(prefix: str = PREFIX) -> set[str]:
    with server_engine().connect() as conn:
        return set(
            conn.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": prefix + "%"})
        )


def drop_databases(names) -> None:
    with server_engine().connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def master_database_url():
    name = PREFIX + "master"
    with server_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    from app.tenancy import migrations

    url = POSTGRES_URL.set(database=name)
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        migrations.upgrade("master", conn)
    engine.dispose()
    yield url.render_as_string(hide_password=False)
    drop_databases(databases_with_prefix())


@pytest.fixture(scope="session")
def base_config(master_database_url) -> dict:
    config = {
        "PLATFORM_DOMAIN": DOMAIN,
        "MASTER_DATABASE_URL": master_database_url,
        "TENANT_DATABASE_SERVER_URL": POSTGRES_URL.render_as_string(hide_password=False),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SESSION_COOKIE_SECURE": "false",
        "TENANT_DATABASE_PREFIX": PREFIX + "t_",
    }
    load_settings(config)  # fail fast, with the settings' own message, on a bad test set-up
    return config


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()
