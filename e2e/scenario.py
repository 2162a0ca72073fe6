"""A scenario is a name; from it come its server containers' names and volumes and its files.

The default scenario (one server, both web and db) keeps the names the harness always had:
container `rsm-e2e-server`, volume `rsm-e2e-server-docker`, `.e2e/state.json`. A scenario NAME
(`E2E_SCENARIO=NAME`) names its servers `rsm-e2e-NAME-SERVER` and keeps its files in
`.e2e/scenarios/NAME/`, so its servers and state never collide with another scenario's.
What every scenario shares: the images, the SSH key, and bind9, pebble and the fake Anthropic API
(one of each on the machine, restarted by `up`).

A scenario's layout names its servers and their inventory groups: the default one server that is
web, db and monitoring beside its backup host; `multi` two web hosts and two db hosts (the first
db host holds the master database and Redis, and runs the monitoring) beside the backup host,
each also on the scenario's private network (`private_network`), its inventory
`inventories/e2e_multi.py`, its domain `multi.test`.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from deploy.common.secrets import OPERATOR_SECRET_OVERRIDES

from .util import E2E_DIR

DEFAULT = "default"
BACKUP = "backup"
LAYOUTS: dict[str, dict[str, tuple[str, ...]]] = {
    DEFAULT: {"server": ("web", "db", "monitoring"), BACKUP: ("backup",)},
    "multi": {
        "web-1": ("web",),
        "web-2": ("web",),
        "db-1": ("db", "monitoring"),
        "db-2": ("db",),
        BACKUP: ("backup",),
    },
}
# the private network's subnet: apart from the Docker pools the servers' own engines pick from
PRIVATE_SUBNET = "10.213.0.0/24"


@dataclass(frozen=True)
class Scenario:
    name: str = DEFAULT

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,30}", self.name):
            raise ValueError(f"scenario name {self.name!r}: lower-case letters, digits and '-' only")

    @property
    def default(self) -> bool:
        return self.name == DEFAULT

    @property
    def layout(self) -> dict[str, tuple[str, ...]]:
        """Server name → its inventory groups (a scenario without a layout of its own: the default's)."""
        return LAYOUTS.get(self.name, LAYOUTS[DEFAULT])

    def servers(self, group: str | None = None) -> list[str]:
        """The scenario's server names, those of one group with GROUP, in the layout's order."""
        return [name for name, groups in self.layout.items() if group is None or group in groups]

    @property
    def private_network(self) -> str | None:
        """The Docker network standing in for the hosts' private network (the default scenario's one
        server needs none): the firewall can tell it from the public bridge."""
        return None if self.default else f"rsm-e2e-{self.name}-private"

    @property
    def domain(self) -> str:
        return os.environ.get("E2E_DOMAIN", "studio.test") if self.default else f"{self.name}.test"

    @property
    def inventory(self) -> str:
        return "inventories/e2e.py" if self.default else f"inventories/e2e_{self.name.replace('-', '_')}.py"

    def container(self, server: str = "server") -> str:
        return f"rsm-e2e-{server}" if self.default else f"rsm-e2e-{self.name}-{server}"

    def volume(self, server: str = "server") -> str:
        """The server's /var/lib/docker (nested Docker needs a real filesystem, not overlayfs)."""
        return f"{self.container(server)}-docker"

    def hostname(self, server: str = "server") -> str:
        return self.container(server).removeprefix("rsm-")

    @property
    def dir(self) -> Path:
        return E2E_DIR if self.default else E2E_DIR / "scenarios" / self.name

    @property
    def state_file(self) -> Path:
        return self.dir / "state.json"

    @property
    def converged_stamp(self) -> Path:
        """Present while the last converge of this scenario's servers succeeded."""
        return self.dir / "converged"

    @property
    def operator_secrets_file(self) -> Path:
        """The passwords every web and db host must share when they are separate hosts."""
        return self.dir / "operator-secrets.env"

    def operator_secrets(self) -> dict[str, str]:
        """Separate web and db hosts share their PostgreSQL and Redis passwords, and web hosts the
        app's secret key: the operator gives them to the converge (README, deploy); each made once
        per scenario (one missing from an older file is added), kept root-only."""
        if self.default:
            return {}
        path = self.operator_secrets_file
        self.dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "r+") as fh:
            given = dict(line.split("=", 1) for line in fh.read().splitlines() if "=" in line)
            for name in OPERATOR_SECRET_OVERRIDES.values():
                if name not in given:
                    given[name] = secrets.token_hex(24)
                    fh.write(f"{name}={given[name]}\n")
        return given

    def log_name(self, label: str, stamp: str) -> str:
        return f"{label}-{stamp}.log" if self.default else f"{label}-{self.name}-{stamp}.log"

    def read_state(self) -> dict | None:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None

    def write_state(self, state: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds the TSIG secret
        with os.fdopen(fd, "w") as fh:
            json.dump(state, fh, indent=2, sort_keys=True)
            fh.write("\n")
        tmp.replace(self.state_file)


def current() -> Scenario:
    """The scenario this process works on: `E2E_SCENARIO`, else the default."""
    return Scenario(os.environ.get("E2E_SCENARIO") or DEFAULT)
