"""Reading the inventory and the operator's values (the thin edge between pyinfra and the pure layer)."""

from __future__ import annotations

import os
from pyinfra import host, inventory

from app.settings import SETTINGS
from deploy.common import operator, topology as topo
from deploy.common.controller import local_path

GROUPS = ("web", "db")


def data_of(h=None) -> dict:
    return dict((h or host).data.dict())


def groups() -> dict[str, dict[str, dict]]:
    """Inventory name → host data of each group's hosts."""
    return {group: {h.name: data_of(h) for h in inventory.get_group(group, default=[])} for group in GROUPS}


def secrets_file() -> str | None:
    return host.data.get("secrets_file")


def secrets_file_values() -> dict[str, str]:
    name = secrets_file()
    if not name or not local_path(name).exists():
        return {}
    return operator.parse_env_file(local_path(name).read_text())


def operator_values() -> dict[str, str]:
    return operator.operator_values(SETTINGS, os.environ, secrets_file_values(), host.data.get("app_settings") or {})


def topology() -> topo.Topology:
    g = groups()
    addresses = {group: {name: data.get("private_address", "") for name, data in g[group].items()} for group in g}
    subnet = host.data.get("app_network_subnet") or topo.DEFAULT_SUBNET
    return topo.topology(host.name, addresses["web"], addresses["db"], subnet)


def package_names(declared: tuple[str, ...], data: dict) -> list[str]:
    """A step's declared Debian packages with host data filled in (e.g. {dns_plugin})."""
    return [name.format_map(data) for name in declared]


def packages(declared: tuple[str, ...]) -> list[str]:
    return package_names(declared, data_of())
