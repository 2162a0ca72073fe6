"""Which concerns a host runs, and the packages the base step checks for, by exact output."""

import pytest

from deploy import (
    app,
    backup,
    backup_host,
    base,
    certbot,
    docker,
    firewall,
    monitoring,
    nginx,
    patching,
    pgbouncer,
    postgres,
    preflight,
    redis,
    roles,
)
from deploy.common.hostdata import GROUPS, HostData

pytestmark = pytest.mark.unit


def test_every_package_but_common_is_a_concern_run_by_inventory_groups():
    assert roles.concerns() == [
        app,
        backup,
        backup_host,
        base,
        certbot,
        docker,
        firewall,
        monitoring,
        nginx,
        patching,
        pgbouncer,
        postgres,
        preflight,
        redis,
    ]
    assert all(set(concern.GROUPS) <= set(GROUPS) and concern.GROUPS for concern in roles.concerns())


def test_concerns_for_groups():
    assert roles.concerns_for(["web", "prod"]) == [
        app,
        base,
        certbot,
        docker,
        firewall,
        monitoring,
        nginx,
        patching,
        preflight,
    ]
    assert roles.concerns_for(["db"]) == [
        backup,
        base,
        firewall,
        monitoring,
        patching,
        pgbouncer,
        postgres,
        preflight,
        redis,
    ]
    assert roles.concerns_for(["backup"]) == [backup_host, base, firewall, patching, preflight]
    assert roles.concerns_for(["monitoring"]) == [base, firewall, monitoring, patching, preflight]
    assert roles.concerns_for(["other"]) == []


def test_packages_of_the_concerns_a_host_runs():
    assert roles.packages_for(["web", "db"], HostData(dns_plugin="cloudflare")) == [
        "python3",
        "pgbackrest",
        "openssh-client",
        "ca-certificates",
        "openssl",
        "procps",
        "certbot",
        "python3-certbot-dns-cloudflare",
        "docker.io",
        "docker-cli",
        "docker-compose",
        "nftables",
        "prometheus-node-exporter",
        "prometheus-nginx-exporter",
        "prometheus-postgres-exporter",
        "prometheus-redis-exporter",
        "nginx",
        "unattended-upgrades",
        "pgbouncer",
        "postgresql",
        "redis-server",
    ]
    assert roles.packages_for(["backup"], HostData()) == [
        "openssh-server",
        "ca-certificates",
        "openssl",
        "procps",
        "nftables",
        "unattended-upgrades",
    ]
    assert roles.packages_for(["db"], HostData()) == [
        "pgbackrest",
        "openssh-client",
        "python3",
        "ca-certificates",
        "openssl",
        "procps",
        "nftables",
        "prometheus-node-exporter",
        "prometheus-postgres-exporter",
        "prometheus-redis-exporter",
        "unattended-upgrades",
        "pgbouncer",
        "postgresql",
        "redis-server",
    ]
    assert roles.packages_for(["monitoring"], HostData()) == [
        "ca-certificates",
        "openssl",
        "procps",
        "nftables",
        "prometheus",
        "prometheus-alertmanager",
        "prometheus-node-exporter",
        "unattended-upgrades",
    ]
