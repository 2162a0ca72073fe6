"""The app's metrics on the converged server: on the live release's loopback metrics port, never via nginx."""

from __future__ import annotations

import json
import shlex

import pytest

from e2e import demo
from e2e.browser import Browser

METRICS_SLOTS = {8001: 9201, 8002: 9202}  # rsm-release's: app slot -> metrics port


@pytest.mark.parametrize("sub", ["", "www.", "demo.", "no-such-studio."])
@pytest.mark.parametrize("scheme", ["https", "http"])
def test_metrics_are_not_served_through_nginx_on_any_host_name(browser, domain, scheme, sub):
    response = browser.get(f"{scheme}://{sub}{domain}/metrics")
    if scheme == "http":  # everything on port 80 goes to HTTPS, nothing is proxied
        assert response.status in (301, 302, 307, 308) and response.location.startswith("https://")
    else:
        assert response.status == 404, response.status
        assert "rsm_http_request" not in response.body


def test_metrics_are_published_on_the_loopback_only(srv):
    bindings = srv.inspect(srv.web_container())["HostConfig"]["PortBindings"]
    assert {b["HostIp"] for port in bindings.values() for b in port} == {"127.0.0.1"}
    assert bindings["9200/tcp"] == [{"HostIp": "127.0.0.1", "HostPort": str(METRICS_SLOTS[srv.app_port()])}]


def test_prometheus_finds_the_live_release_in_the_target_file(srv):
    [target] = json.loads(srv.check("cat /etc/rsm/app-metrics-target.json"))
    assert target == {
        "targets": [f"127.0.0.1:{METRICS_SLOTS[srv.app_port()]}"],
        "labels": {"release": srv.live_release()},
    }


def test_a_studio_request_shows_in_the_metrics_summed_over_the_workers(srv, scenario, e2e_state):
    studio, _ = demo.ensure(scenario, e2e_state)
    subdomain = studio.host.split(".", 1)[0]
    url = f"http://127.0.0.1:{METRICS_SLOTS[srv.app_port()]}/metrics"

    def studio_requests() -> float:
        text = srv.check(f"python3 -c {shlex.quote(FETCH)} {shlex.quote(url)}")
        wanted = f'rsm_studio_requests_total{{studio="{subdomain}"}} '
        return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(wanted))

    before = studio_requests()
    browser = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    for _ in range(4):  # several connections: gunicorn may hand them to different workers
        assert browser.get(f"https://{studio.host}/login").status == 200
    assert studio_requests() - before == 4


FETCH = "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"
