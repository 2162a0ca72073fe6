"""The app's Prometheus metrics, counted from the events app/logs.py reports (`observe`), served on
their own port (`PORT`, never through nginx) by gunicorn's master (app/gunicorn_conf.py).

One place measures: `logs.event` hands every event's fields here, so a metric and its log line
cannot disagree. gunicorn runs several worker processes: with PROMETHEUS_MULTIPROC_DIR set (a tmpfs
in the container) each process writes its values to files there and `serve` sums them; without it
(tests, `flask run`) the values live in this process's default registry.

Labels stay bounded: a route is its template (`/bookings/<uuid:booking_id>`), or "unmatched"; a
studio is the subdomain of a provisioned studio, a row in the master database made only by signup
or the operator, so a scanner sending random Host names adds no series (an unknown host has no
studio); one series per studio is what per-studio dashboards need.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, start_http_server

PORT = 9200  # inside the container; published on the host's loopback only
MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"

# Seconds; pages answer in milliseconds, the assistant and provisioning in seconds.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
SLOW_BUCKETS = (0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120)

REQUEST_SECONDS = Histogram(
    "rsm_http_request_duration_seconds",
    "Requests answered by the app, by route template, method and status; _count is the request count",
    ["route", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
STUDIO_REQUESTS = Counter("rsm_studio_requests", "Requests answered for each studio", ["studio"])
KEPT_PAGES = Counter(
    "rsm_kept_pages", "Staff pages served again from a process's page cache, by route template", ["route"]
)
ASSISTANT_CALLS = Counter(
    "rsm_assistant_calls",
    "Chat messages to the assistant, by outcome (answered or the failure's cause)",
    ["outcome"],
)
ASSISTANT_TOKENS = Counter("rsm_assistant_tokens", "Model tokens used by answered chats", ["kind"])
ASSISTANT_SECONDS = Histogram(
    "rsm_assistant_answer_duration_seconds", "Time to answer a chat message", buckets=SLOW_BUCKETS
)
CREDITS_SPENT = Counter("rsm_credits_spent", "AI credits spent by answered chats, per studio", ["studio"])
PROVISIONING_SECONDS = Histogram(
    "rsm_studio_provisioning_duration_seconds",
    "Time to provision a studio (database, schema, owner)",
    buckets=SLOW_BUCKETS,
)


def _request(fields: dict) -> None:
    route = fields["route"] or "unmatched"
    REQUEST_SECONDS.labels(route, fields["method"], str(fields["status"])).observe(
        fields["duration_ms"] / 1000
    )
    if fields.get("studio"):
        STUDIO_REQUESTS.labels(fields["studio"]).inc()
    if fields.get("kept_page"):
        KEPT_PAGES.labels(route).inc()


def _assistant_answered(fields: dict) -> None:
    ASSISTANT_CALLS.labels("answered").inc()
    ASSISTANT_TOKENS.labels("input").inc(fields["input_tokens"])
    ASSISTANT_TOKENS.labels("output").inc(fields["output_tokens"])
    ASSISTANT_SECONDS.observe(fields["latency_ms"] / 1000)
    CREDITS_SPENT.labels(fields["studio"]).inc(fields["credits_spent"])


def _assistant_failed(fields: dict) -> None:
    ASSISTANT_CALLS.labels(fields["cause"]).inc()


def _studio_provisioned(fields: dict) -> None:
    PROVISIONING_SECONDS.observe(fields["duration_ms"] / 1000)


COUNTED = {
    "request": _request,
    "assistant_answered": _assistant_answered,
    "assistant_failed": _assistant_failed,
    "studio_provisioned": _studio_provisioned,
}


def observe(event: str, fields: dict) -> None:
    """Count one app event (its name and its log line's fields); events without a metric pass."""
    count = COUNTED.get(event)
    if count is not None:
        count(fields)


def serve(port: int = PORT) -> None:
    """Answer GET /metrics on `port` from a thread of this process: every worker's values, summed."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry)


def worker_exited(pid: int) -> None:
    """Drop a dead worker's live-only values (gauges); its counters stay summed in the directory."""
    if os.environ.get(MULTIPROC_DIR):
        multiprocess.mark_process_dead(pid)
