"""The app's Compose and Dockerfile contexts and its release revision, by exact output."""

import pytest

from deploy.app import config

pytestmark = pytest.mark.unit


def test_compose_context():
    assert config.compose_context("rsm-app:abc", 5, 4, 60, "172.28.213.1", "r1") == {
        "project": "rsm", "service": "app", "image": "rsm-app:abc", "env_file": "/etc/rsm/app.env",
        "port": 8000, "workers": 5, "threads": 4, "timeout": 60, "network": "rsm",
        "db_hostname": "rsm-db", "db_address": "172.28.213.1", "revision": "r1",
        "log_max_size": "10m", "log_max_file": 5,
    }


def test_dockerfile_context():
    assert config.dockerfile_context() == {"base_image": "debian:trixie-slim", "port": 8000}


def test_revision_changes_with_image_env_or_compose():
    base = config.revision("rsm-app:1", "A='1'\n", "compose")
    assert len(base) == 16
    assert config.revision("rsm-app:2", "A='1'\n", "compose") != base
    assert config.revision("rsm-app:1", "A='2'\n", "compose") != base
    assert config.revision("rsm-app:1", "A='1'\n", "compose2") != base
    assert config.revision("rsm-app:1", "A='1'\n", "compose") == base
