"""Break PostgreSQL and watch: its alert reaches the operator's webhook (the harness's receiver)
within its window, and its resolution follows the restart. inventories/e2e.py sets every alert's
`for:` to 10s."""

from __future__ import annotations

from e2e import alert_webhook
from e2e.util import wait_for

# Scrape (15 s) + rule evaluation (15 s) + `for:` (10 s) + Alertmanager's group_wait (10 s), twice over.
FIRING_SECONDS = 120
# The same after the restart, plus Alertmanager's group_interval (1 m) before it sends the resolution.
RESOLVED_SECONDS = 180


def _postgres_down(status: str) -> int:
    return alert_webhook.notifications("PostgresDown", status)


def test_stopping_postgresql_fires_its_alert_and_the_restart_resolves_it(srv):
    assert alert_webhook.received() is not None, "the harness's webhook receiver does not answer"
    firing, resolved = _postgres_down("firing"), _postgres_down("resolved")
    srv.check("systemctl stop postgresql")
    try:
        wait_for(
            "PostgresDown firing at the webhook", lambda: _postgres_down("firing") > firing, FIRING_SECONDS, 2
        )
    finally:
        srv.check("systemctl start postgresql")
    wait_for(
        "PostgresDown resolved at the webhook",
        lambda: _postgres_down("resolved") > resolved,
        RESOLVED_SECONDS,
        2,
    )
