"""A forgotten password in a real browser: the link from the sign-in page, the mail the worker sends
through a real SMTP relay, the new password chosen on the linked page, and the link dead after use."""

from __future__ import annotations

import re

import pytest

from e2e.fakes.smtp_sink import text_part
from tests.browser.conftest import OWNER_PASSWORD as OLD_PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a brand new password"


def test_a_staff_member_resets_a_forgotten_password_once_from_the_mailed_link(
    abbey, page, delivered, csp_violations
):
    from playwright.sync_api import expect

    studio = abbey

    page.goto(studio + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("olive@abbey.example")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("a link to choose a new password is on its way")

    [mail] = [m for m in delivered() if m["To"] == "olive@abbey.example"]
    link = re.search(r"https?://\S+/reset-password/\S+", text_part(mail)).group(0)
    reset_page = studio + "/" + link.split("/", 3)[3]
    page.goto(reset_page)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page).to_have_url(re.compile(r"/login\?reset=done$"))

    page.get_by_label("Email").fill("olive@abbey.example")
    page.get_by_label("Password").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong email or password.")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()

    page.goto(reset_page)
    expect(page.get_by_role("alert")).to_contain_text("This link has expired or was already used.")
    assert csp_violations == []
