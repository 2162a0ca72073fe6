"""The app's unit tests inside the app image: CPython 3.13, requirements/app.lock's wheels and
Debian's libpq, as production runs them, against this machine's PostgreSQL.

    python -m tests.in_image [PYTEST ARGS]        (tests/unit/app, narrowed by e.g. -k signup)

The image is built as the deploy builds it (deploy.app.image: same Dockerfile, same locked wheels),
then a test layer on top adds pytest (requirements/dev.lock's versions, hash-checked) and Debian's
redis-server for the tests' private Redis. The repository is mounted read-only; the container
shares this machine's network, so TEST_POSTGRES_URL (127.0.0.1) reaches the same PostgreSQL.
scripts/test runs this as its own stage when a Docker engine answers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from deploy.app import lock
from deploy.app.image import context_files, image_tag, write_context_tar
from deploy.common.hashing import content_hash

REPO = Path(__file__).resolve().parent.parent
# pytest and its own dependencies that the app image lacks (packaging is already in app.lock), and
# the SMTP server the tests' mail goes to (aiosmtpd, with its own).
TEST_TOOLS = ("pytest", "pluggy", "iniconfig", "pygments", "aiosmtpd", "atpublic", "attrs")
TEST_LAYER = """\
FROM {app_image}
USER root
RUN apt-get update \\
    && apt-get install -y --no-install-recommends redis-server \\
    && rm -rf /var/lib/apt/lists/*
COPY wheels/ /tmp/wheels/
RUN /opt/venv/bin/pip install --no-cache-dir --no-index --no-deps /tmp/wheels/*.whl && rm -rf /tmp/wheels
USER app
"""


def _docker(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["docker", *args], check=True, **kwargs)


def _exists(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0


def tool_pins() -> list[str]:
    """dev.lock's lines (with hashes) for the test tools: pure-Python wheels, the same for 3.13."""
    lines = lock.DEV_LOCK_PATH.read_text().splitlines()
    return [line for line in lines if line.split("==")[0] in TEST_TOOLS]


def app_image() -> str:
    files = list(context_files())
    tag = image_tag(files)
    if not _exists(tag):
        tar = write_context_tar(tag, files, lock.ensure_wheelhouse())
        with tar.open("rb") as context:
            _docker("build", "--pull=false", "-q", "-t", tag, "-", stdin=context, stdout=subprocess.DEVNULL)
    return tag


def tests_image(app_tag: str) -> str:
    pins = tool_pins()
    dockerfile = TEST_LAYER.format(app_image=app_tag)
    pins_text = "\n".join(pins) + "\n"
    tag = f"rsm-app-tests:{content_hash([('Dockerfile', dockerfile.encode()), ('pins', pins_text.encode())])[:12]}"
    if _exists(tag):
        return tag
    with tempfile.TemporaryDirectory() as tmp:
        context = Path(tmp)
        (context / "Dockerfile").write_text(dockerfile)
        (context / "tools.txt").write_text(pins_text)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes"]
            + lock.target_args()
            + ["-r", str(context / "tools.txt"), "-d", str(context / "wheels")],
            check=True,
        )
        _docker("build", "--pull=false", "-q", "-t", tag, str(context), stdout=subprocess.DEVNULL)
    return tag


def main(pytest_args: list[str]) -> int:
    tag = tests_image(app_image())
    postgres = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    command = ["docker", "run", "--rm", "--network=host", "-v", f"{REPO}:/src:ro", "-w", "/src"]
    command += ["-e", f"TEST_POSTGRES_URL={postgres}", "-e", "HOME=/tmp", tag]
    command += [
        "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *(pytest_args or ["tests/unit/app"]),
    ]
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
