"""Small configuration files rendered from decisions (pure: text out, tested by exact output)."""

from __future__ import annotations

from deploy import appenv
from deploy.sizing import PostgresSizing

MANAGED = "# Managed by the deploy (pyinfra); local changes are overwritten.\n"


def postgres_conf(sizing: PostgresSizing, listen_addresses: tuple[str, ...]) -> str:
    return MANAGED + "\n".join([
        f"listen_addresses = '{','.join(listen_addresses)}'",
        "port = 5432",
        "password_encryption = scram-sha-256",
        f"max_connections = {sizing.max_connections}",
        f"shared_buffers = {sizing.shared_buffers_mb}MB",
        f"effective_cache_size = {sizing.effective_cache_size_mb}MB",
        f"work_mem = {sizing.work_mem_mb}MB",
        f"maintenance_work_mem = {sizing.maintenance_work_mem_mb}MB",
        f"max_worker_processes = {sizing.max_worker_processes}",
        f"max_parallel_workers = {sizing.max_parallel_workers}",
        "",
    ])


def pg_hba(client_networks: tuple[str, ...]) -> str:
    lines = [
        MANAGED.rstrip("\n"),
        "# TYPE  DATABASE  USER      ADDRESS  METHOD",
        "local   all       postgres           peer",
        "local   all       all                peer",
        "host    all       all       127.0.0.1/32  scram-sha-256",
        "host    all       all       ::1/128       scram-sha-256",
    ]
    lines += [f"host    all       {appenv.APP_ROLE}       {network}  scram-sha-256" for network in client_networks]
    return "\n".join(lines) + "\n"


def postgres_role_sql() -> str:
    """Creates or updates the app role and the master database. Reads :pw, set before it on stdin."""
    role, database = appenv.APP_ROLE, appenv.APP_DATABASE
    return "\n".join([
        "\\set ON_ERROR_STOP on",
        f"SELECT format('CREATE ROLE %I', '{role}') WHERE NOT EXISTS "
        f"(SELECT 1 FROM pg_roles WHERE rolname = '{role}') \\gexec",
        f"ALTER ROLE {role} WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS "
        "PASSWORD :'pw';",
        f"SELECT format('CREATE DATABASE %I OWNER %I', '{database}', '{role}') WHERE NOT EXISTS "
        f"(SELECT 1 FROM pg_database WHERE datname = '{database}') \\gexec",
        f"REVOKE ALL ON DATABASE {database} FROM PUBLIC;",
        "",
    ])


def pgpass_template() -> str:
    """Root-only client password file the deploy uses to check that the app role can log in."""
    return f"*:*:*:{appenv.APP_ROLE}:{appenv.placeholder('postgres_password')}\n"


def redis_conf_template(bind: tuple[str, ...], maxmemory_mb: int) -> str:
    """Included last by /etc/redis/redis.conf; the password is filled in on the server."""
    return MANAGED + "\n".join([
        f"bind {' '.join(bind)}",
        "protected-mode yes",
        "port 6379",
        f"requirepass {appenv.placeholder('redis_password')}",
        f"maxmemory {maxmemory_mb}mb",
        "maxmemory-policy volatile-lru",
        "",
    ])


def after_docker_dropin() -> str:
    """Start after Docker, so the app network's gateway address exists to listen on."""
    return MANAGED + "[Unit]\nAfter=docker.service\n"


def certbot_service_dropin(ca_bundle: str | None) -> str:
    """certbot.service (run by certbot.timer) trusts the ACME server's CA bundle for renewals."""
    body = "[Service]\n"
    if ca_bundle:
        body += f"Environment=REQUESTS_CA_BUNDLE={ca_bundle}\n"
    return MANAGED + body


def renewal_hook() -> str:
    return "#!/bin/sh\n" + MANAGED + "# Reload nginx with a renewed certificate, only if its configuration is valid.\nset -e\nnginx -t -q\nsystemctl reload nginx\n"
