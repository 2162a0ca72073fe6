"""Between hosts: the first db host's PostgreSQL, PgBouncer and Redis (TLS) let in the web hosts
and nobody else (the firewall), PostgreSQL only over TLS (pg_hba hostssl), Redis only on its TLS
port. Each refusal is checked beside the case that is let in, so each check can fail."""

from __future__ import annotations

import pytest

from deploy.app.config import POOLER_PORT
from deploy.redis.config import PORT as REDIS_PORT
from deploy.redis.config import TLS_PORT as REDIS_TLS_PORT
from tests.e2e_multi.conftest import SCENARIO

FIRST_DB = SCENARIO.servers("db")[0]
POSTGRES_PORT = 5432
# From the host, not from an app container: the firewall sees the host's private address.
CONNECTS = "timeout 5 bash -c 'exec 3<>/dev/tcp/{ip}/{port}'"
# In web-2's app container, against the first db host with its own settings; prints `ok` or the error.
POSTGRES = """
import json, os, psycopg
url = json.loads(os.environ["TENANT_DATABASE_SERVERS"])["{server}"]["url"]
if "{mode}" == "disable":
    url = url.split("?")[0] + "?sslmode=disable"
try:
    with psycopg.connect(url, connect_timeout=10) as conn:
        print("ok", conn.info.pgconn.ssl_in_use)
except psycopg.OperationalError as exc:
    print("refused", exc)
"""
REDIS = """
import os, redis
print("ok", redis.Redis.from_url(os.environ["REDIS_URL"], ssl_ca_certs=os.environ["REDIS_CA_FILE"]).ping())
"""


def private(state: dict, name: str) -> str:
    return state["servers"][name]["private_address"]


def in_app_container(host, script: str) -> str:
    return host.check_output(
        "docker exec -i $(/usr/local/sbin/rsm-release container) python - <<'EOF'\n" + script + "\nEOF"
    ).strip()


@pytest.mark.parametrize("source", ["web-2", "backup"])
@pytest.mark.parametrize("port", [POSTGRES_PORT, POOLER_PORT, REDIS_TLS_PORT])
def test_the_first_db_hosts_ports_let_in_web_hosts_only(hosts, multi_state, source, port):
    reached = hosts[source].run(CONNECTS.format(ip=private(multi_state, FIRST_DB), port=port)).rc == 0
    assert reached == (source in SCENARIO.servers("web"))


@pytest.mark.parametrize("port", [REDIS_PORT, REDIS_TLS_PORT])
def test_redis_answers_web_2_on_its_tls_port_only(hosts, multi_state, port):
    reached = hosts["web-2"].run(CONNECTS.format(ip=private(multi_state, FIRST_DB), port=port)).rc == 0
    assert reached == (port == REDIS_TLS_PORT)


def test_redis_over_tls_verified_by_the_ca_answers_web_2(hosts):
    assert in_app_container(hosts["web-2"], REDIS) == "ok True"


@pytest.mark.parametrize("mode", ["disable", "verify-full"])
def test_postgresql_lets_web_2_in_over_verified_tls_only(hosts, mode):
    answer = in_app_container(hosts["web-2"], POSTGRES.replace("{server}", FIRST_DB).replace("{mode}", mode))
    if mode == "verify-full":
        assert answer == "ok True"
    else:
        assert answer.startswith("refused") and "no encryption" in answer, answer
