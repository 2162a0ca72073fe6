"""Break things and watch the alerts reach the harness's webhook receiver: the app answering 5xx (its
studio connections' pooler stopped) fires AppErrors; a certificate about to expire, measured by the
server's own script, fires CertificateExpiresSoon. Each restores the server before it ends.

Early in the suite on purpose: later files (faults, restore drills, PostgreSQL stopped) make the app
answer 503 on /readyz, and an alert already firing sends no new notification to wait for.
inventories/e2e.py sets every alert's `for:` to 10s.
"""

from __future__ import annotations

import time

import pytest

from deploy.monitoring import config as monitoring
from deploy.pgbouncer import config as pgbouncer
from e2e import alert_webhook, demo
from e2e.browser import Browser
from e2e.util import wait_for

# Scrape (15 s) + rule evaluation (15 s) + `for:` (10 s) + Alertmanager's group_wait (10 s), twice over.
FIRING_SECONDS = 120
# A rate needs two scrapes of the new 5xx series first.
RATE_FIRING_SECONDS = 180
# The same after the repair, plus Alertmanager's group_interval (1 m) before it sends the resolution.
RESOLVED_SECONDS = 180
# AppErrors reads a 5-minute rate: once fired it holds that long after the last 5xx.
QUIET_SECONDS = 420
EXPIRING = "/root/rsm-e2e-expiring.pem"  # a certificate valid one more day


@pytest.fixture(scope="module")
def owner(scenario, e2e_state) -> tuple[Browser, str]:
    """The demo studio's owner, signed in; and the studio's base URL."""
    return demo.signed_in_owner(scenario, e2e_state)


def _active(srv, alertname: str) -> bool:
    """Whether Prometheus holds the alert pending or firing."""
    return bool(srv.prometheus("query", query=f'ALERTS{{alertname="{alertname}"}}')["result"])


def test_the_app_answering_5xx_fires_the_error_ratio_alert(srv, owner):
    assert alert_webhook.received() is not None, "the harness's webhook receiver does not answer"
    browser, base = owner
    assert browser.get(base + "/calendar").status == 200
    wait_for("AppErrors inactive before the break", lambda: not _active(srv, "AppErrors"), QUIET_SECONDS, 5)
    fired = alert_webhook.notifications("AppErrors", "firing")
    statuses = []
    srv.check(f"systemctl stop {pgbouncer.UNIT}")
    try:
        # A request a second, as a studio's staff would keep trying: a rate needs samples over time.
        deadline = time.monotonic() + RATE_FIRING_SECONDS
        while alert_webhook.notifications("AppErrors", "firing") == fired:
            assert time.monotonic() < deadline, (
                f"no AppErrors at the webhook in {RATE_FIRING_SECONDS}s: {statuses}"
            )
            statuses.append(browser.get(base + "/calendar").status)
            time.sleep(1)
    finally:
        srv.check(f"systemctl start {pgbouncer.UNIT}")
    # The app's own answers (503: its studio database is unreachable), counted in its metrics.
    assert statuses and all(status >= 500 for status in statuses), statuses
    wait_for("the studio's pages again", lambda: browser.get(base + "/calendar").status == 200, 60, 1)


def test_a_certificate_about_to_expire_fires_its_alert_and_the_live_one_resolves_it(srv, domain):
    assert alert_webhook.received() is not None, "the harness's webhook receiver does not answer"
    metric = f"{monitoring.TEXTFILE_DIR}/rsm_certificate.prom"
    live = srv.check(f"cat {metric}")
    fired = alert_webhook.notifications("CertificateExpiresSoon", "firing")
    resolved = alert_webhook.notifications("CertificateExpiresSoon", "resolved")
    srv.check(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=expiring.test "
        f"-keyout /dev/null -out {EXPIRING} 2>/dev/null"
    )
    try:
        # The measurement the hourly timer runs, on the expiring certificate, into the same file.
        srv.check(f"{monitoring.CERTIFICATE_METRIC_SCRIPT} {EXPIRING} {metric}")
        wait_for(
            "CertificateExpiresSoon firing at the webhook",
            lambda: alert_webhook.notifications("CertificateExpiresSoon", "firing") > fired,
            FIRING_SECONDS,
            2,
        )
    finally:
        srv.check(f"rm -f {EXPIRING} && systemctl start {monitoring.CERTIFICATE_UNIT}.service")
    assert srv.check(f"cat {metric}") == live  # the live certificate's expiry again
    wait_for(
        "CertificateExpiresSoon resolved at the webhook",
        lambda: alert_webhook.notifications("CertificateExpiresSoon", "resolved") > resolved,
        RESOLVED_SECONDS,
        2,
    )
