"""A studio owner's week, in a real browser at 1280 and 390 px: set the time zone and currency, book
from the calendar, reschedule, issue an invoice with a deposit, invite the client by mail, and the client chooses a password from
the link, reads the invoice in the portal and downloads its PDF.

With SCREENSHOTS=DIR set, the calendar and the invoice are saved there at both widths (the README's
screenshots come from such a run).
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from e2e.fakes.smtp_sink import text_part
from tests.browser.conftest import OWNER_PASSWORD as PASSWORD

pytestmark = pytest.mark.browser

CLIENT_PASSWORD = "client portal password"
PHONE = {"width": 390, "height": 844}


def shoot(page, name: str) -> None:
    """Save the page at 1280 px and at 390 px when SCREENSHOTS names a directory; the page is then
    looked at on a phone too: nothing may stick out sideways except the calendar's own scroller."""
    directory = os.environ.get("SCREENSHOTS")
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} is wider than a phone by {overflow}px"
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/{name}-390.png", full_page=True)
        page.set_viewport_size(desktop)
        page.screenshot(path=f"{directory}/{name}-1280.png", full_page=True)
    page.set_viewport_size(desktop)


def test_a_studio_books_from_the_calendar_and_invoices_its_client(abbey, page, csp_violations, delivered):
    from playwright.sync_api import expect

    studio = abbey
    page.goto(studio + "/login")
    page.get_by_label("Email").fill("olive@abbey.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Settings").click()
    page.get_by_label("Name on invoices").fill("Abbey Studios SAS")
    page.get_by_label("Address").fill("3 rue du Studio\n75011 Paris")
    page.get_by_label("Tax number (e.g. VAT)").fill("FR12345678901")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_label("Default tax rate (%)").fill("20")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Studio settings saved.")).to_be_visible()

    page.goto(studio + "/rooms/new")
    page.get_by_label("Name").fill("Live Room")
    page.get_by_label("Hourly rate").fill("45")
    page.get_by_role("button", name="Add room").click()
    page.goto(studio + "/clients/new")
    page.get_by_label("Name").fill("Ada Lovelace")
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Add client").click()
    page.get_by_role("button", name="Send an invitation").click()
    expect(page.get_by_text(re.compile("Invitation sent to ada@example.com"))).to_be_visible()

    day = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=2)).date()
    page.get_by_role("link", name="Calendar").click()
    page.get_by_label("Day", exact=True).fill(f"{day}")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=f"Book Live Room, {day} 10:00").click()
    expect(page.get_by_label("Starts")).to_have_value(f"{day}T10:00")
    page.get_by_label("Client").select_option(label="Ada Lovelace (ada@example.com)")
    page.get_by_label("Ends").fill(f"{day}T12:00")
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text(re.compile(r"Booked Live Room for Ada Lovelace, 10:00–12:00"))).to_be_visible()
    expect(page.locator("td.booked")).to_contain_text("10:00–12:00")

    page.locator("td.booked a").click()  # reschedule: two hours later
    page.get_by_label("Starts").fill(f"{day}T14:00")
    page.get_by_label("Ends").fill(f"{day}T16:00")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("td.booked")).to_contain_text("14:00–16:00")
    expect(page.locator("td.booked")).to_have_attribute("rowspan", "8")
    shoot(page, "calendar")

    page.get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="New invoice").click()
    page.get_by_label("Client").select_option(label="Ada Lovelace")
    expect(page.get_by_label("Tax rate (%)")).to_have_value("20")
    page.locator("#lines-0-description").fill("Tracking, Live Room")
    page.locator("#lines-0-quantity").fill("2")
    page.locator("#lines-0-unit_price").fill("45")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("cell", name="€108.00")).to_be_visible()  # 2 × 45 + 20 %
    page.get_by_role("button", name="Mark sent").click()
    expect(page.get_by_role("heading", name=re.compile("INV-0001"))).to_be_visible()
    page.get_by_label("Amount received").fill("50")
    page.get_by_label("Note").fill("deposit")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("balance due €58.00")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    invitation = next(m for m in delivered() if m["Subject"] == "Your client portal at Abbey")
    page.goto(re.search(r"http://\S+/client/reset-password/\S+", text_part(invitation)).group(0))
    page.get_by_label("New password").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_text("Your new password is saved. Sign in with it.")).to_be_visible()
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(CLIENT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("14:00–16:00")).to_be_visible()
    page.get_by_role("link", name="INV-0001").click()
    page.get_by_role("link", name="Print view").click()
    expect(page.get_by_role("heading", name="Abbey Studios SAS")).to_be_visible()
    expect(page.get_by_text("FR12345678901")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Balance due.*€58.00"))).to_be_visible()
    shoot(page, "invoice")
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename == "INV-0001.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert csp_violations == []
