"""How often one address may make the platform work without signing in: every limit, in one place.

Two mechanisms, both counting in the app's Redis:
- request rates, by Flask-Limiter (a moving window per address, or per studio and address), on
  every anonymous endpoint that costs: signup (each finished one is a CREATE DATABASE plus
  migrations), the wizard's steps, the subdomain check, the studio finder, and the sign-in forms
  (each attempt is an argon2 verification), and the password-reset form (each may send a mail);
- failed sign-ins, by the login throttle (app/security/throttle.py), which counts failures only,
  forgets an account's failures when it signs in, and says how long to wait. Flask-Limiter counts
  requests and cannot be reset by a success, hence the two.

A breached limit answers 429 with a sentence and a Retry-After header: the error page, or JSON
for the API and for callers that ask for JSON (the subdomain check).
"""

from __future__ import annotations

from flask import g, request
from flask_limiter import Limiter

from app.extensions import redis_tls_options
from app.settings import app_settings

# Request rates, per address (per studio and address for the sign-in forms).
SIGNUP = "3 per hour;10 per day"
SIGNUP_STEPS = "30 per minute"
SUBDOMAIN_CHECK = "60 per minute"
FIND_STUDIO = "20 per minute"
SIGN_IN = "30 per minute"
# Each request may send a mail: a few per studio and address, so nobody floods an inbox from here.
PASSWORD_RESET = "5 per 15 minutes;20 per day"
# Second-factor codes (sign-in, enrolment, turning it off): a code has a million values.
SECOND_FACTOR = "10 per minute"
# Failed sign-ins within FAILURE_WINDOW_SECONDS: per account, and per studio and address.
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 20
FAILURE_WINDOW_SECONDS = 15 * 60

TOO_MANY = "Too many requests from your address. Wait a moment and try again."
TOO_MANY_SIGNUPS = "Too many studios were created from your address. Try again later, or write to us."


def client_address() -> str:
    """The visitor's address: nginx, the one proxy in front, gives it (ProxyFix reads it)."""
    return request.remote_addr or "unknown"


def studio_and_address() -> str:
    """One studio's visitors are counted apart from another's behind the same address (a NAT)."""
    studio = g.get("studio")
    return f"{studio.id if studio is not None else 'platform'}:{client_address()}"


limiter = Limiter(
    key_func=client_address,
    strategy="moving-window",
    headers_enabled=True,
    key_prefix="rate",
)


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app_settings(app).REDIS_URL)
    # Redis's own socket bounds, as the app's other Redis client has them.
    app.config.setdefault(
        "RATELIMIT_STORAGE_OPTIONS",
        {
            "socket_timeout": 5,
            "socket_connect_timeout": 5,
            **redis_tls_options(app_settings(app).REDIS_CA_FILE),
        },
    )
    limiter.init_app(app)
