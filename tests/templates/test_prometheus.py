"""Render Prometheus's configuration and check it with trixie's promtool, the file_sd target included."""

from __future__ import annotations

import pytest

from deploy.app.release import helper as release_helper
from deploy.common.render import render
from deploy.monitoring import config

pytestmark = pytest.mark.templates


def test_prometheus_config_and_the_app_target_file_pass_promtool(tools, tmp_path):
    target = tmp_path / "app-metrics-target.json"
    target.write_text(release_helper.metrics_target("0123456789ab", 8001))
    context = {**config.prometheus_context(), "app_targets": str(target)}
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
