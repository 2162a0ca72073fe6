"""Monitoring (monitoring): Debian's Prometheus and its exporters for the host, PostgreSQL, Redis and
nginx, plus the app's own metrics, all on the loopback of the web and db host."""

from __future__ import annotations

from io import StringIO

from pyinfra.api import deploy
from pyinfra.operations import apt, files, systemd
from pyinfra.operations.util import any_changed

from deploy.common.operations import rendered_file
from deploy.common.render import render
from deploy.monitoring import config
from deploy.monitoring.operations import monitor_role

GROUPS = ("monitoring",)
PACKAGES = tuple(s.unit for s in (config.PROMETHEUS, *config.EXPORTERS))


@deploy("Monitor the platform")
def monitor_platform():
    apt.packages(name="Install Prometheus and its exporters", packages=list(PACKAGES), no_recommends=True)
    monitor_role(
        name=f"Let the PostgreSQL exporter read statistics as role {config.EXPORTER_ROLE}",
        role=config.EXPORTER_ROLE,
    )
    for service in (config.NODE, config.POSTGRES, config.NGINX):
        settings = files.put(
            name=f"Configure {service.unit} (listens on {config.listen(service)})",
            src=StringIO(render(service.template, config.exporter_context(service))),
            dest=service.defaults,
            mode="644",
        )
        _restart(service, settings.did_change)
    template = files.put(
        name="Install the Redis exporter's settings template",
        src=StringIO(render(config.REDIS.template, config.exporter_context(config.REDIS))),
        dest=config.REDIS_EXPORTER_TEMPLATE,
        mode="600",
    )
    written = rendered_file(
        name="Write the Redis exporter's settings with the Redis password (root only)",
        template=config.REDIS_EXPORTER_TEMPLATE,
        dest=config.REDIS.defaults,
        mode="600",
    )
    _restart(config.REDIS, any_changed(template, written))
    context = config.prometheus_context()
    scrape = files.put(
        name="Configure Prometheus's scrape jobs",
        src=StringIO(render("monitoring/prometheus.yml.j2", context)),
        dest=config.PROMETHEUS_CONF,
        mode="644",
    )
    flags = files.put(
        name=f"Configure Prometheus (listens on {context['listen']})",
        src=StringIO(render(config.PROMETHEUS.template, context)),
        dest=config.PROMETHEUS.defaults,
        mode="644",
    )
    _restart(config.PROMETHEUS, any_changed(scrape, flags))
    for service in (config.PROMETHEUS, *config.EXPORTERS):
        systemd.service(
            name=f"Enable and start {service.unit}",
            service=f"{service.unit}.service",
            running=True,
            enabled=True,
        )


def _restart(service: config.Service, changed) -> None:
    systemd.service(
        name=f"Restart {service.unit} with its new settings",
        service=f"{service.unit}.service",
        restarted=True,
        _if=changed,
    )
