"""Password reset by an emailed, single-use, expiring link: the same answer for any address."""

from __future__ import annotations

import re

from e2e.fakes.smtp_sink import text_part

SENT = "a link to choose a new password is on its way"
NEW_PASSWORD = "a brand new password"


def _link(message) -> str:
    return re.search(r"https?://\S+/reset-password/\S+", text_part(message)).group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def test_a_known_and_an_unknown_address_get_the_same_answer_and_only_one_gets_mail(
    abbey, studio_client, outbox
):
    browser = studio_client("abbey")
    known = browser.post_form(
        "/forgot-password", {"email": "owner@abbey.example"}, token_from="/forgot-password"
    )
    unknown = browser.post_form(
        "/forgot-password", {"email": "nobody@abbey.example"}, token_from="/forgot-password"
    )
    assert known.status_code == unknown.status_code == 200
    assert SENT in known.get_data(as_text=True) and SENT in unknown.get_data(as_text=True)
    [message] = outbox.deliver()
    assert message["To"] == "owner@abbey.example"
    assert message["From"].startswith("Abbey <")
    assert "/reset-password/" in _link(message)


def test_the_link_sets_a_new_password_once_and_ends_the_old_sessions(
    abbey, studio_client, sign_in, outbox, owner_password
):
    signed_in = studio_client("abbey")
    sign_in(signed_in)
    assert signed_in.get("/dashboard").status_code == 200
    browser = studio_client("abbey")
    browser.post_form("/forgot-password", {"email": "owner@abbey.example"}, token_from="/forgot-password")
    [message] = outbox.deliver()
    path = _path(_link(message))
    assert browser.get(path).status_code == 200
    done = browser.post_form(path, {"password": NEW_PASSWORD}, token_from=path)
    assert done.status_code == 302 and done.headers["Location"] == "/login?reset=done"
    assert browser.get(path).status_code == 410  # single use
    assert (
        browser.post_form(path, {"password": "yet another password"}, token_from="/login").status_code == 410
    )
    assert signed_in.get("/dashboard").status_code == 302  # the old password's session has ended
    assert sign_in(studio_client("abbey"), password=owner_password).status_code == 401
    assert sign_in(studio_client("abbey"), password=NEW_PASSWORD).status_code == 302


def test_a_short_password_is_refused_and_the_link_stays_usable(abbey, studio_client, outbox):
    browser = studio_client("abbey")
    browser.post_form("/forgot-password", {"email": "owner@abbey.example"}, token_from="/forgot-password")
    path = _path(_link(outbox.deliver()[0]))
    assert browser.post_form(path, {"password": "short"}, token_from=path).status_code == 422
    assert browser.get(path).status_code == 200


def test_an_earlier_link_dies_when_the_password_changes(abbey, studio_client, outbox):
    browser = studio_client("abbey")
    for _ in range(2):
        browser.post_form("/forgot-password", {"email": "owner@abbey.example"}, token_from="/forgot-password")
    first, second = (_path(_link(m)) for m in outbox.deliver())
    assert browser.post_form(second, {"password": NEW_PASSWORD}, token_from=second).status_code == 302
    assert browser.get(first).status_code == 410


def test_a_made_up_token_is_dead(abbey, studio_client):
    assert studio_client("abbey").get("/reset-password/made-up").status_code == 410


def test_a_client_resets_the_portal_password(cleo, studio_client, sign_in, outbox):
    browser = studio_client("abbey")
    page = "/client/forgot-password"
    browser.post_form(page, {"email": "cleo@example.com"}, token_from=page)
    link = _link(outbox.deliver()[0])
    assert "/client/reset-password/" in link
    path = _path(link)
    assert browser.post_form(path, {"password": NEW_PASSWORD}, token_from=path).status_code == 302
    response = sign_in(
        studio_client("abbey"), email="cleo@example.com", password=NEW_PASSWORD, path="/client/login"
    )
    assert response.status_code == 302


def test_the_reset_form_is_throttled_per_address(abbey, studio_client):
    browser = studio_client("abbey")
    statuses = [
        browser.post_form(
            "/forgot-password", {"email": "x@abbey.example"}, token_from="/forgot-password"
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [200] * 5 + [429]
