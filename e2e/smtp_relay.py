"""The SMTP sink (fakes/smtp_sink.py) as a daemon, where the server's mail worker sends: the
operator's relay for the converge (MAIL_SMTP_URL), plain SMTP on the test machine's bridge. Every
message it accepts is an .eml file in SPOOL, which the tests read."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import time
from email.message import EmailMessage

from .util import E2E_DIR, REPO, pid_alive, python_exe, spawn_daemon, stop_pid, wait_for

SINK_DIR = E2E_DIR / "smtp-sink"
SPOOL = SINK_DIR / "spool"
PIDFILE = SINK_DIR / "sink.pid"
ADDR_FILE = SINK_DIR / "address"
PORT = int(os.environ.get("E2E_SMTP_SINK_PORT", "18025"))
# A short first retry, so a relay down for a while delivers within a test's patience.
RETRY_SECONDS = 5


def address() -> str:
    return ADDR_FILE.read_text().strip() if ADDR_FILE.exists() else ""


def operator_env() -> dict[str, str]:
    """The mail settings the converge gives the app (the sink asks for no STARTTLS or login)."""
    if not address():
        return {}
    return {
        "MAIL_SMTP_URL": f"smtp://{address()}:{PORT}",
        "MAIL_STARTTLS": "false",
        "MAIL_RETRY_SECONDS": str(RETRY_SECONDS),
    }


def answers(host: str) -> bool:
    try:
        with socket.create_connection((host, PORT), timeout=2) as conn:
            return conn.recv(64).startswith(b"220")
    except OSError:
        return False


def start(listen: str) -> str:
    """Start it on `listen` (the address the server's containers reach); return its address."""
    stop()
    SPOOL.mkdir(parents=True, exist_ok=True)
    spawn_daemon(
        [
            python_exe(),
            "-m",
            "e2e.fakes.smtp_sink",
            "--host",
            listen,
            "--port",
            str(PORT),
            "--spool",
            str(SPOOL),
        ],
        PIDFILE,
        SINK_DIR / "sink.log",
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    wait_for(f"SMTP sink on {listen}:{PORT}", lambda: answers(listen), 20, 0.3)
    ADDR_FILE.write_text(listen + "\n")
    return listen


def running() -> bool:
    return pid_alive(PIDFILE) is not None


def stop() -> bool:
    return stop_pid(PIDFILE)


def messages() -> list[EmailMessage]:
    """Every message the sink accepted, oldest first."""
    files = sorted(SPOOL.glob("*.eml")) if SPOOL.is_dir() else []
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]


def wait_for_mail(to: str, subject: str, after: int = 0, seconds: float = 60) -> EmailMessage:
    """The first message to `to` with `subject` among those after the first `after`; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        for message in messages()[after:]:
            if message["To"] == to and message["Subject"] == subject:
                return message
        if time.monotonic() > deadline:
            raise AssertionError(f"no mail {subject!r} to {to} within {seconds}s")
        time.sleep(0.5)
