"""gunicorn's sizing from the host's size and the app's settings (pure: numbers in, numbers out)."""

from __future__ import annotations

import math
from dataclasses import dataclass

MB_PER_WORKER = 256  # resident size budgeted for one gunicorn worker with its threads
# Measured on a 2-core host (gunicorn against local PostgreSQL and Redis, wrk with 32 connections
# on the signed-in dashboard; workers × threads → req/s): 3 × 4 → 137, 2 × 4 → 107, 5 × 8 → 72,
# 2 × 8 → 58, 4 × 2 → 53. A page is mostly Python (ORM, templates) under the GIL, so more
# threads only queue, and more workers than cores + 1 only add switching. The threads are for
# what waits outside: a worker's pages flow while a chat waits on the model. Its requests take
# turns (app/turns.py), since threads sharing the GIL freely gave the kept dashboard a p99 of
# 174–324 ms against 40–63 ms taking turns, at the same req/s.
THREADS_PER_WORKER = 4


@dataclass(frozen=True)
class AppSizing:
    workers: int
    threads: int
    timeout: int
    # Direct PostgreSQL connections one worker may hold: its master pool, plus the one a signup
    # uses to create and migrate a studio's database.
    direct_connections_per_process: int
    # Client connections one worker may hold to the pooler: a pool per cached studio engine, plus
    # one per thread still finishing a request on an engine just evicted.
    pooler_connections_per_process: int


def worker_timeout(anthropic_timeout_seconds: float) -> int:
    """Exceeds the slowest legitimate request (one Anthropic call) by 30 s."""
    return math.ceil(anthropic_timeout_seconds) + 30


def app_sizing(
    cores: int,
    memory_mb: int,
    anthropic_timeout_seconds: float,
    master_pool_size: int,
    tenant_engine_cache_size: int,
    tenant_pool_size: int,
    workers: int | None = None,
    threads: int | None = None,
) -> AppSizing:
    """Gunicorn gthread sizing: cores + 1 workers (measured above), capped by a quarter of memory, at 16."""
    if workers is None:
        by_memory = (memory_mb // 4) // MB_PER_WORKER
        workers = max(2, min(cores + 1, by_memory, 16))
    threads = threads if threads is not None else THREADS_PER_WORKER
    return AppSizing(
        workers=workers,
        threads=threads,
        timeout=worker_timeout(anthropic_timeout_seconds),
        direct_connections_per_process=master_pool_size + 1,
        pooler_connections_per_process=tenant_engine_cache_size * tenant_pool_size + threads,
    )
