"""Every host data key the deploy reads, declared once (`HostData`), and typed access to them.

The declaration drives preflight (required keys, types, files, unknown or misspelled keys), the
accessors the steps use (`of(host)`: typed, defaults applied), and the documentation block in
inventories/prod.py (`python -m deploy.common.hostdata` rewrites it; a unit test keeps it current).
pyinfra's own keys (connector data such as ssh_user, global arguments such as _sudo) are allowed too.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import sys
import textwrap
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import get_args, get_type_hints

from pyinfra import host, inventory
from pyinfra.api.arguments import all_global_arguments
from pyinfra.api.connectors import get_all_connectors

from app.settings import SETTINGS
from deploy.common import operator
from deploy.common import topology as topo
from deploy.common.controller import REPO_ROOT, local_path

GROUPS = ("web", "db", "backup", "monitoring")


def datum(groups: str, meaning: str, *, required: bool = False, default=None, local_file: bool = False):
    """A host data key: the groups whose steps read it, what it means; `local_file`: a path on the
    controller that must exist when given."""
    default_kw = {"default_factory": dict} if default == {} else {"default": default}
    return field(
        **default_kw,
        metadata={"groups": groups, "meaning": meaning, "required": required, "local_file": local_file},
    )


@dataclass(frozen=True)
class HostData:
    """Every host data key the deploy reads: its type, default, the groups whose steps read it and
    what it means. Required text keys default to "" here; preflight refuses them empty."""

    domain: str = datum(
        "web db",
        "the apex domain, e.g. studio.example.com: studios live on "
        "SUBDOMAIN.domain (the app's PLATFORM_DOMAIN)",
        required=True,
        default="",
    )
    admin_email: str = datum("web", "the ACME account's contact address", required=True, default="")
    acme_directory: str = datum(
        "web",
        "the ACME directory URL (Let's Encrypt production/staging or a test CA)",
        required=True,
        default="",
    )
    dns_plugin: str = datum(
        "web",
        "the certbot DNS plugin name, e.g. rfc2136 or cloudflare (installed as "
        "Debian's python3-certbot-dns-<name>)",
        required=True,
        default="",
    )
    dns_credentials_file: str | None = datum(
        "web",
        "local path of the DNS plugin's credentials ini, kept outside git (e.g. secrets/cloudflare.ini "
        "with `dns_cloudflare_api_token = ...`); this or dns_credentials is required",
        local_file=True,
    )
    dns_credentials: dict | None = datum(
        "web", 'the same credentials as a mapping {"dns_rfc2136_server": ..., ...}'
    )
    dns_propagation_seconds: int = datum(
        "web", "seconds certbot waits for the DNS update to propagate", default=60
    )
    acme_ca_bundle: str | None = datum(
        "web",
        "local path of a CA bundle the server trusts for the ACME server (test CAs only; also given "
        "to certbot.timer's renewals)",
        local_file=True,
    )
    secrets_file: str | None = datum(
        "web db",
        "local env file outside git with the app's operator settings, e.g. ANTHROPIC_API_KEY=..., "
        "and RSM_POSTGRES_PASSWORD/RSM_REDIS_PASSWORD; the environment overrides it; when named, it "
        "must exist and be readable",
        local_file=True,
    )
    app_settings: dict = datum(
        "web db", 'non-secret app settings, e.g. {"AI_TRIAL_CREDITS": "100"}', default={}
    )
    app_network_subnet: str = datum(
        "web db",
        "the app's docker network; PostgreSQL and Redis listen on its gateway",
        default=topo.DEFAULT_SUBNET,
    )
    base_image_archive: str | None = datum(
        "web",
        "local `docker save` tarball of debian:trixie-slim, for servers without a registry "
        "(otherwise it is pulled once, if absent)",
        local_file=True,
    )
    gunicorn_workers: int | None = datum(
        "web", "gunicorn workers, instead of the sizing from cores and memory"
    )
    gunicorn_threads: int | None = datum("web", "threads per gunicorn worker, instead of 8")
    app_releases_kept: int = datum(
        "web",
        "app releases kept on the host for `scripts/release HOST rollback`, the "
        "live one included; older ones and their images are removed",
        default=3,
    )
    nginx_ipv6: bool | None = datum("web", "listen on IPv6 too (default: when the host has an IPv6 address)")
    postgres_version: str = datum(
        "db", "PostgreSQL major version Debian installs (its cluster and unit)", default="17"
    )
    backup_secrets_dir: str = datum(
        "db backup",
        "local directory outside git where the deploy keeps the backups' own secrets, made once: the "
        "repository's cipher passphrase and the SFTP key pair (keep a copy: without the passphrase "
        "no backup can be read)",
        default="secrets/backup",
    )
    ca_dir: str = datum(
        "web db",
        "local directory outside git where the deploy keeps its private CA, made once (ca.key, ca.crt) "
        "and the db hosts' certificates it signs (hosts/NAME.crt/.key): TLS between hosts; keep a copy",
        default="secrets/ca",
    )
    studio_weight: int = datum(
        "db",
        "this database server's share of new studios against the other db hosts' (signup places a "
        "studio where studios per weight is lowest)",
        default=1,
    )
    backup_full_schedule: str = datum(
        "db", "systemd OnCalendar of the full pgBackRest backup", default="Sun *-*-* 01:30:00"
    )
    backup_diff_schedule: str = datum(
        "db", "systemd OnCalendar of the differential pgBackRest backup", default="Mon..Sat *-*-* 01:30:00"
    )
    backup_retention_full: int = datum(
        "db",
        "full backups kept (with the WAL to replay from the oldest: the point-in-time window)",
        default=2,
    )
    backup_retention_diff: int = datum("db", "differential backups kept", default=6)
    dump_schedule: str = datum(
        "db",
        "systemd OnCalendar of the nightly logical dump of every database (rsm-dump)",
        default="*-*-* 02:30:00",
    )
    dump_retention_days: int = datum(
        "db backup", "days the logical dumps are kept, on the db host and on the backup host", default=14
    )
    alert_webhook_url: str = datum(
        "monitoring",
        "the URL Alertmanager posts alerts (and their resolution) to, as JSON: a chat's or a pager's "
        "incoming webhook; empty: alerts show only in Prometheus and Alertmanager",
        default="",
    )
    alert_for: str | None = datum(
        "monitoring",
        "how long every alert's condition must hold before it fires, instead of each rule's own "
        '(e.g. "10s" on a test server)',
    )
    private_address: str = datum(
        "web db backup",
        "the host's private address; with separate web and db hosts (web containers reach the db "
        "host there), with the monitoring host elsewhere (it scrapes this host's exporters there) and "
        "on the backup host (the db host reaches it there; else its inventory name)",
        default="",
    )


@dataclass(frozen=True)
class HostDatum:
    name: str
    kind: type  # str, int, bool or dict
    groups: str
    meaning: str
    required: bool
    default: object
    local_file: bool


def _kind(hint) -> type:
    return next(t for t in (get_args(hint) or (hint,)) if t is not type(None))


def _table() -> tuple[HostDatum, ...]:
    hints = get_type_hints(HostData)
    return tuple(
        HostDatum(
            f.name,
            _kind(hints[f.name]),
            f.metadata["groups"],
            f.metadata["meaning"],
            f.metadata["required"],
            f.default_factory() if f.default is MISSING else f.default,
            f.metadata["local_file"],
        )
        for f in fields(HostData)
    )


HOST_DATA = _table()
KNOWN = {d.name: d for d in HOST_DATA}
# pyinfra's own host data: every connector's keys (ssh_user, ssh_key, ...) and global arguments (_sudo, ...).
PYINFRA_KEYS = frozenset(
    [key for connector in get_all_connectors().values() for key in getattr(connector, "data_meta", {})]
    + [name for name, _type in all_global_arguments() if name.startswith("_")]
)


# --- Pure: values and their problems -----------------------------------------------------------


def coerce(d: HostDatum, value):
    """The value as its kind; ValueError when it cannot be one."""
    if d.kind is int and not isinstance(value, bool) and isinstance(value, (int, str)):
        return int(value)
    if d.kind is str and isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value)
    if d.kind is bool and isinstance(value, bool):
        return value
    if d.kind is dict and isinstance(value, Mapping):
        return dict(value)
    raise ValueError(f"not a {d.kind.__name__}")


def from_mapping(data: Mapping) -> HostData:
    """Typed host data from pyinfra's; unset (None) keys take their defaults, unknown keys are ignored.

    A value of the wrong kind takes the default too: preflight, which runs first, refuses it.
    """
    values = {}
    for name, value in data.items():
        if name in KNOWN and value is not None:
            with contextlib.suppress(ValueError):
                values[name] = coerce(KNOWN[name], value)
    return HostData(**values)


KIND_NAMES = {str: "text", int: "an integer", bool: "true or false", dict: "a mapping"}


def type_problems(data: Mapping) -> list[str]:
    problems = []
    for name, value in data.items():
        if name in KNOWN and value is not None:
            try:
                coerce(KNOWN[name], value)
            except ValueError:
                problems.append(f"host data {name} as {KIND_NAMES[KNOWN[name].kind]} (got {value!r})")
    return problems


def unknown_keys(data: Mapping) -> list[str]:
    """Keys neither the deploy nor pyinfra reads, each with the nearest known key when one is close."""
    problems = []
    for name in data:
        if name in KNOWN or name in PYINFRA_KEYS:
            continue
        near = difflib.get_close_matches(name, [*KNOWN, *PYINFRA_KEYS], n=1, cutoff=0.75)
        hint = f"did you mean {near[0]}?" if near else "see inventories/prod.py for the keys"
        problems.append(f"host data {name} is not a key the deploy reads ({hint})")
    return problems


def package_names(declared: tuple[str, ...], data: HostData) -> list[str]:
    """A step's declared Debian packages with host data filled in (e.g. {dns_plugin})."""
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    return [name.format_map(values) for name in declared]


# --- The documentation block in inventories/prod.py ---------------------------------------------

DOCS_HEADING = (
    "Host data (per host, or for all hosts in the group data below), written from\n"
    "deploy/common/hostdata.py by `python -m deploy.common.hostdata`:"
)
INVENTORY = REPO_ROOT / "inventories" / "prod.py"


def _default_text(d: HostDatum) -> str:
    if d.required:
        return "required"
    if d.default in (None, "", {}):
        return "optional"
    return f"default {d.default}"


def docs_block() -> str:
    lines = [DOCS_HEADING, ""]
    for d in HOST_DATA:
        lines.append(f"    {d.name:<25}{_default_text(d)}; read on {d.groups.replace(' ', ' and ')} hosts")
        lines += textwrap.wrap(d.meaning, width=100, initial_indent=" " * 8, subsequent_indent=" " * 8)
    return "\n".join(lines) + "\n"


def with_docs_block(text: str) -> str:
    """The inventory's text with its host data block replaced by the current one."""
    start = text.index(DOCS_HEADING.splitlines()[0])
    end = text.index("\n\n", text.index("\n\n", start) + 2) + 1
    return text[:start] + docs_block() + text[end:]


# --- Thin: reading the inventory --------------------------------------------------------------


def data_of(h=None) -> dict:
    """The raw host data pyinfra holds for a host (the current one by default)."""
    return dict((host if h is None else h).data.dict())


def of(h=None) -> HostData:
    """Typed host data of a host (the current one by default)."""
    return from_mapping(data_of(h))


def groups() -> dict[str, dict[str, dict]]:
    """Inventory name → raw host data of each group's hosts."""
    return {group: {h.name: data_of(h) for h in inventory.get_group(group, default=[])} for group in GROUPS}


def secrets_file_values() -> dict[str, str]:
    name = of().secrets_file
    if not name or not local_path(name).exists():
        return {}
    return operator.parse_env_file(local_path(name).read_text())


def operator_values() -> dict[str, str]:
    return operator.operator_values(SETTINGS, os.environ, secrets_file_values(), of().app_settings)


def addresses() -> dict[str, dict[str, str]]:
    """Group → inventory name → private address ("" when none) of each group's hosts."""
    return {
        group: {h.name: of(h).private_address for h in inventory.get_group(group, default=[])}
        for group in GROUPS
    }


def topology() -> topo.Topology:
    found = addresses()
    weights = {h.name: of(h).studio_weight for h in inventory.get_group("db", default=[])}
    return topo.topology(host.name, found["web"], found["db"], of().app_network_subnet, weights)


def main(argv: list[str]) -> int:
    INVENTORY.write_text(with_docs_block(INVENTORY.read_text()))
    print(f"wrote the host data block of {Path(INVENTORY).relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
