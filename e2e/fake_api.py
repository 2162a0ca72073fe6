"""The fake Anthropic API (fakes/anthropic_server.py) as a daemon, listening where the app
container (nested in the server) reaches it, with the fake key the operator gives the converge."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import urllib.error
import urllib.request

from .util import E2E_DIR, REPO, pid_alive, python_exe, spawn_daemon, stop_pid, wait_for

FAKE_DIR = E2E_DIR / "fake-anthropic"
PIDFILE = FAKE_DIR / "fake.pid"
KEY_FILE = FAKE_DIR / "api-key"
ADDR_FILE = FAKE_DIR / "address"
PORT = int(os.environ.get("E2E_FAKE_ANTHROPIC_PORT", "18089"))


def api_key() -> str:
    """A fake key made once and kept (a new one each run would make every converge a change)."""
    if not KEY_FILE.exists():
        FAKE_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("sk-ant-e2e-fake-" + secrets.token_urlsafe(24) + "\n")
    return KEY_FILE.read_text().strip()


def base_url() -> str:
    return ADDR_FILE.read_text().strip() if ADDR_FILE.exists() else ""


def operator_env() -> dict[str, str]:
    return {"ANTHROPIC_API_KEY": api_key(), "ANTHROPIC_BASE_URL": base_url()}


def start(listen: str) -> str:
    stop()
    api_key()
    spawn_daemon(
        [python_exe(), "-m", "e2e.fakes.anthropic_server", "--host", listen, "--port", str(PORT)],
        PIDFILE,
        FAKE_DIR / "fake.log",
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    url = f"http://{listen}:{PORT}"

    def answers():
        req = urllib.request.Request(
            url + "/v1/messages", data=b"{}", method="POST", headers={"content-type": "application/json"}
        )
        with contextlib.suppress(urllib.error.HTTPError):  # any HTTP answer means it listens
            urllib.request.urlopen(req, timeout=2)
        return True

    wait_for(f"fake Anthropic API on {url}", answers, 20, 0.3)
    ADDR_FILE.write_text(url + "\n")
    return url


def running() -> bool:
    return pid_alive(PIDFILE) is not None


def stop() -> bool:
    return stop_pid(PIDFILE)


def received() -> list[dict]:
    try:
        with urllib.request.urlopen(base_url() + "/_e2e/requests", timeout=3) as resp:
            return json.load(resp).get("requests", [])
    except Exception:  # noqa: BLE001 - not answering: nothing received
        return []
