"""Who talks to whom, from the inventory's web and db hosts, by exact output."""

import pytest

from deploy.common.topology import Topology, topology

pytestmark = pytest.mark.unit


def test_topology_one_server():
    assert topology("s1", {"s1": ""}, {"s1": ""}) == Topology(
        gateway="172.28.213.1",
        subnet="172.28.213.0/24",
        db_host="s1",
        colocated=True,
        db_address="172.28.213.1",
        listen_addresses=("127.0.0.1", "172.28.213.1"),
        client_networks=("172.28.213.0/24",),
    )


def test_topology_separate_hosts():
    web = {"w1": "10.0.0.11", "w2": "10.0.0.12"}
    assert topology("w1", web, {"d1": "10.0.0.5"}, "10.213.0.0/24") == Topology(
        gateway="10.213.0.1",
        subnet="10.213.0.0/24",
        db_host="d1",
        colocated=False,
        db_address="10.0.0.5",
        listen_addresses=("127.0.0.1", "10.0.0.5"),
        client_networks=("10.0.0.11/32", "10.0.0.12/32"),
    )
