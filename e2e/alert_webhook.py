"""The webhook receiver (fakes/webhook_server.py) as a daemon, where the server's Alertmanager
reaches it: the converge gives its address as the host data alert_webhook_url."""

from __future__ import annotations

import json
import os
import urllib.request

from .fakes.webhook_server import RECEIVED_PATH
from .util import E2E_DIR, REPO, pid_alive, python_exe, spawn_daemon, stop_pid, wait_for

WEBHOOK_DIR = E2E_DIR / "alert-webhook"
PIDFILE = WEBHOOK_DIR / "webhook.pid"
ADDR_FILE = WEBHOOK_DIR / "address"
PORT = int(os.environ.get("E2E_ALERT_WEBHOOK_PORT", "18093"))


def base_url() -> str:
    return ADDR_FILE.read_text().strip() if ADDR_FILE.exists() else ""


def start(listen: str) -> str:
    """Start it on `listen` (the address the server reaches); return the URL Alertmanager posts to."""
    stop()
    WEBHOOK_DIR.mkdir(parents=True, exist_ok=True)
    spawn_daemon(
        [python_exe(), "-m", "e2e.fakes.webhook_server", "--host", listen, "--port", str(PORT)],
        PIDFILE,
        WEBHOOK_DIR / "webhook.log",
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    url = f"http://{listen}:{PORT}"
    wait_for(f"alert webhook receiver on {url}", lambda: received(url) is not None, 20, 0.3)
    ADDR_FILE.write_text(url + "\n")
    return url + "/alerts"


def received(url: str | None = None) -> list[dict] | None:
    """The bodies Alertmanager posted, oldest first; None when the receiver does not answer."""
    try:
        with urllib.request.urlopen((url or base_url()) + RECEIVED_PATH, timeout=3) as resp:
            return [entry["body"] for entry in json.load(resp)["received"]]
    except OSError:
        return None


def notifications(alertname: str, status: str) -> int:
    """How many notifications of this alert with this status ("firing", "resolved") it holds."""
    return sum(
        1
        for body in received() or []
        for alert in body["alerts"]
        if alert["labels"]["alertname"] == alertname and alert["status"] == status
    )


def running() -> bool:
    return pid_alive(PIDFILE) is not None


def stop() -> bool:
    return stop_pid(PIDFILE)
