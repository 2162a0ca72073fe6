"""gunicorn's sizing from the host's size and the app's settings (pure: numbers in, numbers out)."""

from __future__ import annotations

import math
from dataclasses import dataclass

MB_PER_WORKER = 256  # resident size budgeted for one gunicorn worker with its threads
# Threads mostly wait (on the model, up to ANTHROPIC_TIMEOUT_SECONDS): 8 keep pages flowing while
# a few chats wait. Database connections are capped by the pools, not by threads.
THREADS_PER_WORKER = 8


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
    """Gunicorn gthread sizing: 2×cores+1 workers, capped by a quarter of memory and at 16."""
    if workers is None:
        by_memory = (memory_mb // 4) // MB_PER_WORKER
        workers = max(2, min(2 * cores + 1, by_memory, 16))
    threads = threads if threads is not None else THREADS_PER_WORKER
    return AppSizing(
        workers=workers,
        threads=threads,
        timeout=worker_timeout(anthropic_timeout_seconds),
        direct_connections_per_process=master_pool_size + 1,
        pooler_connections_per_process=tenant_engine_cache_size * tenant_pool_size + threads,
    )
