"""What must be fixed before the deploy may change anything (pure: plain values in, one line per item)."""

from __future__ import annotations

import re
from typing import Callable, Iterable, Mapping

from deploy.app.env import deploy_values, missing_settings, value_problems
from deploy.common.secrets import OPERATOR_SECRET_OVERRIDES

REQUIRED_DATA = {
    "domain": "the apex domain, e.g. studio.example.com",
    "admin_email": "the ACME account's contact address",
    "acme_directory": "the ACME directory URL (Let's Encrypt production/staging or a test CA)",
    "dns_plugin": "the certbot DNS plugin name, e.g. rfc2136 or cloudflare",
}
DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?")
PLUGIN = re.compile(r"[a-z0-9][a-z0-9-]*")


def missing_items(
    host_name: str,
    data: Mapping,
    groups: Mapping[str, Mapping[str, Mapping]],
    operator: Mapping[str, str],
    settings: Iterable,
    path_exists: Callable[[str], bool],
    secrets_file: str | None,
) -> list[str]:
    """Everything that must be fixed before the deploy may change anything, one item each."""
    missing: list[str] = []
    web, db = groups.get("web", {}), groups.get("db", {})
    if host_name not in web and host_name not in db:
        missing.append(f"host {host_name} in group web or db")
    if len(db) != 1:
        missing.append(f"exactly one host in group db (found {len(db)})")
    for key, meaning in REQUIRED_DATA.items():
        if not str(data.get(key) or "").strip():
            missing.append(f"host data {key} ({meaning})")
    domain = str(data.get("domain") or "")
    if domain and not DOMAIN.fullmatch(domain):
        missing.append(f"host data domain as a lower-case DNS name (got {domain!r})")
    plugin = str(data.get("dns_plugin") or "")
    if plugin and not PLUGIN.fullmatch(plugin):
        missing.append(f"host data dns_plugin as a plugin name such as rfc2136 (got {plugin!r})")
    creds, creds_file = data.get("dns_credentials"), data.get("dns_credentials_file")
    if creds_file:
        if not path_exists(str(creds_file)):
            missing.append(f"file {creds_file} (host data dns_credentials_file)")
    elif not creds:
        missing.append("host data dns_credentials (mapping) or dns_credentials_file (local path)")
    for key in ("acme_ca_bundle", "base_image_archive"):
        if data.get(key) and not path_exists(str(data[key])):
            missing.append(f"file {data[key]} (host data {key})")
    if len(db) == 1:
        db_host = next(iter(db))
        separate = [name for name in web if name != db_host]
        if separate:
            for name in [db_host, *separate]:
                source = db[db_host] if name == db_host else web[name]
                if not source.get("private_address"):
                    missing.append(f"host data private_address of {name} (web and db are separate hosts)")
            for name in OPERATOR_SECRET_OVERRIDES.values():
                if not operator.get(name):
                    missing.append(f"secret {name} (web and db are separate hosts: both need the same one)")
    where = "the environment" + (f" or {secrets_file}" if secrets_file else "")
    values = {**operator, **deploy_values(domain)}
    for name in missing_settings(settings, values):
        missing.append(f"setting {name} (from {where})")
    missing.extend(f"setting {problem}" for problem in value_problems(operator))
    return missing


def preflight_message(host_name: str, missing: list[str]) -> str:
    lines = [f"Refusing to deploy {host_name}: {len(missing)} missing or invalid item(s); nothing was changed."]
    lines += [f"  - {item}" for item in missing]
    return "\n".join(lines)
