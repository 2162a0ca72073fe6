"""The real app behind a real HTTP server in a thread, and Debian's Chromium driven by Playwright.

PLATFORM_DOMAIN is "localhost": Chromium resolves every *.localhost name to the loopback address,
so studio subdomains work without DNS. No browser is ever downloaded: the test skips when
/usr/bin/chromium is missing (scripts/test installs Debian's chromium package).
"""

from __future__ import annotations

import os
import threading

import pytest
import redis
from sqlalchemy import text
from werkzeug.serving import make_server

from app import create_app
from app.extensions import master_db, tenant_engines
from tests.conftest import PREFIX, databases_with_prefix, drop_databases

# Its own Redis database: a unit-test run elsewhere flushes TEST_REDIS_URL's database between tests,
# which would sign the browser out halfway through.
REDIS_URL = os.environ.get("TEST_BROWSER_REDIS_URL", "redis://127.0.0.1:6379/14")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def live_app(base_config):
    store = redis.Redis.from_url(REDIS_URL)
    store.flushdb()
    app = create_app({**base_config, "REDIS_URL": REDIS_URL, "PLATFORM_DOMAIN": "localhost",
                      "SESSION_COOKIE_SECURE": "false"})
    yield app
    store.flushdb()
    master_db.engine.dispose()
    with master_db.engine.begin() as conn:
        conn.execute(text("TRUNCATE organizations, subscriptions, ai_credit_entries CASCADE"))
    for name in list(tenant_engines._engines):
        tenant_engines.forget(name)
    drop_databases(databases_with_prefix(PREFIX + "t_"))
    master_db.engine.dispose()


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
