"""Monitoring (pure): the exporters' and Prometheus's settings and scrape jobs.

Every web and db host runs the exporters of its roles (the host's own on each, PostgreSQL's and
Redis's on the db host, nginx's on web hosts); the monitoring host runs Prometheus and Alertmanager,
on its loopback, and scrapes them. A host's exporters (and the app's metrics port) listen on its
loopback when it is the monitoring host itself, else on its private address, where the monitoring
host reaches them: never on a public one. Each Debian service reads its flags from
/etc/default/<service> (`ARGS`, and its own variables).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from deploy.app.release import helper as release_helper
from deploy.common.paths import ETC
from deploy.common.secrets import placeholder
from deploy.nginx.config import STATUS_PORT

PROMETHEUS_CONF = "/etc/prometheus/prometheus.yml"
ALERT_RULES = "/etc/prometheus/rsm-alerts.yml"
ALERTMANAGER_CONF = "/etc/prometheus/alertmanager.yml"
# Each alert's `for:`: long enough that a restart or a deploy does not page anyone.
ALERT_WAITS = {
    "HostDown": "2m",
    "TargetDown": "5m",
    "DiskAlmostFull": "10m",
    "PostgresDown": "1m",
    "RedisDown": "1m",
    "AppErrors": "5m",
    "AppSlow": "10m",
    "CertificateExpiresSoon": "1h",
    "CertificateUnknown": "2h",
    "AssistantErrors": "10m",
    "BackupTooOld": "1h",
}
SLOW_SECONDS = 1  # p95 of the pages (the assistant's answers excluded: the model takes seconds)
CERTIFICATE_DAYS = 14  # certbot renews at 30 days left: under 14, renewal has been failing
# The daily differential or weekly full backup, and the nightly dump: a day, plus the timers'
# randomized delay and the run itself.
BACKUP_HOURS = 26
CERTIFICATE_METRIC_SCRIPT = "/usr/local/sbin/rsm-certificate-expiry"  # deploy/monitoring/files/
CERTIFICATE_UNIT = "rsm-certificate-expiry"  # its .service and hourly .timer
PROMETHEUS_PORT = 9090
SCRAPE_INTERVAL = "15s"
# The PostgreSQL exporter logs in as this role over the socket with peer authentication: the
# service runs as the OS user `prometheus`, so the role needs no password.
EXPORTER_ROLE = "prometheus"
# The Redis exporter's settings hold the Redis password: written on the server, root-only.
REDIS_EXPORTER_TEMPLATE = f"{ETC}/prometheus-redis-exporter.tmpl"
TEXTFILE_DIR = "/var/lib/prometheus/node-exporter"  # Debian's: *.prom files the node exporter reads


@dataclass(frozen=True)
class Service:
    unit: str  # Debian's package and systemd unit
    job: str  # Prometheus's job name for it
    port: int  # on 127.0.0.1

    @property
    def defaults(self) -> str:
        return f"/etc/default/{self.unit}"

    @property
    def template(self) -> str:
        return f"monitoring/{self.unit}.default.j2"


NODE = Service("prometheus-node-exporter", "node", 9100)
POSTGRES = Service("prometheus-postgres-exporter", "postgres", 9187)
REDIS = Service("prometheus-redis-exporter", "redis", 9121)
NGINX = Service("prometheus-nginx-exporter", "nginx", 9113)
EXPORTERS = (NODE, POSTGRES, REDIS, NGINX)
PROMETHEUS = Service("prometheus", "prometheus", PROMETHEUS_PORT)
ALERTMANAGER = Service("prometheus-alertmanager", "alertmanager", 9093)
SCRAPED = (PROMETHEUS, ALERTMANAGER, *EXPORTERS)  # with the app's live release, from its target file


LOOPBACK = "127.0.0.1"
APP_JOB = "app"
# The app's metrics ports of both release slots (rsm-release's METRICS_SLOTS): with the monitoring
# host elsewhere, it scrapes both; the idle one does not answer.
APP_METRICS_PORTS = release_helper.METRICS_SLOTS


def listen(service: Service, address: str = LOOPBACK) -> str:
    return f"{address}:{service.port}"


def exporters_of(groups: Collection[str], redis: bool = True) -> tuple[Service, ...]:
    """The exporters a host in these groups runs: its own everywhere, and its roles'; Redis's on
    the db host that runs Redis (`redis`: the first db host) only."""
    db = "db" in groups
    return (
        (NODE,)
        + ((POSTGRES,) if db else ())
        + ((REDIS,) if db and redis else ())
        + ((NGINX,) if "web" in groups else ())
    )


def packages_of(groups: Collection[str], redis: bool = True) -> list[str]:
    """Debian packages of the exporters and, on the monitoring host, Prometheus and Alertmanager."""
    services = exporters_of(groups, redis) + ((PROMETHEUS, ALERTMANAGER) if "monitoring" in groups else ())
    return [s.unit for s in SCRAPED if s in services]


def exporter_address(host_name: str, monitoring: Collection[str], private_address: str) -> str:
    """Where a host's exporters listen: the loopback on the monitoring host itself (or with none),
    else the host's private address, where the monitoring host reaches it."""
    return LOOPBACK if not monitoring or host_name in monitoring else private_address


def exporter_context(service: Service, address: str = LOOPBACK) -> dict:
    """For templates/monitoring/<unit>.default.j2; the Redis password is filled in on the server."""
    context = {"listen": listen(service, address)}
    if service is NODE:
        context["textfile_dir"] = TEXTFILE_DIR
    elif service is POSTGRES:
        context["data_source"] = f"user={EXPORTER_ROLE} host=/run/postgresql dbname=postgres sslmode=disable"
    elif service is REDIS:
        context["redis_address"] = "redis://127.0.0.1:6379"
        context["redis_password"] = placeholder("redis_password")
    elif service is NGINX:
        context["scrape_uri"] = f"http://127.0.0.1:{STATUS_PORT}/stub_status"
    return context


def prometheus_context(
    monitoring_host: str = "", web: Mapping[str, str] | None = None, db: Mapping[str, str] | None = None
) -> dict:
    """For templates/monitoring/prometheus.yml.j2 and prometheus.default.j2.

    `web`/`db`: inventory name → private address of each group's hosts; none given: one server that
    is web, db and monitoring. Its own exporters and app the monitoring host scrapes on its loopback
    (the app's live release from rsm-release's target file); another host's on its private address
    (the app's both release slots).
    """
    web = {monitoring_host: ""} if web is None else web
    db = {monitoring_host: ""} if db is None else db
    roles: dict[str, set[str]] = {monitoring_host: {"monitoring"}}
    for group, members in (("db", db), ("web", web)):
        for name in members:
            roles.setdefault(name, set()).add(group)
    addresses = {**web, **db}
    home = next(iter(db))

    def address(name: str) -> str:
        return exporter_address(name, [monitoring_host], addresses.get(name, ""))

    jobs = [{"name": s.job, "targets": [listen(s)]} for s in (PROMETHEUS, ALERTMANAGER)]
    for service in EXPORTERS:
        targets = [
            listen(service, address(n))
            for n, groups in roles.items()
            if service in exporters_of(groups, redis=n == home)
        ]
        jobs.append({"name": service.job, "targets": targets})
    return {
        "listen": listen(PROMETHEUS),
        "scrape_interval": SCRAPE_INTERVAL,
        "jobs": jobs,
        # rsm-release writes the live release's metrics address there; Prometheus re-reads it.
        "app_targets": str(release_helper.METRICS_TARGET) if monitoring_host in web else "",
        "app_slots": [
            [f"{address(name)}:{port}" for port in APP_METRICS_PORTS]
            for name in web
            if name != monitoring_host
        ],
        "app_job": APP_JOB,
        "rules": ALERT_RULES,
        "alertmanager": listen(ALERTMANAGER),
    }


def alerts_context(alert_for: str | None) -> dict:
    """For templates/monitoring/alerts.yml.j2: each alert's wait (`alert_for` for all, when given)."""
    return {
        "waits": {name: alert_for or wait for name, wait in ALERT_WAITS.items()},
        "slow_seconds": SLOW_SECONDS,
        "certificate_seconds": CERTIFICATE_DAYS * 86400,
        "backup_seconds": BACKUP_HOURS * 3600,
        "backup_hours": BACKUP_HOURS,
        "node_job": NODE.job,
        "app_job": APP_JOB,
    }


def alertmanager_context(webhook_url: str) -> dict:
    """For templates/monitoring/alertmanager.yml.j2 and prometheus-alertmanager.default.j2."""
    return {"listen": listen(ALERTMANAGER), "webhook_url": webhook_url}


def certificate_metric_command(domain: str) -> str:
    """What the timer runs: the live certificate's notAfter into the node exporter's textfile directory."""
    return f"{CERTIFICATE_METRIC_SCRIPT} /etc/letsencrypt/live/{domain}/cert.pem {TEXTFILE_DIR}/rsm_certificate.prom"
