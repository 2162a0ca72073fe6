"""The app's Compose and Dockerfile contexts, by exact output."""

import pytest

from deploy.app import config
from deploy.nginx import config as nginx_config

pytestmark = pytest.mark.unit


def test_compose_context_of_a_release():
    assert config.compose_context("rsm-app:abc", 5, 4, 60, "172.28.213.1", "0123456789ab") == {
        "ca_file": "",
        "ca_fingerprint": "",
        "container_ca_file": "/etc/rsm/ca.crt",
        "project": "rsm-0123456789ab",
        "service": "app",
        "container": "rsm-app-0123456789ab",
        "worker_service": "worker",
        "worker_container": "rsm-worker-0123456789ab",
        "worker_stop_seconds": 40,
        "image": "rsm-app:abc",
        "env_file": "/etc/rsm/releases/0123456789ab/app.env",
        "port": 8000,
        "host_port": "${RSM_APP_PORT:?run by rsm-release}",
        "metrics_port": 9200,
        "metrics_host_port": "${RSM_METRICS_PORT:?run by rsm-release}",
        "metrics_address": "127.0.0.1",
        "metrics_dir": "/run/rsm-metrics",
        "uid": 10001,
        "workers": 5,
        "threads": 4,
        "timeout": 60,
        "keepalive": 75,
        "drain_seconds": 70,
        "network": "rsm",
        "db_hostname": "rsm-db",
        "db_address": "172.28.213.1",
        "release": "0123456789ab",
        "log_max_size": "10m",
        "log_max_file": 5,
    }


def test_gunicorn_keeps_idle_connections_longer_than_nginx_reuses_them():
    assert config.KEEPALIVE_SECONDS > nginx_config.UPSTREAM_KEEPALIVE_SECONDS


def test_compose_context_to_name_a_release_by_has_no_name_in_it():
    context = config.compose_context("rsm-app:abc", 5, 4, 60, "172.28.213.1")
    assert (context["release"], context["env_file"], context["project"]) == ("", "", "rsm-")


def test_dockerfile_context():
    assert config.dockerfile_context() == {"base_image": "debian:trixie-slim", "port": 8000, "uid": 10001}


def test_the_periodic_jobs_run_in_the_live_releases_container_every_five_minutes():
    assert config.periodic_context() == {
        "description": "Recording Studio Manager periodic jobs (flask periodic run)",
        # $$ is systemd's literal $: the shell asks rsm-release for the live container at each run.
        "command": '/bin/sh -c \'exec docker exec "$$(/usr/local/sbin/rsm-release container)" '
        "flask --app app periodic run'",
        "timeout_seconds": 900,
        "schedule": "*:0/5",
    }
