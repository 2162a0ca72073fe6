"""A scenario's servers, names and zone, by exact output (the harness's pure part)."""

import pytest

from e2e.dns import zone_file
from e2e.scenario import Scenario

pytestmark = pytest.mark.unit


def test_the_default_scenario_is_one_server_beside_its_backup_host():
    default = Scenario()
    assert default.servers() == ["server", "backup"]
    assert [default.container(name) for name in default.servers()] == ["rsm-e2e-server", "rsm-e2e-backup"]
    assert (default.inventory, default.private_network) == ("inventories/e2e.py", None)
    assert default.operator_secrets() == {}


def test_the_multi_scenario_is_two_web_and_two_db_hosts_on_a_private_network():
    multi = Scenario("multi")
    assert multi.servers("web") == ["web-1", "web-2"]
    assert multi.servers("db") == ["db-1", "db-2"]
    assert multi.servers("monitoring") == ["db-1"]
    assert multi.container("db-2") == "rsm-e2e-multi-db-2"
    assert (multi.domain, multi.inventory) == ("multi.test", "inventories/e2e_multi.py")
    assert multi.private_network == "rsm-e2e-multi-private"


def test_the_zone_names_every_web_host_for_the_apex_and_every_studio():
    assert zone_file("multi.test", "172.17.0.1", ["172.17.0.5", "172.17.0.6"]) == (
        "$TTL 5\n"
        "@   IN SOA ns.multi.test. hostmaster.multi.test. ( 1 60 60 3600 5 )\n"
        "    IN NS  ns.multi.test.\n"
        "ns  IN A   172.17.0.1\n"
        "@   IN A   172.17.0.5\n"
        "*   IN A   172.17.0.5\n"
        "@   IN A   172.17.0.6\n"
        "*   IN A   172.17.0.6\n"
    )
