"""Host header -> studio: every kind of host, and that nothing ever falls back to another database."""

import pytest

from app import create_app

from app.settings import app_settings
from app.tenancy.resolver import TenantResolver
from tests.unit.conftest import HostClient


@pytest.fixture
def abbey(make_studio):
    return make_studio("abbey")


@pytest.mark.parametrize("host", ["studio.test", "www.studio.test", "STUDIO.TEST", "studio.test:8443", "studio.test."])
def test_apex_root_redirects_to_signup(host_client, host):
    response = host_client(host).get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/signup")


@pytest.mark.parametrize("host", ["abbey.studio.test", "ABBEY.Studio.Test", "abbey.studio.test:8443"])
def test_studio_root_redirects_to_login(abbey, host_client, host):
    response = host_client(host).get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


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


@pytest.mark.parametrize("path", ["/login", "/client/login"])
def test_studio_page_on_the_apex_leads_to_the_studio_finder(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/find-studio?next={path}")
    finder = client.get(response.headers["Location"])
    assert finder.status_code == 200
    assert "Find your studio" in finder.get_data(as_text=True)


def test_studio_finder_sends_the_user_to_their_studio(abbey, client):
    response = client.post_form("/find-studio", {"subdomain": "Abbey", "next": "/client/login"}, "/find-studio")
    assert response.status_code == 302
    assert response.headers["Location"] == "http://abbey.studio.test/client/login"


def test_studio_finder_refuses_a_foreign_next_path(abbey, client):
    response = client.post_form("/find-studio", {"subdomain": "abbey", "next": "//evil.example/x"}, "/find-studio")
    assert response.headers["Location"] == "http://abbey.studio.test/login"


def test_studio_finder_explains_an_unknown_studio(client):
    response = client.post_form("/find-studio", {"subdomain": "nosuch"}, "/find-studio")
    assert response.status_code == 404
    assert "no studio called nosuch" in response.get_data(as_text=True)


def test_every_studio_route_on_the_apex_is_never_a_server_error(app, client):
    """The historical failure: a studio page on the apex fell back to SQLite and answered 500."""
    studio_blueprints = {"auth", "staff", "portal", "api"}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in studio_blueprints]
    assert rules, "no studio routes found"
    for rule in rules:
        path = rule.rule.replace("<int:", "<").replace("<", "").replace(">", "") if rule.arguments else rule.rule
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            assert response.status_code < 500, f"{method} {rule.rule} on the apex -> {response.status_code}"


def test_platform_pages_are_not_served_on_a_studio(abbey, studio_client):
    assert studio_client("abbey").get("/signup").status_code == 404


def test_health_endpoints_answer_on_any_host(host_client):
    assert host_client("127.0.0.1:8000").get("/healthz").status_code == 200
    ready = host_client("127.0.0.1:8000").get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"master_database": "ok", "redis": "ok"}


class NamedByHeader(TenantResolver):
    """An override of one hook, as a deployment behind another proxy might do."""

    def hostname_from_request(self, req):
        return req.headers.get("X-Studio-Host")


def test_resolver_hooks_can_be_overridden(app, abbey):
    resolver = NamedByHeader()
    resolver.domain = app_settings(app).PLATFORM_DOMAIN
    with app.test_request_context("/", headers={"Host": "evil.example", "X-Studio-Host": "abbey.studio.test"}):
        assert resolver.resolve() is None
        from flask import g

        assert g.studio.subdomain == "abbey"


def test_a_resolver_subclass_named_by_the_setting_is_used(base_config, redis_client, app, abbey):
    """TENANT_RESOLVER swaps in a subclass: here the studio comes from a header, not from Host."""
    custom = create_app({**base_config, "TENANT_RESOLVER": f"{__name__}:NamedByHeader"})
    assert type(custom.extensions["tenant_resolver"]) is NamedByHeader
    response = HostClient(custom, "evil.example").get("/login", headers={"X-Studio-Host": "abbey.studio.test"})
    assert response.status_code == 200 and "Abbey" in response.get_data(as_text=True)
    assert HostClient(app, "evil.example").get("/login", headers={"X-Studio-Host": "abbey.studio.test"}).status_code == 400


def test_resolution_hands_the_master_connection_back(app, abbey):
    """A long request (a slow AI chat) must not hold one of the process's few master connections."""
    from flask import g

    from app.extensions import master_db

    with app.test_request_context("/login", headers={"Host": "abbey.studio.test"}):
        app.preprocess_request()
        assert g.studio.subdomain == "abbey" and g.studio.database_name == abbey.database_name
        assert master_db.engine.pool.checkedout() == 0
