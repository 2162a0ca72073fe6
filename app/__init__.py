"""Recording Studio Manager: the Flask application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import limits
from app.settings import SETTINGS, load_settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment's settings, overridden by `config` (tests pass one).

    A declared setting in `config` is given as the environment would give it (its str() is parsed);
    any other key goes to app.config as it is. The parsed settings are `app_settings()`.
    """
    app = Flask(__name__)
    config = dict(config or {})
    declared = {s.name for s in SETTINGS}
    settings = load_settings({**os.environ, **{k: str(v) for k, v in config.items() if k in declared}})
    app.config.update(
        SETTINGS=settings,
        # The two settings Flask itself reads from its config.
        SECRET_KEY=settings.SECRET_KEY,
        SESSION_COOKIE_SECURE=settings.SESSION_COOKIE_SECURE,
        SESSION_COOKIE_NAME="rsm_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Host-only cookies: a studio's session cookie is never sent to another studio.
        SESSION_COOKIE_DOMAIN=False,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        PREFERRED_URL_SCHEME="https" if settings.SESSION_COOKIE_SECURE else "http",
        MAX_CONTENT_LENGTH=limits.MAX_CONTENT_LENGTH,
    )
    app.config.update({k: v for k, v in config.items() if k not in declared})
    # nginx on the same host is the one proxy hop in front of the app.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    from app import errors, i18n, logs, plans, tenancy
    from app.extensions import master_db, redis_store
    from app.pagecache import page_cache
    from app.platform.urls import apex_url
    from app.security import csrf, headers, input_guard, rate_limits
    from app.security.sessions import RedisSessionInterface
    from app.turns import turns

    # First: every request is timed and logged, even one the resolver refuses.
    logs.init_app(app)
    master_db.init_app(app)
    redis_store.init_app(app)
    app.session_interface = RedisSessionInterface()
    # Then input no view can use, refused; then a foreign or unknown host, before anything else
    # looks at the request (CSRF included).
    input_guard.init_app(app)
    tenancy.init_app(app)
    # Right after the studio is known: a studio whose trial ended refuses writes.
    plans.init_app(app)
    csrf.init_app(app)
    # After tenant resolution: the sign-in forms' limits are counted per studio.
    rate_limits.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    headers.init_app(app)
    page_cache.init_app(app)
    # Outermost: a request waits for its turn before anything of it runs (app/turns.py).
    turns.init_app(app)
    app.jinja_env.globals["apex_url"] = apex_url

    from app import periodic
    from app.mail import cli as mail_cli

    mail_cli.init_app(app)
    periodic.init_app(app)

    from app.auth import bp as auth_bp
    from app.health import bp as health_bp
    from app.platform import bp as platform_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(platform_bp)
    app.register_blueprint(auth_bp)

    from app.api import bp as api_bp
    from app.home import home
    from app.portal import bp as portal_bp
    from app.staff import bp as staff_bp

    app.register_blueprint(staff_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(api_bp)
    app.add_url_rule("/", "home", home)
    return app
