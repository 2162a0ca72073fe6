"""PostgreSQL's sizing from the host's size and the app's connection cap (pure: numbers in, numbers out)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from deploy.pgbouncer.sizing import RELEASES_SIDE_BY_SIDE


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


# `migrate` in a release's one-off container: its master connection and `--jobs` (default 4)
# studio connections, direct, while the live release serves.
MIGRATION_CONNECTIONS = 5
RESERVED = 10  # operators, backups, maintenance (superuser_reserved_connections is among them)


def postgres_sizing(
    memory_mb: int,
    cores: int,
    app_processes: int,
    direct_connections_per_process: int,
    pooled_backends: int,
    colocated: bool,
) -> PostgresSizing:
    """PostgreSQL settings for the app's worst case.

    Connections: the studio backends the pooler may hold (its bound, whatever the number of
    studios), every app process of two releases with its direct connections (a release starts
    beside the live one and they overlap until the old one is drained), a migration, and 10 in
    reserve; rounded up to a multiple of 10. Memory: PostgreSQL's budget is half the host when it
    shares it with the app (three quarters alone); shared_buffers a quarter of the budget.
    """
    needed = (
        pooled_backends
        + RELEASES_SIDE_BY_SIDE * app_processes * direct_connections_per_process
        + MIGRATION_CONNECTIONS
        + RESERVED
    )
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
