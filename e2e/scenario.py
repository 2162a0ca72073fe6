"""A scenario is a name; from it come its server containers' names and volumes and its files.

The default scenario (one server, both web and db) keeps the names the harness always had:
container `rsm-e2e-server`, volume `rsm-e2e-server-docker`, `.e2e/state.json`. A scenario NAME
(`E2E_SCENARIO=NAME`) names its servers `rsm-e2e-NAME-SERVER` and keeps its files in
`.e2e/scenarios/NAME/`, so its servers and state never collide with another scenario's.
What every scenario shares: the images, the SSH key, and bind9, pebble and the fake Anthropic API
(one of each on the machine, restarted by `up`).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .util import E2E_DIR

DEFAULT = "default"


@dataclass(frozen=True)
class Scenario:
    name: str = DEFAULT

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,30}", self.name):
            raise ValueError(f"scenario name {self.name!r}: lower-case letters, digits and '-' only")

    @property
    def default(self) -> bool:
        return self.name == DEFAULT

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
