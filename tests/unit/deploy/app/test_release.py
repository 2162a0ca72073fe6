"""A release's id, paths and command, and when the host needs one, by exact output."""

import pytest

from deploy.app import release
from deploy.app.release import helper

pytestmark = pytest.mark.unit

LIVE = helper.Container("rsm-app-0123456789ab", "0123456789ab", 8001, "running", 70)


def test_release_id_changes_with_image_env_or_compose_only():
    base = release.release_id("rsm-app:1", "A='1'\n", "compose")
    assert len(base) == 12 and helper.RELEASE_ID.fullmatch(base)
    assert release.release_id("rsm-app:2", "A='1'\n", "compose") != base
    assert release.release_id("rsm-app:1", "A='2'\n", "compose") != base
    assert release.release_id("rsm-app:1", "A='1'\n", "compose2") != base
    assert release.release_id("rsm-app:1", "A='1'\n", "compose") == base


def test_a_new_shared_secret_is_a_new_release_and_none_keeps_the_id():
    base = release.release_id("rsm-app:1", "A='@@redis_password@@'\n", "compose")
    given = release.release_id(
        "rsm-app:1", "A='@@redis_password@@'\n", "compose", {"RSM_REDIS_PASSWORD": "a"}
    )
    assert release.release_id("rsm-app:1", "A='@@redis_password@@'\n", "compose", {}) == base
    assert given != base
    assert release.release_id(
        "rsm-app:1", "A='@@redis_password@@'\n", "compose", {"RSM_REDIS_PASSWORD": "b"}
    ) not in (
        base,
        given,
    )


def test_where_a_release_is_described():
    assert release.compose_path("0123456789ab") == "/opt/rsm/releases/0123456789ab/compose.yaml"
    assert release.env_path("0123456789ab") == "/etc/rsm/releases/0123456789ab/app.env"
    assert release.env_template_path("0123456789ab") == "/etc/rsm/releases/0123456789ab/app.env.tmpl"


def test_release_command():
    assert (
        release.release_command("0123456789ab", 3)
        == "/usr/local/sbin/rsm-release deploy 0123456789ab --keep 3"
    )


def test_nothing_to_do_when_the_release_is_live_running_and_alone():
    running = {"upstream": 8001, "containers": [LIVE], "workers": {LIVE.release: "running"}}
    assert not release.needs_release(running, "0123456789ab")


@pytest.mark.parametrize("workers", [{}, {LIVE.release: "exited"}, {"aaaaaaaaaaaa": "running"}])
def test_a_live_release_whose_mail_worker_is_not_running_is_run_again(workers):
    assert release.needs_release({"upstream": 8001, "containers": [LIVE], "workers": workers}, LIVE.release)


@pytest.mark.parametrize(
    "state",
    [
        None,  # no Docker yet: a fresh server
        {"upstream": None, "containers": []},  # the first release
        {"upstream": 8001, "containers": [LIVE]},  # another release is live (asked for aaaaaaaaaaaa below)
    ],
)
def test_a_release_is_needed(state):
    assert release.needs_release(state, "aaaaaaaaaaaa")


def test_a_live_release_that_stopped_or_left_company_is_run_again():
    stopped = helper.Container(LIVE.name, LIVE.release, 8001, "exited", 70)
    assert release.needs_release({"upstream": 8001, "containers": [stopped]}, LIVE.release)
    leftover = helper.Container("rsm-app-aaaaaaaaaaaa", "aaaaaaaaaaaa", 8002, "running", 70)
    assert release.needs_release({"upstream": 8001, "containers": [LIVE, leftover]}, LIVE.release)


def test_a_container_on_another_port_than_nginx_names_is_not_live():
    assert release.needs_release({"upstream": 8002, "containers": [LIVE]}, LIVE.release)
