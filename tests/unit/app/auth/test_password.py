"""Changing one's own password: the current one first; other sessions end, this one goes on."""

from __future__ import annotations

NEW_PASSWORD = "a brand new password"


def test_staff_change_their_password_and_only_their_other_sessions_end(
    abbey, studio_client, sign_in, owner_password
):
    here, elsewhere = studio_client("abbey"), studio_client("abbey")
    sign_in(here)
    sign_in(elsewhere)
    changed = here.post_form("/password", {"current": owner_password, "password": NEW_PASSWORD})
    assert changed.status_code == 302 and changed.headers["Location"] == "/dashboard"
    assert here.get("/dashboard").status_code == 200
    assert elsewhere.get("/dashboard").status_code == 302
    assert sign_in(studio_client("abbey"), password=NEW_PASSWORD).status_code == 302
    assert sign_in(studio_client("abbey"), password=owner_password).status_code == 401


def test_a_wrong_current_password_or_a_short_new_one_is_refused(abbey, studio_client, sign_in):
    browser = studio_client("abbey")
    sign_in(browser)
    refused = browser.post_form("/password", {"current": "not it at all", "password": "short"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "This is not your current password." in page and "Use at least 10 characters." in page


def test_a_client_changes_the_portal_password(cleo, studio_client, sign_in):
    browser = studio_client("abbey")
    sign_in(browser, email="cleo@example.com", password="cleo's password", path="/client/login")
    changed = browser.post_form("/client/password", {"current": "cleo's password", "password": NEW_PASSWORD})
    assert changed.status_code == 302 and changed.headers["Location"] == "/client/"
    assert browser.get("/client/").status_code == 200
    again = sign_in(
        studio_client("abbey"), email="cleo@example.com", password=NEW_PASSWORD, path="/client/login"
    )
    assert again.status_code == 302


def test_signed_out_the_pages_send_to_sign_in(abbey, studio_client):
    assert studio_client("abbey").get("/password").status_code == 302
    assert studio_client("abbey").get("/client/password").status_code == 302
