"""Parsing in the nginx steps' facts."""

import pytest

from deploy.nginx.facts import DockerPublishedPorts, HasIpv6, StrayNginxMasters

pytestmark = pytest.mark.unit


def test_docker_published_ports():
    assert DockerPublishedPorts().process(["abc\tweb\t0.0.0.0:80->80/tcp", "def\trsm-app-1\t"]) == {
        "abc": ("web", "0.0.0.0:80->80/tcp"),
        "def": ("rsm-app-1", ""),
    }


def test_stray_masters():
    assert StrayNginxMasters().process(["12 -", "x", "34 old-web.service"]) == [
        (12, ""),
        (34, "old-web.service"),
    ]


def test_has_ipv6():
    assert HasIpv6().process(["yes"]) is True
    assert HasIpv6().process(["no"]) is False
