"""Two-step sign-in through the pages: enrolment on the staff member's own page, the code after the
password, recovery codes, replays refused, owners required to enrol, and the audit log."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.models.studio import AuditEntry, StaffAccount, StudioProfile

OWNER = "owner@abbey.example"


def code(secret: str, steps_ahead: int = 0) -> str:
    """The code of a step from now; +1 is still accepted (drift), and differs from a code used now."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(browser) -> tuple[str, list[str]]:
    """Turn the second factor on for the signed-in browser; its secret and recovery codes."""
    page = browser.get("/account/two-step").get_data(as_text=True)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    done = browser.post_form("/account/two-step", {"code": code(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.get_data(as_text=True))
    return secret, codes


def actions(open_db, organization) -> list[str]:
    with open_db(organization) as db:
        return list(db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "staff_accounts")))


@pytest.fixture
def enrolled(staff_client):
    """abbey's owner with the second factor on (the browser, its secret, its recovery codes)."""
    browser = staff_client("abbey")
    secret, codes = enrol(browser)
    return browser, secret, codes


def test_the_enrolment_page_shows_a_qr_svg_and_the_key(staff_client):
    page = staff_client("abbey").get("/account/two-step")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert '<div class="qr" role="img"' in html and "<svg" in html and "<script>" not in html
    assert re.search(r'<code id="totp-secret">[A-Z2-7]{4}( [A-Z2-7]{4}){7}</code>', html)


def test_a_wrong_code_does_not_enrol(staff_client, open_db):
    browser = staff_client("abbey")
    browser.get("/account/two-step")
    assert browser.post_form("/account/two-step", {"code": "000000"}).status_code == 422
    with open_db(browser.organization) as db:
        assert db.get(StaffAccount, 1).totp_secret is None


def test_enrolment_shows_ten_codes_once_and_keeps_only_hashes(enrolled, open_db):
    browser, secret, codes = enrolled
    assert len(codes) == 10
    with open_db(browser.organization) as db:
        staff = db.get(StaffAccount, 1)
        assert staff.totp_secret == secret and len(staff.recovery_code_hashes) == 10
        assert not set(codes) & set(staff.recovery_code_hashes)
    again = browser.get("/account/two-step").get_data(as_text=True)
    assert "Recovery codes left: 10." in again and codes[0] not in again
    assert actions(open_db, browser.organization) == ["enrol_2fa"]


def test_sign_in_asks_for_the_code_after_the_password(enrolled, studio_client, sign_in):
    _, secret, _ = enrolled
    browser = studio_client("abbey")
    response = sign_in(browser, OWNER)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert browser.get("/dashboard").status_code == 302, "nothing is signed in before the code"
    wrong = browser.post_form("/login/code", {"code": "000000"})
    assert wrong.status_code == 401 and "That code is not right" in wrong.get_data(as_text=True)
    right = browser.post_form("/login/code", {"code": code(secret, 1)})
    assert right.status_code == 302 and right.headers["Location"].endswith("/dashboard")
    assert browser.get("/dashboard").status_code == 200


def test_a_used_code_is_refused_the_second_time(enrolled, studio_client, sign_in):
    _, secret, _ = enrolled
    first, second = studio_client("abbey"), studio_client("abbey")
    sign_in(first, OWNER)
    sign_in(second, OWNER)
    used = code(secret, 1)
    assert first.post_form("/login/code", {"code": used}).status_code == 302
    assert second.post_form("/login/code", {"code": used}).status_code == 401
    assert second.get("/dashboard").status_code == 302


def test_a_recovery_code_signs_in_once_and_is_audited(enrolled, studio_client, sign_in, open_db):
    owner, _, codes = enrolled
    browser = studio_client("abbey")
    sign_in(browser, OWNER)
    assert browser.post_form("/login/code", {"code": codes[0]}).status_code == 302
    assert "A recovery code was used; 9 left." in browser.get("/dashboard").get_data(as_text=True)
    again = studio_client("abbey")
    sign_in(again, OWNER)
    assert again.post_form("/login/code", {"code": codes[0]}).status_code == 401
    assert actions(open_db, owner.organization) == ["enrol_2fa", "recovery_code"]


def test_code_failures_are_throttled(enrolled, studio_client, sign_in):
    browser = studio_client("abbey")
    sign_in(browser, OWNER)
    statuses = [browser.post_form("/login/code", {"code": "000000"}).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(staff_client, studio_client):
    staff_client("abbey")
    response = studio_client("abbey").get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_turning_it_off_takes_a_code_and_is_audited(enrolled, open_db):
    browser, secret, _ = enrolled
    assert browser.post_form("/account/two-step", {"code": "000000"}).status_code == 401
    assert browser.post_form("/account/two-step", {"code": code(secret, 1)}).status_code == 302
    with open_db(browser.organization) as db:
        assert db.get(StaffAccount, 1).totp_secret is None
    assert actions(open_db, browser.organization) == ["enrol_2fa", "disable_2fa"]


@pytest.fixture
def required(staff_client, open_db):
    """abbey's owner, signed in, and the studio now requires owners to sign in in two steps."""
    browser = staff_client("abbey")
    with open_db(browser.organization) as db:
        db.get(StudioProfile, 1).owners_need_totp = True
    return browser


def test_an_owner_without_it_is_sent_to_enrol_after_sign_in(required, studio_client, sign_in):
    browser = studio_client("abbey")
    response = sign_in(browser, OWNER)
    assert response.headers["Location"].endswith("/account/two-step")
    assert browser.get("/clients").headers["Location"].endswith("/account/two-step")
    assert "requires two-step sign-in" in browser.get("/account/two-step").get_data(as_text=True)
    enrol(browser)
    assert browser.get("/clients").status_code == 200


def test_an_owner_cannot_turn_it_off_while_required(required, open_db):
    secret, _ = enrol(required)
    refused = required.post_form("/account/two-step", {"code": code(secret, 1)})
    assert refused.status_code == 403
    with open_db(required.organization) as db:
        assert db.get(StaffAccount, 1).totp_secret == secret


def test_the_owner_turns_the_requirement_on_in_settings(staff_client, open_db):
    browser = staff_client("abbey")
    form = {"time_zone": "UTC", "currency": "EUR", "language": "en", "owners_need_totp": "on"}
    assert browser.post_form("/settings", form).status_code == 302
    with open_db(browser.organization) as db:
        assert db.get(StudioProfile, 1).owners_need_totp is True
