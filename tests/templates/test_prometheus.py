"""Render Prometheus's configuration and check it with trixie's promtool, the file_sd target included."""

from __future__ import annotations

import pytest

from deploy.app.release import helper as release_helper
from deploy.common.render import render
from deploy.monitoring import config

pytestmark = pytest.mark.templates


# One server (web, db and monitoring); a monitoring host that is also the db host; one apart.
TOPOLOGIES = {
    "one server": (),
    "monitoring on the db host": ("d1", {"w1": "10.0.0.11"}, {"d1": "10.0.0.5"}),
    "monitoring apart": ("m1", {"w1": "10.0.0.11", "w2": "10.0.0.12"}, {"d1": "10.0.0.5"}),
}


@pytest.mark.parametrize("topology", TOPOLOGIES.values(), ids=TOPOLOGIES.keys())
def test_prometheus_config_its_rules_and_the_app_target_file_pass_promtool(tools, tmp_path, topology):
    target = tmp_path / "app-metrics-target.json"
    target.write_text(release_helper.metrics_target("0123456789ab", 8001))
    rules = tmp_path / "rsm-alerts.yml"
    rules.write_text(render("monitoring/alerts.yml.j2", config.alerts_context(None)))
    context = config.prometheus_context(*topology)
    context = {**context, "app_targets": str(target) if context["app_targets"] else "", "rules": str(rules)}
    (tmp_path / "prometheus.yml").write_text(render("monitoring/prometheus.yml.j2", context))
    result = tools.run("promtool", "check", "config", str(tmp_path / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_promtool_refuses_a_broken_config(tools, tmp_path):
    """The check can fail: a scrape job without a name is refused."""
    text = render("monitoring/prometheus.yml.j2", config.prometheus_context()).replace(
        "job_name: node", "job_name:"
    )
    (tmp_path / "prometheus.yml").write_text(text)
    assert tools.run("promtool", "check", "config", str(tmp_path / "prometheus.yml")).returncode != 0


@pytest.mark.parametrize("alert_for", [None, "10s"])
def test_alert_rules_pass_promtool(tools, tmp_path, alert_for):
    (tmp_path / "alerts.yml").write_text(render("monitoring/alerts.yml.j2", config.alerts_context(alert_for)))
    result = tools.run("promtool", "check", "rules", str(tmp_path / "alerts.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(config.ALERT_WAITS)} rules found" in result.stdout


@pytest.mark.parametrize("webhook_url", ["", "https://hooks.example/T1"])
def test_alertmanager_config_passes_amtool(tools, tmp_path, webhook_url):
    path = tmp_path / "alertmanager.yml"
    path.write_text(render("monitoring/alertmanager.yml.j2", config.alertmanager_context(webhook_url)))
    result = tools.run("amtool", "check-config", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


BACKUP_TESTS = """
rule_files: [alerts.yml]
evaluation_interval: 1m
tests:
  # The full backup at 0, a differential at 20h, the dump at 0: at 28h only the dump is too old.
  - interval: 1m
    input_series:
      - series: 'rsm_backup_last_success_timestamp_seconds{kind="full"}'
        values: '0x1800'
      - series: 'rsm_backup_last_success_timestamp_seconds{kind="diff"}'
        values: '_x1199 72000x600'
      - series: 'rsm_backup_last_success_timestamp_seconds{kind="dump"}'
        values: '0x1800'
    alert_rule_test:
      - eval_time: 19h
        alertname: BackupTooOld
        exp_alerts: []
      - eval_time: 28h
        alertname: BackupTooOld
        exp_alerts:
          - exp_labels: {severity: critical, kind: dump}
            exp_annotations: {summary: "no dump backup succeeded in the last 26h (or ever)"}
  # Nothing ever recorded: both kinds, once the wait is over.
  - interval: 1m
    input_series:
      - series: 'up{job="node"}'
        values: '1x180'
    alert_rule_test:
      - eval_time: 30m
        alertname: BackupTooOld
        exp_alerts: []
      - eval_time: 2h
        alertname: BackupTooOld
        exp_alerts:
          - exp_labels: {severity: critical, kind: cluster}
            exp_annotations: {summary: "no cluster backup succeeded in the last 26h (or ever)"}
          - exp_labels: {severity: critical, kind: dump}
            exp_annotations: {summary: "no dump backup succeeded in the last 26h (or ever)"}
"""


def test_backup_too_old_fires_per_kind_after_a_day_and_when_never_recorded(tools, tmp_path):
    (tmp_path / "alerts.yml").write_text(render("monitoring/alerts.yml.j2", config.alerts_context(None)))
    (tmp_path / "backup_test.yml").write_text(BACKUP_TESTS)
    result = tools.run("promtool", "test", "rules", str(tmp_path / "backup_test.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


TARGET_DOWN_TESTS = """
rule_files: [alerts.yml]
evaluation_interval: 1m
tests:
  # A web host's idle release slot never answers; both silent is the app down on that host.
  - interval: 1m
    input_series:
      - series: 'up{job="app", instance="10.0.0.11:9201"}'
        values: '1x20'
      - series: 'up{job="app", instance="10.0.0.11:9202"}'
        values: '0x20'
      - series: 'up{job="app", instance="10.0.0.12:9201"}'
        values: '0x20'
      - series: 'up{job="app", instance="10.0.0.12:9202"}'
        values: '0x20'
      - series: 'up{job="redis", instance="10.0.0.5:9121"}'
        values: '0x20'
    alert_rule_test:
      - eval_time: 10m
        alertname: TargetDown
        exp_alerts:
          - exp_labels: {severity: warning, job: redis, instance: "10.0.0.5:9121"}
            exp_annotations: {summary: "redis on 10.0.0.5:9121 does not answer Prometheus"}
          - exp_labels: {severity: warning, job: app, address: "10.0.0.12"}
            exp_annotations: {summary: "app on 10.0.0.12 does not answer Prometheus"}
"""


def test_target_down_takes_a_web_host_s_two_release_slots_together(tools, tmp_path):
    (tmp_path / "alerts.yml").write_text(render("monitoring/alerts.yml.j2", config.alerts_context(None)))
    (tmp_path / "target_test.yml").write_text(TARGET_DOWN_TESTS)
    result = tools.run("promtool", "test", "rules", str(tmp_path / "target_test.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
