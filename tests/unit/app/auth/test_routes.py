"""Sign-in for a studio's staff (/login) and clients (/client/login), and signing out."""

import pytest
from sqlalchemy import update

from app.extensions import studio_db
from app.models.studio import Client, StaffAccount


def test_owner_signs_in_and_reaches_the_dashboard(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    response = sign_in(browser)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert "Owner of abbey" in browser.get("/dashboard").get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(abbey, studio_client, sign_in):
    response = sign_in(studio_client("abbey"), password="wrong password")
    assert response.status_code == 401
    assert "Wrong email or password." in response.get_data(as_text=True)


def test_deactivated_staff_cannot_sign_in(app, abbey, studio_client, sign_in):
    with app.app_context(), studio_db.studio_engine(abbey).begin() as conn:
        conn.execute(update(StaffAccount).values(is_active=False))
    assert sign_in(studio_client("abbey")).status_code == 401


def test_client_signs_in_to_the_portal(cleo, studio_client, sign_in):
    browser = studio_client("abbey")
    response = sign_in(browser, "cleo@example.com", "cleo's password", path="/client/login")
    assert response.status_code == 302 and response.headers["Location"] == "/client/"
    assert browser.get("/dashboard").status_code == 302  # a client is not staff


def test_client_without_portal_access_cannot_sign_in(app, abbey, studio_client, sign_in):
    with app.app_context(), studio_db.studio_engine(abbey).begin() as conn:
        conn.execute(Client.__table__.insert().values(name="Dan", email="dan@example.com"))
    assert (
        sign_in(studio_client("abbey"), "dan@example.com", "anything at all", "/client/login").status_code
        == 401
    )


def test_logout_ends_the_session(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    sign_in(browser)
    browser.post_form("/logout", {}, "/dashboard")
    assert browser.get("/dashboard").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(abbey, studio_client, target, owner_password):
    browser = studio_client("abbey")
    token = browser.csrf_token()
    response = browser.post(
        f"/login?next={target}",
        data={"email": "owner@abbey.example", "password": owner_password, "csrf_token": token},
    )
    assert response.headers["Location"] == "/dashboard"


def test_a_client_signing_out_returns_to_the_client_login(cleo, studio_client, sign_in):
    browser = studio_client("abbey")
    sign_in(browser, "cleo@example.com", "cleo's password", path="/client/login")
    response = browser.post_form("/logout", {}, "/client/")
    assert response.headers["Location"] == "/client/login"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/evil.example", "\\/evil.example"])
def test_a_next_field_a_browser_would_read_as_another_site_is_not_followed(abbey, studio_client, target):
    response = studio_client("abbey").post_form(
        "/login", {"email": "owner@abbey.example", "password": "correct horse battery", "next": target}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
