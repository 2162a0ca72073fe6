"""PgBouncer's files and commands, by exact output."""

import pytest

from deploy.common.render import render
from deploy.pgbouncer import commands, config
from deploy.pgbouncer.sizing import PoolerSizing

pytestmark = pytest.mark.unit

SIZING = PoolerSizing(max_client_conn=1380, server_connections=10, default_pool_size=5, open_files=1490)


def test_ini_pools_transactions_where_the_app_connects():
    text = render(
        "pgbouncer/pgbouncer.ini.j2", config.ini_context(SIZING, ("127.0.0.1", "172.28.213.1"), 10.0)
    )
    assert text == (
        "; Managed by the deploy (pyinfra); local changes are overwritten.\n"
        "[databases]\n"
        "; Any database name: each studio's database on the local PostgreSQL, logged in to as the client.\n"
        "* = host=127.0.0.1 port=5432\n"
        "\n"
        "[pgbouncer]\n"
        "logfile = /var/log/postgresql/pgbouncer.log\n"
        "pidfile = /var/run/postgresql/pgbouncer.pid\n"
        "listen_addr = 127.0.0.1,172.28.213.1\n"
        "listen_port = 6432\n"
        "unix_socket_dir = /var/run/postgresql\n"
        "\n"
        "auth_type = hba\n"
        "auth_hba_file = /etc/pgbouncer/pg_hba.conf\n"
        "auth_file = /etc/pgbouncer/userlist.txt\n"
        "admin_users = postgres\n"
        "stats_users = postgres\n"
        "\n"
        "; A server connection serves one transaction, then the next client's.\n"
        "pool_mode = transaction\n"
        "max_client_conn = 1380\n"
        "default_pool_size = 5\n"
        "max_db_connections = 5\n"
        "max_user_connections = 10\n"
        "query_wait_timeout = 10\n"
        "; Close idle backends of quiet studios soon, so busy ones get them.\n"
        "server_idle_timeout = 60\n"
        "log_connections = 0\n"
        "log_disconnections = 0\n"
    )
    assert config.listen_line(("127.0.0.1", "172.28.213.1")) in text.splitlines()


def test_hba_lets_the_app_role_in_from_its_networks_and_the_admin_by_peer():
    assert render("pgbouncer/pg_hba.conf.j2", config.hba_context(("172.28.213.0/24",))) == (
        "# Managed by the deploy (pyinfra); local changes are overwritten. PgBouncer's own HBA file.\n"
        "# TYPE  DATABASE   USER      ADDRESS  METHOD\n"
        "local   pgbouncer  postgres           peer\n"
        "host    all        rsm       127.0.0.1/32  scram-sha-256\n"
        "host    all        rsm       172.28.213.0/24  scram-sha-256\n"
    )


def test_hba_lets_the_other_web_hosts_in_over_tls_only():
    assert render("pgbouncer/pg_hba.conf.j2", config.hba_context((), ("10.0.0.11/32",))).endswith(
        "host    all        rsm       127.0.0.1/32  scram-sha-256\n"
        "hostssl all        rsm       10.0.0.11/32  scram-sha-256\n"
    )


def test_ini_requires_tls_of_tcp_clients_when_other_hosts_connect():
    tls = {"cert": "/etc/rsm/tls/postgres.crt", "key": "/etc/rsm/tls/postgres.key"}
    text = render(
        "pgbouncer/pgbouncer.ini.j2", config.ini_context(SIZING, ("127.0.0.1", "10.0.0.21"), 10.0, tls)
    )
    assert (
        "unix_socket_dir = /var/run/postgresql\n"
        "; Clients over TCP use TLS (the other hosts verify this certificate against the deploy's CA).\n"
        "client_tls_sslmode = require\n"
        "client_tls_cert_file = /etc/rsm/tls/postgres.crt\n"
        "client_tls_key_file = /etc/rsm/tls/postgres.key\n"
        "client_tls_protocols = secure\n"
        "\n"
        "auth_type = hba\n"
    ) in text


def test_service_dropin_orders_after_docker_and_opens_enough_files():
    assert render("pgbouncer/service.conf.j2", config.service_context(SIZING)) == (
        "# Managed by the deploy (pyinfra); local changes are overwritten.\n"
        "[Unit]\n"
        "# It listens on the app network's gateway, which Docker creates.\n"
        "After=docker.service postgresql.service\n"
        "\n"
        "[Service]\n"
        "# One file per client and server connection.\n"
        "LimitNOFILE=1490\n"
    )


def test_auth_file_is_written_on_the_server_from_pg_authid():
    assert commands.write_auth_file_command("rsm", "/etc/pgbouncer/userlist.txt", "root:postgres", "640") == (
        'umask 077 && text="$(line="$(runuser -u postgres -- psql -X -q -tA -d postgres -c '
        '\'SELECT format(\'"\'"\'"%s" "%s"\'"\'"\', rolname, rolpassword) FROM pg_authid WHERE rolname = '
        "'\"'\"'rsm'\"'\"' AND rolpassword LIKE '\"'\"'SCRAM-SHA-256$%'\"'\"'')\" && [ -n \"$line\" ] "
        '&& printf \'%s\\n%s\\n\' "$line" \'"postgres" ""\')" '
        "&& printf '%s\\n' \"$text\" > /etc/pgbouncer/userlist.txt.new && chown root:postgres "
        "/etc/pgbouncer/userlist.txt.new && chmod 640 /etc/pgbouncer/userlist.txt.new "
        "&& mv -f /etc/pgbouncer/userlist.txt.new /etc/pgbouncer/userlist.txt"
    )
