"""The app's environment, decided from `app.settings.SETTINGS` (pure: no host, no I/O).

Where each value comes from:
- `PLATFORM_DOMAIN`: host data `domain`.
- the other `source="operator"` settings: the operator's values (deploy/common/operator.py).
  Optional ones nobody set are left out, so the app applies its own defaults.
- `source="deploy"` settings: built here from secrets that live only on the server, as `@@name@@`
  placeholders which the server fills in when it writes the real env file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from app.settings import SETTINGS, conflicts
from deploy.app.config import APP_DATABASE, APP_ROLE, CONTAINER_CA_FILE, DB_HOSTNAME, POOLER_PORT
from deploy.common.secrets import SHARED_PASSWORDS, placeholder
from deploy.common.topology import DbServer
from deploy.redis.config import PORT as REDIS_PORT
from deploy.redis.config import TLS_PORT as REDIS_TLS_PORT

POSTGRES_PORT = 5432
# Toward another host: TLS, the server's certificate checked against the deploy's CA and its address.
TLS_QUERY = f"?sslmode=verify-full&sslrootcert={CONTAINER_CA_FILE}"
# One server that is web and db: its containers reach it on the app network's gateway, plainly.
LOCAL = DbServer("", DB_HOSTNAME, tls=False)


def postgres_url(server: DbServer, port: int, database: str) -> str:
    # Inside a URL a password is percent-encoded: an operator's may hold @ / : % and the like.
    pg = placeholder("postgres_password", "url")
    host = server.address if server.tls else DB_HOSTNAME
    return f"postgresql://{APP_ROLE}:{pg}@{host}:{port}/{database}" + (TLS_QUERY if server.tls else "")


def deploy_values(domain: str, servers: Sequence[DbServer] = ()) -> dict[str, str]:
    """The `source="deploy"` settings, with placeholders for the server-side secrets. `servers`:
    every database server as this web host's containers reach it, the home one (master database,
    Redis) first; none given: one server that is web and db."""
    home = servers[0] if servers else LOCAL
    redis = placeholder("redis_password", "url")
    values = {
        "PLATFORM_DOMAIN": domain,
        "MASTER_DATABASE_URL": postgres_url(home, POSTGRES_PORT, APP_DATABASE),
        "TENANT_DATABASE_SERVER_URL": postgres_url(home, POSTGRES_PORT, "postgres"),
        "TENANT_DATABASE_POOL_URL": postgres_url(home, POOLER_PORT, "postgres"),
        "REDIS_URL": (
            f"rediss://:{redis}@{home.address}:{REDIS_TLS_PORT}/0"
            if home.tls
            else f"redis://:{redis}@{DB_HOSTNAME}:{REDIS_PORT}/0"
        ),
        "SECRET_KEY": placeholder("secret_key"),
    }
    if home.tls:
        values["REDIS_CA_FILE"] = CONTAINER_CA_FILE
    if len(servers) > 1:
        values["TENANT_DATABASE_SERVERS"] = json.dumps(
            {
                s.name: {
                    "url": postgres_url(s, POSTGRES_PORT, "postgres"),
                    "pool_url": postgres_url(s, POOLER_PORT, "postgres"),
                    "weight": s.weight,
                }
                for s in servers
            },
            separators=(",", ":"),
        )
    return values


def missing_settings(settings: Iterable, values: Mapping[str, str]) -> list[str]:
    """Required settings without a value, in declaration order."""
    return [s.name for s in settings if s.required and not str(values.get(s.name, "")).strip()]


def value_problems(values: Mapping[str, str]) -> list[str]:
    """Values the server's files cannot carry: a line break anywhere; a single quote in a value the
    env file carries literally (it single-quotes every value, RSM_SECRET_KEY's too). The shared
    passwords (RSM_..._PASSWORD) are encoded for each place they go (rsm-render), so any other
    character is theirs to use."""
    problems = []
    for name, value in values.items():
        if "\n" in value or "\r" in value or "\x00" in value:
            problems.append(f"{name} contains a line break or a NUL character")
        elif "'" in value and name not in SHARED_PASSWORDS:
            problems.append(f"{name} contains a single quote")
    return problems


def parse_problems(settings: Iterable, operator: Mapping[str, str]) -> list[str]:
    """What the app would refuse at start in the operator's values: malformed, or contradicting."""
    parsed, problems = {}, []
    for s in settings:
        raw = str(operator.get(s.name, ""))
        if s.source != "operator" or not raw.strip():
            continue
        try:
            parsed[s.name] = s.parse(raw)
        except ValueError as exc:
            problems.append(f"{s.name} {exc}")
    return problems or conflicts(parsed)


def env_values(
    settings: Iterable, domain: str, operator: Mapping[str, str], servers: Sequence[DbServer] = ()
) -> dict[str, str]:
    """Every setting that goes into the env file, in declaration order; unset optionals omitted."""
    provided = {
        **deploy_values(domain, servers),
        **{k: v for k, v in operator.items() if k != "PLATFORM_DOMAIN"},
    }
    return {s.name: provided[s.name] for s in settings if s.name in provided}


def env_template_context(values: Mapping[str, str]) -> dict:
    """For templates/app/app.env.j2: one `NAME='value'` a line (Compose reads single quotes literally)."""
    return {"values": dict(values)}


def setting_value(name: str, operator: Mapping[str, str]) -> str:
    """The operator's value of a setting, else the app's default."""
    default = next(s.default for s in SETTINGS if s.name == name)
    return operator.get(name) or default
