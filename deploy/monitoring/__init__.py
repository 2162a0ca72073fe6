"""Monitoring (web, db, monitoring): Debian's exporters on every web and db host (the host's own,
PostgreSQL's and Redis's on the db host, nginx's and the certificate's expiry on web hosts), on its
loopback when it is the monitoring host, else on its private address; Prometheus and Alertmanager on
the monitoring host, scraping them and the app's own metrics, with the alert rules."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from pyinfra import host, inventory
from pyinfra.api import deploy
from pyinfra.operations import apt
from pyinfra.operations.util import any_changed

from deploy.common import hostdata
from deploy.common.operations import directory, put, rendered_file, systemd_service, timer_units
from deploy.common.render import render
from deploy.monitoring import config
from deploy.monitoring.operations import monitor_role

GROUPS = ("web", "db", "monitoring")
PACKAGES = {group: tuple(config.packages_of({group})) for group in GROUPS}
FILES = Path(__file__).resolve().parent / "files"


def _restart(service: config.Service, changed) -> None:
    systemd_service(
        name=f"Restart {service.unit} with its new settings",
        service=f"{service.unit}.service",
        restarted=True,
        _if=changed,
    )


def _settings(service: config.Service, context: dict):
    return put(
        name=f"Configure {service.unit} (listens on {context['listen']})",
        src=StringIO(render(service.template, context)),
        dest=service.defaults,
        mode="644",
    )


def _exporters(groups: set[str], address: str) -> None:
    services = config.exporters_of(groups, redis=hostdata.topology().home)
    if config.POSTGRES in services:
        monitor_role(
            name=f"Let the PostgreSQL exporter read statistics as role {config.EXPORTER_ROLE}",
            role=config.EXPORTER_ROLE,
        )
    directory(name="Create the node exporter's textfile directory", path=config.TEXTFILE_DIR, mode="755")
    for service in (config.NODE, config.POSTGRES, config.NGINX):
        if service in services:
            settings = _settings(service, config.exporter_context(service, address))
            _restart(service, settings.did_change)
    if config.REDIS not in services:
        return
    template = put(
        name="Install the Redis exporter's settings template",
        src=StringIO(render(config.REDIS.template, config.exporter_context(config.REDIS, address))),
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
    script = put(
        name=f"Install {Path(config.CERTIFICATE_METRIC_SCRIPT).name}",
        src=str(FILES / Path(config.CERTIFICATE_METRIC_SCRIPT).name),
        dest=config.CERTIFICATE_METRIC_SCRIPT,
        mode="755",
    )
    context = {"command": config.certificate_metric_command(hostdata.of().domain)}
    units = timer_units(config.CERTIFICATE_UNIT, f"monitoring/{config.CERTIFICATE_UNIT}", context)
    systemd_service(
        name="Write the certificate's expiry for Prometheus now",
        service=f"{config.CERTIFICATE_UNIT}.service",
        restarted=True,
        _if=any_changed(script, *units),
    )
    systemd_service(
        name="Write the certificate's expiry hourly",
        service=f"{config.CERTIFICATE_UNIT}.timer",
        running=True,
        enabled=True,
    )


def _prometheus_and_alertmanager() -> None:
    data = hostdata.of()
    scraped = {
        group: {h.name: hostdata.of(h).private_address for h in inventory.get_group(group, default=[])}
        for group in ("web", "db")
    }
    context = config.prometheus_context(host.name, scraped["web"], scraped["db"])
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
    groups = set(host.groups)
    address = config.exporter_address(
        host.name,
        [h.name for h in inventory.get_group("monitoring", default=[])],
        hostdata.of().private_address,
    )
    packages = config.packages_of(groups, redis=hostdata.topology().home)
    apt.packages(
        name="Install "
        + ("Prometheus, Alertmanager and the exporters" if "monitoring" in groups else "the exporters"),
        packages=packages,
        no_recommends=True,
    )
    _exporters(groups, address)
    if "web" in groups:
        _certificate_metric()
    if "monitoring" in groups:
        _prometheus_and_alertmanager()
    for unit in packages:
        systemd_service(
            name=f"Enable and start {unit}", service=f"{unit}.service", running=True, enabled=True
        )
