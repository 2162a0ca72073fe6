"""The demo studio `scripts/e2e` prints, so the printed studio address and sign-in work.

Created after the converge the way an operator would: `scripts/tenants root@SERVER create ...`,
the app's own CLI in the running app container over SSH; skipped when the server has it. The
owner's password is made once and kept root-only in the scenario's directory, so every fresh
server of the scenario gets the same sign-in; it reaches the CLI on stdin, never on a command line.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from .browser import Browser
from .scenario import Scenario
from .util import REPO, ensure_commands, run

SUBDOMAIN = "demo"
NAME = "Demo Studio"
OWNER_NAME = "Demo Owner"


@dataclass(frozen=True)
class Demo:
    host: str
    email: str
    password: str
    password_file: str

    @property
    def url(self) -> str:
        """The studio's `/`: it leads to the staff sign-in."""
        return f"https://{self.host}/"


def password(scenario: Scenario) -> tuple[str, str]:
    """(password, path of the root-only file that keeps it), made once."""
    path = scenario.dir / "demo-password"
    if not path.exists():
        scenario.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(12) + "\n")
    return path.read_text().strip(), str(path)


def operator_script(
    state: dict,
    name: str,
    *args: str,
    input: str | None = None,
    check: bool = True,
    env: dict[str, str] | None = None,
):
    """`scripts/NAME root@SERVER ARGS...` (tenants, plans) with the harness's SSH key."""
    ssh_opts = (
        f"-i {state['ssh_key']} -o BatchMode=yes -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    )
    return run(
        [str(REPO / "scripts" / name), f"root@{state['server_ip']}", *args],
        env=dict(os.environ, SSH_OPTS=ssh_opts, **(env or {})),
        input=input,
        timeout=300,
        check=check,
    )


def tenants(state: dict, *args: str, input: str | None = None):
    return operator_script(state, "tenants", *args, input=input)


def create(state: dict, subdomain: str, name: str, email: str, password: str, owner_name: str = ""):
    """`scripts/tenants create` a studio owned by EMAIL (the CLI asks for the password twice)."""
    return tenants(
        state,
        "create",
        "--name",
        name,
        "--subdomain",
        subdomain,
        "--owner-name",
        owner_name or f"Owner of {name}",
        "--owner-email",
        email,
        input=f"{password}\n{password}\n",
    )


def subdomains(state: dict) -> list[str]:
    return [line.split("\t")[0] for line in tenants(state, "list").stdout.splitlines() if "\t" in line]


def ensure(scenario: Scenario, state: dict) -> tuple[Demo, bool]:
    """The demo studio on the scenario's server, and whether it was created now."""
    ensure_commands({"ssh": "openssh-client"})
    domain = state["domain"]
    secret, path = password(scenario)
    demo = Demo(
        host=f"{SUBDOMAIN}.{domain}", email=f"owner@{SUBDOMAIN}.{domain}", password=secret, password_file=path
    )
    if SUBDOMAIN in subdomains(state):
        return demo, False
    create(state, SUBDOMAIN, NAME, demo.email, secret, OWNER_NAME)
    return demo, True


def signed_in_owner(scenario: Scenario, state: dict) -> tuple[Browser, str]:
    """A browser signed in as the demo studio's owner over HTTPS, and the studio's base URL."""
    studio, _ = ensure(scenario, state)
    browser = Browser(state["server_ip"], state["pebble_issuer_root"])
    base = studio.url.rstrip("/")
    form = browser.get(base + "/login")
    response = browser.post(
        base + "/login",
        data={"csrf_token": form.csrf_token(), "email": studio.email, "password": studio.password},
    )
    assert response.status == 302, (response.status, response.body[:300])
    return browser, base
