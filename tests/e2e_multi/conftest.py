"""Fixtures of the multi-host end-to-end suite: the `multi` scenario (e2e/scenario.py), two web
hosts and two db hosts beside the backup host, converged in one pyinfra run.

The session brings the scenario up from nothing (or reuses it when it answers and its last
converge succeeded, unless E2E_FRESH=1), makes the demo studio through web-1, and takes it all
down at the end unless E2E_KEEP=1. The tests run only when asked for (`-m e2e_multi`, or E2E=1).
"""

from __future__ import annotations

import os

import pytest

from e2e import lifecycle
from e2e.browser import Browser
from e2e.scenario import Scenario
from e2e.util import E2E_DIR, log

SCENARIO = Scenario("multi")


def pytest_collection_modifyitems(config, items):
    markexpr = config.option.markexpr or ""
    asked = ("e2e_multi" in markexpr and "not e2e_multi" not in markexpr) or os.environ.get("E2E") == "1"
    for item in items:
        item.add_marker(pytest.mark.e2e_multi)
        if not asked:
            item.add_marker(pytest.mark.skip(reason="multi-host end-to-end: run scripts/e2e-test --multi"))


def _reusable() -> dict | None:
    state = None if os.environ.get("E2E_FRESH") == "1" else SCENARIO.read_state()
    if not state or not SCENARIO.converged_stamp.exists():
        return None
    return state if lifecycle.status(SCENARIO) else None


@pytest.fixture(scope="session")
def multi_state() -> dict:
    if os.geteuid() != 0:
        pytest.skip("the e2e suite needs root (docker engine, apt, DNS on port 53)")
    state = _reusable()
    if state:
        log(f"reusing the converged multi scenario (web-1 {state['server_ip']}; E2E_FRESH=1 starts anew)")
    try:
        state = lifecycle.ready_for_tests(SCENARIO, state)
    except lifecycle.FirstConvergeFailed as failed:
        pytest.fail(f"four hosts: {failed}", pytrace=False)
    yield state
    lifecycle.down_unless_kept(SCENARIO)


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return SCENARIO


@pytest.fixture(scope="session")
def hosts(multi_state) -> dict:
    """Each server (web-1, web-2, db-1, db-2, backup) as testinfra sees it over SSH."""
    import testinfra

    config = E2E_DIR / "ssh" / "config"
    config.write_text("Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n")
    return {
        name: testinfra.get_host(
            f"paramiko://root@{found['ip']}", ssh_identity_file=multi_state["ssh_key"], ssh_config=str(config)
        )
        for name, found in multi_state["servers"].items()
    }


@pytest.fixture(scope="session")
def web_ips(multi_state) -> dict[str, str]:
    return {name: multi_state["servers"][name]["ip"] for name in SCENARIO.servers("web")}


@pytest.fixture(scope="session")
def browser_to(multi_state):
    """browser_to("web-2", cookies) — a browser whose every name resolves to that web host."""

    def make(name: str, cookies: dict | None = None) -> Browser:
        ip = multi_state["servers"][name]["ip"]
        return Browser(ip, multi_state["pebble_issuer_root"], cookies=cookies if cookies is not None else {})

    return make
