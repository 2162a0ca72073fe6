"""CSRF: a per-session token, required on every state-changing request (form field or header)."""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
FORM_FIELD = "csrf_token"
HEADER = "X-CSRFToken"


def csrf_token() -> str:
    if "_csrf" not in session:
        session["_csrf"] = secrets.token_urlsafe(32)
    return session["_csrf"]


def protect() -> None:
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER) or request.form.get(FORM_FIELD) or ""
    expected = session.get("_csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(
            400,
            description="The form expired or was not sent by this site (CSRF check failed). "
            "Reload the page and try again.",
        )


def init_app(app) -> None:
    app.before_request(protect)
    app.jinja_env.globals["csrf_token"] = csrf_token
