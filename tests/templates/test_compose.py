"""Render the Compose template and run trixie's `docker compose config` on the result."""

from __future__ import annotations

import json

import pytest

from deploy.app import config as app_config
from deploy.common.render import render

pytestmark = pytest.mark.templates


def compose_file(tmp_path) -> str:
    env_file = tmp_path / "app.env"
    env_file.write_text("PLATFORM_DOMAIN='studio.test'\n")
    ctx = app_config.compose_context("rsm-app:0123456789ab", 5, 4, 60, "172.28.213.1", "fedcba987654")
    ctx["env_file"] = str(env_file)
    (tmp_path / "compose.yaml").write_text(render("app/compose.yaml.j2", ctx))
    return str(tmp_path / "compose.yaml")


def test_compose_file_is_valid_and_says_what_the_deploy_means(tools, tmp_path):
    path = compose_file(tmp_path)
    # rsm-release gives the release its loopback port in the environment
    result = tools.run(
        "env",
        "RSM_APP_PORT=8002",
        "RSM_METRICS_PORT=9202",
        "docker",
        "compose",
        "-f",
        path,
        "config",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    app = config["services"]["app"]
    assert config["name"] == "rsm-fedcba987654"
    assert app["container_name"] == "rsm-app-fedcba987654"
    assert app["image"] == "rsm-app:0123456789ab"
    assert app["command"] == [
        "gunicorn",
        "app.wsgi:app",
        "--bind=0.0.0.0:8000",
        "--worker-class=gthread",
        "--workers=5",
        "--threads=4",
        "--timeout=60",
        "--keep-alive=75",
        "--graceful-timeout=30",
        "--preload",
        "--config=python:app.gunicorn_conf",
        "--no-control-socket",
    ]
    assert app["environment"] == {
        "PLATFORM_DOMAIN": "studio.test",
        "PROMETHEUS_MULTIPROC_DIR": "/run/rsm-metrics",
    }
    assert app["tmpfs"] == ["/run/rsm-metrics:uid=10001,mode=0700,size=16m"]
    assert app["ports"] == [
        {"host_ip": "127.0.0.1", "mode": "ingress", "protocol": "tcp", "published": "8002", "target": 8000},
        {"host_ip": "127.0.0.1", "mode": "ingress", "protocol": "tcp", "published": "9202", "target": 9200},
    ]
    assert app["restart"] == "unless-stopped"
    assert app["labels"] == {"rsm.release": "fedcba987654", "rsm.port": "8002", "rsm.drain-seconds": "70"}
    assert "/readyz" in " ".join(app["healthcheck"]["test"])
    assert app["healthcheck"]["start_interval"] == "1s"
    assert app["logging"] == {"driver": "json-file", "options": {"max-size": "10m", "max-file": "5"}}
    assert app["extra_hosts"] in (
        ["rsm-db:172.28.213.1"],
        ["rsm-db=172.28.213.1"],
        {"rsm-db": "172.28.213.1"},
    )
    assert (
        config["networks"]["default"]["name"] == "rsm" and config["networks"]["default"]["external"] is True
    )


def test_the_mail_worker_runs_the_same_image_and_settings_beside_the_app(tools, tmp_path):
    result = tools.run(
        "env",
        "RSM_APP_PORT=8002",
        "RSM_METRICS_PORT=9202",
        "docker",
        "compose",
        "-f",
        compose_file(tmp_path),
        "config",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    worker, app = services["worker"], services["app"]
    assert worker["container_name"] == "rsm-worker-fedcba987654"
    assert worker["command"] == ["flask", "--app", "app", "mail", "worker"]
    assert (worker["image"], worker["environment"]) == (app["image"], {"PLATFORM_DOMAIN": "studio.test"})
    assert worker["extra_hosts"] == app["extra_hosts"]
    # rsm-release counts containers labelled rsm.release as releases; the worker is not one.
    assert worker["labels"] == {"rsm.worker": "fedcba987654"}
    assert "ports" not in worker
    assert (worker["restart"], worker["stop_grace_period"]) == ("unless-stopped", "40s")


def test_compose_refuses_to_run_a_release_without_its_port(tools, tmp_path):
    result = tools.run("docker", "compose", "-f", compose_file(tmp_path), "config")
    assert result.returncode != 0 and "run by rsm-release" in result.stderr


def test_healthcheck_needs_no_curl():
    ctx = app_config.compose_context("i", 1, 4, 60, "10.0.0.1", "r")
    text = render("app/compose.yaml.j2", ctx)
    assert "curl" not in text and 'python3", "-c"' in text


def test_with_the_monitoring_host_elsewhere_the_metrics_port_is_on_the_private_address(tools, tmp_path):
    ctx = app_config.compose_context("rsm-app:0", 5, 4, 60, "10.0.0.5", "fedcba987654", "10.0.0.11")
    ctx["env_file"] = str(tmp_path / "app.env")
    (tmp_path / "app.env").write_text("")
    (tmp_path / "compose.yaml").write_text(render("app/compose.yaml.j2", ctx))
    result = tools.run(
        "env",
        "RSM_APP_PORT=8001",
        "RSM_METRICS_PORT=9201",
        "docker",
        "compose",
        "-f",
        str(tmp_path / "compose.yaml"),
        "config",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["services"]["app"]["ports"] == [
        {"host_ip": "127.0.0.1", "mode": "ingress", "protocol": "tcp", "published": "8001", "target": 8000},
        {"host_ip": "10.0.0.11", "mode": "ingress", "protocol": "tcp", "published": "9201", "target": 9200},
    ]


def test_with_another_db_host_the_app_and_worker_see_the_private_ca_read_only(tools, tmp_path):
    ctx = app_config.compose_context(
        "rsm-app:0", 5, 4, 60, "10.0.0.21", "fedcba987654", "10.0.0.11", "/etc/rsm/ca.crt"
    )
    ctx["env_file"] = str(tmp_path / "app.env")
    (tmp_path / "app.env").write_text("")
    (tmp_path / "compose.yaml").write_text(render("app/compose.yaml.j2", ctx))
    result = tools.run(
        "env", "RSM_APP_PORT=8001", "RSM_METRICS_PORT=9201", "docker", "compose", "-f",
        str(tmp_path / "compose.yaml"), "config", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    for name in ("app", "worker"):
        assert services[name]["volumes"] == [
            {"type": "bind", "source": "/etc/rsm/ca.crt", "target": "/etc/rsm/ca.crt", "read_only": True,
             "bind": {"create_host_path": True}}
        ], services[name].get("volumes")  # fmt: skip
