"""Server-side sessions: a new id at login, and a host-only, HttpOnly, Lax (and Secure) cookie."""

import pytest

from app import create_app
from tests.host_client import HostClient


def test_login_issues_a_new_session_id(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    browser.get("/login")
    before = browser.http.get_cookie("rsm_session", domain="abbey.studio.test")
    sign_in(browser)
    after = browser.http.get_cookie("rsm_session", domain="abbey.studio.test")
    assert before is not None and after is not None
    assert before.value != after.value


def test_session_cookie_is_httponly_lax_host_only_and_secure_when_configured(app, base_config, redis_client):
    secure_app = create_app({**base_config, "SESSION_COOKIE_SECURE": "true"})
    response = HostClient(secure_app, "studio.test").get("/signup")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Domain=" not in cookie


@pytest.mark.parametrize(
    "host, path",
    [
        ("studio.test", "/no-such-page"),
        ("studio.test", "/signup/check?subdomain=abbey"),
        ("nowhere.studio.test", "/"),
        ("abbey.studio.test", "/"),
        ("abbey.studio.test", "/dashboard"),
        ("abbey.studio.test", "/no-such-page"),
        ("abbey.studio.test", "/healthz"),
    ],
)
def test_an_anonymous_page_without_a_form_creates_no_session(app, abbey, redis_client, host, path):
    response = HostClient(app, host).get(path)
    assert response.status_code < 500
    assert "Set-Cookie" not in response.headers
    assert redis_client.keys("session:*") == []


def test_a_page_with_a_form_keeps_its_csrf_token_in_a_session(app, abbey, redis_client):
    response = HostClient(app, "abbey.studio.test").get("/login")
    assert "rsm_session=" in response.headers["Set-Cookie"]
    assert len(redis_client.keys("session:*")) == 1


def test_an_unchanged_session_is_renewed_without_being_rewritten(
    app, abbey, studio_client, sign_in, redis_client
):
    browser = studio_client("abbey")
    sign_in(browser)
    assert browser.get("/dashboard").status_code == 200  # its first page adds the CSRF token
    sid = browser.http.get_cookie("rsm_session", domain="abbey.studio.test").value
    key = "session:" + sid
    redis_client.expire(key, 60)
    stored = redis_client.get(key)
    before = redis_client.info("commandstats")
    assert browser.get("/dashboard").status_code == 200
    after = redis_client.info("commandstats")
    # Its expiry is back to the full lifetime (12 hours), its content untouched, and the request
    # sent one GETEX and no SET.
    assert redis_client.ttl(key) > 11 * 3600
    assert redis_client.get(key) == stored
    assert after["cmdstat_getex"]["calls"] - before.get("cmdstat_getex", {"calls": 0})["calls"] == 1
    assert after.get("cmdstat_set", {"calls": 0})["calls"] == before.get("cmdstat_set", {"calls": 0})["calls"]
