"""`python -m e2e COMMAND` (scenario: E2E_SCENARIO, default "default"; see scenario.py)

up        build what is missing, start a fresh server + bind9 + pebble + fake Anthropic,
          write the state file, converge with the real deploy, create the demo studio,
          print where the site is and how to sign in
infra     the same without the converge and the demo studio (server booted, sshd, DNS, ACME,
          fake API)
converge  converge the current server again (prints which operations changed), then make sure
          the demo studio exists
selfcheck issue a DOMAIN + *.DOMAIN certificate by DNS-01 from inside the server with Debian's
          certbot + rfc2136 plugin (proves the pebble/bind/TSIG set-up; state kept in /tmp)
status    is the recorded server up and answering?
down      remove the server container and its volume, stop bind9, pebble and the fake API
          (cached images stay)
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from . import lifecycle
from .scenario import current
from .util import log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m e2e", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["up", "infra", "converge", "selfcheck", "status", "down"])
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        log("run as root (it starts dockerd, installs packages, binds DNS)")
        return 2
    scenario = current()
    t0 = time.monotonic()
    if args.command == "down":
        lifecycle.down(scenario)
        return 0
    if args.command == "status":
        return 0 if lifecycle.status(scenario) else 1
    if args.command in ("selfcheck", "converge"):
        state = scenario.read_state()
        if not state:
            log(f"no {scenario.state_file}: start the server first (scripts/e2e, or scripts/e2e infra)")
            return 1
        if args.command == "selfcheck":
            lifecycle.selfcheck(scenario, state)
            return 0
    else:
        state = lifecycle.infra(scenario)
        if args.command == "infra":
            log(f"infra ready in {time.monotonic() - t0:.1f}s; state in {scenario.state_file}")
            lifecycle.where(state)
            return 0
    rc = lifecycle.converge(scenario)
    if rc != 0:
        return rc
    studio = lifecycle.demo_studio(scenario, state)
    if args.command == "up":
        log(f"up from nothing in {time.monotonic() - t0:.1f}s")
    lifecycle.where(state, studio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
