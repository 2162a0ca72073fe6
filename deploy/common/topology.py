"""Who talks to whom (pure): where the app's containers reach PostgreSQL and Redis, where those
listen, and whom they let in, from the inventory's web and db hosts."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_SUBNET = "172.28.213.0/24"


@dataclass(frozen=True)
class Topology:
    gateway: str  # the app network's gateway on a web host
    subnet: str
    db_host: str  # inventory name of the database host
    colocated: bool  # the database host also runs the app
    db_address: str  # where this web host's containers reach PostgreSQL and Redis
    listen_addresses: tuple[str, ...]  # for the database host
    client_networks: tuple[str, ...]  # allowed to connect (pg_hba, notes for Redis)


def gateway_of(subnet: str) -> str:
    return str(next(ipaddress.ip_network(subnet).hosts()))


def topology(
    host_name: str, web: Mapping[str, str], db: Mapping[str, str], subnet: str = DEFAULT_SUBNET
) -> Topology:
    """`web`/`db`: inventory name → private address ("" when none) of each group's hosts."""
    gateway = gateway_of(subnet)
    db_host = next(iter(db))
    db_private = db[db_host]
    colocated = db_host in web
    remote_web = [name for name in web if name != db_host]
    listen = ["127.0.0.1"] + ([gateway] if colocated else []) + ([db_private] if remote_web else [])
    clients = ([subnet] if colocated else []) + [f"{web[n]}/32" for n in remote_web]
    return Topology(
        gateway=gateway,
        subnet=subnet,
        db_host=db_host,
        colocated=colocated,
        db_address=gateway if host_name == db_host else db_private,
        listen_addresses=tuple(listen),
        client_networks=tuple(clients),
    )
