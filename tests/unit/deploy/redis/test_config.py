"""Redis's memory and settings template, by exact output."""

import pytest

from deploy.common.render import render
from deploy.redis import config

pytestmark = pytest.mark.unit

MANAGED = "# Managed by the deploy (pyinfra); local changes are overwritten.\n"


def test_maxmemory():
    assert config.maxmemory_mb(24000, colocated=True) == 2400
    assert config.maxmemory_mb(512, colocated=True) == 64
    assert config.maxmemory_mb(4096, colocated=False) == 2048
    assert config.maxmemory_mb(10**6, colocated=False) == 8192


def test_settings_template_leaves_the_password_to_the_server():
    context = config.conf_context(("127.0.0.1", "172.28.213.1"), 2400)
    assert render("redis/rsm.conf.j2", context) == MANAGED + (
        "bind 127.0.0.1 172.28.213.1\n"
        "protected-mode yes\n"
        "port 6379\n"
        "requirepass @@redis_password:redis@@\n"
        "maxmemory 2400mb\n"
        "maxmemory-policy volatile-lru\n"
    )


def test_settings_open_the_tls_port_with_the_hosts_certificate_when_other_hosts_connect():
    tls = {"cert": "/etc/rsm/tls/redis.crt", "key": "/etc/rsm/tls/redis.key"}
    context = config.conf_context(("127.0.0.1", "10.0.0.21"), 2048, tls)
    assert render("redis/rsm.conf.j2", context) == MANAGED + (
        "bind 127.0.0.1 10.0.0.21\n"
        "protected-mode yes\n"
        "port 6379\n"
        "# The other hosts connect over TLS (the deploy's CA); the plain port is for this host's own\n"
        "# clients (the firewall lets no other host reach it).\n"
        "tls-port 6380\n"
        "tls-cert-file /etc/rsm/tls/redis.crt\n"
        "tls-key-file /etc/rsm/tls/redis.key\n"
        "tls-auth-clients no\n"
        'tls-protocols "TLSv1.2 TLSv1.3"\n'
        "requirepass @@redis_password:redis@@\n"
        "maxmemory 2048mb\n"
        "maxmemory-policy volatile-lru\n"
    )
