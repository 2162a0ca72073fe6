"""The app's environment, decided from `app.settings.SETTINGS` (pure: no host, no I/O).

Where each value comes from:
- `PLATFORM_DOMAIN`: host data `domain`.
- the other `source="operator"` settings: the operator's environment, else the secrets file
  (`secrets/<inventory>.env`, outside git), else host data `app_settings` (non-secret tuning).
  Optional ones nobody set are left out, so the app applies its own defaults.
- `source="deploy"` settings: built here from secrets that live only on the server. They appear
  as `@@name@@` placeholders which the server fills in from `/etc/rsm/secrets/<name>` when it
  writes the real env file, so generated passwords never pass through the controller.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

#: Server-side secrets that the deploy generates once (or takes from the operator).
GENERATED_SECRETS = ("postgres_password", "redis_password", "secret_key")

#: Operator variables that replace a generated secret (needed when web and db are separate hosts).
OPERATOR_SECRET_OVERRIDES = {
    "postgres_password": "RSM_POSTGRES_PASSWORD",
    "redis_password": "RSM_REDIS_PASSWORD",
}

APP_DATABASE = "rsm"
APP_ROLE = "rsm"
DB_HOSTNAME = "rsm-db"  # resolved inside the containers through compose `extra_hosts`


def placeholder(name: str) -> str:
    return f"@@{name}@@"


def parse_env_file(text: str) -> dict[str, str]:
    """`NAME=value` lines (optionally `export NAME=...`, quoted values); `#` comments, blanks."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"line {number}: expected NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name] = value
    return values


def operator_values(
    settings: Iterable,
    environ: Mapping[str, str],
    secrets_file: Mapping[str, str],
    host_settings: Mapping[str, object],
) -> dict[str, str]:
    """Values of the operator-sourced settings, by precedence environ > secrets file > host data.

    Empty values count as unset. PLATFORM_DOMAIN is not read here (it is host data `domain`).
    """
    values: dict[str, str] = {}
    for setting in settings:
        if setting.source != "operator" or setting.name == "PLATFORM_DOMAIN":
            continue
        for source in (environ, secrets_file, host_settings):
            value = source.get(setting.name)
            if value is not None and str(value).strip() != "":
                values[setting.name] = str(value)
                break
    for name in OPERATOR_SECRET_OVERRIDES.values():
        for source in (environ, secrets_file):
            value = source.get(name)
            if value is not None and str(value).strip() != "":
                values[name] = str(value)
                break
    return values


def value_problems(values: Mapping[str, str]) -> list[str]:
    """Values the env file cannot carry literally (it single-quotes every value)."""
    return [
        f"{name} contains a quote or a line break"
        for name, value in values.items()
        if "'" in value or "\n" in value or "\r" in value
    ]


def deploy_values(domain: str) -> dict[str, str]:
    """The `source="deploy"` settings, with placeholders for the server-side secrets."""
    pg = placeholder("postgres_password")
    return {
        "PLATFORM_DOMAIN": domain,
        "MASTER_DATABASE_URL": f"postgresql://{APP_ROLE}:{pg}@{DB_HOSTNAME}:5432/{APP_DATABASE}",
        "TENANT_DATABASE_SERVER_URL": f"postgresql://{APP_ROLE}:{pg}@{DB_HOSTNAME}:5432/postgres",
        "REDIS_URL": f"redis://:{placeholder('redis_password')}@{DB_HOSTNAME}:6379/0",
        "SECRET_KEY": placeholder("secret_key"),
    }


def missing_settings(settings: Iterable, values: Mapping[str, str]) -> list[str]:
    """Required settings without a value, in declaration order."""
    return [s.name for s in settings if s.required and not str(values.get(s.name, "")).strip()]


def env_values(settings: Iterable, domain: str, operator: Mapping[str, str]) -> dict[str, str]:
    """Every setting that goes into the env file, in declaration order; unset optionals omitted."""
    provided = {**deploy_values(domain), **{k: v for k, v in operator.items() if k != "PLATFORM_DOMAIN"}}
    return {s.name: provided[s.name] for s in settings if s.name in provided}


def render_env_template(values: Mapping[str, str]) -> str:
    """The env file template: one `NAME='value'` a line (Compose reads single quotes literally)."""
    lines = ["# Written by the deploy from app.settings.SETTINGS. Root-only; do not edit by hand."]
    lines += [f"{name}='{value}'" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def secret_names_in(text: str) -> list[str]:
    """The server-side secrets a template refers to, in first-use order."""
    seen: list[str] = []
    for name in re.findall(r"@@([a-z_]+)@@", text):
        if name not in seen:
            seen.append(name)
    return seen
