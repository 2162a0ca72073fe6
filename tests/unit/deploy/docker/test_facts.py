"""Parsing in the docker step's fact."""

import pytest

from deploy.docker.facts import DockerNetworkSubnets

pytestmark = pytest.mark.unit


def test_network_subnets_or_absent():
    assert DockerNetworkSubnets().process(["172.28.213.0/24 "]) == ["172.28.213.0/24"]
    assert DockerNetworkSubnets().process(["absent"]) is None
