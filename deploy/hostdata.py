"""Reading the inventory and the operator's values (the thin edge between pyinfra and plan.py)."""

from __future__ import annotations

import os
from pathlib import Path

from pyinfra import host, inventory
from pyinfra.api import HiddenValue

from app.settings import SETTINGS
from deploy import appenv, ops, plan, sizing
from deploy.lock import REPO_ROOT


def data_of(h=None) -> dict:
    return dict((h or host).data.dict())


def groups() -> dict[str, dict[str, dict]]:
    result = {}
    for group in ("web", "db"):
        members = inventory.get_group(group, default=[])
        result[group] = {h.name: data_of(h) for h in members}
    return result


def local_path(path: str) -> Path:
    """Local paths in host data are relative to the repository root unless absolute."""
    p = Path(os.path.expanduser(path))
    return p if p.is_absolute() else REPO_ROOT / p


def secrets_file() -> str | None:
    return host.data.get("secrets_file")


def secrets_file_values() -> dict[str, str]:
    name = secrets_file()
    if not name or not local_path(name).exists():
        return {}
    return appenv.parse_env_file(local_path(name).read_text())


def operator_values() -> dict[str, str]:
    return appenv.operator_values(SETTINGS, os.environ, secrets_file_values(), host.data.get("app_settings") or {})


def setting_value(name: str, operator: dict[str, str]) -> str:
    default = next(s.default for s in SETTINGS if s.name == name)
    return operator.get(name) or default


def topology() -> plan.Topology:
    g = groups()
    subnet = host.data.get("app_network_subnet") or plan.DEFAULT_SUBNET
    return plan.topology(host.name, g["web"], g["db"], subnet)


def ensure_secret(name: str):
    """The server-side secret `name`: the operator's when given (RSM_..._PASSWORD), else generated once."""
    override = appenv.OPERATOR_SECRET_OVERRIDES.get(name)
    value = operator_values().get(override) if override else None
    path = f"{plan.SECRETS_DIR}/{name}"
    if value:
        return ops.private_file(name=f"Install the operator's {name.replace('_', ' ')}", dest=path, content=HiddenValue(value))
    return ops.secret(name=f"Generate the {name.replace('_', ' ')} once", path=path)


def app_sizing(web, operator: dict[str, str]) -> sizing.AppSizing:
    """gunicorn sizing of one web host, from its facts, its data and the app's settings."""
    size = web.get_fact(ops.HostSize)
    return sizing.app_sizing(
        size["cores"], size["memory_mb"],
        float(setting_value("ANTHROPIC_TIMEOUT_SECONDS", operator)),
        int(setting_value("MASTER_POOL_SIZE", operator)),
        int(setting_value("TENANT_CONNECTIONS_PER_PROCESS", operator)),
        web.data.get("gunicorn_workers"), web.data.get("gunicorn_threads"),
    )
