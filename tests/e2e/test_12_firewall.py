"""The host firewall (deploy/firewall/): nftables' table inet rsm drops what no rule lets in, and
Docker's own tables (the app's address translation) keep working beside it. One test per fact."""

from __future__ import annotations

import shlex
import socket
import time

import pytest

from deploy.firewall import config

PORT = 9979  # opened by no rule: a throwaway listener there shows what the firewall drops
LISTENER = f"python3 -m http.server {PORT} --bind 0.0.0.0 --directory /var/empty"


def reachable(address: str, port: int = PORT) -> bool:
    try:
        with socket.create_connection((address, port), timeout=3):
            return True
    except OSError:
        return False


def answers_inside(srv, address: str) -> bool:
    script = f"import socket; socket.create_connection(({address!r}, {PORT}), timeout=3).close()"
    return srv.run(f"python3 -c {shlex.quote(script)}").rc == 0


@pytest.fixture
def listener(srv, e2e_state):
    """A throwaway HTTP server on every address of the server, answering from inside it."""
    srv.check("mkdir -p /var/empty")
    srv.check(f"setsid nohup {LISTENER} >/dev/null 2>&1 < /dev/null & echo $! > /run/rsm-e2e-listener.pid")
    deadline = time.monotonic() + 15
    while not answers_inside(srv, e2e_state["server_ip"]):
        assert time.monotonic() < deadline, "the throwaway listener did not start"
        time.sleep(0.3)
    yield e2e_state["server_ip"]
    srv.run("kill $(cat /run/rsm-e2e-listener.pid); rm -f /run/rsm-e2e-listener.pid")


def test_nftables_is_enabled_and_active(host):
    service = host.service("nftables")
    assert service.is_enabled and service.is_running


def test_the_rsm_table_drops_input_by_default(srv):
    out = srv.check(f"nft list chain inet {config.TABLE} input")
    assert "type filter hook input priority filter; policy drop;" in out, out


def test_a_port_no_rule_opens_answers_inside_the_server_but_not_from_outside(srv, listener):
    assert answers_inside(srv, listener)
    assert not reachable(listener)


def test_the_same_port_answers_from_outside_without_the_rsm_table(srv, listener):
    """The check above can fail: with the deploy's table gone, the listener answers from here."""
    try:
        srv.check(f"nft delete table inet {config.TABLE}")
        assert reachable(listener)
    finally:
        srv.check(f"systemctl reload {config.UNIT}")
    assert not reachable(listener)


def test_docker_tables_survive_the_firewall_and_a_restart_of_nftables_and_docker(srv, browser, domain):
    srv.check(f"systemctl restart {config.UNIT} docker")
    assert "policy drop" in srv.check(f"nft list chain inet {config.TABLE} input")
    deadline = time.monotonic() + 180
    status = 0
    while time.monotonic() < deadline:
        try:
            status = browser.get(f"https://{domain}/signup").status
        except OSError:
            status = 0
        if status == 200:
            break
        time.sleep(2)
    assert status == 200, f"the app did not answer through nginx after the restart (last status {status})"
