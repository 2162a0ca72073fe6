"""Host data → decisions and template contexts (pure: plain values in, plain values out).

The thin layer (the step modules) reads `host.data` and facts, calls these, and hands the results
to operations. Everything here is unit-tested by exact output in tests/unit/deploy/.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterable, Mapping

from deploy import appenv

# Paths on the servers.
ETC = "/etc/rsm"
SECRETS_DIR = "/etc/rsm/secrets"
ENV_TEMPLATE = "/etc/rsm/app.env.tmpl"
ENV_FILE = "/etc/rsm/app.env"
APP_DIR = "/opt/rsm"
COMPOSE_FILE = "/opt/rsm/compose.yaml"
COMPOSE_PROJECT = "rsm"
APP_SERVICE = "app"
APP_PORT = 8000
IMAGE_REPOSITORY = "rsm-app"
BASE_IMAGE = "debian:trixie-slim"
DOCKER_NETWORK = "rsm"
DOCKER_BRIDGE = "rsm0"
DEFAULT_SUBNET = "172.28.213.0/24"
LETSENCRYPT = "/etc/letsencrypt"
ACME_CA_BUNDLE = "/etc/rsm/acme-ca.pem"

DEFAULT_PROPAGATION_SECONDS = 60


# --- Topology -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Topology:
    gateway: str                 # the app network's gateway on a web host
    subnet: str
    db_host: str                 # inventory name of the database host
    colocated: bool              # the database host also runs the app
    db_address: str              # where this web host's containers reach PostgreSQL and Redis
    listen_addresses: tuple[str, ...]   # for the database host
    client_networks: tuple[str, ...]    # allowed to connect (pg_hba, notes for Redis)


def gateway_of(subnet: str) -> str:
    return str(next(ipaddress.ip_network(subnet).hosts()))


def topology(host_name: str, web: Mapping[str, Mapping], db: Mapping[str, Mapping],
             subnet: str = DEFAULT_SUBNET) -> Topology:
    """Who talks to whom. `web`/`db`: inventory name → host data of each group's hosts."""
    gateway = gateway_of(subnet)
    db_host = next(iter(db))
    db_private = db[db_host].get("private_address", "")
    colocated = db_host in web
    remote_web = [name for name in web if name != db_host]
    listen = ["127.0.0.1"] + ([gateway] if colocated else []) + ([db_private] if remote_web else [])
    clients = ([subnet] if colocated else []) + [f"{web[n].get('private_address', '')}/32" for n in remote_web]
    return Topology(
        gateway=gateway,
        subnet=subnet,
        db_host=db_host,
        colocated=colocated,
        db_address=gateway if host_name == db_host else db_private,
        listen_addresses=tuple(listen),
        client_networks=tuple(clients),
    )


# --- Packages ---------------------------------------------------------------------------------

BASE_PACKAGES = ("ca-certificates", "openssl", "procps")
WEB_PACKAGES = ("docker.io", "docker-cli", "docker-compose", "nginx", "certbot")
DB_PACKAGES = ("postgresql", "redis-server")


def packages_for(web: bool, db: bool, dns_plugin: str) -> list[str]:
    """Every Debian package a host of these roles needs."""
    wanted = list(BASE_PACKAGES)
    if web:
        wanted += [*WEB_PACKAGES, plugin_package(dns_plugin)]
    if db:
        wanted += DB_PACKAGES
    return wanted


# --- Preflight --------------------------------------------------------------------------------

REQUIRED_DATA = {
    "domain": "the apex domain, e.g. studio.example.com",
    "admin_email": "the ACME account's contact address",
    "acme_directory": "the ACME directory URL (Let's Encrypt production/staging or a test CA)",
    "dns_plugin": "the certbot DNS plugin name, e.g. rfc2136 or cloudflare",
}


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
    if domain and not re.fullmatch(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?", domain):
        missing.append(f"host data domain as a lower-case DNS name (got {domain!r})")
    plugin = str(data.get("dns_plugin") or "")
    if plugin and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plugin):
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
            for name in appenv.OPERATOR_SECRET_OVERRIDES.values():
                if not operator.get(name):
                    missing.append(f"secret {name} (web and db are separate hosts: both need the same one)")
    where = "the environment" + (f" or {secrets_file}" if secrets_file else "")
    values = {**operator, **appenv.deploy_values(domain)}
    for name in appenv.missing_settings(settings, values):
        missing.append(f"setting {name} (from {where})")
    missing.extend(f"setting {problem}" for problem in appenv.value_problems(operator))
    return missing


def preflight_message(host_name: str, missing: list[str]) -> str:
    lines = [f"Refusing to deploy {host_name}: {len(missing)} missing or invalid item(s); nothing was changed."]
    lines += [f"  - {item}" for item in missing]
    return "\n".join(lines)


# --- The app image ----------------------------------------------------------------------------

IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache"}


def is_app_source(relpath: str) -> bool:
    parts = PurePosixPath(relpath).parts
    return not (set(parts) & IGNORED_PARTS) and not relpath.endswith((".pyc", ".pyo"))


def content_hash(files: Iterable[tuple[str, bytes]]) -> str:
    """sha256 over (path, content) pairs, independent of order."""
    digest = hashlib.sha256()
    for path, content in sorted(files):
        digest.update(f"{path}\0{hashlib.sha256(content).hexdigest()}\n".encode())
    return digest.hexdigest()


def image_tag(files: Iterable[tuple[str, bytes]]) -> str:
    """`rsm-app:<12 hex>` from the build context's contents (app/, lock, Dockerfile)."""
    return f"{IMAGE_REPOSITORY}:{content_hash(files)[:12]}"


def revision(image: str, env_template: str, compose_without_revision: str) -> str:
    """What the running container must have been created from; stamped as a label."""
    return content_hash([("image", image.encode()), ("env", env_template.encode()),
                         ("compose", compose_without_revision.encode())])[:16]


# --- Template contexts ------------------------------------------------------------------------

def compose_context(image: str, workers: int, threads: int, timeout: int, db_address: str,
                    revision: str = "") -> dict:
    return {
        "project": COMPOSE_PROJECT,
        "service": APP_SERVICE,
        "image": image,
        "env_file": ENV_FILE,
        "port": APP_PORT,
        "workers": workers,
        "threads": threads,
        "timeout": timeout,
        "network": DOCKER_NETWORK,
        "db_hostname": appenv.DB_HOSTNAME,
        "db_address": db_address,
        "revision": revision,
        "log_max_size": "10m",
        "log_max_file": 5,
    }


def nginx_context(domain: str, ipv6: bool, read_timeout: int) -> dict:
    live = f"{LETSENCRYPT}/live/{domain}"
    return {
        "domain": domain,
        "ipv6": ipv6,
        "upstream": f"127.0.0.1:{APP_PORT}",
        "certificate": f"{live}/fullchain.pem",
        "certificate_key": f"{live}/privkey.pem",
        "dhparam": "rsm/ffdhe2048.pem",
        "read_timeout": read_timeout,
        "pid": "/run/nginx.pid",
        "log_dir": "/var/log/nginx",
        "mime_types": "/etc/nginx/mime.types",
        "modules_include": "/etc/nginx/modules-enabled/*.conf",
    }


# --- Certificates -----------------------------------------------------------------------------

def plugin_package(plugin: str) -> str:
    return f"python3-certbot-dns-{plugin}"


def credentials_path(plugin: str) -> str:
    return f"{LETSENCRYPT}/rsm-dns-{plugin}.ini"


def dns_credentials_ini(plugin: str, credentials: Mapping[str, object]) -> str:
    """certbot's credentials ini; rfc2136's algorithm upper-cased (certbot ignores lower case)."""
    lines = ["# certbot DNS plugin credentials, written by the deploy (root-only)."]
    for key, value in credentials.items():
        value = str(value)
        if key.endswith("_algorithm"):
            value = value.upper()
        lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def certbot_command(domain: str, email: str, acme_directory: str, plugin: str,
                    propagation_seconds: int, force: bool = False) -> list[str]:
    """certbot certonly for DOMAIN and *.DOMAIN by DNS-01, non-interactive."""
    command = [
        "certbot", "certonly", "--non-interactive", "--agree-tos", "-m", email,
        "--server", acme_directory, "--cert-name", domain,
        "--authenticator", f"dns-{plugin}",
        f"--dns-{plugin}-credentials", credentials_path(plugin),
        f"--dns-{plugin}-propagation-seconds", str(propagation_seconds),
        "-d", domain, "-d", f"*.{domain}",
    ]
    if force:
        command.append("--force-renewal")
    return command


def certificate_is_current(lineage: Mapping | None, domain: str, acme_directory: str) -> bool:
    """`lineage`: {"server": ..., "domains": [...]} read from the server, or None when absent."""
    if not lineage:
        return False
    return lineage.get("server") == acme_directory and sorted(lineage.get("domains", [])) == sorted(
        [domain, f"*.{domain}"]
    )
