"""Who talks to whom, from the inventory's web and db hosts, by exact output."""

import pytest

from deploy.common.topology import DbServer, Topology, topology

pytestmark = pytest.mark.unit

WEB = {"web-1": "10.0.0.11", "web-2": "10.0.0.12"}
DB = {"db-1": "10.0.0.21", "db-2": "10.0.0.22"}


def test_topology_one_server():
    assert topology("s1", {"s1": ""}, {"s1": ""}) == Topology(
        gateway="172.28.213.1",
        subnet="172.28.213.0/24",
        db_host="s1",
        home=True,
        colocated=True,
        db_address="172.28.213.1",
        db_servers=(DbServer("s1", "172.28.213.1", tls=False),),
        listen_addresses=("127.0.0.1", "172.28.213.1"),
        local_networks=("172.28.213.0/24",),
        remote_clients=(),
    )


def test_topology_separate_hosts_as_the_web_host_sees_it():
    web = {"w1": "10.0.0.11", "w2": "10.0.0.12"}
    assert topology("w1", web, {"d1": "10.0.0.5"}, "10.213.0.0/24") == Topology(
        gateway="10.213.0.1",
        subnet="10.213.0.0/24",
        db_host="d1",
        home=False,
        colocated=False,
        db_address="10.0.0.5",
        db_servers=(DbServer("d1", "10.0.0.5", tls=True),),
        listen_addresses=(),
        local_networks=(),
        remote_clients=(),
    )


def test_topology_separate_hosts_as_the_db_host_sees_it():
    web = {"w1": "10.0.0.11", "w2": "10.0.0.12"}
    topo = topology("d1", web, {"d1": "10.0.0.5"}, "10.213.0.0/24")
    assert (topo.home, topo.colocated) == (True, False)
    assert topo.listen_addresses == ("127.0.0.1", "10.0.0.5")
    assert topo.client_networks == ("10.0.0.11/32", "10.0.0.12/32")


def test_four_hosts_a_web_host_reaches_every_db_host_over_tls_home_first_with_weights():
    topo = topology("web-2", WEB, DB, weights={"db-2": 3})
    assert (topo.db_host, topo.home, topo.db_address) == ("db-1", False, "10.0.0.21")
    assert topo.db_servers == (
        DbServer("db-1", "10.0.0.21", tls=True, weight=1),
        DbServer("db-2", "10.0.0.22", tls=True, weight=3),
    )


def test_four_hosts_the_second_db_host_lets_in_both_web_hosts_over_tls_only():
    topo = topology("db-2", WEB, DB)
    assert (topo.home, topo.colocated) == (False, False)
    assert topo.listen_addresses == ("127.0.0.1", "10.0.0.22")
    assert (topo.local_networks, topo.remote_clients) == ((), ("10.0.0.11/32", "10.0.0.12/32"))


def test_a_web_host_that_is_also_the_second_db_host_reaches_itself_on_the_gateway():
    topo = topology("db-2", {"db-2": "10.0.0.22", "web-1": "10.0.0.11"}, DB)
    assert topo.db_address == "172.28.213.1"
    assert topo.db_servers == (
        DbServer("db-1", "10.0.0.21", tls=True),
        DbServer("db-2", "172.28.213.1", tls=False),
    )
    assert topo.listen_addresses == ("127.0.0.1", "172.28.213.1", "10.0.0.22")
    assert (topo.local_networks, topo.remote_clients) == (("172.28.213.0/24",), ("10.0.0.11/32",))


def test_the_app_names_a_sole_db_server_by_its_default_and_several_by_their_hosts():
    from app.settings import SETTINGS

    default = next(s.default for s in SETTINGS if s.name == "TENANT_DATABASE_SERVER_NAME")
    assert topology("s1", {"s1": ""}, {"s1": ""}).server_name("s1") == default == "main"
    assert topology("db-2", WEB, DB).server_name("db-2") == "db-2"
