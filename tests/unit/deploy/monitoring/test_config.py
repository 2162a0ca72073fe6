"""Prometheus's and the exporters' settings, by exact output (promtool checks them in tests/templates)."""

import re

import pytest

from deploy.common.render import render
from deploy.monitoring import config

pytestmark = pytest.mark.unit


def test_every_exporter_and_prometheus_listen_on_the_loopback_only():
    listens = [config.listen(s) for s in (config.PROMETHEUS, *config.EXPORTERS)]
    assert listens == [
        "127.0.0.1:9090",
        "127.0.0.1:9100",
        "127.0.0.1:9187",
        "127.0.0.1:9121",
        "127.0.0.1:9113",
    ]


def test_exporters_settings():
    settings = {
        s.unit: render(s.template, config.exporter_context(s)).splitlines()[-1] for s in config.EXPORTERS
    }
    assert settings == {
        "prometheus-node-exporter": 'ARGS="--web.listen-address=127.0.0.1:9100 '
        '--collector.textfile.directory=/var/lib/prometheus/node-exporter"',
        "prometheus-postgres-exporter": 'ARGS="--web.listen-address=127.0.0.1:9187"',
        "prometheus-redis-exporter": 'ARGS="--web.listen-address=127.0.0.1:9121"',
        "prometheus-nginx-exporter": 'ARGS="--nginx.scrape-uri=http://127.0.0.1:8089/stub_status '
        '--web.listen-address=127.0.0.1:9113"',
    }


def test_the_postgres_exporter_uses_peer_authentication_and_no_password():
    text = render(config.POSTGRES.template, config.exporter_context(config.POSTGRES))
    assert "DATA_SOURCE_NAME='user=prometheus host=/run/postgresql dbname=postgres sslmode=disable'" in text
    assert "password=" not in text.split("DATA_SOURCE_NAME", 1)[1]


def test_the_redis_password_is_filled_in_on_the_server():
    text = render(config.REDIS.template, config.exporter_context(config.REDIS))
    assert "REDIS_ADDR=redis://127.0.0.1:6379\nREDIS_PASSWORD=@@redis_password@@\n" in text


def test_prometheus_scrapes_itself_every_exporter_and_the_live_release():
    text = render("monitoring/prometheus.yml.j2", config.prometheus_context())
    assert text.split("scrape_configs:\n", 1)[1] == (
        "\n"
        "  - job_name: prometheus\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9090"]\n'
        "\n"
        "  - job_name: alertmanager\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9093"]\n'
        "\n"
        "  - job_name: node\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9100"]\n'
        "\n"
        "  - job_name: postgres\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9187"]\n'
        "\n"
        "  - job_name: redis\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9121"]\n'
        "\n"
        "  - job_name: nginx\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9113"]\n'
        "\n"
        "  # The app's live release (rsm-release names its loopback metrics port in this file).\n"
        "  - job_name: app\n"
        "    file_sd_configs:\n"
        '      - files: ["/etc/rsm/app-metrics-target.json"]\n'
    )
    assert render(config.PROMETHEUS.template, config.prometheus_context()).endswith(
        'ARGS="--web.listen-address=127.0.0.1:9090"\n'
    )


def test_prometheus_loads_the_rules_and_sends_to_the_local_alertmanager():
    text = render("monitoring/prometheus.yml.j2", config.prometheus_context())
    assert (
        'rule_files: ["/etc/prometheus/rsm-alerts.yml"]\n\n'
        "alerting:\n"
        "  alertmanagers:\n"
        "    - static_configs:\n"
        '        - targets: ["127.0.0.1:9093"]\n'
    ) in text


def fors(text: str) -> dict[str, str]:
    names = re.findall(r"- alert: (\w+)", text)
    return dict(zip(names, re.findall(r"for: (\S+)", text), strict=True))


def test_each_alert_waits_its_own_time_unless_the_host_data_says_one_for_all():
    assert fors(render("monitoring/alerts.yml.j2", config.alerts_context(None))) == config.ALERT_WAITS
    assert set(fors(render("monitoring/alerts.yml.j2", config.alerts_context("10s"))).values()) == {"10s"}


def test_alert_thresholds():
    text = render("monitoring/alerts.yml.j2", config.alerts_context(None))
    assert "rsm_certificate_expiry_timestamp_seconds - time() < 1209600\n" in text
    assert '(rate(rsm_http_request_duration_seconds_bucket{route!="/api/ai/chat"}[5m]))) > 1\n' in text
    assert "/ sum(rate(rsm_http_request_duration_seconds_count[5m])) > 0.01\n" in text
    assert 'max(rsm_backup_last_success_timestamp_seconds{kind=~"full|diff"})\n          > 93600,' in text
    assert 'max by (kind) (rsm_backup_last_success_timestamp_seconds{kind="dump"}) > 93600\n' in text


def test_alertmanager_posts_to_the_operator_s_webhook_with_resolutions():
    text = render("monitoring/alertmanager.yml.j2", config.alertmanager_context("https://hooks.example/T1"))
    assert text.split("receivers:\n", 1)[1] == (
        "  - name: webhook\n"
        "    webhook_configs:\n"
        '      - url: "https://hooks.example/T1"\n'
        "        send_resolved: true\n"
    )
    assert "  receiver: webhook\n" in text


def test_without_a_webhook_alerts_go_nowhere_but_alertmanager_s_page():
    text = render("monitoring/alertmanager.yml.j2", config.alertmanager_context(""))
    assert "  receiver: nowhere\n" in text and text.endswith("receivers:\n  - name: nowhere\n")
    flags = render(config.ALERTMANAGER.template, config.alertmanager_context(""))
    assert flags.endswith('ARGS="--web.listen-address=127.0.0.1:9093 --cluster.listen-address="\n')


def test_the_certificate_metric_reads_the_live_certificate():
    assert config.certificate_metric_command("studio.test") == (
        "/usr/local/sbin/rsm-certificate-expiry /etc/letsencrypt/live/studio.test/cert.pem "
        "/var/lib/prometheus/node-exporter/rsm_certificate.prom"
    )


# A monitoring-only host m1; the db host d1 and the web hosts w1, w2 on the private network.
APART = {"monitoring_host": "m1", "web": {"w1": "10.0.0.11", "w2": "10.0.0.12"}, "db": {"d1": "10.0.0.5"}}


def test_a_separate_monitoring_host_scrapes_each_host_s_exporters_at_its_private_address():
    text = render("monitoring/prometheus.yml.j2", config.prometheus_context(**APART))
    assert text.split("scrape_configs:\n", 1)[1] == (
        "\n"
        "  - job_name: prometheus\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9090"]\n'
        "\n"
        "  - job_name: alertmanager\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9093"]\n'
        "\n"
        "  - job_name: node\n"
        "    static_configs:\n"
        '      - targets: ["127.0.0.1:9100", "10.0.0.5:9100", "10.0.0.11:9100", "10.0.0.12:9100"]\n'
        "\n"
        "  - job_name: postgres\n"
        "    static_configs:\n"
        '      - targets: ["10.0.0.5:9187"]\n'
        "\n"
        "  - job_name: redis\n"
        "    static_configs:\n"
        '      - targets: ["10.0.0.5:9121"]\n'
        "\n"
        "  - job_name: nginx\n"
        "    static_configs:\n"
        '      - targets: ["10.0.0.11:9113", "10.0.0.12:9113"]\n'
        "\n"
        "  # The app on each web host: both release slots, the idle one not answering (TargetDown reads the pair).\n"
        "  - job_name: app\n"
        "    static_configs:\n"
        '      - targets: ["10.0.0.11:9201", "10.0.0.11:9202"]\n'
        '      - targets: ["10.0.0.12:9201", "10.0.0.12:9202"]\n'
    )


def test_a_monitoring_host_that_is_also_the_db_host_scrapes_its_own_on_the_loopback():
    context = config.prometheus_context("d1", {"w1": "10.0.0.11"}, {"d1": "10.0.0.5"})
    assert {job["name"]: job["targets"] for job in context["jobs"][2:]} == {
        "node": ["127.0.0.1:9100", "10.0.0.11:9100"],
        "postgres": ["127.0.0.1:9187"],
        "redis": ["127.0.0.1:9121"],
        "nginx": ["10.0.0.11:9113"],
    }
    assert (context["app_targets"], context["app_slots"]) == ("", [["10.0.0.11:9201", "10.0.0.11:9202"]])


def test_exporters_listen_on_the_loopback_of_the_monitoring_host_else_on_the_private_address():
    assert config.exporter_address("s1", ["s1"], "10.0.0.5") == "127.0.0.1"
    assert config.exporter_address("s1", [], "10.0.0.5") == "127.0.0.1"  # no monitoring host
    assert config.exporter_address("d1", ["m1"], "10.0.0.5") == "10.0.0.5"
    settings = render(config.NODE.template, config.exporter_context(config.NODE, "10.0.0.5")).splitlines()[-1]
    assert settings == (
        'ARGS="--web.listen-address=10.0.0.5:9100 --collector.textfile.directory=/var/lib/prometheus/node-exporter"'
    )


def test_each_host_runs_the_exporters_of_its_roles():
    assert config.packages_of({"web"}) == ["prometheus-node-exporter", "prometheus-nginx-exporter"]
    assert config.packages_of({"db"}) == [
        "prometheus-node-exporter",
        "prometheus-postgres-exporter",
        "prometheus-redis-exporter",
    ]
    assert config.packages_of({"monitoring"}) == [
        "prometheus",
        "prometheus-alertmanager",
        "prometheus-node-exporter",
    ]
    assert config.packages_of({"web", "db", "monitoring"}) == [s.unit for s in config.SCRAPED]


def test_four_hosts_every_web_and_db_host_is_scraped_and_redis_on_the_first_db_host_only():
    web = {"web-1": "10.0.0.11", "web-2": "10.0.0.12"}
    context = config.prometheus_context("db-1", web, {"db-1": "10.0.0.21", "db-2": "10.0.0.22"})
    assert {job["name"]: job["targets"] for job in context["jobs"]} == {
        "prometheus": ["127.0.0.1:9090"],
        "alertmanager": ["127.0.0.1:9093"],
        "node": ["127.0.0.1:9100", "10.0.0.22:9100", "10.0.0.11:9100", "10.0.0.12:9100"],
        "postgres": ["127.0.0.1:9187", "10.0.0.22:9187"],
        "redis": ["127.0.0.1:9121"],
        "nginx": ["10.0.0.11:9113", "10.0.0.12:9113"],
    }
    assert context["app_slots"] == [
        ["10.0.0.11:9201", "10.0.0.11:9202"],
        ["10.0.0.12:9201", "10.0.0.12:9202"],
    ]
    assert config.packages_of({"db"}, redis=False) == [
        "prometheus-node-exporter",
        "prometheus-postgres-exporter",
    ]
