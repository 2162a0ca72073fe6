"""Each host runs only its role: web hosts nginx, Docker and the app; db hosts PostgreSQL and
PgBouncer; Redis (and the master database) only on the first db host."""

from __future__ import annotations

import json
import re

import pytest

from deploy.app.config import DB_HOSTNAME
from tests.e2e_multi.conftest import SCENARIO

WEB, DB = SCENARIO.servers("web"), SCENARIO.servers("db")
SITE = WEB + DB
MASTER = DB[0]


@pytest.mark.parametrize("name", WEB)
@pytest.mark.parametrize("service", ["nginx", "docker"])
def test_a_web_host_runs(hosts, name, service):
    assert hosts[name].service(service).is_running


@pytest.mark.parametrize("name", WEB)
def test_a_web_host_runs_the_live_release(hosts, name):
    container = hosts[name].check_output("/usr/local/sbin/rsm-release container").strip()
    assert hosts[name].docker(container).is_running, container


@pytest.mark.parametrize("name", WEB)
@pytest.mark.parametrize("package", ["postgresql", "pgbouncer", "redis-server"])
def test_a_web_host_has_no_database_package(hosts, name, package):
    assert not hosts[name].package(package).is_installed


@pytest.mark.parametrize("name", DB)
@pytest.mark.parametrize("service", ["postgresql", "pgbouncer"])
def test_a_db_host_runs(hosts, name, service):
    assert hosts[name].service(service).is_running


@pytest.mark.parametrize("name", DB)
@pytest.mark.parametrize("package", ["nginx", "docker.io", "certbot"])
def test_a_db_host_has_no_web_package(hosts, name, package):
    assert not hosts[name].package(package).is_installed


@pytest.mark.parametrize("name", SITE)
def test_redis_runs_on_the_first_db_host_only(hosts, name):
    assert hosts[name].package("redis-server").is_installed == (name == MASTER)


@pytest.mark.parametrize("name", DB)
def test_a_db_host_listens_on_its_private_address(hosts, multi_state, name):
    private = multi_state["servers"][name]["private_address"]
    assert hosts[name].socket(f"tcp://{private}:6432").is_listening


@pytest.mark.parametrize("name", WEB)
def test_a_web_host_reaches_the_master_at_the_first_db_hosts_private_address(hosts, multi_state, name):
    master = multi_state["servers"][MASTER]["private_address"]
    container = hosts[name].check_output("/usr/local/sbin/rsm-release container").strip()
    extra_hosts = hosts[name].check_output(
        "docker inspect --format '{{json .HostConfig.ExtraHosts}}' " + container
    )
    assert json.loads(extra_hosts) == [f"{DB_HOSTNAME}:{master}"]


@pytest.mark.parametrize("name", WEB)
def test_a_web_host_answers_ready_with_the_master_database_and_redis(hosts, name):
    upstream = hosts[name].check_output("cat /etc/rsm/app-upstream.conf")
    port = re.search(r"^server 127\.0\.0\.1:(\d+);$", upstream, re.M).group(1)
    script = (
        "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:%s/readyz').read().decode())"
    )
    ready = json.loads(hosts[name].check_output(f'python3 -c "{script}"' % port))
    assert ready["checks"] == {"master_database": "ok", "redis": "ok"}
