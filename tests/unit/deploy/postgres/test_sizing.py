"""PostgreSQL's sizing from host facts and the app's connection cap, by exact output."""

import pytest

from deploy.postgres import sizing

pytestmark = pytest.mark.unit


def test_postgres_sizing_colocated():
    assert sizing.postgres_sizing(24000, 2, 5, 3, 10, colocated=True) == sizing.PostgresSizing(
        max_connections=60,  # 10 pooled + 2 releases × 5 × 3 direct + 5 migration + 10 = 55
        shared_buffers_mb=3000,  # a quarter of half of 24000
        effective_cache_size_mb=9000,
        work_mem_mb=64,
        maintenance_work_mem_mb=750,
        max_worker_processes=8,
        max_parallel_workers=2,
    )


def test_postgres_sizing_small_dedicated_host():
    assert sizing.postgres_sizing(1024, 1, 2, 3, 10, colocated=False) == sizing.PostgresSizing(
        max_connections=40,  # 10 + 12 + 5 + 10 = 37
        shared_buffers_mb=192,
        effective_cache_size_mb=576,
        work_mem_mb=7,
        maintenance_work_mem_mb=64,
        max_worker_processes=8,
        max_parallel_workers=2,
    )


def test_postgres_max_connections_grow_with_workers_and_pooled_backends_not_studios():
    assert sizing.postgres_sizing(8192, 4, 9, 3, 16, True).max_connections == 90  # 16 + 54 + 15 = 85
    assert sizing.postgres_sizing(8192, 4, 9, 3, 32, True).max_connections == 110
