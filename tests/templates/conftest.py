"""Validate rendered templates with the real tools of the target system (Debian 13).

The servers run trixie's nginx 1.26, Compose 2.26 and Prometheus 2.53; this machine may have older
ones (or none). So the checks run in a small cached image built from debian:trixie-slim with trixie's
nginx-light, docker-cli, docker-compose, prometheus (promtool) and prometheus-alertmanager (amtool):
`rsm-template-tools`. The base
image is the e2e harness's stand-in (debootstrap from the Debian mirror) when none is present.
Skipped, with the reason, only when no Docker engine answers.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS_DOCKERFILE = """\
FROM debian:trixie-slim
RUN apt-get update \\
 && apt-get install -y --no-install-recommends nginx-light docker-cli docker-compose openssl prometheus \\
    prometheus-alertmanager \\
 && rm -rf /var/lib/apt/lists/*
"""
TOOLS_TAG = "rsm-template-tools:" + hashlib.sha256(TOOLS_DOCKERFILE.encode()).hexdigest()[:12]


def _docker(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], capture_output=True, text=True, **kw)


def _engine_answers() -> bool:
    return shutil.which("docker") is not None and _docker("info").returncode == 0


@pytest.fixture(scope="session")
def tools_image(tmp_path_factory) -> str:
    if not _engine_answers():
        pytest.skip(
            "no Docker engine answers: start dockerd to validate templates with trixie's nginx and Compose"
        )
    if _docker("image", "inspect", TOOLS_TAG).returncode == 0:
        return TOOLS_TAG
    if _docker("image", "inspect", "debian:trixie-slim").returncode != 0:
        from e2e import engine

        engine.ensure_base_image()
    ctx = tmp_path_factory.mktemp("tools")
    (ctx / "Dockerfile").write_text(TOOLS_DOCKERFILE)
    build = _docker("build", "--pull=false", "-t", TOOLS_TAG, str(ctx))
    assert build.returncode == 0, build.stdout + build.stderr
    return TOOLS_TAG


class Tools:
    def __init__(self, image: str, workdir: Path) -> None:
        self.image = image
        self.workdir = workdir

    def run(self, *command: str) -> subprocess.CompletedProcess:
        """Run in the tools image with the work dir mounted at the same path."""
        return _docker(
            "run",
            "--rm",
            "--network=none",
            "-v",
            f"{self.workdir}:{self.workdir}",
            "-w",
            str(self.workdir),
            self.image,
            *command,
        )


@pytest.fixture
def tools(tools_image, tmp_path) -> Tools:
    return Tools(tools_image, tmp_path)
