"""Real PostgreSQL and Redis for every test: a throwaway master database and studio prefix per run.

TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres, a role with CREATEDB) says
where PostgreSQL is; scripts/test starts one when none answers. Redis is a private redis-server per
run (tests/redis_server.py) unless TEST_REDIS_URL names one, which the tests then flush.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.settings import load_settings
from e2e.fakes import smtp_sink
from tests.redis_server import private_redis

POSTGRES_URL = make_url(
    os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
).set(drivername="postgresql+psycopg")
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


def studio_databases() -> set[str]:
    """This run's studio databases, without the migrated template they are copied from."""
    return databases_with_prefix(PREFIX + "t_") - databases_with_prefix(PREFIX + "t_template_")


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


def reset_databases() -> None:
    """Empty the master database (plans stay) and drop every studio database of this run (the
    template they are copied from stays)."""
    from app.extensions import master_db, studio_db

    master_db.engine.dispose()
    with master_db.engine.begin() as conn:
        conn.execute(text("TRUNCATE organizations, subscriptions, ai_credit_entries CASCADE"))
    for server, name in list(studio_db._engines):
        studio_db.forget(server, name)
    # The migrated studio template stays: it holds no studio's rows, and making it costs a migration.
    drop_databases(studio_databases())
    master_db.engine.dispose()


@pytest.fixture(scope="session")
def redis_url():
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
        return
    with private_redis() as url:
        yield url


@pytest.fixture(scope="session")
def base_config(master_database_url, redis_url) -> dict:
    config = {
        "PLATFORM_DOMAIN": DOMAIN,
        "MASTER_DATABASE_URL": master_database_url,
        "TENANT_DATABASE_SERVER_URL": POSTGRES_URL.render_as_string(hide_password=False),
        "REDIS_URL": redis_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "SESSION_COOKIE_SECURE": "false",
        "TENANT_DATABASE_PREFIX": PREFIX + "t_",
        "ASSISTANT_ENABLED": "false",
    }
    load_settings(config)  # fail fast, with the settings' own message, on a bad test set-up
    return config


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server in this process (aiosmtpd) that keeps what it receives: the relay of
    every app under test."""
    sink = smtp_sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def redis_client(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()


def pytest_collection_modifyitems(items):
    # tests/unit is marked by where it lives; the other suites mark themselves.
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent / "unit"):
            item.add_marker(pytest.mark.unit)
