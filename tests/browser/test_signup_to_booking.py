"""One person's first visit, in a real browser: sign up, confirm from the mailed link, sign in, add a
room and a client, book a session."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import master_db
from app.tenancy.provisioning import NewStudio, provision_studio
from e2e.fakes.smtp_sink import text_part

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


def test_signup_to_booking(live_app, live_server, page, csp_violations, delivered):
    from playwright.sync_api import expect

    with live_app.app_context():
        provision_studio(
            NewStudio.parse(
                {
                    "studio_name": "Abbey",
                    "subdomain": "abbey",
                    "owner_name": "Someone",
                    "email": "someone@abbey.example",
                    "password": PASSWORD,
                },
                master_db.session,
            )
        )
    apex = f"http://localhost:{live_server}"
    first = page.goto(apex + "/")
    assert "script-src 'self'" in first.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Create your studio")).to_be_visible()
    page.get_by_label("Studio name").fill("Night Owl Sound")
    subdomain, status = page.locator("#subdomain"), page.locator("#subdomain-status")
    subdomain.press_sequentially("abbey")
    expect(status).to_have_text("abbey is already taken. Choose another name.")
    expect(status).to_have_class("error")
    subdomain.fill("")
    subdomain.press_sequentially("NightOwl")  # lower-cased as typed
    expect(status).to_have_text("nightowl.localhost is available.")
    expect(status).to_have_class("ok")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    page.get_by_label("Your name").fill("Olive Owl")
    page.get_by_label("Email").fill("olive@nightowl.example")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Choose a password")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create nightowl").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("We sent a link to olive@nightowl.example")).to_be_visible()
    [mail] = [m for m in delivered() if m["To"] == "olive@nightowl.example"]
    page.goto(re.search(r"http://\S+/signup/verify/\S+", text_part(mail)).group(0))
    page.get_by_role("button", name="Create my studio").click()

    studio = f"http://nightowl.localhost:{live_server}"
    expect(page).to_have_url(studio + "/login?welcome=1")
    expect(page.get_by_text("Your studio is ready.")).to_be_visible()
    page.get_by_label("Email").fill("olive@nightowl.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Olive Owl")).to_be_visible()

    page.get_by_role("link", name="Rooms").click()
    page.get_by_role("link", name="Add a room").click()
    page.get_by_label("Name").fill("Live Room")
    page.get_by_label("Hourly rate").fill("45")
    page.get_by_role("button", name="Add room").click()
    expect(page.get_by_role("cell", name="Live Room")).to_be_visible()

    page.get_by_role("link", name="Clients").click()
    page.get_by_role("link", name="Add a client").click()
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Add client").click()
    expect(page.get_by_text("Ada Lovelace added.")).to_be_visible()

    day = (datetime.now(UTC) + timedelta(days=2)).date()
    page.get_by_role("link", name="Sessions").click()
    page.get_by_role("link", name="Book a session").click()
    page.get_by_label("Room").select_option(label="Live Room")
    page.get_by_label("Client").select_option(label="Ada Lovelace (ada@example.com)")
    page.get_by_label("Starts").fill(f"{day}T14:00")
    page.get_by_label("Ends").fill(f"{day}T16:00")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text(re.compile(r"Booked Live Room for Ada Lovelace"))).to_be_visible()

    # The same slot again is refused, with the reason next to the start field.
    page.get_by_role("link", name="Book a session").click()
    page.get_by_label("Room").select_option(label="Live Room")
    page.get_by_label("Client").select_option(label="Ada Lovelace (ada@example.com)")
    page.get_by_label("Starts").fill(f"{day}T15:00")
    page.get_by_label("Ends").fill(f"{day}T17:00")
    page.get_by_role("button", name="Book").click()
    expect(page.locator("#starts_at-error")).to_have_text(
        f"Live Room is already booked 14:00–16:00 on {day}."
    )

    page.get_by_role("link", name="Dashboard").click()
    upcoming = page.locator("section.panel", has=page.get_by_role("heading", name="Upcoming"))
    expect(
        upcoming.get_by_role(
            "row", name=re.compile(f"14:00–16:00, {day:%b} {day.day}, {day.year}.*Live Room.*Ada Lovelace")
        )
    ).to_be_visible()

    # The assistant's panel opens and closes (its styles come from style.css).
    panel = page.locator("#ai-panel")
    expect(panel).to_be_hidden()
    page.get_by_role("button", name="Ask the assistant").click()
    expect(panel).to_be_visible()
    page.get_by_role("button", name="Close the assistant").click()
    expect(panel).to_be_hidden()

    # Cancelling asks first (confirm.js: no inline handler); dismissed, nothing happens.
    page.get_by_role("link", name="Sessions").click()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Cancel").first.click()
    expect(page.get_by_role("button", name="Cancel")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel").first.click()
    expect(page.get_by_text(re.compile(r"Cancelled Live Room for Ada Lovelace"))).to_be_visible()

    assert csp_violations == []
