"""The drop-in that starts services listening on the app network after Docker, by exact output."""

import pytest

from deploy.common.render import render
from deploy.docker import config

pytestmark = pytest.mark.unit


def test_after_docker_dropin():
    assert render(config.AFTER_DOCKER_DROPIN, {}) == (
        "# Managed by the deploy (pyinfra); local changes are overwritten.\n[Unit]\nAfter=docker.service\n"
    )
