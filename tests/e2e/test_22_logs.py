"""Logs on the converged server: nginx's access log and the app's share a request id, both JSON lines."""

from __future__ import annotations

import json
import shlex

import pytest

from e2e import demo
from e2e.browser import Browser


@pytest.fixture(scope="module")
def request_seen(scenario, e2e_state) -> tuple[demo.Demo, str]:
    """One request to the demo studio's sign-in page over HTTPS, and the request id it came back with."""
    studio, _ = demo.ensure(scenario, e2e_state)
    browser = Browser(e2e_state["server_ip"], e2e_state["pebble_issuer_root"])
    response = browser.get(f"https://{studio.host}/login")
    assert response.status == 200
    return studio, response.headers["x-request-id"]


def _line_with(srv, command: str, request_id: str) -> dict:
    out = srv.check(f"{command} | grep -F {shlex.quote(request_id)} || true").strip().splitlines()
    assert len(out) == 1, f"{len(out)} lines with {request_id} from {command!r}"
    return json.loads(out[0])


def test_nginx_logs_the_studio_host_request_id_and_upstream_time(srv, request_seen):
    studio, request_id = request_seen
    line = _line_with(srv, "cat /var/log/nginx/access.log", request_id)
    assert (line["host"], line["path"], line["status"]) == (studio.host, "/login", 200)
    assert float(line["upstream_time"]) >= 0 and float(line["request_time"]) >= 0


def test_the_app_logs_the_same_request_with_its_studio_and_route(srv, request_seen):
    studio, request_id = request_seen
    container = shlex.quote(srv.web_container())
    line = _line_with(srv, f"docker logs {container} 2>&1", request_id)
    subdomain = studio.host.split(".", 1)[0]
    assert (line["event"], line["studio"], line["route"], line["status"]) == (
        "request",
        subdomain,
        "/login",
        200,
    )
