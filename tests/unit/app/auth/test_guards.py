"""Who is signed in on this studio: sessions bound to one studio, access that ends when revoked, and
studio pages on the apex leading to the studio finder."""

import json
import re

import pytest
from sqlalchemy import update

from app.extensions import redis_store, studio_db
from app.models.studio import AccountRole, Client, StaffAccount
from app.security.passwords import hash_password
from e2e.fakes.smtp_sink import text_part


def test_dashboard_needs_a_signed_in_staff_member(abbey, studio_client):
    response = studio_client("abbey").get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/dashboard")


def test_a_session_from_studio_a_is_refused_on_studio_b(app, make_studio, studio_client, sign_in):
    make_studio("abbey")
    make_studio("bravo", owner_email="owner@abbey.example")  # same email, same password, other studio
    abbey_browser = studio_client("abbey")
    assert sign_in(abbey_browser).status_code == 302
    stolen = abbey_browser.http.get_cookie("rsm_session", domain="abbey.studio.test").value
    bravo_browser = studio_client("bravo")
    bravo_browser.http.set_cookie("rsm_session", stolen, domain="bravo.studio.test")
    response = bravo_browser.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_revoking_portal_access_ends_an_open_client_session(app, abbey, cleo, studio_client, sign_in):
    browser = studio_client("abbey")
    sign_in(browser, "cleo@example.com", "cleo's password", path="/client/login")
    assert browser.get("/client/").status_code == 200
    with app.app_context(), studio_db.studio_engine(abbey).begin() as conn:
        conn.execute(update(Client).values(password_hash=None))
    response = browser.get("/client/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/client/login")


def test_a_new_portal_password_ends_the_clients_open_sessions(cleo, studio_client, sign_in, outbox):
    cleo_browser = studio_client("abbey")
    sign_in(cleo_browser, "cleo@example.com", "cleo's password", path="/client/login")
    assert cleo_browser.get("/client/").status_code == 200
    elsewhere = studio_client("abbey")  # Cleo resets her password from another device
    elsewhere.post_form("/client/forgot-password", {"email": "cleo@example.com"})
    link = re.search(r"https?://[^/\s]+(/client/reset-password/\S+)", text_part(outbox.deliver()[-1])).group(
        1
    )
    changed = elsewhere.post_form(link, {"password": "a brand new password"})
    assert changed.status_code == 302
    response = cleo_browser.get("/client/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/client/login")
    # The new password opens a new session.
    sign_in(cleo_browser, "cleo@example.com", "a brand new password", path="/client/login")
    assert cleo_browser.get("/client/").status_code == 200


@pytest.mark.parametrize(
    "change", [{"password_hash": hash_password("another password")}, {"role": AccountRole.STAFF}]
)
def test_a_password_or_role_change_ends_the_staff_members_sessions(app, staff_client, change):
    browser = staff_client("abbey")
    assert browser.get("/dashboard").status_code == 200
    with app.app_context(), studio_db.studio_engine(browser.organization).begin() as conn:
        conn.execute(update(StaffAccount).values(**change))
    response = browser.get("/dashboard")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_opened_before_stamps_existed_is_signed_out(app, staff_client):
    browser = staff_client("abbey")
    sid = browser.http.get_cookie("rsm_session", domain="abbey.studio.test").value
    with app.app_context():
        stored = json.loads(redis_store.client.get("session:" + sid))
        del stored["credential"]
        redis_store.client.set("session:" + sid, json.dumps(stored))
    assert browser.get("/dashboard").status_code == 302


@pytest.mark.parametrize("path", ["/login", "/client/login"])
def test_studio_page_on_the_apex_leads_to_the_studio_finder(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/find-studio?next={path}")
    finder = client.get(response.headers["Location"])
    assert finder.status_code == 200
    assert "Find your studio" in finder.get_data(as_text=True)
