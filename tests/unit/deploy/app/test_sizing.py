"""gunicorn's sizing from host facts and the app's settings, by exact output."""

import pytest

from deploy.app import sizing

pytestmark = pytest.mark.unit


def test_app_sizing_from_cores_capped_by_memory():
    assert sizing.app_sizing(2, 24000, 30, 2, 64, 2) == sizing.AppSizing(
        workers=3,  # cores + 1
        threads=4,
        timeout=60,
        direct_connections_per_process=3,  # master pool 2 + a signup's 1
        pooler_connections_per_process=132,  # 64 engines × 2 + 4 threads
    )
    # 2 GB: a quarter is 512 MB → 2 workers of 256 MB.
    assert sizing.app_sizing(8, 2048, 30, 2, 64, 2).workers == 2
    assert sizing.app_sizing(8, 24000, 30, 2, 64, 2).workers == 9
    # never more than 16, never fewer than 2
    assert sizing.app_sizing(64, 10**6, 30, 2, 64, 2).workers == 16
    assert sizing.app_sizing(1, 512, 30, 2, 64, 2).workers == 2


def test_app_sizing_timeout_exceeds_anthropic_timeout_and_overrides_win():
    assert sizing.app_sizing(2, 4096, 90.5, 3, 10, 1, workers=3, threads=4) == sizing.AppSizing(
        workers=3, threads=4, timeout=121, direct_connections_per_process=4, pooler_connections_per_process=14
    )
    assert sizing.worker_timeout(30) == 60
