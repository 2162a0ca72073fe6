"""Releases without a failed request, under continuous HTTPS requests through nginx.

In order, each under load (4 clients, each signed in to the demo studio, asking for its home page
and /healthz every ~50 ms for as long as the step runs):
  1. a release whose new container never becomes ready (an image whose app.wsgi raises) fails
     naming why; the live release serves throughout, nginx still points at it, nothing changed;
  2. the next good converge, with a changed app setting (AI_TRIAL_CREDITS), works: exactly one
     new release, and the failed one's files and image are pruned;
  3. `scripts/release HOST rollback` goes back to the previous release (image and settings);
  4. a converge as the inventory says (the release rolled back to) changes nothing, so the server
     is left as the other tests expect it.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from e2e import demo
from e2e.browser import Browser
from e2e.util import REPO, run

CLIENTS = 4
INTERVAL = 0.05
SETTING = {"AI_TRIAL_CREDITS": "7"}
NEVER_READY = "e2e: this release never becomes ready"


class Load:
    """CLIENTS threads, each signed in to the demo studio, alternating its home page and /healthz."""

    def __init__(self, state: dict, studio: demo.Demo):
        self.state, self.studio = state, studio
        self.stop = threading.Event()
        self.ok = 0
        self.failed: list[str] = []
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        self.seconds = 0.0

    def _signed_in(self) -> tuple[Browser, str]:
        browser = Browser(self.state["server_ip"], self.state["pebble_issuer_root"], timeout=30)
        form = browser.follow(browser.get(self.studio.url))
        resp = browser.post(
            form.url,
            data={
                "csrf_token": form.csrf_token(),
                "email": self.studio.email,
                "password": self.studio.password,
            },
        )
        home = browser.follow(resp)
        assert home.status == 200 and demo.NAME in home.body, (home.status, home.url)
        return browser, home.url

    def _client(self, browser: Browser, home: str) -> None:
        urls = [home, f"https://{self.studio.host}/healthz"]
        n = 0
        while not self.stop.is_set():
            url = urls[n % 2]
            n += 1
            try:
                status = browser.get(url).status
                problem = None if status == 200 else f"HTTP {status}"
            except Exception as exc:  # noqa: BLE001 - every failure counts, whatever it is
                problem = f"{type(exc).__name__}: {exc}"
            with self.lock:
                if problem:
                    self.failed.append(f"{time.strftime('%H:%M:%S')} {url}: {problem}")
                else:
                    self.ok += 1
            self.stop.wait(INTERVAL)

    def __enter__(self) -> Load:
        clients = [self._signed_in() for _ in range(CLIENTS)]
        self.started = time.monotonic()
        self.threads = [threading.Thread(target=self._client, args=client, daemon=True) for client in clients]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        self.seconds = time.monotonic() - self.started

    def report(self, what: str) -> str:
        line = (
            f"[e2e] {what}: {self.ok + len(self.failed)} requests over {self.seconds:.1f}s, "
            f"{len(self.failed)} failed"
        )
        print(line)
        return line

    def assert_none_failed(self, what: str) -> None:
        line = self.report(what)
        assert self.ok >= 20 * CLIENTS, f"too few requests to tell: {line}"
        assert not self.failed, line + "\n" + "\n".join(self.failed[:20])


@pytest.fixture(scope="module")
def studio(scenario, e2e_state) -> demo.Demo:
    return demo.ensure(scenario, e2e_state)[0]


@pytest.fixture(scope="module")
def load(e2e_state, studio):
    return lambda: Load(e2e_state, studio)


def release_script(state: dict, *args: str):
    """`scripts/release root@SERVER ARGS...` with the harness's SSH key."""
    ssh_opts = (
        f"-i {state['ssh_key']} -o BatchMode=yes -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
    )
    return run(
        [str(REPO / "scripts" / "release"), f"root@{state['server_ip']}", *args],
        env=dict(os.environ, SSH_OPTS=ssh_opts),
        timeout=600,
        check=False,
    )


class Releases:
    """What the server says about its releases."""

    def __init__(self, srv):
        self.srv = srv

    def history(self) -> list[str]:
        return self.srv.check("cat /opt/rsm/releases/history").splitlines()

    def setting(self, name: str) -> str | None:
        result = self.srv.run(f"docker exec {self.srv.web_container()} printenv {name}")
        return result.stdout.strip() if result.rc == 0 else None

    def containers(self) -> list[str]:
        return self.srv.app_containers()

    def nginx_upstream(self) -> str:
        """The upstream server nginx's running configuration names."""
        config = self.srv.check("nginx -T 2>/dev/null")
        block = config[config.index("upstream rsm_app") :]
        return block[block.index("server 127.0.0.1:") :].split(";")[0].split()[-1]

    def took(self) -> str:
        """How long the last release or rollback took, as rsm-release logged it."""
        lines = [
            line for line in self.srv.check("cat /var/log/rsm-release.log").splitlines() if " took " in line
        ]
        return lines[-1].split(" took ")[-1].rstrip(")") if lines else "?"

    def images(self) -> list[str]:
        return self.srv.check("docker images rsm-app --format '{{.Repository}}:{{.Tag}}'").split()


@pytest.fixture(scope="module")
def releases(srv) -> Releases:
    return Releases(srv)


@pytest.fixture(scope="module")
def first(srv) -> str:
    """The release the inventory makes (the converged server's)."""
    return srv.live_release()


def _never_ready_checkout(tmp: Path) -> None:
    """A copy of the working tree whose app.wsgi raises: migrations run (the CLI does not import
    app.wsgi), gunicorn's workers never boot."""
    skip = {".git", ".venv", ".e2e", "build", "secrets", "__pycache__", ".pytest_cache"}
    shutil.copytree(REPO, tmp, ignore=lambda d, names: [n for n in names if n in skip], symlinks=True)
    for name in (".e2e", "build", "secrets", ".venv"):
        if (REPO / name).exists():
            (tmp / name).symlink_to(REPO / name)
    (tmp / "app" / "wsgi.py").write_text(f"raise RuntimeError({NEVER_READY!r})\n")


@pytest.fixture(scope="module")
def never_ready(first, load, releases, srv):
    import e2e.converge as conv

    before = (releases.history(), srv.check("cat /etc/rsm/app-upstream.conf"))
    with tempfile.TemporaryDirectory(prefix="e2e-never-ready-") as tmp:
        checkout = Path(tmp) / "repo"
        _never_ready_checkout(checkout)
        original = conv.REPO
        conv.REPO = checkout
        try:
            with load() as requests:
                result = conv.run_converge(
                    label="converge-never-ready", extra_env={"PYTHONPATH": str(checkout)}
                )
        finally:
            conv.REPO = original
    return result, requests, before


def test_a_release_that_never_becomes_ready_fails_naming_why_and_changes_nothing(
    never_ready, first, srv, releases
):
    result, requests, (history, upstream) = never_ready
    assert result.returncode != 0, f"the never-ready release succeeded; log {result.log}"
    assert "before it became ready" in result.output and NEVER_READY in result.output, result.tail(60)
    assert f"nginx still sends requests to {first} (unchanged)" in result.output, result.tail(30)
    requests.assert_none_failed("a release that never became ready")
    assert srv.live_release() == first
    assert srv.check("cat /etc/rsm/app-upstream.conf") == upstream
    assert releases.history() == history
    assert releases.containers() == [f"rsm-app-{first}"]  # the new one was removed
    assert releases.nginx_upstream() == f"127.0.0.1:{srv.app_port()}"


@pytest.fixture(scope="module")
def second(never_ready, srv, releases, converge, load) -> tuple:
    history, images = releases.history(), releases.images()
    with load() as requests:
        result = converge(label="converge-release", extra_env=SETTING)
    return result, requests, history, images, srv.live_release()


def test_the_next_good_converge_makes_one_release_without_a_failed_request(
    second, never_ready, first, srv, releases
):
    result, requests, history_before, images_before, live = second
    assert result.returncode == 0, f"exit {result.returncode}; log {result.log}\n{result.tail(60)}"
    requests.assert_none_failed(f"release {live} (release {releases.took()}, converge {result.seconds:.1f}s)")
    assert live != first
    assert releases.history() == history_before + [releases.history()[-1]]
    assert releases.history()[-1].split("\t")[1:] == [live, "release"]
    assert [op for op in result.changed if " | Release " in op] == [
        f"Deploy the app | Release {live} (migrate, start beside the live one, switch nginx when ready)"
    ]
    assert releases.setting("AI_TRIAL_CREDITS") == "7"
    # the old container was stopped; nginx sends to the new one
    assert releases.containers() == [f"rsm-app-{live}"]
    assert releases.nginx_upstream() == f"127.0.0.1:{srv.app_port()}"
    # the never-ready release (never live) was pruned: its image and files
    failed, image = re.search(
        r"rsm-release: release ([0-9a-f]{12}) \((\S+)\)", never_ready[0].output
    ).groups()
    assert image in images_before and image not in releases.images(), (
        image,
        images_before,
        releases.images(),
    )
    assert srv.run(f"test -e /opt/rsm/releases/{failed} || test -e /etc/rsm/releases/{failed}").rc == 1


@pytest.fixture(scope="module")
def rolled_back(second, load, e2e_state, srv):
    with load() as requests:
        result = release_script(e2e_state, "rollback")
    return result, requests, srv.live_release()


def test_a_rollback_returns_to_the_previous_release_without_a_failed_request(
    rolled_back, first, second, releases, e2e_state
):
    result, requests, live = rolled_back
    assert result.returncode == 0, result.stdout + result.stderr
    requests.assert_none_failed(f"rollback to {live} ({releases.took()})")
    assert live == first
    assert releases.setting("AI_TRIAL_CREDITS") is None  # the first release's settings: the app's default
    assert releases.history()[-1].split("\t")[1:] == [first, "rollback"]
    assert releases.containers() == [f"rsm-app-{first}"]
    listed = release_script(e2e_state, "list").stdout.splitlines()
    assert listed[1].startswith(f"* {first} ") and "rollback" in listed[1], listed
    assert listed[2].startswith(f"  {second[4]} "), listed


@pytest.fixture(scope="module")
def as_the_inventory_says(rolled_back, converge):
    return converge(label="converge-as-inventory")


def test_a_converge_after_a_rollback_to_the_inventorys_release_changes_nothing(
    as_the_inventory_says, first, srv
):
    result = as_the_inventory_says
    assert result.returncode == 0, f"exit {result.returncode}; log {result.log}\n{result.tail(60)}"
    assert not result.changed, result.changed
    assert srv.live_release() == first
