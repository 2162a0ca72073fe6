"""PgBouncer's sizing from the app's processes and the database host's cores, by exact output."""

import pytest

from deploy.pgbouncer import sizing

pytestmark = pytest.mark.unit


def test_pooler_sizing_for_the_e2e_server():
    # 5 workers, each with 64 studio engines × 2 connections + 8 threads.
    assert sizing.pooler_sizing(5, 136, 2) == sizing.PoolerSizing(
        max_client_conn=1380,  # 2 releases × 5 × 136 + 20
        server_connections=10,  # at least 10
        default_pool_size=5,
        open_files=1490,
    )


def test_backends_follow_the_database_cores_not_the_app():
    big = sizing.pooler_sizing(32, 136, 8)
    assert (big.server_connections, big.default_pool_size) == (32, 16)
    assert big.max_client_conn == 2 * 32 * 136 + 20
    assert sizing.pooler_sizing(2, 136, 8).server_connections == 32
