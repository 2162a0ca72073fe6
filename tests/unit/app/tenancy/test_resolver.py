"""Host header -> studio: every kind of host, and that nothing ever falls back to another database."""

import pytest
from flask import g
from sqlalchemy import event, text

from app import create_app
from app.extensions import master_db
from app.settings import app_settings
from app.tenancy.resolver import TenantResolver
from tests.conftest import server_engine
from tests.host_client import HostClient


def test_studio_login_page_names_the_studio(abbey, studio_client):
    response = studio_client("abbey").get("/login")
    assert response.status_code == 200
    assert "Abbey" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["nosuch.studio.test", "a.b.studio.test", "abbey.abbey.studio.test"])
def test_unknown_studio_is_a_404_with_a_signup_link(abbey, host_client, host):
    response = host_client(host).get("/login")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "does not exist" in page
    assert "http://studio.test/signup" in page


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "studio.test.evil.example",
        "abbeystudio.test",
        "abbey.studio.test@evil.example",
        "evil.example#.studio.test",
        "abbey.studio.test:80:80",
        "abbey.studio.test/evil",
        "abbey..studio.test",
        "-abbey.studio.test",
        "",
        "127.0.0.1",
        "abbey.studio.test abbey.studio.test",
    ],
)
def test_foreign_or_malformed_host_is_refused(abbey, host_client, host):
    response = host_client(host).get("/login")
    assert response.status_code == 400
    assert "Abbey" not in response.get_data(as_text=True)


def test_suspended_studio_shows_a_notice_and_no_data(abbey, app, studio_client, runner):
    result = runner.invoke(args=["tenants", "suspend", "abbey"])
    assert result.exit_code == 0, result.output
    response = studio_client("abbey").get("/login")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "suspended" in page
    assert "<form" not in page


def test_every_studio_route_on_the_apex_is_never_a_server_error(app, client):
    """The historical failure: a studio page on the apex fell back to SQLite and answered 500."""
    studio_blueprints = {"auth", "staff", "portal", "api"}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in studio_blueprints]
    assert rules, "no studio routes found"
    for rule in rules:
        path = (
            rule.rule.replace("<int:", "<").replace("<", "").replace(">", "") if rule.arguments else rule.rule
        )
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code < 500, f"{method} {rule.rule} on the apex -> {response.status_code}"


class NamedByHeader(TenantResolver):
    """An override of one hook, as a deployment behind another proxy might do."""

    def hostname_from_request(self, req):
        return req.headers.get("X-Studio-Host")


def test_resolver_hooks_can_be_overridden(app, abbey):
    resolver = NamedByHeader()
    resolver.domain = app_settings(app).PLATFORM_DOMAIN
    with app.test_request_context(
        "/", headers={"Host": "evil.example", "X-Studio-Host": "abbey.studio.test"}
    ):
        assert resolver.resolve() is None
        assert g.studio.subdomain == "abbey"


def test_a_resolver_subclass_named_by_the_setting_is_used(base_config, redis_client, app, abbey):
    """TENANT_RESOLVER swaps in a subclass: here the studio comes from a header, not from Host."""
    custom = create_app({**base_config, "TENANT_RESOLVER": f"{__name__}:NamedByHeader"})
    assert type(custom.extensions["tenant_resolver"]) is NamedByHeader
    response = HostClient(custom, "evil.example").get(
        "/login", headers={"X-Studio-Host": "abbey.studio.test"}
    )
    assert response.status_code == 200 and "Abbey" in response.get_data(as_text=True)
    default = HostClient(app, "evil.example").get("/login", headers={"X-Studio-Host": "abbey.studio.test"})
    assert default.status_code == 400


def test_resolution_hands_the_master_connection_back(app, abbey):
    """A long request (a slow AI chat) must not hold one of the process's few master connections."""
    with app.test_request_context("/login", headers={"Host": "abbey.studio.test"}):
        app.preprocess_request()
        assert g.studio.subdomain == "abbey" and g.studio.database_name == abbey.database_name
        assert master_db.engine.pool.checkedout() == 0


class MasterTraffic:
    """What a request sends to the master database, counted by SQLAlchemy's events: statements, and
    transactions (a BEGIN the server sees: not on an autocommit connection)."""

    def __init__(self, engine) -> None:
        self.statements: list[str] = []
        self.transactions = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", self._begin)

    def _statement(self, conn, cursor, statement, *args) -> None:
        self.statements.append(statement)

    def _begin(self, conn) -> None:
        if not conn.connection.dbapi_connection.autocommit:
            self.transactions += 1

    def reset(self) -> None:
        self.statements.clear()
        self.transactions = 0


def test_a_signed_in_page_costs_one_master_statement_then_none_while_cached(app, staff_client):
    browser = staff_client("abbey")
    traffic = MasterTraffic(master_db.engine)
    app.extensions["tenant_resolver"].cache.forget("abbey")
    assert browser.get("/dashboard").status_code == 200
    assert (len(traffic.statements), traffic.transactions) == (1, 0)
    assert "FROM organizations" in traffic.statements[0]
    traffic.reset()
    for _ in range(3):
        assert browser.get("/dashboard").status_code == 200
    assert (traffic.statements, traffic.transactions) == ([], 0)


@pytest.mark.parametrize("ai_settings", [{"TENANT_CACHE_SECONDS": "5"}])
def test_a_suspension_made_elsewhere_takes_effect_within_the_cache_time(app, abbey, studio_client):
    # The cache's own clock, moved by hand: a slow machine cannot make the cached answer expire early.
    now = [1000.0]
    cache = app.extensions["tenant_resolver"].cache
    cache._clock = lambda: now[0]
    browser = studio_client("abbey")
    assert browser.get("/login").status_code == 200
    # As `flask tenants suspend` in another process would: this process's cache does not hear of it.
    with master_db.engine.begin() as conn:
        conn.execute(text("UPDATE organizations SET status = 'SUSPENDED' WHERE subdomain = 'abbey'"))
    now[0] += 4.9
    assert browser.get("/login").status_code == 200
    now[0] += 0.2
    assert browser.get("/login").status_code == 403


def test_a_master_connection_dropped_by_postgresql_costs_no_failed_request(app, abbey, studio_client):
    browser = studio_client("abbey")
    resolver = app.extensions["tenant_resolver"]
    assert browser.get("/login").status_code == 200
    assert master_db.engine.pool.checkedin() >= 1
    # What a PostgreSQL restart does to the pooled connection.
    with server_engine().connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"),
            {"d": master_db.engine.url.database},
        )
    resolver.cache.forget("abbey")
    assert browser.get("/login").status_code == 200
