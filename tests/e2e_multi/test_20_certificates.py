"""Every web host holds the wildcard certificate, obtained by itself by DNS-01 (both hosts'
challenges side by side in one zone, in one converge)."""

from __future__ import annotations

import socket
import ssl

import pytest

from e2e import dns
from tests.e2e_multi.conftest import SCENARIO

WEB = SCENARIO.servers("web")


def served_certificate(ip: str, name: str, root: str) -> dict:
    """The certificate the host at IP serves for NAME, verified against pebble's issuer root."""
    ctx = ssl.create_default_context(cafile=root)
    with (
        socket.create_connection((ip, 443), timeout=10) as raw,
        ctx.wrap_socket(raw, server_hostname=name) as tls,
    ):
        return tls.getpeercert()


@pytest.mark.parametrize("name", WEB)
@pytest.mark.parametrize("label", ["", "demo.", "any-studio."])
def test_a_web_host_serves_a_certificate_for_the_apex_and_every_studio(multi_state, web_ips, name, label):
    cert = served_certificate(web_ips[name], label + multi_state["domain"], multi_state["pebble_issuer_root"])
    names = {value for kind, value in cert["subjectAltName"] if kind == "DNS"}
    assert names == {multi_state["domain"], "*." + multi_state["domain"]}


def test_each_web_host_obtained_its_own_certificate(multi_state, web_ips):
    serials = {
        served_certificate(ip, multi_state["domain"], multi_state["pebble_issuer_root"])["serialNumber"]
        for ip in web_ips.values()
    }
    assert len(serials) == len(web_ips)


def test_no_challenge_record_is_left_in_the_zone(multi_state):
    creds = multi_state["dns_credentials"]
    answer = dns.query(
        creds["dns_rfc2136_server"],
        creds["dns_rfc2136_port"],
        f"_acme-challenge.{multi_state['domain']}",
        "TXT",
    )
    assert answer.strip() == ""
