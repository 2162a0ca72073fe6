"""The PostgreSQL servers holding the studios' databases, and which one a new studio goes to.

TENANT_DATABASE_SERVERS names them (the inventory's db hosts); unset, there is one server built from
TENANT_DATABASE_SERVER_URL / TENANT_DATABASE_POOL_URL, named TENANT_DATABASE_SERVER_NAME. The first
is the home server, the one holding the master database: an organization row whose
`database_server` is NULL (made before there were several) lives there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

NAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,62}")
KEYS = frozenset({"url", "pool_url", "weight"})


@dataclass(frozen=True)
class DatabaseServer:
    name: str
    url: str  # direct: migrations, CREATE/DROP DATABASE, moves
    pool_url: str | None = None  # the pooler requests go through; None: direct
    weight: float = 1.0  # share of the studios it takes, relative to the others


def server_name(value: str) -> str:
    if not NAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a server name (lower-case letters, digits, dots and dashes)")
    return value


def parse_servers(raw: str, parse_url) -> tuple[DatabaseServer, ...]:
    """TENANT_DATABASE_SERVERS' JSON object, in its order; ValueError naming the bad entry."""
    try:
        given = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not JSON ({exc.msg})") from None
    if not isinstance(given, dict) or not given:
        raise ValueError('must be a JSON object such as {"db-1": {"url": "postgresql://..."}}')
    servers = []
    for name, entry in given.items():
        where = f"entry {name!r}"
        try:
            server_name(name)
            if not isinstance(entry, dict):
                raise ValueError("must be an object with url, pool_url and weight")
            unknown = sorted(set(entry) - KEYS)
            if unknown:
                raise ValueError(f"has unknown key(s) {', '.join(unknown)} (known: pool_url, url, weight)")
            if "url" not in entry:
                raise ValueError("has no url")
            weight = entry.get("weight", 1)
            if (
                isinstance(weight, bool)
                or not isinstance(weight, int | float)
                or not 0 < weight < float("inf")
            ):
                raise ValueError("has a weight that is not a positive number")
            urls = {key: _url(key, entry[key], parse_url) for key in ("url", "pool_url") if key in entry}
        except ValueError as exc:
            raise ValueError(f"{where} {exc}") from None
        servers.append(DatabaseServer(name, urls["url"], urls.get("pool_url"), float(weight)))
    return tuple(servers)


def _url(key: str, value, parse_url) -> str:
    try:
        if not isinstance(value, str):
            raise ValueError("must be a postgresql:// URL")
        return parse_url(value)
    except ValueError as exc:
        raise ValueError(f"{key} {exc}") from None


def choose_server(servers: Sequence[DatabaseServer], studios: Mapping[str, int]) -> str:
    """The server with the most room: fewest studios per unit of weight; ties go to the earlier one
    (min keeps the first of equal keys)."""
    return min(servers, key=lambda s: studios.get(s.name, 0) / s.weight).name


def configured_servers(settings) -> tuple[DatabaseServer, ...]:
    """The servers from the settings, the home server first."""
    if settings.TENANT_DATABASE_SERVERS:
        return settings.TENANT_DATABASE_SERVERS
    return (
        DatabaseServer(
            settings.TENANT_DATABASE_SERVER_NAME,
            settings.TENANT_DATABASE_SERVER_URL,
            settings.TENANT_DATABASE_POOL_URL,
        ),
    )
