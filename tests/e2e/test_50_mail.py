"""Mail on the converged server: the worker beside the live release sends through the operator's
relay (the harness's SMTP sink, e2e/smtp_relay.py): a password reset over HTTPS, a booking's
confirmation, a relay down for a while, a killed worker; nothing is lost."""

from __future__ import annotations

import re
import secrets
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from e2e import demo, smtp_relay
from e2e.browser import Browser
from e2e.fakes.smtp_sink import text_part

RESET_SUBJECT = "Choose a new password"


@pytest.fixture(scope="module")
def studio(scenario, e2e_state):
    found, _created = demo.ensure(scenario, e2e_state)
    return found


@pytest.fixture
def new_browser(e2e_state):
    return lambda: Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])


def submit(browser: Browser, url: str, data: dict, token_from: str | None = None):
    token = browser.get(token_from or url).csrf_token()
    return browser.post(url, data={**data, "csrf_token": token})


@pytest.fixture(scope="module")
def owner(studio, e2e_state):
    browser = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    signed_in = submit(
        browser, studio.url.rstrip("/") + "/login", {"email": studio.email, "password": studio.password}
    )
    assert signed_in.status == 302, signed_in.body[:300]
    return browser


@pytest.fixture(scope="module")
def staff(studio, owner):
    """One new staff account of the demo studio for this module (the trial plan's seats are few):
    (email, its first password)."""
    email, password = f"e2e-staff-{secrets.token_hex(3)}@example.com", "first password e2e"
    added = submit(
        owner,
        studio.url.rstrip("/") + "/accounts",
        {"name": "E2E Staff", "email": email, "password": password, "role": "staff"},
    )
    assert added.status == 302, added.body[:500]
    return email, password


def ask_reset(browser: Browser, base: str, email: str) -> None:
    asked = submit(browser, base + "/forgot-password", {"email": email})
    assert asked.status == 200 and "is on its way" in asked.body


def reset_path(message) -> str:
    return re.search(r"https://[^/\s]+(/reset-password/\S+)", text_part(message)).group(1)


def test_the_mail_worker_runs_beside_the_live_release(srv):
    workers = srv.check("docker ps --filter label=rsm.worker --format '{{.Names}} {{.State}}'").split("\n")
    assert [w for w in workers if w] == [f"rsm-worker-{srv.live_release()} running"]


def test_readiness_names_the_mail_path_without_the_relay(srv):
    body = srv.check(
        f"python3 -c \"import urllib.request;print(urllib.request.urlopen('{srv.app_url('/readyz')}').read().decode())\""
    )
    assert '"mail":"smtp"' in body.replace(" ", "") and smtp_relay.address() not in body


def test_a_password_reset_mail_sets_a_new_password_once_over_https(studio, staff, new_browser):
    base = studio.url.rstrip("/")
    email, old = staff
    before = len(smtp_relay.messages())
    ask_reset(new_browser(), base, email)
    started = time.monotonic()
    message = smtp_relay.wait_for_mail(email, RESET_SUBJECT, after=before, seconds=30)
    print(f"reset mail delivered in {time.monotonic() - started:.1f}s")
    assert message.get_content_type() == "multipart/alternative"
    path = reset_path(message)
    browser = new_browser()
    done = submit(browser, base + path, {"password": "second password e2e"})
    assert done.status == 302 and done.location.endswith("/login?reset=done"), done.body[:300]
    assert browser.get(base + path).status == 410
    signed_in = submit(new_browser(), base + "/login", {"email": email, "password": "second password e2e"})
    assert signed_in.status == 302
    assert submit(new_browser(), base + "/login", {"email": email, "password": old}).status == 401


def test_a_booking_mails_its_client_a_confirmation(studio, owner):
    base = studio.url.rstrip("/")
    run = secrets.token_hex(3)
    assert (
        submit(
            owner, base + "/rooms/new", {"name": f"Mail Room {run}", "hourly_rate": "50", "is_active": "on"}
        ).status
        == 302
    )
    email = f"e2e-mail-client-{run}@example.com"
    added = submit(owner, base + "/clients/new", {"name": f"Mail Client {run}", "email": email})
    client_id = re.search(r"/clients/(\d+)/edit", added.location).group(1)
    form = owner.get(base + "/bookings/new")
    room_id = re.search(rf'<option value="(\d+)"[^>]*>Mail Room {run}', form.body).group(1)
    day = (datetime.now(ZoneInfo("UTC")) + timedelta(days=5)).date()
    before = len(smtp_relay.messages())
    booked = owner.post(
        base + "/bookings/new",
        data={
            "csrf_token": form.csrf_token(),
            "room_id": room_id,
            "client_id": client_id,
            "starts_at": f"{day}T14:00",
            "ends_at": f"{day}T16:00",
        },
    )
    assert booked.status == 302, booked.body[:500]
    message = smtp_relay.wait_for_mail(email, "Your booking is confirmed", after=before, seconds=30)
    assert f"Mail Room {run}" in text_part(message) and "14:00" in text_part(message)


def test_a_mail_queued_while_the_relay_is_down_arrives_after_it_comes_back(studio, staff, new_browser):
    base = studio.url.rstrip("/")
    email, _ = staff
    listen = smtp_relay.address()
    before = len(smtp_relay.messages())
    smtp_relay.stop()
    try:
        ask_reset(new_browser(), base, email)
        time.sleep(20)  # the worker tries, fails and waits to retry (5 s, then 10 s, then 20 s ...)
    finally:
        smtp_relay.start(listen)
    started = time.monotonic()
    smtp_relay.wait_for_mail(email, RESET_SUBJECT, after=before, seconds=60)
    print(f"delivered {time.monotonic() - started:.1f}s after the relay came back")


def test_a_mail_queued_while_the_worker_is_dead_is_sent_when_it_is_back(srv, studio, staff, new_browser):
    base = studio.url.rstrip("/")
    email, _ = staff
    worker = f"rsm-worker-{srv.live_release()}"
    before = len(smtp_relay.messages())
    srv.check(f"docker kill {worker}")
    ask_reset(new_browser(), base, email)
    time.sleep(5)
    assert all(m["To"] != email for m in smtp_relay.messages()[before:])
    srv.check(f"docker start {worker}")
    smtp_relay.wait_for_mail(email, RESET_SUBJECT, after=before, seconds=30)
