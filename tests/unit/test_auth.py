"""Staff and client sign-in: throttling, sessions bound to one studio, cookies, CSRF."""

import pytest
from sqlalchemy import update

from app.extensions import studio_db
from app.models.studio import Client, StaffAccount
from app.security.passwords import hash_password
from tests.unit.conftest import PASSWORD


@pytest.fixture
def abbey(make_studio):
    return make_studio("abbey")


@pytest.fixture
def cleo(app, abbey):
    """A client of abbey with portal access."""
    with app.app_context(), studio_db.engine(abbey.database_name).begin() as conn:
        conn.execute(Client.__table__.insert().values(name="Cleo", email="cleo@example.com",
                                                      password_hash=hash_password("cleo's password")))


def sign_in(browser, email="owner@abbey.example", password=PASSWORD, path="/login"):
    return browser.post_form(path, {"email": email, "password": password})


def test_owner_signs_in_and_reaches_the_dashboard(abbey, studio_client):
    browser = studio_client("abbey")
    response = sign_in(browser)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "Owner of abbey" in browser.get("/dashboard").get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(abbey, studio_client):
    response = sign_in(studio_client("abbey"), password="wrong password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_dashboard_needs_a_signed_in_staff_member(abbey, studio_client):
    response = studio_client("abbey").get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/dashboard")


def test_account_is_throttled_after_five_failures_with_a_wait_message(abbey, studio_client, redis_client):
    browser = studio_client("abbey")
    for _ in range(5):
        assert sign_in(browser, password="wrong password").status_code == 401
    locked = sign_in(browser)  # even the right password waits now
    page = locked.get_data(as_text=True)
    assert locked.status_code == 429
    assert "Try again in 15 minutes." in page
    assert redis_client.ttl(f"throttle:account:{abbey.id}:staff:owner@abbey.example") > 0


def test_ip_is_throttled_across_accounts(abbey, studio_client):
    browser = studio_client("abbey")
    for number in range(20):
        assert sign_in(browser, email=f"nobody{number}@example.com", password="x").status_code == 401
    assert sign_in(browser).status_code == 429


def test_success_clears_the_account_counter(abbey, studio_client):
    browser = studio_client("abbey")
    for _ in range(4):
        sign_in(browser, password="wrong password")
    assert sign_in(browser).status_code == 302
    fresh = studio_client("abbey")
    for _ in range(4):
        sign_in(fresh, password="wrong password")
    assert sign_in(fresh).status_code == 302


def test_deactivated_staff_cannot_sign_in(app, abbey, studio_client):
    with app.app_context(), studio_db.engine(abbey.database_name).begin() as conn:
        conn.execute(update(StaffAccount).values(is_active=False))
    assert sign_in(studio_client("abbey")).status_code == 401


def test_login_issues_a_new_session_id(abbey, studio_client):
    browser = studio_client("abbey")
    browser.get("/login")
    before = browser.http.get_cookie("rsm_session", domain="abbey.studio.test")
    sign_in(browser)
    after = browser.http.get_cookie("rsm_session", domain="abbey.studio.test")
    assert before is not None and after is not None
    assert before.value != after.value


def test_session_cookie_is_httponly_lax_host_only_and_secure_when_configured(app, base_config, redis_client):
    from app import create_app
    from tests.unit.conftest import HostClient

    secure_app = create_app({**base_config, "SESSION_COOKIE_SECURE": "true"})
    response = HostClient(secure_app, "studio.test").get("/signup")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Domain=" not in cookie


def test_a_session_from_studio_a_is_refused_on_studio_b(app, make_studio, studio_client):
    make_studio("abbey")
    make_studio("bravo", owner_email="owner@abbey.example")  # same email, same password, other studio
    abbey_browser = studio_client("abbey")
    assert sign_in(abbey_browser).status_code == 302
    stolen = abbey_browser.http.get_cookie("rsm_session", domain="abbey.studio.test").value
    bravo_browser = studio_client("bravo")
    bravo_browser.http.set_cookie("rsm_session", stolen, domain="bravo.studio.test")
    response = bravo_browser.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_post_without_csrf_token_is_refused(abbey, studio_client):
    browser = studio_client("abbey")
    browser.get("/login")
    response = browser.post("/login", data={"email": "owner@abbey.example", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)


def test_post_with_a_wrong_csrf_token_is_refused(abbey, studio_client):
    browser = studio_client("abbey")
    browser.get("/login")
    response = browser.post("/login", data={"email": "x", "password": "y", "csrf_token": "forged"})
    assert response.status_code == 400


def test_csrf_header_is_accepted_for_json(abbey, studio_client):
    browser = studio_client("abbey")
    token = browser.csrf_token()
    response = browser.post("/login", data={"email": "owner@abbey.example", "password": PASSWORD},
                            headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_client_signs_in_to_the_portal(cleo, studio_client):
    browser = studio_client("abbey")
    response = sign_in(browser, "cleo@example.com", "cleo's password", path="/client/login")
    assert response.status_code == 302 and response.headers["Location"] == "/client/"
    assert browser.get("/dashboard").status_code == 302  # a client is not staff


def test_client_without_portal_access_cannot_sign_in(app, abbey, studio_client):
    with app.app_context(), studio_db.engine(abbey.database_name).begin() as conn:
        conn.execute(Client.__table__.insert().values(name="Dan", email="dan@example.com"))
    assert sign_in(studio_client("abbey"), "dan@example.com", "anything at all", "/client/login").status_code == 401


def test_logout_ends_the_session(abbey, studio_client):
    browser = studio_client("abbey")
    sign_in(browser)
    browser.post_form("/logout", {}, "/dashboard")
    assert browser.get("/dashboard").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(abbey, studio_client, target):
    browser = studio_client("abbey")
    token = browser.csrf_token()
    response = browser.post(f"/login?next={target}", data={"email": "owner@abbey.example", "password": PASSWORD,
                                                           "csrf_token": token})
    assert response.headers["Location"] == "/dashboard"


def test_revoking_portal_access_ends_an_open_client_session(app, abbey, cleo, studio_client):
    browser = studio_client("abbey")
    sign_in(browser, "cleo@example.com", "cleo's password", path="/client/login")
    assert browser.get("/client/").status_code == 200
    with app.app_context(), studio_db.engine(abbey.database_name).begin() as conn:
        conn.execute(update(Client).values(password_hash=None))
    response = browser.get("/client/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/client/login")


def test_a_client_signing_out_returns_to_the_client_login(cleo, studio_client):
    browser = studio_client("abbey")
    sign_in(browser, "cleo@example.com", "cleo's password", path="/client/login")
    response = browser.post_form("/logout", {}, "/client/")
    assert response.headers["Location"] == "/client/login"
