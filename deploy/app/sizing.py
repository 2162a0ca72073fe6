"""gunicorn's sizing from the host's size and the app's settings (pure: numbers in, numbers out)."""

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


def worker_timeout(anthropic_timeout_seconds: float) -> int:
    """Exceeds the slowest legitimate request (one Anthropic call) by 30 s."""
    return math.ceil(anthropic_timeout_seconds) + 30


def app_sizing(
    cores: int,
    memory_mb: int,
    anthropic_timeout_seconds: float,
    master_pool_size: int,
    tenant_connections_per_process: int,
    workers: int | None = None,
    threads: int | None = None,
) -> AppSizing:
    """Gunicorn gthread sizing: 2×cores+1 workers, capped by a quarter of memory and at 16."""
    if workers is None:
        by_memory = (memory_mb // 4) // MB_PER_WORKER
        workers = max(2, min(2 * cores + 1, by_memory, 16))
    return AppSizing(
        workers=workers,
        threads=threads if threads is not None else THREADS_PER_WORKER,
        timeout=worker_timeout(anthropic_timeout_seconds),
        connections_per_process=master_pool_size + tenant_connections_per_process,
    )
