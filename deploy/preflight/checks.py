"""What must be fixed before the deploy may change anything (pure: plain values in, one line per item)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from app.settings import SECRET_KEY_MIN_LENGTH
from deploy.app.env import deploy_values, missing_settings, parse_problems, value_problems
from deploy.common.hostdata import GROUPS, HOST_DATA, type_problems, unknown_keys
from deploy.common.secrets import SHARED_PASSWORDS, SHARED_SECRET_KEY

DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?")
PLUGIN = re.compile(r"[a-z0-9][a-z0-9-]*")
# A db host's inventory name is the app's name for its database server (where a studio lives).
SERVER_NAME = re.compile(r"[a-z0-9][a-z0-9.-]*")
APART = "the web and db hosts reach each other there"


def missing_items(
    host_name: str,
    data: Mapping,
    groups: Mapping[str, Mapping[str, Mapping]],
    operator: Mapping[str, str],
    settings: Iterable,
    readable: Callable[[str], bool],
    secrets_file: str | None,
) -> list[str]:
    """Everything that must be fixed before the deploy may change anything, one item each."""
    missing: list[str] = []
    web, db, backup = groups.get("web", {}), groups.get("db", {}), groups.get("backup", {})
    # A host in no group is held to every group's needs; a backup host only to its own.
    host_groups = {group for group in GROUPS if host_name in groups.get(group, {})} or set(GROUPS)
    if not any(host_name in groups.get(group, {}) for group in GROUPS):
        missing.append(f"host {host_name} in group {' or '.join(GROUPS)}")
    if not db:
        missing.append("at least one host in group db (found 0)")
    elif len(backup) != 1:
        missing.append(
            f"exactly one host in group backup (found {len(backup)}): it keeps the backups off the "
            "database's disk (README, Backups)"
        )
    elif set(backup) & set(db):
        missing.append("a backup host other than the db hosts (backups must leave the databases' disks)")
    for name in db:
        if not SERVER_NAME.fullmatch(name):
            missing.append(
                f"db host {name} named in lower-case letters, digits, dots and hyphens (the app names "
                "its database server so)"
            )
    for d in HOST_DATA:
        if d.required and set(d.groups.split()) & host_groups and not str(data.get(d.name) or "").strip():
            missing.append(f"host data {d.name} ({d.meaning})")
    domain = str(data.get("domain") or "")
    if domain and not DOMAIN.fullmatch(domain):
        missing.append(f"host data domain as a lower-case DNS name (got {domain!r})")
    plugin = str(data.get("dns_plugin") or "")
    if plugin and not PLUGIN.fullmatch(plugin):
        missing.append(f"host data dns_plugin as a plugin name such as rfc2136 (got {plugin!r})")
    missing += type_problems(data)
    missing += unknown_keys(data)
    if "web" in host_groups and not data.get("dns_credentials") and not data.get("dns_credentials_file"):
        missing.append("host data dns_credentials (mapping) or dns_credentials_file (local path)")
    for d in HOST_DATA:
        if d.local_file and data.get(d.name) and not readable(str(data[d.name])):
            missing.append(f"readable file {data[d.name]} (host data {d.name})")
    hosts = {**web, **db}
    if len(hosts) > 1:
        for name in dict.fromkeys([*db, *web]):
            if not hosts[name].get("private_address"):
                missing.append(f"host data private_address of {name} ({APART})")
        for name in SHARED_PASSWORDS:
            if not operator.get(name):
                missing.append(f"secret {name} (several web and db hosts: each needs the same one)")
    key = str(operator.get(SHARED_SECRET_KEY) or "")
    if len(web) > 1 and not key:
        missing.append(f"secret {SHARED_SECRET_KEY} (several web hosts: each signs the same sessions)")
    elif key and len(key) < SECRET_KEY_MIN_LENGTH:
        missing.append(f"secret {SHARED_SECRET_KEY} of at least {SECRET_KEY_MIN_LENGTH} characters")
    missing += _monitoring_problems(groups.get("monitoring", {}), {**db, **web}, missing)
    if host_groups & {"web", "db"}:
        where = "the environment" + (f" or {secrets_file}" if secrets_file else "")
        values = {**operator, **deploy_values(domain)}
        for name in missing_settings(settings, values):
            missing.append(f"setting {name} (from {where})")
        missing.extend(f"setting {problem}" for problem in value_problems(operator))
        missing.extend(f"setting {problem}" for problem in parse_problems(settings, operator))
    return missing


def _monitoring_problems(
    monitoring: Mapping, scraped: Mapping[str, Mapping], missing: list[str]
) -> list[str]:
    """One monitoring host at most; it scrapes another web or db host at its private address."""
    if len(monitoring) > 1:
        return [
            f"at most one host in group monitoring (found {len(monitoring)}): its Prometheus alerts for all"
        ]
    problems = []
    for watcher, own in monitoring.items():
        if set(scraped) - {watcher} and not own.get("private_address") and watcher not in scraped:
            problems.append(
                f"host data private_address of {watcher} (the hosts it scrapes let it in from there)"
            )
        for name, data in scraped.items():
            named = f"host data private_address of {name} "
            if (
                name != watcher
                and not data.get("private_address")
                and not any(m.startswith(named) for m in missing)
            ):
                problems.append(named + f"(the monitoring host {watcher} scrapes its exporters there)")
    return problems


def warnings(host_name: str, groups: Mapping[str, Mapping], operator: Mapping[str, str]) -> list[str]:
    """What the deploy goes on without, but the operator should know before studios notice."""
    if host_name in groups.get("web", {}) and not str(operator.get("MAIL_SMTP_URL") or "").strip():
        return [
            "MAIL_SMTP_URL is not set: sign-up verification, password-reset, invitation and booking "
            "mail wait in the queue (kept, not sent) until it is; `flask mail retry --all` sends them then"
        ]
    return []


def preflight_message(host_name: str, missing: list[str]) -> str:
    lines = [
        f"Refusing to deploy {host_name}: {len(missing)} missing or invalid item(s); nothing was changed."
    ]
    lines += [f"  - {item}" for item in missing]
    return "\n".join(lines)
