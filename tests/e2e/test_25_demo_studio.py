"""What scripts/e2e prints works: its curl lines reach pages, its demo sign-in signs in."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess

import pytest

from e2e import demo, lifecycle
from e2e.browser import Browser
from e2e.util import ensure_commands


@pytest.fixture(scope="module")
def printed(scenario, e2e_state) -> dict[str, str]:
    """`scripts/e2e`'s closing lines, by label, for the demo studio the session's set-up made."""
    studio, created = demo.ensure(scenario, e2e_state)
    assert not created, "the session's set-up (as scripts/e2e) did not create the demo studio"
    lines = lifecycle.site_lines(e2e_state, studio)
    return dict(line.split(":", 1) for line in lines)


@pytest.mark.parametrize("label", ["apex", "studio"])
def test_the_printed_curl_line_reaches_a_page(printed, label):
    ensure_commands({"curl": "curl"})
    command = shlex.split(printed[label])
    site = command[-1]
    result = subprocess.run(
        command + ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{url_effective}"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, final_url = result.stdout.split()
    assert status == "200" and final_url.startswith(site), (status, final_url, site)


def test_the_printed_demo_sign_in_signs_in(printed, e2e_state):
    match = re.fullmatch(
        r"\s*(https://\S+) as (\S+) with password (\S+) \(kept in (\S+)\)", printed["sign in"]
    )
    assert match, printed["sign in"]
    url, email, password, _ = match.groups()
    browser = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    form = browser.follow(browser.get(url))
    assert form.status == 200, (form.status, form.url)
    resp = browser.post(
        form.url, data={"csrf_token": form.csrf_token(), "email": email, "password": password}
    )
    assert resp.status == 302, (resp.status, resp.body[:300])
    home = browser.follow(resp)
    assert home.status == 200 and home.url.startswith(url), (home.status, home.url)
    assert demo.NAME in home.body


def test_the_demo_studio_exists_once(e2e_state):
    assert demo.subdomains(e2e_state).count(demo.SUBDOMAIN) == 1


def test_the_demo_password_file_is_root_only(printed):
    path = re.search(r"\(kept in (\S+)\)", printed["sign in"]).group(1)
    info = os.stat(path)
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o600), (info.st_uid, oct(info.st_mode))
