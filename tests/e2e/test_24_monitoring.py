"""Monitoring on the converged server: each exporter runs on the loopback, Prometheus scrapes them all."""

from __future__ import annotations

import json
import shlex
import time

import pytest

from deploy.monitoring import config

TARGETS_UP_SECONDS = 90  # a few scrape intervals (15 s) after the converge's restarts


@pytest.mark.parametrize("unit", [s.unit for s in config.SCRAPED] + [f"{config.CERTIFICATE_UNIT}.timer"])
def test_each_monitoring_service_runs(host, unit):
    service = host.service(unit)
    assert service.is_running and service.is_enabled


@pytest.mark.parametrize("service", config.SCRAPED, ids=lambda s: s.job)
def test_each_listens_on_the_loopback_only(host, service):
    assert host.socket(f"tcp://127.0.0.1:{service.port}").is_listening
    assert not host.socket(f"tcp://0.0.0.0:{service.port}").is_listening


def test_the_redis_exporter_settings_with_the_password_are_root_only(host):
    settings = host.file(config.REDIS.defaults)
    assert (settings.user, settings.group, settings.mode) == ("root", "root", 0o600)


def test_prometheus_scrapes_every_target_and_each_is_up(srv):
    deadline = time.monotonic() + TARGETS_UP_SECONDS
    while True:
        url = f"http://{config.listen(config.PROMETHEUS)}/api/v1/targets?state=active"
        script = f"import urllib.request; print(urllib.request.urlopen({url!r}, timeout=5).read().decode())"
        targets = json.loads(srv.check(f"python3 -c {shlex.quote(script)}"))["data"]["activeTargets"]
        health = {t["labels"]["job"]: t["health"] for t in targets}
        if set(health.values()) == {"up"} or time.monotonic() > deadline:
            break
        time.sleep(5)
    assert health == {s.job: "up" for s in config.SCRAPED} | {"app": "up"}


def test_the_certificate_expiry_metric_is_the_live_certificate_s(srv, domain):
    cert = f"/etc/letsencrypt/live/{domain}/cert.pem"
    not_after = srv.check(f'date -d "$(openssl x509 -enddate -noout -in {cert} | cut -d= -f2)" +%s').strip()
    metric = srv.check(f"cat {config.TEXTFILE_DIR}/rsm_certificate.prom").splitlines()[-1]
    assert metric == f"rsm_certificate_expiry_timestamp_seconds {not_after}"
