"""Losing a web host loses no studio: with web-1 frozen (`docker pause`), a client that resolves
the studio's name through the scenario's bind9 (an A record per web host) and tries each address
in turn, as a browser does, keeps getting its pages — from web-2."""

from __future__ import annotations

import subprocess

import pytest

from e2e import demo, dns
from e2e.browser import Browser
from e2e.util import log

REQUESTS = 6
# a frozen host's kernel still completes the TCP handshake but nothing answers TLS: the client
# gives each address this long before trying the next
PER_ADDRESS_TIMEOUT = 3


def fetch(url: str, host: str, state: dict) -> tuple[str, int]:
    """GET URL trying each of the name's addresses in DNS order; (the address that answered, status)."""
    failures = []
    for ip in dns.resolve(state["dns_credentials"], host):
        try:
            return ip, Browser(ip, state["pebble_issuer_root"], timeout=PER_ADDRESS_TIMEOUT).get(url).status
        except OSError as exc:
            failures.append(f"{ip}: {exc!r}")
    raise AssertionError(f"no address of {host} answered: {failures}")


@pytest.fixture
def studio(scenario, multi_state) -> demo.Demo:
    return demo.ensure(scenario, multi_state)[0]


@pytest.fixture
def web_1_paused(scenario, studio):
    """web-1 frozen; the studio made (or found) first, through web-1, the operator's host."""
    container = scenario.container("web-1")
    subprocess.run(["docker", "pause", container], check=True)
    try:
        yield
    finally:
        subprocess.run(["docker", "unpause", container], check=True)


def test_the_name_resolves_to_every_web_host(scenario, multi_state, web_ips):
    studio, _ = demo.ensure(scenario, multi_state)
    assert sorted(dns.resolve(multi_state["dns_credentials"], studio.host)) == sorted(web_ips.values())
    assert sorted(dns.resolve(multi_state["dns_credentials"], multi_state["domain"])) == sorted(
        web_ips.values()
    )


def test_with_web_1_down_every_request_succeeds_through_web_2(studio, multi_state, web_ips, web_1_paused):
    url = studio.url.rstrip("/") + "/login"
    answers = [fetch(url, studio.host, multi_state) for _ in range(REQUESTS)]
    log(f"  with web-1 paused: {answers}")
    assert answers == [(web_ips["web-2"], 200)] * REQUESTS


def test_web_1_serves_again_once_back(scenario, multi_state, web_ips):
    studio, _ = demo.ensure(scenario, multi_state)
    browser = Browser(web_ips["web-1"], multi_state["pebble_issuer_root"])
    assert browser.get(studio.url.rstrip("/") + "/login").status == 200
