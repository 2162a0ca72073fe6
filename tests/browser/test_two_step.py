"""Two-step sign-in in a real browser: the owner turns it on from *My account* (the QR code drawn,
nothing refused by the CSP, fitting a phone), then signs in with the app's code."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.browser.conftest import OWNER_PASSWORD as PASSWORD
from tests.browser.test_studio_product import shoot

pytestmark = pytest.mark.browser


def test_an_owner_turns_on_two_step_sign_in_and_signs_in_with_a_code(abbey, page, csp_violations):
    from playwright.sync_api import expect

    studio = abbey

    def sign_in_with_password():
        page.goto(studio + "/login")
        page.get_by_label("Email").fill("olive@abbey.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

    sign_in_with_password()
    page.get_by_role("link", name="My account").click()
    qr = page.get_by_role("img", name="QR code")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 150, "big enough for a phone's camera"
    shoot(page, "two-step")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code the app shows").fill(totp.now())
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Two-step sign-in is on")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)

    page.get_by_role("button", name="Sign out").click()
    sign_in_with_password()
    expect(page.get_by_role("heading", name="Two-step sign-in")).to_be_visible()
    # The next step's code: the one just used to turn it on is never accepted again.
    page.get_by_label("Code from your authenticator app").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    assert page.url.endswith("/dashboard")
    assert csp_violations == []
