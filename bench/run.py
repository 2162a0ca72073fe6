"""`python -m bench`: serving speed, tenancy at scale, migrations and the deploy, measured on the
converged e2e server (started when absent), under the machine-wide e2e lock. Prints a table and
writes bench/results/latest.json."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench import report
from bench.server import (
    E2E_LOCK,
    Remote,
    bring_up,
    converged_state,
    e2e_lock,
    first_converge_from_log,
    reconverge,
)
from bench.serving import serving
from bench.tenancy import tenancy
from e2e.scenario import current
from e2e.util import log, stage

RESULTS = Path(__file__).with_name("results") / "latest.json"
# `--only deploy` and `--only serving`: one part's figures alone, beside (not over) the full run's.
ONLY = {
    "deploy": (RESULTS.with_name("deploy.json"), report.deploy_table),
    "serving": (RESULTS.with_name("serving.json"), report.serving_table),
}
# The bench's studios: bench0, bench1, ... and benchlist0; deleted at the end.
PREFIX = "bench"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--studios", type=int, default=1000, help="studios provisioned for the tenancy part")
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=32, help="wrk's open connections")
    parser.add_argument(
        "--only",
        choices=sorted(ONLY),
        help="measure only this part (deploy: first converge when the server is absent, a no-op "
        "re-converge; serving: the pages through nginx + TLS)",
    )
    parser.add_argument(
        "--locked",
        action="store_true",
        help=f"the caller already holds {E2E_LOCK} (e.g. after the e2e suite)",
    )
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        log("run as root (the e2e server: dockerd, apt, DNS on port 53)")
        return 2
    if args.locked:
        results = measure(args)
    else:
        with e2e_lock():
            results = measure(args)
    path, table = ONLY[args.only] if args.only else (RESULTS, report.table)
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    log(f"written to {path}")
    return 0


def measure(args) -> dict:
    scenario = current()
    state = converged_state(scenario)
    if state is None:
        state, first = bring_up(scenario)
    else:
        first = first_converge_from_log()
    remote = Remote(scenario)
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} cores, load generator on the same machine",
        "wrk": f"wrk -t2 -c{args.connections} -d{args.seconds}s through nginx + TLS",
    }
    if args.only != "serving":
        results["deploy"] = {"first_converge": first, "noop_reconverge": reconverge(scenario)}
    if args.only == "deploy":
        return results
    try:
        results["serving"] = serving(args, state, remote, f"{PREFIX}list")
        if args.only != "serving":
            results["tenancy"] = tenancy(args, state, remote, PREFIX)
    finally:
        with stage(f"delete the bench's studios ({PREFIX}*)"):
            remote.in_app("delete", PREFIX)
    return results
