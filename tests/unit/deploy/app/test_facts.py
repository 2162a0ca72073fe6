"""Parsing in the app step's facts."""

import subprocess

import pytest

from deploy.app.facts import UPSTREAM_PORT_SED, AppReleases, DockerImageId
from deploy.app.release import helper

pytestmark = pytest.mark.unit


def test_app_releases():
    assert AppReleases().process(
        [
            "upstream 8002",
            "rsm-app-0123456789ab\t0123456789ab\t8002\t70\trunning",
            "rsm-aaaaaaaaaaaa-app-run-1f2e\taaaaaaaaaaaa\t8001\t70\texited",
            "worker 0123456789ab running",
        ]
    ) == {
        "upstream": 8002,
        "containers": [
            helper.Container("rsm-app-0123456789ab", "0123456789ab", 8002, "running", 70),
            helper.Container("rsm-aaaaaaaaaaaa-app-run-1f2e", "aaaaaaaaaaaa", 8001, "exited", 70),
        ],
        "workers": {"0123456789ab": "running"},
    }


def test_app_releases_before_the_first():
    assert AppReleases().process(["upstream -"]) == {"upstream": None, "containers": [], "workers": {}}


def test_app_releases_reads_the_port_from_the_upstream_file_rsm_release_writes(tmp_path):
    upstream = tmp_path / "app-upstream.conf"
    upstream.write_text(helper.upstream_conf("0123456789ab", 8002))
    sed = subprocess.run(
        ["sed", "-n", UPSTREAM_PORT_SED, str(upstream)], capture_output=True, text=True, check=True
    )
    assert sed.stdout == "8002\n"
    command = AppReleases().command()
    assert f"{helper.UPSTREAM} 2>/dev/null" in command and "--filter label=rsm.release" in command
    assert "--filter label=rsm.worker" in command


def test_docker_image_id_or_none():
    assert DockerImageId().process(["sha256:abc"]) == "sha256:abc"
    assert DockerImageId().process([""]) is None
