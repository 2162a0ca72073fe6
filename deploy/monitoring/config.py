"""Monitoring on the monitoring host (pure): the exporters' and Prometheus's settings and scrape jobs.

Every exporter and Prometheus itself listen on the loopback only: the monitoring host is also the
web and db host (preflight says so), so nothing here is reachable from outside. Each Debian service
reads its flags from /etc/default/<service> (`ARGS`, and its own variables).
"""

from __future__ import annotations

from dataclasses import dataclass

from deploy.app.release import helper as release_helper
from deploy.common.paths import ETC
from deploy.common.secrets import placeholder
from deploy.nginx.config import STATUS_PORT

PROMETHEUS_CONF = "/etc/prometheus/prometheus.yml"
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


def listen(service: Service) -> str:
    return f"127.0.0.1:{service.port}"


def exporter_context(service: Service) -> dict:
    """For templates/monitoring/<unit>.default.j2; the Redis password is filled in on the server."""
    context = {"listen": listen(service)}
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


def prometheus_context() -> dict:
    """For templates/monitoring/prometheus.yml.j2 and prometheus.default.j2."""
    return {
        "listen": listen(PROMETHEUS),
        "scrape_interval": SCRAPE_INTERVAL,
        "jobs": [{"name": s.job, "target": listen(s)} for s in (PROMETHEUS, *EXPORTERS)],
        # rsm-release writes the live release's metrics address there; Prometheus re-reads it.
        "app_targets": str(release_helper.METRICS_TARGET),
    }
