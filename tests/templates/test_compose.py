"""Render the Compose template and run trixie's `docker compose config` on the result."""

from __future__ import annotations

import json

import pytest

from deploy.app import config as app_config
from deploy.common.render import render

pytestmark = pytest.mark.templates


def test_compose_file_is_valid_and_says_what_the_deploy_means(tools, tmp_path):
    env_file = tmp_path / "app.env"
    env_file.write_text("PLATFORM_DOMAIN='studio.test'\n")
    ctx = app_config.compose_context("rsm-app:0123456789ab", 5, 4, 60, "172.28.213.1", "rev1")
    ctx["env_file"] = str(env_file)
    (tmp_path / "compose.yaml").write_text(render("app/compose.yaml.j2", ctx))

    result = tools.run("docker", "compose", "-f", str(tmp_path / "compose.yaml"), "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    app = config["services"]["app"]
    assert config["name"] == "rsm"
    assert app["image"] == "rsm-app:0123456789ab"
    assert app["command"] == [
        "gunicorn", "app.wsgi:app", "--bind=0.0.0.0:8000", "--worker-class=gthread", "--workers=5",
        "--threads=4", "--timeout=60", "--graceful-timeout=30", "--access-logfile=-",
    ]
    assert app["environment"] == {"PLATFORM_DOMAIN": "studio.test"}
    assert app["ports"] == [{"host_ip": "127.0.0.1", "mode": "ingress", "protocol": "tcp",
                             "published": "8000", "target": 8000}]
    assert app["restart"] == "unless-stopped"
    assert app["labels"] == {"rsm.revision": "rev1"}
    assert "/readyz" in " ".join(app["healthcheck"]["test"])
    assert app["logging"] == {"driver": "json-file", "options": {"max-size": "10m", "max-file": "5"}}
    assert app["extra_hosts"] in (["rsm-db:172.28.213.1"], ["rsm-db=172.28.213.1"], {"rsm-db": "172.28.213.1"})
    assert config["networks"]["default"]["name"] == "rsm" and config["networks"]["default"]["external"] is True


def test_healthcheck_needs_no_curl():
    ctx = app_config.compose_context("i", 1, 4, 60, "10.0.0.1", "r")
    text = render("app/compose.yaml.j2", ctx)
    assert "curl" not in text and "python3\", \"-c\"" in text
