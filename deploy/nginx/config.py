"""nginx on a web host (pure): the site's context and the files rendered from it."""

from __future__ import annotations

from deploy.app.release import helper as release_helper
from deploy.certbot.config import certificate_paths
from deploy.common.controller import TEMPLATES
from deploy.common.render import render

APPLY = "/usr/local/sbin/rsm-nginx-apply"  # deploy/nginx/files/rsm-nginx-apply
LIVE = "/etc/nginx"
# Above the app's worker timeout, so gunicorn answers (or times out) before nginx gives up.
READ_TIMEOUT_MARGIN = 5
STATUS_PORT = 8089  # stub_status, loopback only: read by the nginx exporter (deploy/monitoring)


# Connections to the app each nginx worker keeps open between requests, and for how long: no TCP
# handshake per request, and no loopback port left in TIME_WAIT by each (at about 1,000 requests a
# second those ran out within the minute TIME_WAIT lasts, and every request got a 502 for seconds).
UPSTREAM_KEEPALIVE = 32
UPSTREAM_KEEPALIVE_SECONDS = 60


def nginx_context(domain: str, ipv6: bool, read_timeout: int) -> dict:
    certificate, certificate_key = certificate_paths(domain)
    return {
        "domain": domain,
        "ipv6": ipv6,
        "upstream_file": str(release_helper.UPSTREAM),  # the live release's address, written by rsm-release
        "certificate": certificate,
        "certificate_key": certificate_key,
        "dhparam": "rsm/ffdhe2048.pem",
        "read_timeout": read_timeout,
        "upstream_keepalive": UPSTREAM_KEEPALIVE,
        "upstream_keepalive_seconds": UPSTREAM_KEEPALIVE_SECONDS,
        "pid": "/run/nginx.pid",
        "log_dir": "/var/log/nginx",
        "mime_types": "/etc/nginx/mime.types",
        "modules_include": "/etc/nginx/modules-enabled/*.conf",
        "status_port": STATUS_PORT,
    }


def nginx_files(context: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(always-served files, files served once the certificate exists), by path under /etc/nginx."""
    base = {
        "nginx.conf": render("nginx/nginx.conf.j2", context),
        "rsm/http.conf": render("nginx/http.conf.j2", context),
        "rsm/status.conf": render("nginx/status.conf.j2", context),
    }
    tls = {
        "rsm/https.conf": render("nginx/https.conf.j2", context),
        "rsm/ffdhe2048.pem": (TEMPLATES / "nginx" / "ffdhe2048.pem").read_text(),
    }
    return base, tls


def publishes(ports_text: str, port: int) -> bool:
    """Whether `docker ps`'s ports column publishes this host port."""
    return any(
        chunk.strip().split("->")[0].endswith(f":{port}") for chunk in ports_text.split(",") if "->" in chunk
    )
