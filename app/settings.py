"""The app's settings: declared once, read from the environment once, then read by attribute.

`Settings` declares every setting the app reads, each with its meaning and its parser; the code
reads `app_settings().REDIS_URL` (a frozen object, so nothing can change or add one later).
`SETTINGS` lists the same declarations for the deploy, which imports it to decide what goes into
the containers' env file, so a variable the app needs can never be forgotten there.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app


class SettingsError(RuntimeError):
    """Raised at start-up when required settings are missing or malformed."""


@dataclass(frozen=True)
class Setting:
    name: str
    meaning: str
    required: bool = True
    secret: bool = False
    default: str | None = None
    # Deploy-time settings are derived by the deploy (e.g. URLs built from generated passwords);
    # "operator" ones must be given by whoever runs the deploy.
    source: str = "operator"
    # The raw environment string -> the value the app reads; ValueError(problem) when malformed.
    parse: Callable[[str], Any] = str


def _domain(value: str) -> str:
    value = value.strip().lower().rstrip(".")
    if not re.fullmatch(
        r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*", value
    ):
        raise ValueError("must be a DNS name such as studio.example.com")
    return value


def _postgres_url(value: str) -> str:
    scheme, sep, rest = value.partition("://")
    if scheme not in ("postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgres") or not sep:
        raise ValueError("must be a postgresql:// URL")
    # psycopg 3 is the driver we ship (with Debian's libpq); SQLAlchemy 2.0 would pick psycopg2 for a
    # bare postgresql://, and an operator's URL may still name psycopg2.
    return "postgresql+psycopg://" + rest


def _redis_url(value: str) -> str:
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ValueError("must be a redis:// URL")
    return value


SECRET_KEY_MIN_LENGTH = 32


def _secret_key(value: str) -> str:
    if len(value) < SECRET_KEY_MIN_LENGTH:
        raise ValueError(f"must be at least {SECRET_KEY_MIN_LENGTH} characters")
    return value


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError("must be a positive integer") from None
    if number < 1:
        raise ValueError("must be a positive integer")
    return number


def _hour(value: str) -> int:
    if not value.strip().isdigit() or not 0 <= int(value) <= 23:
        raise ValueError("must be an hour from 0 to 23")
    return int(value)


def _float_where(value: str, allowed: Callable[[float], bool], requirement: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError(requirement) from None
    if not allowed(number) or number == float("inf"):
        raise ValueError(requirement)
    return number


def _positive_float(value: str) -> float:
    return _float_where(value, lambda number: number > 0, "must be a positive number")


def _non_negative_float(value: str) -> float:
    return _float_where(value, lambda number: number >= 0, "must be a number, 0 or more")


def _smtp_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("must be an smtp:// or smtps:// URL such as smtp://user:password@relay.example:587")
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here, not at the first mail
    except ValueError:
        raise ValueError("has a port that is not a number") from None
    return value


def _mail_address(value: str) -> str:
    from email.headerregistry import Address
    from email.utils import parseaddr

    name, address = parseaddr(value)
    local, at, domain = address.rpartition("@")
    if not (at and local and domain) or "\n" in value or "\r" in value:
        raise ValueError("must be an address such as 'Studio Manager <noreply@example.com>'")
    return str(Address(display_name=name, addr_spec=address))


def _db_prefix(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", value):
        raise ValueError("must be lower-case letters, digits and underscores, starting with a letter")
    return value


def _resolver_class(value: str) -> type:
    """'package.module:Class', a subclass of app.tenancy.resolver.TenantResolver."""
    from app.tenancy.resolver import TenantResolver

    module_name, sep, class_name = value.strip().partition(":")
    try:
        found = getattr(importlib.import_module(module_name), class_name) if sep else None
    except (ImportError, AttributeError):
        found = None
    if not (isinstance(found, type) and issubclass(found, TenantResolver)):
        raise ValueError("must name a TenantResolver subclass as package.module:Class")
    return found


def _database_servers(value: str) -> tuple:
    from app.tenancy.servers import parse_servers

    return parse_servers(value, _postgres_url)


def _server_name(value: str) -> str:
    from app.tenancy.servers import server_name

    return server_name(value)


def _declare(meaning: str, parse: Callable[[str], Any] = str, **facts: Any):
    return field(metadata={"setting": dict(meaning=meaning, parse=parse, **facts)})


@dataclass(frozen=True)
class Settings:
    """Every setting, parsed; one attribute per environment variable of the same name."""

    PLATFORM_DOMAIN: str = _declare("Apex domain; studios live on SUBDOMAIN.PLATFORM_DOMAIN", _domain)
    MASTER_DATABASE_URL: str = _declare(
        "PostgreSQL URL of the master database", _postgres_url, secret=True, source="deploy"
    )
    TENANT_DATABASE_SERVER_URL: str = _declare(
        "PostgreSQL URL (any database name) of the server holding the studios' databases; the role needs CREATEDB",
        _postgres_url,
        secret=True,
        source="deploy",
    )
    TENANT_DATABASE_POOL_URL: str | None = _declare(
        "PostgreSQL URL (any database name) of the connection pooler (PgBouncer, transaction pooling) "
        "through which requests reach the studios' databases; unset, they connect to "
        "TENANT_DATABASE_SERVER_URL",
        _postgres_url,
        required=False,
        secret=True,
        source="deploy",
    )
    TENANT_DATABASE_SERVERS: tuple | None = _declare(
        "The PostgreSQL servers of the studios' databases, as a JSON object in order: name (the "
        'inventory\'s db host) -> {"url": direct URL, "pool_url": pooler URL (optional), "weight": '
        "positive number (optional, 1)}. New studios go to the one with the fewest studios per weight. "
        "The first is the home server (it holds the master database; studios from before several "
        "servers live there): TENANT_DATABASE_SERVER_URL must equal its url, and "
        "TENANT_DATABASE_POOL_URL its pool_url or be unset. Unset: one server, "
        "TENANT_DATABASE_SERVER_URL, named TENANT_DATABASE_SERVER_NAME",
        _database_servers,
        required=False,
        secret=True,
        source="deploy",
    )
    TENANT_DATABASE_SERVER_NAME: str = _declare(
        "Name of the one studio database server when TENANT_DATABASE_SERVERS is unset",
        _server_name,
        required=False,
        default="main",
    )
    REDIS_URL: str = _declare(
        "Redis URL for throttling, sessions and chat history", _redis_url, secret=True, source="deploy"
    )
    REDIS_CA_FILE: str | None = _declare(
        "CA certificate file verifying Redis's certificate, for a rediss:// REDIS_URL to another host",
        required=False,
        source="deploy",
    )
    SECRET_KEY: str = _declare(
        "Key signing sessions and CSRF tokens (32+ characters)", _secret_key, secret=True, source="deploy"
    )
    SESSION_COOKIE_SECURE: bool = _declare(
        "Send session cookies over HTTPS only; false only for local HTTP development",
        _bool,
        required=False,
        default="true",
    )
    ASSISTANT_ENABLED: bool = _declare(
        "Whether the AI assistant is on, declared on purpose: true needs ANTHROPIC_API_KEY (refused at "
        "preflight and at start without it); false switches the assistant off (it answers 503 saying so)",
        _bool,
    )
    ANTHROPIC_API_KEY: str | None = _declare(
        "Anthropic API key for the AI assistant (required when ASSISTANT_ENABLED is true)",
        required=False,
        secret=True,
    )
    ANTHROPIC_BASE_URL: str | None = _declare("Override of the Anthropic API address", required=False)
    ANTHROPIC_MODEL: str = _declare(
        "Model used by the AI assistant", required=False, default="claude-haiku-4-5"
    )
    ANTHROPIC_TIMEOUT_SECONDS: float = _declare(
        "Timeout of one Anthropic API call; a gthread worker thread waits at most this long",
        _positive_float,
        required=False,
        default="30",
    )
    MAIL_SMTP_URL: str | None = _declare(
        "The SMTP relay the mail worker sends through: smtp://[user:password@]host[:port] (STARTTLS per "
        "MAIL_STARTTLS) or smtps://... (TLS from the start); credentials percent-encoded. Unset, mail is "
        "queued and kept (in RQ's failed registry) until it is set",
        _smtp_url,
        required=False,
        secret=True,
    )
    MAIL_STARTTLS: bool = _declare(
        "Whether an smtp:// relay is asked for STARTTLS before anything is sent (refused mail is kept)",
        _bool,
        required=False,
        default="true",
    )
    MAIL_FROM: str | None = _declare(
        "The From address of every mail, e.g. 'Studio Manager <noreply@example.com>'; unset, "
        "noreply@PLATFORM_DOMAIN; the studio's name is its display name for a studio's mail",
        _mail_address,
        required=False,
    )
    MAIL_RETRIES: int = _declare(
        "How many times the worker retries a mail it could not hand to the relay before keeping it "
        "in the failed registry (`flask mail failed`, `flask mail retry`)",
        _positive_int,
        required=False,
        default="8",
    )
    MAIL_RETRY_SECONDS: int = _declare(
        "The wait before a mail's first retry; each next retry waits twice as long",
        _positive_int,
        required=False,
        default="30",
    )
    MAIL_REMINDER_HOUR: int = _declare(
        "The hour (0-23, in each studio's time zone) from which the day-before reminders of the next "
        "day's bookings are sent",
        _hour,
        required=False,
        default="18",
    )
    AI_TRIAL_CREDITS: int = _declare(
        "AI credits granted to a new studio", _positive_int, required=False, default="200"
    )
    TENANT_DATABASE_PREFIX: str = _declare(
        "Prefix of the studios' database names (the rest is the organization's id)",
        _db_prefix,
        required=False,
        default="studio_",
    )
    TENANT_POOL_SIZE: int = _declare(
        "Connections one app process keeps open to one studio's database (its engine's pool)",
        _positive_int,
        required=False,
        default="2",
    )
    MASTER_POOL_SIZE: int = _declare(
        "Connections to the master database kept by one app process",
        _positive_int,
        required=False,
        default="2",
    )
    TENANT_ENGINE_CACHE_SIZE: int = _declare(
        "Studio database engines kept per process (least recently used are dropped)",
        _positive_int,
        required=False,
        default="64",
    )
    TENANT_CONNECTION_WAIT_SECONDS: float = _declare(
        "How long a request waits for a free connection of its studio's pool before the 503 page",
        _positive_float,
        required=False,
        default="10",
    )
    TENANT_CACHE_SECONDS: float = _declare(
        "How long a process reuses a studio it looked up in the master database; a suspension made "
        "elsewhere takes effect within this time",
        _positive_float,
        required=False,
        default="5",
    )
    PAGE_CACHE_SECONDS: float = _declare(
        "How long a process may serve a staff page it rendered again, while the studio's data is "
        "unchanged (0: never); a change made without the app (a restore) is seen within this time",
        _non_negative_float,
        required=False,
        default="5",
    )
    PAGE_CACHE_MEGABYTES: int = _declare(
        "Memory one process keeps rendered staff pages in (least recently used are dropped)",
        _positive_int,
        required=False,
        default="32",
    )
    TENANT_RESOLVER: type = _declare(
        "Class resolving each request's studio (package.module:Class, a TenantResolver subclass whose hooks "
        "override the default's, as in django-tenants)",
        _resolver_class,
        required=False,
        default="app.tenancy.resolver:TenantResolver",
    )


SETTINGS: tuple[Setting, ...] = tuple(Setting(name=f.name, **f.metadata["setting"]) for f in fields(Settings))


def required_names() -> list[str]:
    return [s.name for s in SETTINGS if s.required]


def conflicts(values: Mapping[str, Any]) -> list[str]:
    """Settings that are each well-formed but contradict one another (parsed values in)."""
    problems = []
    if values.get("ASSISTANT_ENABLED") and not values.get("ANTHROPIC_API_KEY"):
        problems.append(
            "ASSISTANT_ENABLED is true but ANTHROPIC_API_KEY is not set (give the key, or set "
            "ASSISTANT_ENABLED=false to run without the assistant)"
        )
    servers = values.get("TENANT_DATABASE_SERVERS")
    if servers:
        home = servers[0]
        if values.get("TENANT_DATABASE_SERVER_URL") not in (None, home.url):
            problems.append(
                f"TENANT_DATABASE_SERVER_URL is not the url of {home.name}, the first of TENANT_DATABASE_SERVERS"
            )
        if values.get("TENANT_DATABASE_POOL_URL") not in (None, home.pool_url):
            problems.append(
                f"TENANT_DATABASE_POOL_URL is not the pool_url of {home.name}, the first of TENANT_DATABASE_SERVERS"
            )
    return problems


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Parse every declared setting from raw strings; raise one SettingsError naming every problem."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    missing: list[str] = []
    malformed: list[str] = []
    for setting in SETTINGS:
        raw = environ.get(setting.name, "")
        if raw.strip() == "":
            if setting.required:
                missing.append(setting.name)
                continue
            raw = setting.default
        if raw is None:
            values[setting.name] = None
            continue
        try:
            values[setting.name] = setting.parse(raw)
        except ValueError as exc:
            malformed.append(f"{setting.name} {exc}")
    problems = []
    if missing:
        problems.append("missing required settings: " + ", ".join(missing))
    if malformed:
        problems.append("malformed settings: " + "; ".join(malformed))
    if not problems:
        problems += conflicts(values)
    if problems:
        raise SettingsError("Cannot start: " + ". ".join(problems) + ".")
    return Settings(**values)


def app_settings(app: Flask | None = None) -> Settings:
    """The settings create_app parsed, of `app` or else of the current app."""
    return (app or current_app).config["SETTINGS"]
