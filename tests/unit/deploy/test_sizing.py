"""Sizing from host facts and the app's connection cap, by exact output."""

import pytest

from deploy import sizing

pytestmark = pytest.mark.unit


def test_app_sizing_from_cores_capped_by_memory():
    assert sizing.app_sizing(2, 24000, 30, 2, 4) == sizing.AppSizing(workers=5, threads=8, timeout=60,
                                                                    connections_per_process=6)
    # 2 GB: a quarter is 512 MB → 2 workers of 256 MB.
    assert sizing.app_sizing(8, 2048, 30, 2, 4).workers == 2
    # never more than 16, never fewer than 2
    assert sizing.app_sizing(64, 10**6, 30, 2, 4).workers == 16
    assert sizing.app_sizing(1, 512, 30, 2, 4).workers == 2


def test_app_sizing_timeout_exceeds_anthropic_timeout_and_overrides_win():
    assert sizing.app_sizing(2, 4096, 90.5, 3, 5, workers=3, threads=8) == sizing.AppSizing(
        workers=3, threads=8, timeout=121, connections_per_process=8
    )


def test_postgres_sizing_colocated():
    assert sizing.postgres_sizing(24000, 2, 5, 6, colocated=True) == sizing.PostgresSizing(
        max_connections=50,          # (5 + 1) × 6 + 10 = 46 → 50
        shared_buffers_mb=3000,      # a quarter of half of 24000
        effective_cache_size_mb=9000,
        work_mem_mb=64,
        maintenance_work_mem_mb=750,
        max_worker_processes=8,
        max_parallel_workers=2,
    )


def test_postgres_sizing_small_dedicated_host():
    assert sizing.postgres_sizing(1024, 1, 2, 6, colocated=False) == sizing.PostgresSizing(
        max_connections=30,
        shared_buffers_mb=192,
        effective_cache_size_mb=576,
        work_mem_mb=9,
        maintenance_work_mem_mb=64,
        max_worker_processes=8,
        max_parallel_workers=2,
    )


def test_postgres_max_connections_grow_with_workers_and_cap():
    assert sizing.postgres_sizing(8192, 4, 9, 6, True).max_connections == 70
    assert sizing.postgres_sizing(8192, 4, 9, 12, True).max_connections == 130


def test_redis_maxmemory():
    assert sizing.redis_maxmemory_mb(24000, colocated=True) == 2400
    assert sizing.redis_maxmemory_mb(512, colocated=True) == 64
    assert sizing.redis_maxmemory_mb(4096, colocated=False) == 2048
