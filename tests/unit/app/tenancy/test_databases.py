"""However many studios there are, one process opens at most TENANT_CONNECTIONS_PER_PROCESS to them."""

import threading

import pytest
from sqlalchemy import text

from app import create_app
from app.extensions import studio_db
from app.tenancy.databases import StudioCapacityError
from tests.conftest import PREFIX, server_engine
from tests.host_client import HostClient

CAP = 2


@pytest.fixture
def capped_app(base_config, redis_client, app):
    # `app` (depended on for its clean-up) is rebuilt with a small cap and a short wait.
    return create_app(
        {
            **base_config,
            "TENANT_CONNECTIONS_PER_PROCESS": str(CAP),
            "TENANT_ENGINE_CACHE_SIZE": "3",
            "TENANT_CONNECTION_WAIT_SECONDS": 0.3,
            "TESTING": True,
        }
    )


@pytest.fixture
def studios(capped_app, make_studio):
    return [make_studio(f"studio{number}") for number in range(6)]


def tenant_connections_in_postgres() -> int:
    with server_engine().connect() as conn:
        return conn.scalar(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE :p"), {"p": PREFIX + "t_%"}
        )


def test_connections_are_released_after_each_request(capped_app, studios):
    for studio in studios:
        response = HostClient(capped_app, f"{studio.subdomain}.studio.test").post_form(
            "/login", {"email": f"owner@{studio.subdomain}.example", "password": "wrong password"}
        )
        assert response.status_code == 401
        assert studio_db.open_connections == 0
    assert tenant_connections_in_postgres() == 0


def test_engine_cache_keeps_only_the_most_recent_studios(capped_app, studios):
    for studio in studios:
        HostClient(capped_app, f"{studio.subdomain}.studio.test").get("/login")
        with capped_app.app_context(), studio_db.engine(studio.database_name).connect():
            pass
    assert list(studio_db._engines) == [s.database_name for s in studios[-3:]]


def test_a_connection_beyond_the_cap_waits_then_fails_cleanly(capped_app, studios):
    held = [studio_db.engine(s.database_name).connect() for s in studios[:CAP]]
    try:
        assert tenant_connections_in_postgres() == CAP
        with pytest.raises(StudioCapacityError):
            studio_db.engine(studios[CAP].database_name).connect()
        busy = HostClient(capped_app, f"{studios[CAP].subdomain}.studio.test").post_form(
            "/login", {"email": "x@example.com", "password": "whatever"}
        )
        assert busy.status_code == 503
        assert "Temporarily unavailable" in busy.get_data(as_text=True)
    finally:
        for connection in held:
            connection.close()
    with studio_db.engine(studios[CAP].database_name).connect() as connection:
        assert connection.scalar(text("SELECT 1")) == 1


def test_concurrent_requests_on_many_studios_never_exceed_the_cap(capped_app, studios):
    peak = 0
    stop = threading.Event()
    errors = []

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tenant_connections_in_postgres())

    def browse(studio):
        browser = HostClient(capped_app, f"{studio.subdomain}.studio.test")
        for _ in range(4):
            status = browser.post_form("/login", {"email": "x@example.com", "password": "nope"}).status_code
            if status not in (401, 429, 503):
                errors.append(status)

    sampler = threading.Thread(target=sample)
    sampler.start()
    workers = [threading.Thread(target=browse, args=(s,)) for s in studios]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stop.set()
    sampler.join()
    assert errors == []
    assert 0 < peak <= CAP
    assert studio_db.open_connections == 0
