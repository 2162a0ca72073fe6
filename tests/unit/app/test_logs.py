"""Structured logs: one JSON line per request and per app event, sharing nginx's request id, no secrets."""

from __future__ import annotations

import json
import logging

import pytest

from app.logs import JsonFormatter
from e2e.fakes.anthropic_server import fake_text

NGINX_ID = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def logged(caplog):
    """`logged()`: every app event so far, each as the JSON object its log line holds."""
    caplog.set_level(logging.INFO, logger="app")

    def logged(event: str | None = None) -> list[dict]:
        entries = [json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name.startswith("app")]
        return [e for e in entries if event is None or e.get("event") == event]

    return logged


def test_a_studio_request_is_one_line_with_its_studio_route_status_and_time(abbey, studio_client, logged):
    response = studio_client("abbey").get("/login", headers={"X-Request-ID": NGINX_ID})
    [line] = logged("request")
    assert response.headers["X-Request-ID"] == NGINX_ID
    assert {k: line[k] for k in ("request_id", "studio", "method", "route", "status", "user")} == {
        "request_id": NGINX_ID,
        "studio": "abbey",
        "method": "GET",
        "route": "/login",
        "status": 200,
        "user": "anonymous",
    }
    assert line["duration_ms"] > 0 and line["level"] == "info"


@pytest.mark.parametrize("given", ["", "short", 'x"}{"studio":"cleo"' + "a" * 20, "a" * 65])
def test_a_request_id_that_is_not_nginx_shaped_is_replaced(client, logged, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    [line] = logged("request")
    assert response.headers["X-Request-ID"] == line["request_id"] != given
    assert len(line["request_id"]) == 32


def test_a_refused_host_is_logged_too(host_client, logged):
    response = host_client("studio.other.example").get("/")
    [line] = logged("request")
    assert (response.status_code, line["status"], line["studio"]) == (400, 400, None)


def test_a_signed_in_request_names_the_user_kind_and_no_password(
    abbey, studio_client, sign_in, owner_password, logged
):
    browser = studio_client("abbey")
    sign_in(browser)
    browser.get("/dashboard")
    lines = logged("request")
    assert [(line["route"], line["user"]) for line in lines][-1] == ("/dashboard", "staff")
    assert all(owner_password not in json.dumps(line) for line in logged())


def test_provisioning_is_an_event_with_its_time(make_studio, logged):
    make_studio("abbey")
    [line] = logged("studio_provisioned")
    assert line["studio"] == "abbey" and line["duration_ms"] > 0


def test_an_answer_is_an_event_with_tokens_and_latency_but_not_the_conversation(
    staff_client, fake_anthropic, ask, logged
):
    browser = staff_client("abbey")
    fake_anthropic.queue(fake_text("Tuesday is free", input_tokens=31, output_tokens=5))
    assert ask(browser, "is the big room free on tuesday?").status_code == 200
    [line] = logged("assistant_answered")
    assert (line["studio"], line["input_tokens"], line["output_tokens"]) == ("abbey", 31, 5)
    everything = json.dumps(logged())
    assert "tuesday" not in everything.lower()
