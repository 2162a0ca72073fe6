"""Studios on two real PostgreSQL servers: db-1 is the tests' server (home, holding the master
database), db-2 a second server started for the session (tests/postgres_server.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from app.extensions import master_db
from app.models.master import Organization
from app.tenancy.provisioning import NewStudio, provision_studio
from tests.conftest import POSTGRES_URL, PREFIX
from tests.postgres_server import postgres_bin, private_postgres
from tests.unit.conftest import PASSWORD

HOME_URL = POSTGRES_URL.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def second_server_url():
    if postgres_bin() is None:
        pytest.skip("no initdb under /usr/lib/postgresql/*/bin: cannot start a second PostgreSQL server")
    with private_postgres() as url:
        yield url


def databases_on(url: str, prefix: str = PREFIX + "t_") -> set[str]:
    """This run's studio databases on a server (its templates left out)."""
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"), poolclass=NullPool)
    with engine.connect() as conn:
        names = set(
            conn.scalars(
                text("SELECT datname FROM pg_database WHERE starts_with(datname, :p)"), {"p": prefix}
            )
        )
    engine.dispose()
    return {name for name in names if not name.startswith(PREFIX + "t_template_")}


def drop_on(url: str, names) -> None:
    engine = create_engine(
        make_url(url).set(drivername="postgresql+psycopg"), poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def weights() -> dict:
    """Parametrize for other weights of db-1 and db-2."""
    return {"db-1": 1, "db-2": 1}


@pytest.fixture
def app_config(app_config, second_server_url, weights) -> dict:
    servers = {
        "db-1": {"url": HOME_URL, "weight": weights["db-1"]},
        "db-2": {"url": second_server_url, "weight": weights["db-2"]},
    }
    # A short cache: a move waits it out twice.
    return {**app_config, "TENANT_DATABASE_SERVERS": json.dumps(servers), "TENANT_CACHE_SECONDS": "0.2"}


@pytest.fixture(autouse=True)
def empty_second_server(second_server_url):
    yield
    drop_on(second_server_url, databases_on(second_server_url))


@pytest.fixture
def make_on(app):
    """`make_on("abbey", "db-2")`: provision a studio on a given server (None: placement decides)."""

    def make(subdomain: str, server: str | None) -> Organization:
        with app.app_context():
            given = {
                "studio_name": subdomain.title(),
                "subdomain": subdomain,
                "owner_name": "Owner of " + subdomain,
                "email": f"owner@{subdomain}.example",
                "password": PASSWORD,
            }
            return provision_studio(NewStudio.parse(given, master_db.session), server=server)

    return make
