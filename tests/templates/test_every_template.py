"""Every template under templates/ renders from the context its concern's builder makes.

StrictUndefined turns a variable the builder forgot into an error here, before any server sees
the file. A new template without a sample below fails the first test: add its builder's context.
"""

from __future__ import annotations

import pytest

from app.settings import SETTINGS
from deploy.app import config as app_config
from deploy.app import env
from deploy.backup import config as backup_config
from deploy.backup_host import config as backup_host_config
from deploy.certbot import config as certbot_config
from deploy.common.controller import TEMPLATES
from deploy.common.render import render
from deploy.docker import config as docker_config
from deploy.firewall import config as firewall_config
from deploy.monitoring import config as monitoring_config
from deploy.nginx import config as nginx_config
from deploy.patching import config as patching_config
from deploy.pgbouncer import config as pgbouncer_config
from deploy.pgbouncer.sizing import pooler_sizing
from deploy.postgres import config as postgres_config
from deploy.postgres.sizing import postgres_sizing
from deploy.redis import config as redis_config

pytestmark = pytest.mark.templates

SAMPLES = {
    "app/Dockerfile.j2": app_config.dockerfile_context(),
    "app/app.env.j2": env.env_template_context(
        env.env_values(SETTINGS, "studio.test", {"ANTHROPIC_API_KEY": "k"})
    ),
    "app/compose.yaml.j2": app_config.compose_context(
        "rsm-app:0123456789ab", 5, 8, 60, "172.28.213.1", "fedcba987654"
    ),
    "app/periodic.service.j2": app_config.periodic_context(),
    "app/periodic.timer.j2": app_config.periodic_context(),
    "backup/archive.conf.j2": backup_config.archive_context(),
    "backup/backup.conf.j2": backup_config.settings_context(
        "17", 14, "10.0.0.9", "pgbackrest", "/srv/dumps", "main", home=True
    ),
    "backup/backup.service.j2": backup_config.service_context(backup_config.timers("a", "b", "c")[0]),
    "backup/backup.timer.j2": backup_config.timer_context(backup_config.timers("a", "b", "c")[0]),
    "backup/pgbackrest.conf.j2": backup_config.pgbackrest_context(
        "10.0.0.9", "pgbackrest", "/srv/repo", "pass", 2, 6, 4, "17"
    ),
    "backup_host/limits.conf.j2": backup_host_config.limits_context(),
    "backup_host/prune-dumps.service.j2": backup_host_config.prune_context(14, ["s1"]),
    "backup_host/sshd.conf.j2": backup_host_config.sshd_context(),
    "certbot/certbot-service.conf.j2": certbot_config.service_dropin_context("/etc/rsm/acme-ca.pem"),
    "certbot/dns-credentials.ini.j2": certbot_config.credentials_context({"dns_cloudflare_api_token": "t"}),
    "certbot/reload-nginx.j2": {},
    docker_config.AFTER_DOCKER_DROPIN: {},
    "firewall/nftables.conf.j2": firewall_config.ruleset_context(
        "s1", {"web": {"s1": ""}, "db": {"s1": ""}}, 22, "172.28.213.0/24"
    ),
    "firewall/service.conf.j2": firewall_config.dropin_context(),
    **{s.template: monitoring_config.exporter_context(s) for s in monitoring_config.EXPORTERS},
    "monitoring/prometheus.default.j2": monitoring_config.prometheus_context(),
    "monitoring/prometheus-alertmanager.default.j2": monitoring_config.alertmanager_context(""),
    "monitoring/alertmanager.yml.j2": monitoring_config.alertmanager_context("https://hooks.example/T1"),
    "monitoring/alerts.yml.j2": monitoring_config.alerts_context(None),
    "monitoring/rsm-certificate-expiry.service.j2": {"command": "/bin/true"},
    "monitoring/rsm-certificate-expiry.timer.j2": {},
    "monitoring/prometheus.yml.j2": monitoring_config.prometheus_context(),
    "nginx/http.conf.j2": nginx_config.nginx_context("studio.test", True, 65),
    "nginx/https.conf.j2": nginx_config.nginx_context("studio.test", True, 65),
    "nginx/nginx.conf.j2": nginx_config.nginx_context("studio.test", True, 65),
    "nginx/status.conf.j2": nginx_config.nginx_context("studio.test", True, 65),
    "patching/auto-upgrades.conf.j2": {},
    "patching/unattended-upgrades.conf.j2": patching_config.unattended_context(),
    "pgbouncer/pg_hba.conf.j2": pgbouncer_config.hba_context(("172.28.213.0/24",)),
    "pgbouncer/pgbouncer.ini.j2": pgbouncer_config.ini_context(pooler_sizing(5, 136, 2), ("127.0.0.1",), 10),
    "pgbouncer/service.conf.j2": pgbouncer_config.service_context(pooler_sizing(5, 136, 2)),
    "postgres/app-role.sql.j2": postgres_config.role_sql_context(),
    "postgres/pg_hba.conf.j2": postgres_config.hba_context(("172.28.213.0/24",)),
    "postgres/pgpass.j2": postgres_config.pgpass_context(),
    "postgres/rsm.conf.j2": postgres_config.conf_context(
        postgres_sizing(4096, 2, 5, 3, 10, True), ("127.0.0.1",)
    ),
    "redis/rsm.conf.j2": redis_config.conf_context(("127.0.0.1",), 400),
}


def test_every_template_has_a_sample():
    assert sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.j2")) == sorted(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_template_renders_from_its_builders_context(name):
    text = render(name, SAMPLES[name])
    # Prometheus's own alert templates (`{{ $labels.job }}`) are meant to pass through.
    unrendered = text.replace("{{ $", "")
    assert text.endswith("\n") and "{{" not in unrendered and "{%" not in unrendered
