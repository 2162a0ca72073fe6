"""Which concerns each group runs, and the packages the base step checks for, by exact output."""

import pytest

from deploy import app, certbot, docker, nginx, postgres, redis, roles
from deploy.common.hostdata import GROUPS, HostData

pytestmark = pytest.mark.unit


def test_concerns_for_groups():
    assert roles.concerns_for(["web", "db", "prod"]) == [docker, app, nginx, certbot, postgres, redis]
    assert roles.concerns_for(["db"]) == [postgres, redis]
    assert roles.concerns_for(["other"]) == []


def test_packages_of_the_steps_a_host_runs():
    assert roles.packages_for(["web", "db"], HostData(dns_plugin="cloudflare")) == [
        "docker.io", "docker-cli", "docker-compose", "nginx", "certbot", "python3-certbot-dns-cloudflare",
        "postgresql", "redis-server",
    ]
    assert roles.packages_for(["db"], HostData()) == ["postgresql", "redis-server"]


def test_every_inventory_group_has_a_role():
    assert sorted(roles.ROLES) == sorted(GROUPS)
