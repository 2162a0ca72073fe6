"""Who talks to whom (pure): where the app's containers reach each database server and Redis,
where those listen, and whom they let in, from the inventory's web and db hosts.

The first db host is the home one: the master database and Redis live there. Every db host runs
PostgreSQL and PgBouncer and holds studios' databases. A web host's containers reach a db host that
is the same machine on the app network's gateway (plain), any other at its private address over TLS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_SUBNET = "172.28.213.0/24"
# The app's name for its one database server when TENANT_DATABASE_SERVERS is unset (its default
# TENANT_DATABASE_SERVER_NAME): what organizations.database_server records on a single db host.
SOLE_SERVER_NAME = "main"


@dataclass(frozen=True)
class DbServer:
    name: str  # the db host's inventory name: the app's name for the database server
    address: str  # where this web host's containers reach it
    tls: bool  # another machine: over TLS, verified against the deploy's private CA
    weight: int = 1  # its share of new studios (host data studio_weight)


@dataclass(frozen=True)
class Topology:
    gateway: str  # the app network's gateway on a web host
    subnet: str
    db_host: str  # inventory name of the home db host (the first): master database and Redis
    home: bool  # this host is the home db host
    colocated: bool  # this host runs the app and a database server
    db_address: str  # where this host's containers reach the db hostname: its own db, else the home one
    db_servers: tuple[DbServer, ...]  # every db host as this host's containers reach it, home first
    listen_addresses: tuple[str, ...]  # for this host as a db host
    local_networks: tuple[str, ...]  # this host's own app containers (plain, on the gateway)
    remote_clients: tuple[str, ...]  # the other web hosts, by private address (TLS only)

    @property
    def client_networks(self) -> tuple[str, ...]:
        return self.local_networks + self.remote_clients

    def server_name(self, host_name: str) -> str:
        """The app's name for this db host's server, as organizations.database_server records it."""
        return host_name if len(self.db_servers) > 1 else SOLE_SERVER_NAME


def gateway_of(subnet: str) -> str:
    return str(next(ipaddress.ip_network(subnet).hosts()))


def host_network(address: str) -> str:
    """One address as a network (pg_hba, PgBouncer's hba): /32 or /128."""
    return str(ipaddress.ip_network(address))


def topology(
    host_name: str,
    web: Mapping[str, str],
    db: Mapping[str, str],
    subnet: str = DEFAULT_SUBNET,
    weights: Mapping[str, int] | None = None,
) -> Topology:
    """`web`/`db`: inventory name → private address ("" when none) of each group's hosts;
    `weights`: db host → studio_weight (1 when not given)."""
    gateway = gateway_of(subnet)
    home = next(iter(db))
    is_db, is_web = host_name in db, host_name in web
    remote_web = [name for name in web if name != host_name]
    own_address = db.get(host_name) or web.get(host_name) or ""
    listen = ["127.0.0.1"] + ([gateway] if is_web else []) + ([own_address] if remote_web else [])
    servers = tuple(
        DbServer(
            name, gateway if name == host_name else db[name], name != host_name, (weights or {}).get(name, 1)
        )
        for name in db
    )
    return Topology(
        gateway=gateway,
        subnet=subnet,
        db_host=home,
        home=host_name == home,
        colocated=is_db and is_web,
        db_address=gateway if is_db else db[home],
        db_servers=servers,
        listen_addresses=tuple(listen) if is_db else (),
        local_networks=(subnet,) if is_db and is_web else (),
        remote_clients=tuple(host_network(web[n]) for n in remote_web if web[n]) if is_db else (),
    )
