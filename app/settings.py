"""The app's settings: declared once, read from the environment once.

`SETTINGS` is the single source of truth for what the app reads. The deploy imports it to decide
what goes into the containers' env file, so a variable the app needs can never be forgotten there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit


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


def _domain(value: str) -> str:
    value = value.strip().lower().rstrip(".")
    if not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*", value):
        raise ValueError("must be a DNS name such as studio.example.com")
    return value


def _postgres_url(value: str) -> str:
    scheme, sep, rest = value.partition("://")
    if scheme not in ("postgresql", "postgresql+psycopg2", "postgres") or not sep:
        raise ValueError("must be a postgresql:// URL")
    # psycopg2 is the driver we ship; SQLAlchemy 2.1 would otherwise pick psycopg 3.
    return "postgresql+psycopg2://" + rest


def _redis_url(value: str) -> str:
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise ValueError("must be a redis:// URL")
    return value


def _secret_key(value: str) -> str:
    if len(value) < 32:
        raise ValueError("must be at least 32 characters")
    return value


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("must be a positive integer")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise ValueError("must be a positive number")
    return number


def _db_prefix(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", value):
        raise ValueError("must be lower-case letters, digits and underscores, starting with a letter")
    return value


def _text(value: str) -> str:
    return value


SETTINGS: tuple[Setting, ...] = (
    Setting("PLATFORM_DOMAIN", "Apex domain; studios live on SUBDOMAIN.PLATFORM_DOMAIN"),
    Setting("MASTER_DATABASE_URL", "PostgreSQL URL of the master database", secret=True, source="deploy"),
    Setting(
        "TENANT_DATABASE_SERVER_URL",
        "PostgreSQL URL (any database name) of the server holding the studios' databases; "
        "the role needs CREATEDB",
        secret=True,
        source="deploy",
    ),
    Setting("REDIS_URL", "Redis URL for throttling, sessions and chat history", secret=True, source="deploy"),
    Setting("SECRET_KEY", "Key signing sessions and CSRF tokens (32+ characters)", secret=True, source="deploy"),
    Setting(
        "SESSION_COOKIE_SECURE",
        "Send session cookies over HTTPS only; false only for local HTTP development",
        required=False,
        default="true",
    ),
    Setting(
        "ANTHROPIC_API_KEY",
        "Anthropic API key for the AI assistant; without it the assistant answers 503",
        required=False,
        secret=True,
    ),
    Setting("ANTHROPIC_BASE_URL", "Override of the Anthropic API address", required=False),
    Setting("ANTHROPIC_MODEL", "Model used by the AI assistant", required=False, default="claude-haiku-4-5"),
    Setting(
        "ANTHROPIC_TIMEOUT_SECONDS",
        "Timeout of one Anthropic API call; a gthread worker thread waits at most this long",
        required=False,
        default="30",
    ),
    Setting("AI_TRIAL_CREDITS", "AI credits granted to a new studio", required=False, default="200"),
    Setting(
        "TENANT_DATABASE_PREFIX",
        "Prefix of the studios' database names (the rest is the organization's id)",
        required=False,
        default="studio_",
    ),
    Setting(
        "TENANT_CONNECTIONS_PER_PROCESS",
        "Cap on open connections to studio databases held by one app process",
        required=False,
        default="4",
    ),
    Setting(
        "MASTER_POOL_SIZE",
        "Connections to the master database kept by one app process",
        required=False,
        default="2",
    ),
    Setting(
        "TENANT_ENGINE_CACHE_SIZE",
        "Studio database engines kept per process (least recently used are dropped)",
        required=False,
        default="64",
    ),
)

_PARSERS: dict[str, Callable[[str], Any]] = {
    "PLATFORM_DOMAIN": _domain,
    "MASTER_DATABASE_URL": _postgres_url,
    "TENANT_DATABASE_SERVER_URL": _postgres_url,
    "REDIS_URL": _redis_url,
    "SECRET_KEY": _secret_key,
    "SESSION_COOKIE_SECURE": _bool,
    "ANTHROPIC_API_KEY": _text,
    "ANTHROPIC_BASE_URL": _text,
    "ANTHROPIC_MODEL": _text,
    "ANTHROPIC_TIMEOUT_SECONDS": _positive_float,
    "AI_TRIAL_CREDITS": _positive_int,
    "TENANT_DATABASE_PREFIX": _db_prefix,
    "TENANT_CONNECTIONS_PER_PROCESS": _positive_int,
    "MASTER_POOL_SIZE": _positive_int,
    "TENANT_ENGINE_CACHE_SIZE": _positive_int,
}


def required_names() -> list[str]:
    return [s.name for s in SETTINGS if s.required]


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse every declared setting; raise one SettingsError naming every problem."""
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
            values[setting.name] = _PARSERS[setting.name](raw)
        except ValueError as exc:
            malformed.append(f"{setting.name} {exc}")
    problems = []
    if missing:
        problems.append("missing required settings: " + ", ".join(missing))
    if malformed:
        problems.append("malformed settings: " + "; ".join(malformed))
    if problems:
        raise SettingsError("Cannot start: " + ". ".join(problems) + ".")
    return values
