"""Redis on the db host (pure): its memory and the context of the settings it includes last."""

from __future__ import annotations

from deploy.common.paths import ETC
from deploy.common.secrets import placeholder

INCLUDE = "/etc/redis/rsm.conf"
INCLUDE_TEMPLATE = f"{ETC}/redis.conf.tmpl"
MAIN_CONF = "/etc/redis/redis.conf"
DROPIN = "/etc/systemd/system/redis-server.service.d/rsm.conf"
PORT = 6379  # plain: the colocated app's containers (on the gateway) and this host
TLS_PORT = 6380  # TLS with the private CA's certificate: the other web hosts


def maxmemory_mb(memory_mb: int, colocated: bool) -> int:
    """Redis holds sessions, throttles and chat history: a tenth of a shared host, half alone."""
    return int(max(64, min(8192, memory_mb * (0.1 if colocated else 0.5))))


def conf_context(bind: tuple[str, ...], maxmemory: int, tls: dict | None = None) -> dict:
    """For templates/redis/rsm.conf.j2; the password is filled in on the server; `tls`: {"cert",
    "key"} paths when other hosts connect (on TLS_PORT)."""
    return {
        "bind": list(bind),
        "port": PORT,
        "password": placeholder("redis_password", "redis"),
        "maxmemory_mb": maxmemory,
        "tls": {**tls, "port": TLS_PORT} if tls else None,
    }
