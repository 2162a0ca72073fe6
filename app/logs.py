"""Structured logs: one JSON line per request and per app event, on stderr (Docker's log driver keeps them).

A request's id comes from nginx (`X-Request-ID`, its `$request_id`) so its access log line and the
app's share it; a request that did not come through nginx gets a fresh one. Every line is one JSON
object; events name what happened (`event`), never a secret, a password or a chat's content: callers
pass only the fields they choose.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request

from app import metrics

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; anything else a client sends is replaced, not trusted.
REQUEST_ID = re.compile(r"[A-Za-z0-9-]{16,64}")

events = logging.getLogger("app.events")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields is None:
            entry["message"] = record.getMessage()
            entry.update(_request_fields())
        else:
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, separators=(",", ":"), default=str)


def event(name: str, level: int = logging.INFO, **fields) -> None:
    """Log an app event as one JSON line: `event(name, **fields)`; the fields must hold no secret.

    The same fields feed the app's metrics (app/metrics.py), so both say the same.
    """
    fields = {**_request_fields(), **fields}
    events.log(level, name, extra={"fields": {"event": name, **fields}})
    metrics.observe(name, fields)


def _request_fields() -> dict:
    if not has_request_context() or "request_id" not in g:
        return {}
    studio = g.get("studio")
    return {"request_id": g.request_id, "studio": studio.subdomain if studio is not None else None}


def _user_kind() -> str:
    # A kept page (app/pagecache.py) was rendered for a staff member and is served without loading them.
    if g.get("kept_page") or g.get("current_staff") is not None:
        return "staff"
    if g.get("current_client") is not None:
        return "client"
    return "anonymous"


def _start_request() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish_request(response: Response) -> Response:
    if "request_id" not in g:  # refused before any before_request ran (e.g. a malformed URL)
        _start_request()
    response.headers[REQUEST_ID_HEADER] = g.request_id
    rule = request.url_rule
    event(
        "request",
        method=request.method,
        route=rule.rule if rule is not None else None,
        path=request.path,
        status=response.status_code,
        duration_ms=round((time.perf_counter() - g.request_started) * 1000, 1),
        user=_user_kind(),
        remote=request.remote_addr,
        **({"kept_page": True} if g.get("kept_page") else {}),
    )
    return response


def init_app(app: Flask) -> None:
    """JSON lines for the `app` loggers, and the request log; call first so every request is timed."""
    logger = logging.getLogger("app")
    if not any(isinstance(h.formatter, JsonFormatter) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    app.before_request(_start_request)
    app.after_request(_finish_request)
