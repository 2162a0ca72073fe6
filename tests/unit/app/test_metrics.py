"""The app's metrics: counted from the same events as the logs, with bounded labels, summed over processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from prometheus_client import REGISTRY, CollectorRegistry, multiprocess
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import studio_db
from e2e.fakes.anthropic_server import fake_error, fake_text
from tests.host_client import HostClient

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


@pytest.fixture
def grown():
    """`grown(name, **labels)`: how much a sample grew since the test started (the registry is global)."""
    before = {}

    def value(name, **labels):
        return REGISTRY.get_sample_value(name, labels) or 0.0

    def grown(name, **labels):
        return value(name, **labels) - before.setdefault((name, tuple(sorted(labels.items()))), 0.0)

    def remember(name, **labels):
        before[(name, tuple(sorted(labels.items())))] = value(name, **labels)

    grown.remember = remember
    return grown


def test_a_request_is_counted_by_route_template_status_and_studio(staff_client, grown):
    browser = staff_client("abbey")
    count = "rsm_http_request_duration_seconds_count"
    edit = {"route": "/rooms/<int:room_id>/edit", "method": "GET", "status": "404"}
    grown.remember(count, **edit)
    grown.remember("rsm_studio_requests_total", studio="abbey")
    assert browser.get("/rooms/987654/edit").status_code == 404
    assert browser.get("/rooms/987655/edit").status_code == 404
    assert grown(count, **edit) == 2
    assert grown("rsm_studio_requests_total", studio="abbey") == 2


def test_a_studio_whose_database_is_unreachable_answers_503_and_counts_it(
    base_config, redis_client, app, make_studio, grown
):
    """What the e2e's AppErrors break relies on: the pooler down, the app itself answers 5xx."""
    abbey = make_studio("abbey")
    closed = make_url(base_config["TENANT_DATABASE_SERVER_URL"]).set(host="127.0.0.1", port=1)
    unreachable = create_app(
        {
            **base_config,
            "TENANT_DATABASE_POOL_URL": closed.render_as_string(hide_password=False),
            "TESTING": True,
        }
    )
    studio_db.forget(
        studio_db.home, abbey.database_name
    )  # its engine, made by provisioning, points at the working URL
    failed = {"route": "/login", "method": "POST", "status": "503"}
    grown.remember("rsm_http_request_duration_seconds_count", **failed)
    response = HostClient(unreachable, "abbey.studio.test").post_form(
        "/login", {"email": "owner@abbey.example", "password": "any password"}
    )
    assert response.status_code == 503
    assert grown("rsm_http_request_duration_seconds_count", **failed) == 1


def test_an_unknown_host_adds_no_studio_series_and_an_unmatched_path_one_route(host_client, grown):
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    grown.remember("rsm_http_request_duration_seconds_count", **unmatched)
    host_client("studio.test").get("/no/such/page")
    host_client("nosuchstudio.studio.test").get("/")
    assert grown("rsm_http_request_duration_seconds_count", **unmatched) == 1
    assert REGISTRY.get_sample_value("rsm_studio_requests_total", {"studio": "nosuchstudio"}) is None


def test_the_latency_lands_in_its_bucket(client, grown):
    labels = {"route": "/healthz", "method": "GET", "status": "200"}
    grown.remember("rsm_http_request_duration_seconds_bucket", **labels, le="+Inf")
    grown.remember("rsm_http_request_duration_seconds_sum", **labels)
    client.get("/healthz")
    assert grown("rsm_http_request_duration_seconds_bucket", **labels, le="+Inf") == 1
    assert 0 < grown("rsm_http_request_duration_seconds_sum", **labels) < 5


def test_an_answer_counts_a_call_its_tokens_its_latency_and_the_studio_s_credit(
    staff_client, fake_anthropic, ask, grown
):
    browser = staff_client("abbey")
    for name, labels in [
        ("rsm_assistant_calls_total", {"outcome": "answered"}),
        ("rsm_assistant_tokens_total", {"kind": "input"}),
        ("rsm_assistant_tokens_total", {"kind": "output"}),
        ("rsm_assistant_answer_duration_seconds_count", {}),
        ("rsm_credits_spent_total", {"studio": "abbey"}),
    ]:
        grown.remember(name, **labels)
    fake_anthropic.queue(fake_text("Tuesday is free", input_tokens=31, output_tokens=5))
    assert ask(browser, "is the big room free on tuesday?").status_code == 200
    assert grown("rsm_assistant_calls_total", outcome="answered") == 1
    assert grown("rsm_assistant_tokens_total", kind="input") == 31
    assert grown("rsm_assistant_tokens_total", kind="output") == 5
    assert grown("rsm_assistant_answer_duration_seconds_count") == 1
    assert grown("rsm_credits_spent_total", studio="abbey") == 1


def test_a_failed_chat_counts_its_cause_and_spends_no_credit(staff_client, fake_anthropic, ask, grown):
    browser = staff_client("abbey")
    grown.remember("rsm_assistant_calls_total", outcome="assistant_upstream_error")
    grown.remember("rsm_credits_spent_total", studio="abbey")
    fake_anthropic.queue(fake_error(500, "api_error", "boom"), fake_error(529, "overloaded_error", "busy"))
    assert ask(browser, "hello").status_code == 502
    assert grown("rsm_assistant_calls_total", outcome="assistant_upstream_error") == 1
    assert grown("rsm_credits_spent_total", studio="abbey") == 0


def test_provisioning_time_is_observed(make_studio, grown):
    grown.remember("rsm_studio_provisioning_duration_seconds_count")
    grown.remember("rsm_studio_provisioning_duration_seconds_sum")
    make_studio("abbey")
    assert grown("rsm_studio_provisioning_duration_seconds_count") == 1
    assert grown("rsm_studio_provisioning_duration_seconds_sum") > 0


ONE_REQUEST = (
    "from app import create_app; create_app().test_client().get('/healthz', headers={'Host': 'studio.test'})"
)


def test_processes_write_their_values_to_the_directory_and_the_listener_sums_them(base_config, tmp_path):
    """As gunicorn's workers do: each process its own files, one collector over all of them."""
    env = {**os.environ, **base_config, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", ONE_REQUEST], env=env, cwd=REPO, check=True, timeout=60)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(tmp_path))
    labels = {"route": "/healthz", "method": "GET", "status": "200"}
    assert registry.get_sample_value("rsm_http_request_duration_seconds_count", labels) == 2


@pytest.mark.parametrize(
    "host", ["studio.test", "www.studio.test", "abbey.studio.test", "nosuch.studio.test"]
)
def test_the_app_itself_serves_no_metrics_on_any_host_name(make_studio, host_client, host):
    """nginx passes every path to the app's port: the metrics are only on their own port."""
    make_studio("abbey")
    response = host_client(host).get("/metrics")
    assert response.status_code == 404 and b"rsm_http_request" not in response.data
