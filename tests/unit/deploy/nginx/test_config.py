"""The site's context (the rendered files are validated with nginx -t in tests/templates)."""

import re

import pytest

from app import limits
from deploy.common.render import render
from deploy.nginx import config

pytestmark = pytest.mark.unit


def test_context():
    assert config.nginx_context("studio.test", False, 65) == {
        "domain": "studio.test",
        "ipv6": False,
        "upstream_file": "/etc/rsm/app-upstream.conf",
        "certificate": "/etc/letsencrypt/live/studio.test/fullchain.pem",
        "certificate_key": "/etc/letsencrypt/live/studio.test/privkey.pem",
        "dhparam": "rsm/ffdhe2048.pem",
        "read_timeout": 65,
        "upstream_keepalive": 32,
        "upstream_keepalive_seconds": 60,
        "pid": "/run/nginx.pid",
        "log_dir": "/var/log/nginx",
        "mime_types": "/etc/nginx/mime.types",
        "modules_include": "/etc/nginx/modules-enabled/*.conf",
        "status_port": 8089,
    }


def test_files_before_and_with_the_certificate():
    base, tls = config.nginx_files(config.nginx_context("studio.test", False, 65))
    assert sorted(base) == ["nginx.conf", "rsm/http.conf", "rsm/status.conf"]
    assert sorted(tls) == ["rsm/ffdhe2048.pem", "rsm/https.conf"]
    assert tls["rsm/ffdhe2048.pem"].startswith("-----BEGIN DH PARAMETERS-----")


def test_the_status_listener_is_on_the_loopback_only():
    base, _tls = config.nginx_files(config.nginx_context("studio.test", True, 65))
    listens = [
        line.strip() for line in base["rsm/status.conf"].splitlines() if line.strip().startswith("listen")
    ]
    assert listens == ["listen 127.0.0.1:8089;"]


def test_publishes():
    assert config.publishes("0.0.0.0:80->80/tcp, :::80->80/tcp", 80)
    assert config.publishes("0.0.0.0:443->8443/tcp", 443)
    assert not config.publishes("127.0.0.1:8000->8000/tcp", 80)
    assert not config.publishes("0.0.0.0:8080->80/tcp", 80)
    assert not config.publishes("80/tcp", 80)


def test_nginx_lets_through_just_what_the_app_reads():
    text = render("nginx/https.conf.j2", config.nginx_context("studio.test", False, 65))
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", text)[1])
    assert limits.MAX_CONTENT_LENGTH < megabytes * 1024 * 1024 <= 2 * limits.MAX_CONTENT_LENGTH
