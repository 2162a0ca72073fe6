"""Each host runs only its role: web hosts nginx, Docker and the app; db hosts PostgreSQL and
PgBouncer; Redis (and the master database) only on the first db host."""

from __future__ import annotations

import pytest

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
def test_a_web_host_reaches_the_master_through_the_first_db_hosts_private_address(hosts, multi_state, name):
    master = multi_state["servers"][MASTER]["private_address"]
    env = hosts[name].check_output("docker exec $(/usr/local/sbin/rsm-release container) env")
    reaches_master = f"@{master}:" in env  # not shown on failure: the URLs hold passwords
    assert reaches_master, f"the app's database URLs on {name} do not name {master}"
