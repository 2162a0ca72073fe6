"""PostgreSQL's files, rendered from their contexts, by exact output."""

import pytest

from deploy.common.render import render
from deploy.postgres import config
from deploy.postgres.sizing import PostgresSizing

pytestmark = pytest.mark.unit

MANAGED = "# Managed by the deploy (pyinfra); local changes are overwritten.\n"


def test_cluster_paths_follow_the_version():
    assert config.cluster_dir("17") == "/etc/postgresql/17/main"
    assert config.unit("17") == "postgresql@17-main.service"


def test_conf():
    pg = PostgresSizing(50, 3000, 9000, 64, 750, 8, 2)
    assert render(
        "postgres/rsm.conf.j2", config.conf_context(pg, ("127.0.0.1", "172.28.213.1"))
    ) == MANAGED + (
        "listen_addresses = '127.0.0.1,172.28.213.1'\n"
        "port = 5432\n"
        "password_encryption = scram-sha-256\n"
        "max_connections = 50\n"
        "shared_buffers = 3000MB\n"
        "effective_cache_size = 9000MB\n"
        "work_mem = 64MB\n"
        "maintenance_work_mem = 750MB\n"
        "max_worker_processes = 8\n"
        "max_parallel_workers = 2\n"
    )


HBA_HEAD = MANAGED + (
    "# TYPE  DATABASE  USER      ADDRESS  METHOD\n"
    "local   all       postgres           peer\n"
    "local   all       all                peer\n"
    "host    all       all       127.0.0.1/32  scram-sha-256\n"
    "host    all       all       ::1/128       scram-sha-256\n"
)


def test_pg_hba_limits_the_app_role_to_the_app_network():
    assert render("postgres/pg_hba.conf.j2", config.hba_context(("172.28.213.0/24",))) == HBA_HEAD + (
        "host    all       rsm       172.28.213.0/24  scram-sha-256\n"
    )


def test_pg_hba_of_a_separate_db_host_lets_in_each_web_host_over_tls_only():
    assert render(
        "postgres/pg_hba.conf.j2", config.hba_context((), ("10.0.0.11/32", "10.0.0.12/32"))
    ) == HBA_HEAD + (
        "hostssl all       rsm       10.0.0.11/32  scram-sha-256\n"
        "hostssl all       rsm       10.0.0.12/32  scram-sha-256\n"
    )


def test_pg_hba_of_a_db_host_that_serves_the_app_too_lets_its_containers_in_plain():
    assert render(
        "postgres/pg_hba.conf.j2", config.hba_context(("172.28.213.0/24",), ("10.0.0.12/32",))
    ) == HBA_HEAD + (
        "host    all       rsm       172.28.213.0/24  scram-sha-256\n"
        "hostssl all       rsm       10.0.0.12/32  scram-sha-256\n"
    )


def test_conf_turns_tls_on_with_the_hosts_certificate_when_other_hosts_connect():
    pg = PostgresSizing(50, 3000, 9000, 64, 750, 8, 2)
    tls = {"cert": "/etc/rsm/tls/postgres.crt", "key": "/etc/rsm/tls/postgres.key"}
    text = render("postgres/rsm.conf.j2", config.conf_context(pg, ("127.0.0.1", "10.0.0.21"), tls))
    assert text.endswith(
        "max_parallel_workers = 2\n"
        "# The other hosts connect over TLS (pg_hba: hostssl), verifying this certificate against the deploy's CA.\n"
        "ssl = on\n"
        "ssl_cert_file = '/etc/rsm/tls/postgres.crt'\n"
        "ssl_key_file = '/etc/rsm/tls/postgres.key'\n"
        "ssl_min_protocol_version = 'TLSv1.2'\n"
    )


def test_role_sql_reads_the_password_from_a_psql_variable():
    assert render("postgres/app-role.sql.j2", config.role_sql_context()) == (
        "\\set ON_ERROR_STOP on\n"
        "SELECT format('CREATE ROLE %I', 'rsm') WHERE NOT EXISTS "
        "(SELECT 1 FROM pg_roles WHERE rolname = 'rsm') \\gexec\n"
        "ALTER ROLE rsm WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'pw';\n"
        "SELECT format('CREATE DATABASE %I OWNER %I', 'rsm', 'rsm') WHERE NOT EXISTS "
        "(SELECT 1 FROM pg_database WHERE datname = 'rsm') \\gexec\n"
        "REVOKE ALL ON DATABASE rsm FROM PUBLIC;\n"
    )


def test_pgpass_leaves_the_password_to_the_server():
    assert render("postgres/pgpass.j2", config.pgpass_context()) == "*:*:*:rsm:@@postgres_password:pgpass@@\n"
