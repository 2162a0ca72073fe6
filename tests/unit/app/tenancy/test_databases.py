"""Studio connections are pooled per engine and reused; engines are kept in an LRU, which bounds them."""

import threading

import pytest
from sqlalchemy import event, text

from app import create_app
from app.extensions import studio_db
from app.models.studio import Room
from app.tenancy.databases import POOLED_APPLICATION_NAME, ReadOnlyRequest
from tests.conftest import PREFIX, server_engine
from tests.host_client import HostClient

POOL_SIZE = 2
CACHE_SIZE = 3


@pytest.fixture
def small_app(base_config, redis_client, app):
    # `app` (depended on for its clean-up) is rebuilt with small pools, a small cache and a short wait.
    return create_app(
        {
            **base_config,
            "TENANT_POOL_SIZE": str(POOL_SIZE),
            "TENANT_ENGINE_CACHE_SIZE": str(CACHE_SIZE),
            "TENANT_CONNECTION_WAIT_SECONDS": 0.3,
            "TESTING": True,
        }
    )


@pytest.fixture
def studios(small_app, make_studio):
    return [make_studio(f"studio{number}") for number in range(6)]


def backends_by_database() -> dict[str, int]:
    """PostgreSQL's client backends on this run's studio databases, by database."""
    with server_engine().connect() as conn:
        rows = conn.execute(
            text(
                "SELECT datname, count(*) FROM pg_stat_activity WHERE datname LIKE :p "
                "AND backend_type = 'client backend' GROUP BY datname"
            ),
            {"p": PREFIX + "t_%"},
        )
        return dict(rows.all())


def wrong_login(app, studio):
    return HostClient(app, f"{studio.subdomain}.studio.test").post_form(
        "/login", {"email": f"owner@{studio.subdomain}.example", "password": "wrong password"}
    )


def signed_in(app, studio, owner_password) -> HostClient:
    browser = HostClient(app, f"{studio.subdomain}.studio.test")
    response = browser.post_form(
        "/login", {"email": f"owner@{studio.subdomain}.example", "password": owner_password}
    )
    assert response.status_code == 302
    return browser


def test_requests_reuse_the_pooled_connection_instead_of_connecting(small_app, studios, owner_password):
    studio = studios[0]
    browser = signed_in(small_app, studio, owner_password)
    connects = []
    event.listen(studio_db.studio_engine(studio), "connect", lambda *_: connects.append(1))
    for _ in range(5):
        assert browser.get("/dashboard").status_code == 200
    assert connects == []
    assert studio_db.checked_out_connections == 0
    assert backends_by_database()[studio.database_name] == 1


def test_pooled_connections_name_themselves(small_app, studios):
    wrong_login(small_app, studios[0])
    with server_engine().connect() as conn:
        names = set(
            conn.scalars(
                text("SELECT application_name FROM pg_stat_activity WHERE datname = :d"),
                {"d": studios[0].database_name},
            )
        )
    assert names == {POOLED_APPLICATION_NAME}


def test_the_least_recently_used_engine_is_disposed_with_its_connections(small_app, studios):
    for studio in studios:
        wrong_login(small_app, studio)
    assert list(studio_db._engines) == [("main", s.database_name) for s in studios[-CACHE_SIZE:]]
    assert backends_by_database() == {s.database_name: 1 for s in studios[-CACHE_SIZE:]}


def test_a_request_beyond_its_studios_pool_waits_then_gets_the_busy_page(small_app, studios):
    engine = studio_db.studio_engine(studios[0])
    held = [engine.connect() for _ in range(POOL_SIZE)]
    try:
        busy = wrong_login(small_app, studios[0])
        assert busy.status_code == 503
        assert "Temporarily unavailable" in busy.get_data(as_text=True)
        # Another studio has its own pool.
        assert wrong_login(small_app, studios[1]).status_code == 401
    finally:
        for connection in held:
            connection.close()
    assert wrong_login(small_app, studios[0]).status_code == 401


def test_concurrent_requests_on_many_studios_stay_bounded_and_leave_no_connection_behind(
    small_app, studios, owner_password
):
    browsers = [signed_in(small_app, studio, owner_password) for studio in studios]
    threads_per_studio = 2
    peak = 0
    stop = threading.Event()
    errors = []

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, sum(backends_by_database().values()))

    def browse(browser):
        for _ in range(4):
            status = browser.get("/dashboard").status_code
            if status != 200:
                errors.append(status)

    sampler = threading.Thread(target=sample)
    sampler.start()
    workers = [
        threading.Thread(target=browse, args=(b,)) for b in browsers for _ in range(threads_per_studio)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    stop.set()
    sampler.join()
    assert errors == []
    # The pools of the cached engines, plus at most one connection per request still running on an
    # engine evicted meanwhile (closed when that request gives it back).
    assert 0 < peak <= CACHE_SIZE * POOL_SIZE + len(workers)
    assert studio_db.checked_out_connections == 0
    assert studio_db.open_connections <= CACHE_SIZE * POOL_SIZE
    assert set(backends_by_database()) <= {database for _server, database in studio_db._engines}
    assert sum(backends_by_database().values()) == studio_db.open_connections


def test_a_page_that_reads_sends_no_begin_and_a_form_gets_its_transaction(app, staff_client):
    browser = staff_client("abbey")
    with app.app_context():
        engine = studio_db.studio_engine(browser.organization)
    # Whether each transaction SQLAlchemy begins is one PostgreSQL sees (not on autocommit).
    seen: list[bool] = []
    event.listen(engine, "begin", lambda conn: seen.append(not conn.connection.dbapi_connection.autocommit))
    assert browser.get("/dashboard").status_code == 200
    assert seen == [False]
    seen.clear()
    token = browser.csrf_token("/rooms/new")
    seen.clear()
    response = browser.post("/rooms/new", data={"name": "Room A", "hourly_rate": "45", "csrf_token": token})
    assert response.status_code == 302 and seen == [True]


def test_a_get_request_may_not_write(app, abbey):
    with app.test_request_context("/dashboard", headers={"Host": "abbey.studio.test"}):
        app.preprocess_request()
        db = studio_db.session
        db.add(Room(name="Written by a GET"))
        with pytest.raises(ReadOnlyRequest):
            db.flush()
    with app.app_context(), studio_db.studio_engine(abbey).connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM rooms")) == 0
