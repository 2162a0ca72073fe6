"""Small config files by exact output."""

import pytest

from deploy import configs
from deploy.sizing import PostgresSizing

pytestmark = pytest.mark.unit

M = configs.MANAGED


def test_postgres_conf():
    pg = PostgresSizing(50, 3000, 9000, 64, 750, 8, 2)
    assert configs.postgres_conf(pg, ("127.0.0.1", "172.28.213.1")) == M + (
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


def test_pg_hba_limits_the_app_role_to_the_app_network():
    assert configs.pg_hba(("172.28.213.0/24",)) == (
        M
        + "# TYPE  DATABASE  USER      ADDRESS  METHOD\n"
        "local   all       postgres           peer\n"
        "local   all       all                peer\n"
        "host    all       all       127.0.0.1/32  scram-sha-256\n"
        "host    all       all       ::1/128       scram-sha-256\n"
        "host    all       rsm       172.28.213.0/24  scram-sha-256\n"
    )


def test_role_sql_reads_the_password_from_a_psql_variable():
    sql = configs.postgres_role_sql()
    assert "PASSWORD :'pw'" in sql
    assert sql.splitlines()[0] == "\\set ON_ERROR_STOP on"
    assert "ALTER ROLE rsm WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS" in sql
    assert "CREATE DATABASE %I OWNER %I', 'rsm', 'rsm'" in sql


def test_redis_conf_template():
    assert configs.redis_conf_template(("127.0.0.1", "172.28.213.1"), 2400) == M + (
        "bind 127.0.0.1 172.28.213.1\n"
        "protected-mode yes\n"
        "port 6379\n"
        "requirepass @@redis_password@@\n"
        "maxmemory 2400mb\n"
        "maxmemory-policy volatile-lru\n"
    )


def test_certbot_dropin_and_hook():
    assert configs.certbot_service_dropin("/etc/rsm/acme-ca.pem") == M + (
        "[Service]\nEnvironment=REQUESTS_CA_BUNDLE=/etc/rsm/acme-ca.pem\n"
    )
    assert configs.certbot_service_dropin(None) == M + "[Service]\n"
    hook = configs.renewal_hook()
    assert hook.startswith("#!/bin/sh\n")
    assert hook.endswith("set -e\nnginx -t -q\nsystemctl reload nginx\n")
    assert configs.pgpass_template() == "*:*:*:rsm:@@postgres_password@@\n"
