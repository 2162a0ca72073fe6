"""The real app behind a real HTTP server in a thread, and Debian's Chromium driven by Playwright.

PLATFORM_DOMAIN is "localhost": Chromium resolves every *.localhost name to the loopback address,
so studio subdomains work without DNS. No browser is ever downloaded: the test skips when
/usr/bin/chromium is missing (scripts/test installs Debian's chromium package).
"""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import master_db
from app.tenancy.provisioning import NewStudio, provision_studio
from tests.conftest import reset_databases

CHROMIUM = "/usr/bin/chromium"
OWNER_EMAIL = "olive@abbey.example"
OWNER_PASSWORD = "correct horse battery"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_app(base_config, redis_client, smtp_server):
    smtp_server.sink.reset()
    app = create_app(
        {
            **base_config,
            "PLATFORM_DOMAIN": "localhost",
            "SESSION_COOKIE_SECURE": "false",
            "MAIL_SMTP_URL": smtp_server.url,
            "MAIL_STARTTLS": "false",
        }
    )
    yield app
    reset_databases()


@pytest.fixture
def live_server(live_app):
    """The app on 127.0.0.1 at a free port; yields the port."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def abbey(live_app, live_server) -> str:
    """The studio Abbey, its owner OWNER_EMAIL with OWNER_PASSWORD; its address in the browser."""
    with live_app.app_context():
        provision_studio(
            NewStudio.parse(
                {
                    "studio_name": "Abbey",
                    "subdomain": "abbey",
                    "owner_name": "Olive",
                    "email": OWNER_EMAIL,
                    "password": OWNER_PASSWORD,
                },
                master_db.session,
            )
        )
    return f"http://abbey.localhost:{live_server}"


@pytest.fixture
def delivered(live_app, smtp_server):
    """`delivered()`: run the mail worker until the queue is empty; what the relay has received."""

    def delivered():
        result = live_app.test_cli_runner().invoke(args=["mail", "worker", "--burst"])
        assert result.exit_code == 0, result.output
        return smtp_server.sink.received()

    return delivered


@pytest.fixture
def page():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; scripts/test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


@pytest.fixture
def csp_violations(page) -> list[str]:
    """Every Content-Security-Policy violation Chromium reports on the console; a test ends with
    `assert csp_violations == []`."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    return violations
