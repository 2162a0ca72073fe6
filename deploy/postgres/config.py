"""PostgreSQL on the db host (pure): where Debian's cluster lives and the contexts of its files."""

from __future__ import annotations

from deploy.app.config import APP_DATABASE, APP_ROLE
from deploy.common.paths import ETC, SECRETS_DIR
from deploy.common.secrets import placeholder
from deploy.postgres.sizing import PostgresSizing

PGPASS_TEMPLATE = f"{ETC}/pgpass.tmpl"
PGPASS = f"{SECRETS_DIR}/pgpass"
ROLE_SQL = f"{ETC}/postgres-app-role.sql"
PASSWORD_FILE = f"{SECRETS_DIR}/postgres_password"
DROPIN = "/etc/systemd/system/postgresql@.service.d/rsm.conf"


def cluster_dir(version: str) -> str:
    return f"/etc/postgresql/{version}/main"


def unit(version: str) -> str:
    return f"postgresql@{version}-main.service"


def conf_context(sizing: PostgresSizing, listen_addresses: tuple[str, ...], tls: dict | None = None) -> dict:
    """For templates/postgres/rsm.conf.j2 (conf.d: sized for the app, listening where it connects);
    `tls`: {"cert", "key"} paths when other hosts connect (over TLS)."""
    return {
        "tls": tls,
        "listen_addresses": list(listen_addresses),
        "max_connections": sizing.max_connections,
        "shared_buffers_mb": sizing.shared_buffers_mb,
        "effective_cache_size_mb": sizing.effective_cache_size_mb,
        "work_mem_mb": sizing.work_mem_mb,
        "maintenance_work_mem_mb": sizing.maintenance_work_mem_mb,
        "max_worker_processes": sizing.max_worker_processes,
        "max_parallel_workers": sizing.max_parallel_workers,
    }


def hba_context(local_networks: tuple[str, ...], remote_clients: tuple[str, ...] = ()) -> dict:
    """For templates/postgres/pg_hba.conf.j2: the app role by password from the app's networks only:
    this host's containers in plain, the other web hosts over TLS only."""
    return {"role": APP_ROLE, "local_networks": list(local_networks), "remote_clients": list(remote_clients)}


def role_sql_context() -> dict:
    """For templates/postgres/app-role.sql.j2: creates or updates the app role and the master
    database; psql reads the password into :pw from stdin before it."""
    return {"role": APP_ROLE, "database": APP_DATABASE}


def pgpass_context() -> dict:
    """For templates/postgres/pgpass.j2: the deploy's root-only client password file, with which it
    checks that the app role can log in; the password is filled in on the server."""
    return {"role": APP_ROLE, "password": placeholder("postgres_password", "pgpass")}
