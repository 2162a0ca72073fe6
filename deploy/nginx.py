"""Steps 6 and 8 (web): exactly one nginx, systemd's, serving the redirect, then HTTPS."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import deploy
from pyinfra.operations import apt, systemd

from deploy import hostdata, ops, plan, render, sizing


def _site():
    operator = hostdata.operator_values()
    timeout = sizing.app_sizing(1, 1024, float(hostdata.setting_value("ANTHROPIC_TIMEOUT_SECONDS", operator)),
                                1, 1).timeout
    ipv6 = host.data.get("nginx_ipv6")
    if ipv6 is None:
        ipv6 = host.get_fact(ops.HasIpv6)
    context = plan.nginx_context(host.data.domain, bool(ipv6), timeout + 5)
    base, tls = render.nginx_files(context)
    return base, tls, context["certificate"]


def _apply(name: str):
    base, tls, certificate = _site()
    ops.nginx_config(name=name, files=base, tls_files=tls, certificate=certificate)


@deploy("Serve the site with nginx")
def serve_site():
    ops.stop_containers_publishing(name="Stop leftover containers publishing ports 80 or 443", ports=[80, 443])
    ops.stop_stray_nginx(name="Stop nginx masters not managed by systemd")
    apt.packages(name="Install nginx", packages=["nginx"], no_recommends=True)
    _apply("Configure nginx (tested with nginx -t before it goes live)")
    systemd.service(name="Enable and start nginx", service="nginx.service", running=True, enabled=True)


@deploy("Enable HTTPS")
def enable_https():
    _apply("Serve HTTPS with the certificate (tested with nginx -t before it goes live)")
