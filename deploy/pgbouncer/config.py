"""PgBouncer on the db host (pure): where its files live and their contexts.

The app's studio connections arrive here (TENANT_DATABASE_POOL_URL) and share a bounded set of
PostgreSQL backends in transaction pooling. Authentication: the app role's SCRAM verifier, copied
from pg_authid into the auth file on the server (never a plaintext password, never through the
controller), lets PgBouncer check the client and then log in to PostgreSQL as it. The admin
console is for the postgres system user over the Unix socket only (peer).
"""

from __future__ import annotations

from deploy.app.config import APP_ROLE, POOLER_PORT
from deploy.pgbouncer.sizing import PoolerSizing

PORT = POOLER_PORT
INI = "/etc/pgbouncer/pgbouncer.ini"
HBA = "/etc/pgbouncer/pg_hba.conf"
AUTH_FILE = "/etc/pgbouncer/userlist.txt"
SOCKET_DIR = "/var/run/postgresql"
UNIT = "pgbouncer.service"
DROPIN = "/etc/systemd/system/pgbouncer.service.d/rsm.conf"
# Its files are readable by the service's user (Debian runs PgBouncer as postgres), by no one else.
OWNER, GROUP, MODE = "root", "postgres", "640"


def ini_context(
    sizing: PoolerSizing, listen_addresses: tuple[str, ...], wait_seconds: float, tls: dict | None = None
) -> dict:
    """For templates/pgbouncer/pgbouncer.ini.j2. A client waits at most as long as the app waits
    for its own pool (TENANT_CONNECTION_WAIT_SECONDS) before PgBouncer answers with an error.
    `tls`: {"cert", "key"} paths when other hosts connect (over TLS)."""
    return {
        "tls": tls,
        "listen_line": listen_line(listen_addresses),
        "port": PORT,
        "socket_dir": SOCKET_DIR,
        "hba_file": HBA,
        "auth_file": AUTH_FILE,
        "max_client_conn": sizing.max_client_conn,
        "default_pool_size": sizing.default_pool_size,
        "max_db_connections": sizing.default_pool_size,
        "max_user_connections": sizing.server_connections,
        "query_wait_timeout": max(1, round(wait_seconds)),
    }


def hba_context(local_networks: tuple[str, ...], remote_clients: tuple[str, ...] = ()) -> dict:
    """For templates/pgbouncer/pg_hba.conf.j2: the app role by SCRAM from this host and its app's
    containers, and from the other web hosts over TLS only; the admin console for postgres over
    the socket."""
    return {
        "role": APP_ROLE,
        "local_networks": ["127.0.0.1/32", *local_networks],
        "remote_clients": list(remote_clients),
    }


def service_context(sizing: PoolerSizing) -> dict:
    """For templates/pgbouncer/service.conf.j2, the unit's drop-in."""
    return {"open_files": sizing.open_files}


def listen_line(listen_addresses: tuple[str, ...]) -> str:
    """The ini's listen line: PgBouncer reads it only at start, so a change needs a restart."""
    return f"listen_addr = {','.join(listen_addresses)}"
