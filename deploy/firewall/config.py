"""The host firewall (pure): who may open a connection to this host, from the inventory's roles.

Debian's nftables, in a table of the deploy's own (`inet rsm`): its input chain drops what no rule
lets in. The file replaces only that table, in one transaction, and never flushes the whole ruleset:
Docker's tables (iptables-nft) hold the app's network address translation and must survive. Docker
publishes the app's ports through its own forward and NAT chains, which this table leaves alone;
the app's loopback ports are reached from nginx on the host itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from deploy.app.config import POOLER_PORT
from deploy.common.topology import gateway_of
from deploy.monitoring import config as monitoring
from deploy.redis.config import PORT as REDIS_PORT
from deploy.redis.config import TLS_PORT as REDIS_TLS_PORT

TABLE = "rsm"
CONF = "/etc/nftables.conf"  # what Debian's nftables.service loads at boot and on reload
DROPIN = "/etc/systemd/system/nftables.service.d/rsm.conf"
UNIT = "nftables.service"
POSTGRES_PORT = 5432
WEB_PORTS = (80, 443)


@dataclass(frozen=True)
class Rule:
    comment: str
    ports: tuple[int, ...]
    sources: tuple[str, ...] = ()  # addresses or networks; none: from anywhere
    destination: str = ""  # one of this host's addresses; empty: any

    def matches(self) -> str:
        """The rule's nft match, before its verdict."""
        parts = []
        if self.sources:
            family = "ip6" if ipaddress.ip_network(self.sources[0], strict=False).version == 6 else "ip"
            parts.append(f"{family} saddr {_set(self.sources)}")
        if self.destination:
            family = "ip6" if ipaddress.ip_address(self.destination).version == 6 else "ip"
            parts.append(f"{family} daddr {self.destination}")
        parts.append(f"tcp dport {_set(self.ports)}")
        return " ".join(parts)


def _set(values: Collection) -> str:
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else "{ " + ", ".join(values) + " }"


def _by_family(comment: str, ports: tuple[int, ...], sources: list[str]) -> list[Rule]:
    """One rule per address family of the sources (nft matches ip and ip6 saddr apart)."""
    families: dict[int, list[str]] = {}
    for source in sources:
        families.setdefault(ipaddress.ip_network(source, strict=False).version, []).append(source)
    return [Rule(comment, ports, tuple(found)) for _version, found in sorted(families.items())]


def database_ports(home: bool) -> tuple[int, ...]:
    """What a web host opens on a db host: PostgreSQL, PgBouncer, and Redis where it runs (over TLS
    from other hosts; the plain port only from this host's own containers)."""
    return (POSTGRES_PORT, POOLER_PORT) + ((REDIS_TLS_PORT,) if home else ())


def rules(
    host_name: str, groups: Mapping[str, Mapping[str, str]], ssh_port: int = 22, subnet: str = ""
) -> list[Rule]:
    """The rules that let connections in to this host, besides the loopback, established
    connections and ICMP. `groups`: group → inventory name → private address of its hosts."""
    web, db = groups.get("web", {}), groups.get("db", {})
    home = next(iter(db), "")
    found = [Rule("SSH (the deploy, and the db hosts' backups on the backup host)", (ssh_port,))]
    if host_name in web:
        found.append(Rule("the site (nginx)", WEB_PORTS))
    if host_name in db:
        if host_name in web:
            local = (POSTGRES_PORT, POOLER_PORT) + ((REDIS_PORT,) if host_name == home else ())
            found.append(
                Rule(
                    "the app's containers to PostgreSQL, PgBouncer and Redis",
                    local,
                    (subnet,),
                    gateway_of(subnet),
                )
            )
        remote = [address for name, address in web.items() if name != host_name and address]
        found += _by_family(
            "the other web hosts to PostgreSQL, PgBouncer and Redis (TLS)",
            database_ports(host_name == home),
            remote,
        )
    watchers = [
        address for name, address in groups.get("monitoring", {}).items() if name != host_name and address
    ]
    roles = {group for group, members in groups.items() if host_name in members}
    exporters = monitoring.exporters_of(roles, redis=host_name == home)
    ports = tuple(s.port for s in exporters) + (monitoring.APP_METRICS_PORTS if "web" in roles else ())
    if exporters:
        found += _by_family("the monitoring host to the exporters and the app's metrics", ports, watchers)
    return found


def ruleset_context(
    host_name: str, groups: Mapping[str, Mapping[str, str]], ssh_port: int = 22, subnet: str = ""
) -> dict:
    """For templates/firewall/nftables.conf.j2."""
    return {
        "table": TABLE,
        "rules": [
            r.matches() + f' accept comment "{r.comment}"' for r in rules(host_name, groups, ssh_port, subnet)
        ],
    }


def dropin_context() -> dict:
    """For templates/firewall/service.conf.j2: stopping the service removes only this table."""
    return {"table": TABLE}
