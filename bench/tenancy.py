"""Benchmark of the multi-tenant core: provisioning, per-request resolution, and the connection bound.

    .venv/bin/python -m bench.tenancy [--studios 20] [--requests 400] [--threads 8]

Uses TEST_POSTGRES_URL / TEST_REDIS_URL like the tests (throwaway databases, dropped at the end) and
prints one table. Requests go through the real WSGI app in process (no network), so the figures
are the app's own cost: Host resolution, a master-database lookup, a studio-database query.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

from sqlalchemy import text

from app import create_app
from app.extensions import master_db
from app.tenancy import migrations
from app.tenancy.provisioning import NewStudio, provision_studio
from tests.conftest import POSTGRES_URL, PREFIX, databases_with_prefix, drop_databases, server_engine
from tests.host_client import HostClient
from tests.redis_server import private_redis


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studios", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--cap", type=int, default=4)
    args = parser.parse_args()
    rows: list[tuple[str, str]] = []
    with private_redis() as redis_url:
        try:
            run(args, rows, redis_url)
        finally:
            drop_databases(databases_with_prefix())
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 24}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def run(args, rows: list[tuple[str, str]], redis_url: str) -> None:
    master = PREFIX + "master"
    with server_engine().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{master}"'))
    master_url = POSTGRES_URL.set(database=master).render_as_string(hide_password=False)
    app = create_app(
        {
            "PLATFORM_DOMAIN": "studio.test",
            "MASTER_DATABASE_URL": master_url,
            "TENANT_DATABASE_SERVER_URL": POSTGRES_URL.render_as_string(hide_password=False),
            "REDIS_URL": redis_url,
            "SECRET_KEY": "bench-" + "x" * 32,
            "SESSION_COOKIE_SECURE": "false",
            "ASSISTANT_ENABLED": "false",
            "TENANT_DATABASE_PREFIX": PREFIX + "t_",
            "TENANT_CONNECTIONS_PER_PROCESS": str(args.cap),
        }
    )
    with master_db.engine.begin() as conn:
        migrations.upgrade("master", conn)

    durations = []
    with app.app_context():
        for number in range(args.studios):
            started = time.perf_counter()
            provision_studio(
                NewStudio.parse(
                    {
                        "studio_name": f"Studio {number}",
                        "subdomain": f"bench{number}",
                        "owner_name": "Owner",
                        "email": f"o{number}@x.example",
                        "password": "bench password 1",
                    },
                    master_db.session,
                )
            )
            durations.append(time.perf_counter() - started)
    rows.append(
        (
            "provision one studio (p50 / max)",
            f"{statistics.median(durations) * 1000:.0f} ms / {max(durations) * 1000:.0f} ms",
        )
    )

    latencies: list[float] = []
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            with server_engine().connect() as conn:
                peak = max(
                    peak,
                    conn.scalar(
                        text("SELECT count(*) FROM pg_stat_activity WHERE datname LIKE :p"),
                        {"p": PREFIX + "t_%"},
                    ),
                )

    def signed_in(number: int) -> HostClient:
        browser = HostClient(app, f"bench{number}.studio.test")
        response = browser.post_form(
            "/login", {"email": f"o{number}@x.example", "password": "bench password 1"}
        )
        assert response.status_code == 302, response.status_code
        return browser

    def browse(worker: int) -> None:
        # The staff dashboard: Host resolution, master lookup, session, several studio queries.
        browsers = [signed_in(n) for n in range(worker % args.studios, args.studios, args.threads)]
        for number in range(args.requests // args.threads):
            started = time.perf_counter()
            response = browsers[number % len(browsers)].get("/dashboard")
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()  # includes each worker's sign-ins (argon2), a few per worker
    workers = [threading.Thread(target=browse, args=(n,)) for n in range(args.threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    rows.append(
        (
            f"staff dashboard, {args.threads} threads (p50 / p95)",
            f"{percentile(latencies, 0.5) * 1000:.1f} ms / {percentile(latencies, 0.95) * 1000:.1f} ms",
        )
    )
    rows.append(("throughput (one process)", f"{len(latencies) / elapsed:.0f} requests/s"))
    rows.append((f"peak studio connections ({args.studios} studios)", f"{peak} (cap {args.cap})"))


if __name__ == "__main__":
    main()
