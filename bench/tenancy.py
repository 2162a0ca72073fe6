"""Tenancy at scale on the e2e server: provisioning many studios, signed-in requests spread over
all of them with PostgreSQL's backends sampled against their bounds, and a no-op migration.

The "5 (cap 4)" the former in-process bench printed was not a leak: it counted pg_stat_activity
rows of backends whose connection the app had already closed (NullPool closed one per request)
but whose process had not finished exiting, beside the new one. Here studio connections are
pooled and long-lived, PgBouncer's bound is read from its configuration, and only backends in a
session's state are counted.
"""

from __future__ import annotations

import statistics
import threading
import time

from bench.server import Remote
from bench.wrk import rotating_script, wrk
from e2e.util import log, stage

# PostgreSQL's client backends, every one and the studios', without the sampler's own.
BACKENDS_SQL = (
    "SELECT count(*), count(*) FILTER (WHERE datname LIKE 'studio\\_%') FROM pg_stat_activity "
    "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
    "AND state IN ('active', 'idle', 'idle in transaction', 'idle in transaction (aborted)')"
)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tenancy(args, state: dict, remote: Remote, subdomain_prefix: str) -> dict:
    with stage(f"provision {args.studios} studios, each owner signed in"):
        made = remote.in_app("provision", subdomain_prefix, str(args.studios))
    seconds = [m["seconds"] for m in made]
    studios = [(f"{m['subdomain']}.{state['domain']}", m["cookie"]) for m in made]
    bounds = {
        "max_connections": int(remote.psql("SHOW max_connections")),
        "pooler_backends": int(
            remote.sh("sed -n 's/^max_user_connections = //p' /etc/pgbouncer/pgbouncer.ini").strip()
        ),
    }
    peak = {"all": 0, "studios": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            every, studio = map(int, remote.psql(BACKENDS_SQL).split("|"))
            peak["all"], peak["studios"] = max(peak["all"], every), max(peak["studios"], studio)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with stage(f"signed-in /dashboard spread over {len(studios)} studios"):
            spread = wrk(
                state["server_ip"],
                f"https://{studios[0][0]}/dashboard",
                seconds=args.seconds * 2,
                connections=args.connections,
                script=rotating_script("/dashboard", studios),
            )
    finally:
        stop.set()
        sampler.join()
    if spread["failed"]:
        log(f"  {spread['failed']} failed; the app's last other lines:\n{remote.app_log_tail()}")
    with stage("no-op migrate of every studio database"):
        started = time.monotonic()
        lines = remote.flask("migrate", "--tenants-only").splitlines()
        migrate_seconds = time.monotonic() - started
    migrated = [line for line in lines if line.startswith("[")]
    return {
        "studios": len(studios),
        "provision_p50_ms": round(statistics.median(seconds) * 1000),
        "provision_p95_ms": round(percentile(seconds, 0.95) * 1000),
        "spread_dashboard": spread,
        "peak_backends": peak,
        "bounds": bounds,
        "migrate_noop": {
            "databases": len(migrated),
            "seconds": round(migrate_seconds, 1),
            "seconds_per_studio": round(migrate_seconds / max(1, len(migrated)), 3),
            "all_at_head": all("at head" in line for line in migrated),
        },
    }
