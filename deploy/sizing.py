"""Sizing from the host's size and the app's connection cap (pure: numbers in, numbers out)."""

from __future__ import annotations

import math
from dataclasses import dataclass

MB_PER_WORKER = 256  # resident size budgeted for one gunicorn worker with its threads
# Threads mostly wait (on the model, up to ANTHROPIC_TIMEOUT_SECONDS): 8 keep pages flowing while
# a few chats wait. Database connections are capped by the pool and semaphore, not by threads.
THREADS_PER_WORKER = 8


@dataclass(frozen=True)
class AppSizing:
    workers: int
    threads: int
    timeout: int
    connections_per_process: int  # master pool + studio connections one worker may hold


def app_sizing(
    cores: int,
    memory_mb: int,
    anthropic_timeout_seconds: float,
    master_pool_size: int,
    tenant_connections_per_process: int,
    workers: int | None = None,
    threads: int | None = None,
) -> AppSizing:
    """Gunicorn gthread sizing: 2×cores+1 workers, capped by a quarter of memory and at 16.

    The worker timeout exceeds the slowest legitimate request (one Anthropic call) by 30 s.
    """
    if workers is None:
        by_memory = (memory_mb // 4) // MB_PER_WORKER
        workers = max(2, min(2 * cores + 1, by_memory, 16))
    return AppSizing(
        workers=workers,
        threads=threads if threads is not None else THREADS_PER_WORKER,
        timeout=math.ceil(anthropic_timeout_seconds) + 30,
        connections_per_process=master_pool_size + tenant_connections_per_process,
    )


@dataclass(frozen=True)
class PostgresSizing:
    max_connections: int
    shared_buffers_mb: int
    effective_cache_size_mb: int
    work_mem_mb: int
    maintenance_work_mem_mb: int
    max_worker_processes: int
    max_parallel_workers: int


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


def postgres_sizing(memory_mb: int, cores: int, app_processes: int, connections_per_process: int,
                    colocated: bool) -> PostgresSizing:
    """PostgreSQL settings for the app's worst case.

    Connections: every app process at its cap, plus one more process (the migration container
    that runs while the old release still serves), plus 10 for operators and maintenance;
    rounded up to a multiple of 10. Memory: PostgreSQL's budget is half the host when it shares
    it with the app (three quarters alone); shared_buffers a quarter of the budget.
    """
    needed = (app_processes + 1) * connections_per_process + 10
    max_connections = max(20, math.ceil(needed / 10) * 10)
    budget = memory_mb * (0.5 if colocated else 0.75)
    shared_buffers = _clamp(budget / 4, 128, 16384)
    return PostgresSizing(
        max_connections=max_connections,
        shared_buffers_mb=shared_buffers,
        effective_cache_size_mb=max(shared_buffers, int(budget * 3 / 4)),
        work_mem_mb=_clamp((budget - shared_buffers) / (max_connections * 2), 4, 64),
        maintenance_work_mem_mb=_clamp(budget / 16, 64, 1024),
        max_worker_processes=max(8, cores),
        max_parallel_workers=max(2, cores),
    )


def redis_maxmemory_mb(memory_mb: int, colocated: bool) -> int:
    """Redis holds sessions, throttles and chat history: a tenth of a shared host, half alone."""
    return _clamp(memory_mb * (0.1 if colocated else 0.5), 64, 8192)
