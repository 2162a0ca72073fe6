"""PgBouncer's sizing from the app's processes and the database host's cores (pure: numbers in and out)."""

from __future__ import annotations

from dataclasses import dataclass

# A release starts beside the live one; both hold their connections until the old one is drained.
RELEASES_SIDE_BY_SIDE = 2
# Client connections beyond the app's: operators, the admin console, benchmarks.
SPARE_CLIENTS = 20
# Open files beyond one per client and server connection: listeners, logs, the auth files.
SPARE_FILES = 100


@dataclass(frozen=True)
class PoolerSizing:
    max_client_conn: int
    # PostgreSQL backends the pooler may hold for the app over every studio database: the bound
    # on studio backends, whatever the number of studios (max_user_connections of the app role).
    server_connections: int
    default_pool_size: int  # backends one studio database may use (also its max_db_connections)
    open_files: int  # LimitNOFILE of the service


def pooler_sizing(app_processes: int, pooler_connections_per_process: int, db_cores: int) -> PoolerSizing:
    """Clients: every app process of two releases with all its pools full. Backends: 4 per core of the
    database host, at least 10; in transaction pooling a backend is busy only during a transaction,
    and more backends than PostgreSQL has cores to run them only queue inside it. One studio may use
    half of them, so a busy studio leaves the others room."""
    max_client_conn = RELEASES_SIDE_BY_SIDE * app_processes * pooler_connections_per_process + SPARE_CLIENTS
    server_connections = max(10, 4 * db_cores)
    return PoolerSizing(
        max_client_conn=max_client_conn,
        server_connections=server_connections,
        default_pool_size=server_connections // 2,
        open_files=max_client_conn + server_connections + SPARE_FILES,
    )
