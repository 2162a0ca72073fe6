"""The product on the converged server, over HTTPS as a browser: the demo studio's owner sets its
time zone, books through the calendar, issues an invoice, invites the client by mail; the client
chooses a password from the mailed link and downloads the invoice as a PDF."""

from __future__ import annotations

import html
import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import pytest

from e2e import demo, smtp_relay
from e2e.browser import Browser
from e2e.fakes.smtp_sink import text_part

CLIENT_PASSWORD = "client portal password e2e"


@pytest.fixture(scope="module")
def studio(scenario, e2e_state):
    found, _created = demo.ensure(scenario, e2e_state)
    return found


def sign_in(browser: Browser, url: str, email: str, password: str) -> None:
    form = browser.get(url)
    response = browser.post(url, data={"csrf_token": form.csrf_token(), "email": email, "password": password})
    assert response.status == 302, (response.status, response.body[:300])


def submit(browser: Browser, url: str, data: dict, token_from: str | None = None):
    token = browser.get(token_from or url).csrf_token()
    return browser.post(url, data={**data, "csrf_token": token})


def test_book_through_the_calendar_and_download_the_invoice_pdf(studio, e2e_state):
    base = studio.url.rstrip("/")
    owner = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    sign_in(owner, base + "/login", studio.email, studio.password)
    settings = {
        "legal_name": "Demo Studio SAS",
        "address": "1 rue du Son",
        "tax_id": "FR0",
        "time_zone": "Europe/Paris",
    }
    response = submit(
        owner, base + "/settings", {**settings, "currency": "EUR", "default_tax_rate": "20", "language": "en"}
    )
    assert response.status == 302, response.body[:500]
    run = secrets.token_hex(3)  # a kept server (E2E_KEEP=1) may run this again: new names each time
    room = {"name": f"E2E Room {run}", "hourly_rate": "50", "is_active": "on"}
    assert submit(owner, base + "/rooms/new", room).status == 302
    email = f"e2e-client-{run}@example.com"
    added = submit(owner, base + "/clients/new", {"name": f"E2E Client {run}", "email": email})
    client_id = re.search(r"/clients/(\d+)/edit", added.location).group(1)

    day = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=3)).date()
    calendar = owner.get(f"{base}/calendar?date={day}")
    assert calendar.status == 200
    links = re.findall(
        r'href="(/bookings/new\?room_id=\d+&amp;starts_at=' + f"{day}" + r'T10:00[^"]*)"', calendar.body
    )
    assert links, "no free 10:00 slot on the calendar"
    slot = urljoin(base + "/", html.unescape(links[-1]))
    form = owner.get(slot)
    room_id = re.search(r"room_id=(\d+)", slot).group(1)
    booked = owner.post(
        slot,
        data={
            "csrf_token": form.csrf_token(),
            "room_id": room_id,
            "client_id": client_id,
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T12:00",
        },
    )
    assert booked.status == 302 and booked.location.endswith(f"/calendar?date={day}"), booked.body[:500]
    assert 'class="booked"' in owner.get(f"{base}/calendar?date={day}").body

    lines = {
        "client_id": client_id,
        "tax_rate": "20",
        "lines-0-description": "Tracking",
        "lines-0-unit_price": "100",
    }
    draft = submit(owner, base + "/invoices/new", lines)
    assert draft.status == 302, draft.body[:500]
    invoice = urljoin(base + "/", draft.location)
    assert submit(owner, invoice + "/status", {"status": "sent"}, token_from=invoice).status == 302
    # The client is invited by mail (the harness's SMTP sink is the relay) and chooses a password.
    before = len(smtp_relay.messages())
    portal = base + f"/clients/{client_id}/portal"
    invited = submit(owner, portal, {"action": "invite"}, token_from=base + f"/clients/{client_id}/edit")
    assert invited.status == 302, invited.body[:500]
    invitation = smtp_relay.wait_for_mail(
        email, "Your client portal at Demo Studio", after=before, seconds=30
    )
    link = re.search(r"https://[^/\s]+(/client/reset-password/\S+)", text_part(invitation)).group(1)
    client = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    assert submit(client, base + link, {"password": CLIENT_PASSWORD}).status == 302
    sign_in(client, base + "/client/login", email, CLIENT_PASSWORD)
    pdf = client.get(invoice.replace("/invoices/", "/client/invoices/") + "/pdf")
    assert pdf.status == 200, pdf.body[:500]
    assert pdf.headers["content-type"] == "application/pdf"
    assert re.fullmatch(r'attachment; filename="INV-\d{4}\.pdf"', pdf.headers["content-disposition"])
    assert pdf.body.startswith("%PDF-")
