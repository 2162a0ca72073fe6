"""Parsing in the app step's facts."""

import pytest

from deploy.app.facts import AppImageTags, ComposeServiceContainers, DockerImageId

pytestmark = pytest.mark.unit


def test_compose_service_containers_and_image_tags():
    assert ComposeServiceContainers().process(["r1 running", ""]) == [("r1", "running")]
    assert AppImageTags().process(["image rsm-app:a", "image rsm-app:b", "used rsm-app:a", "used debian"]) == {
        "images": ["rsm-app:a", "rsm-app:b"], "used": ["debian", "rsm-app:a"],
    }


def test_docker_image_id_or_none():
    assert DockerImageId().process(["sha256:abc"]) == "sha256:abc"
    assert DockerImageId().process([""]) is None
