"""Error pages: every failure a user can meet gets a page (or JSON for the API), never a stack trace."""

from __future__ import annotations

import redis
from flask import g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from app.tenancy.databases import UnknownServer


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _signed_in_staff() -> bool:
    """A staff member of this studio is signed in: their error page keeps the studio's name and menu."""
    from app.auth.guards import current_staff

    return g.get("studio") is not None and current_staff() is not None


def _page(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=title, message=message), status
    # Only for a refusal (4xx): after a failure (5xx) the studio's database may be what failed.
    template = "errors/staff_error.html" if status < 500 and _signed_in_staff() else "errors/error.html"
    return render_template(template, status=status, title=title, message=message), status


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _page(exc.code or 500, exc.name, exc.description or "")

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeoutError)
    @app.errorhandler(redis.ConnectionError)
    @app.errorhandler(redis.TimeoutError)
    @app.errorhandler(UnknownServer)
    def unavailable(exc):
        if isinstance(exc, UnknownServer):
            # Fails closed: a studio on a server this process does not know is not served at all.
            app.logger.error("studio %s: %s", getattr(g.get("studio"), "subdomain", "?"), exc)
        app.logger.warning("service unavailable: %s", type(exc).__name__)
        return _page(
            503, "Temporarily unavailable", "The studio service is busy or restarting. Try again in a moment."
        )
