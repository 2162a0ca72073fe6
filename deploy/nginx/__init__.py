"""nginx (web): exactly one nginx, systemd's, serving the redirect, then HTTPS once the
certificate exists (two steps around the certbot step)."""

from __future__ import annotations

from pathlib import Path

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import apt

from deploy.app.env import setting_value
from deploy.app.sizing import worker_timeout
from deploy.common import hostdata
from deploy.common.operations import put, systemd_service
from deploy.nginx import config
from deploy.nginx.facts import HasIpv6
from deploy.nginx.operations import nginx_config, stop_containers_publishing, stop_stray_nginx

GROUPS = ("web",)
PACKAGES = ("nginx",)
FILES = Path(__file__).resolve().parent / "files"


def _apply(name: str):
    timeout = worker_timeout(float(setting_value("ANTHROPIC_TIMEOUT_SECONDS", hostdata.operator_values())))
    data = hostdata.of()
    ipv6 = data.nginx_ipv6 if data.nginx_ipv6 is not None else host.get_fact(HasIpv6)
    context = config.nginx_context(data.domain, bool(ipv6), timeout + config.READ_TIMEOUT_MARGIN)
    base, tls = config.nginx_files(context)
    nginx_config(name=name, files=base, tls_files=tls, certificate=context["certificate"])


@deploy("Serve the site with nginx")
def serve_site():
    stop_containers_publishing(name="Stop leftover containers publishing ports 80 or 443", ports=[80, 443])
    stop_stray_nginx(name="Stop nginx masters not managed by systemd")
    apt.packages(name="Install nginx", packages=list(PACKAGES), no_recommends=True)
    put(
        name=f"Install {Path(config.APPLY).name}",
        src=str(FILES / Path(config.APPLY).name),
        dest=config.APPLY,
        user="root",
        group="root",
        mode="755",
    )
    _apply("Configure nginx (tested with nginx -t before it goes live)")
    systemd_service(name="Enable and start nginx", service="nginx.service", running=True, enabled=True)


@deploy("Enable HTTPS")
def enable_https():
    _apply("Serve HTTPS with the certificate (tested with nginx -t before it goes live)")
