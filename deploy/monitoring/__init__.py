"""Monitoring (monitoring): Debian's Prometheus, Alertmanager and the exporters for the host,
PostgreSQL, Redis and nginx, plus the app's own metrics, all on the loopback of the web and db host;
the alert rules, and the certificate's expiry as a metric."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from pyinfra.api import deploy
from pyinfra.operations import apt, files, systemd
from pyinfra.operations.util import any_changed

from deploy.common import hostdata
from deploy.common.operations import put, rendered_file
from deploy.common.render import render
from deploy.monitoring import config
from deploy.monitoring.operations import monitor_role

GROUPS = ("monitoring",)
PACKAGES = tuple(s.unit for s in config.SCRAPED)
FILES = Path(__file__).resolve().parent / "files"


def _restart(service: config.Service, changed) -> None:
    systemd.service(
        name=f"Restart {service.unit} with its new settings",
        service=f"{service.unit}.service",
        restarted=True,
        _if=changed,
    )


def _settings(service: config.Service, context: dict):
    return put(
        name=f"Configure {service.unit} (listens on {config.listen(service)})",
        src=StringIO(render(service.template, context)),
        dest=service.defaults,
        mode="644",
    )


def _exporters() -> None:
    monitor_role(
        name=f"Let the PostgreSQL exporter read statistics as role {config.EXPORTER_ROLE}",
        role=config.EXPORTER_ROLE,
    )
    for service in (config.NODE, config.POSTGRES, config.NGINX):
        settings = _settings(service, config.exporter_context(service))
        _restart(service, settings.did_change)
    template = put(
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


def _certificate_metric() -> None:
    files.directory(
        name="Create the node exporter's textfile directory", path=config.TEXTFILE_DIR, mode="755"
    )
    script = put(
        name=f"Install {Path(config.CERTIFICATE_METRIC_SCRIPT).name}",
        src=str(FILES / Path(config.CERTIFICATE_METRIC_SCRIPT).name),
        dest=config.CERTIFICATE_METRIC_SCRIPT,
        mode="755",
    )
    context = {"command": config.certificate_metric_command(hostdata.of().domain)}
    units = [
        put(
            name=f"Install {config.CERTIFICATE_UNIT}.{kind}",
            src=StringIO(render(f"monitoring/{config.CERTIFICATE_UNIT}.{kind}.j2", context)),
            dest=f"{config.UNITS_DIR}/{config.CERTIFICATE_UNIT}.{kind}",
            mode="644",
        )
        for kind in ("service", "timer")
    ]
    systemd.daemon_reload(name="Reload systemd units", _if=any_changed(*units))
    systemd.service(
        name="Write the certificate's expiry for Prometheus now",
        service=f"{config.CERTIFICATE_UNIT}.service",
        restarted=True,
        _if=any_changed(script, *units),
    )
    systemd.service(
        name="Write the certificate's expiry hourly",
        service=f"{config.CERTIFICATE_UNIT}.timer",
        running=True,
        enabled=True,
    )


def _prometheus_and_alertmanager() -> None:
    data = hostdata.of()
    context = config.prometheus_context()
    scrape = put(
        name="Configure Prometheus's scrape jobs and alerting",
        src=StringIO(render("monitoring/prometheus.yml.j2", context)),
        dest=config.PROMETHEUS_CONF,
        mode="644",
    )
    rules = put(
        name="Install the alert rules" + (f" (every alert after {data.alert_for})" if data.alert_for else ""),
        src=StringIO(render("monitoring/alerts.yml.j2", config.alerts_context(data.alert_for))),
        dest=config.ALERT_RULES,
        mode="644",
    )
    flags = _settings(config.PROMETHEUS, context)
    _restart(config.PROMETHEUS, any_changed(scrape, rules, flags))
    alerting = config.alertmanager_context(data.alert_webhook_url)
    routes = put(
        name="Configure where Alertmanager sends alerts"
        + ("" if data.alert_webhook_url else " (no alert_webhook_url: nowhere)"),
        src=StringIO(render("monitoring/alertmanager.yml.j2", alerting)),
        dest=config.ALERTMANAGER_CONF,
        mode="640",
        user="root",
        group="prometheus",
    )
    _restart(config.ALERTMANAGER, any_changed(routes, _settings(config.ALERTMANAGER, alerting)))


@deploy("Monitor the platform")
def monitor_platform():
    apt.packages(
        name="Install Prometheus, Alertmanager and the exporters", packages=list(PACKAGES), no_recommends=True
    )
    _exporters()
    _certificate_metric()
    _prometheus_and_alertmanager()
    for service in config.SCRAPED:
        systemd.service(
            name=f"Enable and start {service.unit}",
            service=f"{service.unit}.service",
            running=True,
            enabled=True,
        )
