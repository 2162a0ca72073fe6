"""Fixtures of the end-to-end suite; the harness itself is the e2e/ package (e2e/README.md).

The session starts from a converged disposable server with its demo studio: it reuses the one
of this process's scenario (E2E_SCENARIO, default the default one) when it answers and a converge
of it succeeded (set E2E_FRESH=1 to always start from nothing), otherwise it brings one up as
scripts/e2e does. At the end the server, bind9, pebble and the fake API are removed unless
E2E_KEEP=1 (images stay cached).
"""

from __future__ import annotations

import json
import os
import re
import shlex
from urllib.parse import urlencode

import pytest

from deploy.monitoring import config as monitoring
from e2e import lifecycle, server
from e2e.browser import Browser
from e2e.converge import run_converge
from e2e.scenario import current
from e2e.util import E2E_DIR, log

SCENARIO = current()


def _is_e2e(item) -> bool:
    return "tests/e2e/" in item.nodeid.replace(os.sep, "/") or item.nodeid.startswith("test_")


def pytest_collection_modifyitems(config, items):
    """Every test here is marked e2e; they run only when asked for (`-m e2e`, or E2E=1), so a
    plain `pytest` of the unit tests never boots a server by surprise."""
    asked = "e2e" in (config.option.markexpr or "") and "not e2e" not in (config.option.markexpr or "")
    asked = asked or os.environ.get("E2E") == "1"
    skip = pytest.mark.skip(reason="end-to-end: run scripts/e2e-test (or pytest -m e2e / E2E=1)")
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            if not asked:
                item.add_marker(skip)


def _reusable() -> dict | None:
    if os.environ.get("E2E_FRESH") == "1":
        return None
    state = SCENARIO.read_state()
    if not state or not SCENARIO.converged_stamp.exists():
        return None
    alive = (
        server.container_state(SCENARIO.container()) == "running"
        and server.ssh_answers(state["server_ip"], server.SSH_KEY, timeout=5)
        and lifecycle.services_running()
    )
    return state if alive else None


@pytest.fixture(scope="session")
def e2e_state() -> dict:
    if os.geteuid() != 0:
        pytest.skip("the e2e suite needs root (docker engine, apt, DNS on port 53)")
    state = _reusable()
    if state:
        log(f"reusing the converged e2e server {state['server_ip']} (E2E_FRESH=1 starts from nothing)")
    try:
        state = lifecycle.ready_for_tests(SCENARIO, state)
    except lifecycle.FirstConvergeFailed as failed:
        pytest.fail(str(failed), pytrace=False)
    yield state
    lifecycle.down_unless_kept(SCENARIO)


@pytest.fixture(scope="session")
def scenario():
    return SCENARIO


@pytest.fixture(scope="session")
def host(e2e_state):
    import testinfra

    # a disposable server: its host key is new each time, so don't record or check it
    config = E2E_DIR / "ssh" / "config"
    config.write_text("Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n")
    return testinfra.get_host(
        f"paramiko://root@{e2e_state['server_ip']}",
        ssh_identity_file=e2e_state["ssh_key"],
        ssh_config=str(config),
    )


@pytest.fixture(scope="session")
def backup_host(host, e2e_state):
    """The backup host (group backup), as testinfra sees it over SSH."""
    import testinfra

    return testinfra.get_host(
        f"paramiko://root@{e2e_state['backup_ip']}",
        ssh_identity_file=e2e_state["ssh_key"],
        ssh_config=str(E2E_DIR / "ssh" / "config"),  # written by `host`
    )


@pytest.fixture(scope="session")
def domain(e2e_state) -> str:
    return e2e_state["domain"]


@pytest.fixture
def browser(e2e_state) -> Browser:
    """A fresh browser (empty cookie jar) trusting only pebble's issuer root."""
    return Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])


class Server:
    """Questions about the converged server that several tests ask."""

    def __init__(self, host):
        self.host = host

    def run(self, command: str):
        return self.host.run(command)

    def check(self, command: str) -> str:
        result = self.host.run(command)
        assert result.rc == 0, f"{command!r} failed ({result.rc}): {result.stderr.strip()[-500:]}"
        return result.stdout

    def app_containers(self) -> list[str]:
        """Names of the app's containers: every release's and one-off's (label rsm.release)."""
        return self.check("docker ps -a --filter label=rsm.release --format '{{.Names}}'").split()

    def web_container(self) -> str:
        """The live release's container: the one nginx's upstream names (rsm-release says which)."""
        return self.check("/usr/local/sbin/rsm-release container").strip()

    def live_release(self) -> str:
        return self.web_container().removeprefix("rsm-app-")

    def app_port(self) -> int:
        """The loopback port nginx sends requests to (the live release's)."""
        return int(
            re.search(
                r"^server 127\.0\.0\.1:(\d+);$", self.check("cat /etc/rsm/app-upstream.conf"), re.M
            ).group(1)
        )

    def app_url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.app_port()}{path}"

    def inspect(self, name: str) -> dict:
        return json.loads(self.check(f"docker inspect {shlex.quote(name)}"))[0]

    def prometheus(self, endpoint: str, **params: str) -> dict:
        """The `data` of the server's Prometheus API's answer (`prometheus("query", query="up")`)."""
        url = f"http://{monitoring.listen(monitoring.PROMETHEUS)}/api/v1/{endpoint}?{urlencode(params)}"
        script = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"
        return json.loads(self.check(f"python3 -c {shlex.quote(script)} {shlex.quote(url)}"))["data"]

    def http_status(self, url: str) -> int:
        """Status of a GET from the server itself (python3 is there: pyinfra needs it)."""
        script = (
            "import sys,urllib.request,urllib.error\n"
            "try:\n print(urllib.request.urlopen(sys.argv[1], timeout=5).status)\n"
            "except urllib.error.HTTPError as e:\n print(e.code)\n"
            "except Exception as e:\n print(0)\n"
        )
        out = self.host.run(f"python3 -c {shlex.quote(script)} {shlex.quote(url)}").stdout.strip()
        return int(out or 0)


@pytest.fixture(scope="session")
def srv(host) -> Server:
    return Server(host)


@pytest.fixture(scope="session")
def converge():
    """Run the real converge again (this process's scenario); returns a ConvergeResult (output in .e2e/logs/)."""
    return run_converge


# one line per test file with its time, after pytest's own summary (CI reads stage times)
_file_times: dict[str, list] = {}


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if "e2e" not in path:
        return
    entry = _file_times.setdefault(path, [0.0, 0, 0, 0])
    entry[0] += report.duration
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        index = {"passed": 1, "failed": 2, "skipped": 3}[report.outcome]
        entry[index] += 1


def pytest_terminal_summary(terminalreporter):
    for path, (seconds, passed, failed, skipped) in _file_times.items():
        terminalreporter.write_line(
            f"[e2e] {path:<44} {seconds:6.1f}s   {passed} passed, {failed} failed, {skipped} skipped"
        )
