"""Inventory of the disposable end-to-end server, read from `.e2e/state.json`.

The harness (the e2e/ package, `scripts/e2e`) boots the server and writes the state file; it runs
pyinfra with E2E_STATE naming its scenario's state file (e2e/scenario.py). Keys used here:

    server_ip               SSH target (port 22, user root) of the server (web and db)
    backup_ip               SSH target of the backup host (group backup)
    backup_secrets_dir      local directory for the backups' own secrets (made by the deploy)
    ssh_key                 private key path for root@server_ip
    domain                  apex domain, e.g. "studio.test" (the app's PLATFORM_DOMAIN)
    admin_email             ACME account contact
    acme_directory          https URL of the test CA's directory (pebble), e.g. https://172.17.0.1:14000/dir
    acme_ca_bundle          local path of a PEM the server must trust to talk to that CA
    dns_plugin              "rfc2136" (certbot-dns-rfc2136, Debian python3-certbot-dns-rfc2136)
    dns_credentials         {"dns_rfc2136_server", "dns_rfc2136_port", "dns_rfc2136_name",
                             "dns_rfc2136_secret", "dns_rfc2136_algorithm": "HMAC-SHA512"}
    dns_propagation_seconds seconds certbot waits after the DNS update (small: local bind9)
    base_image_archive      local `docker save` tarball of debian:trixie-slim (the server has no registry)

Other keys the harness writes (its own bookkeeping) are ignored. App settings come from the
environment the harness runs pyinfra with (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ...).
The server is both `web` and `db`; a second server is the `backup` host.
"""

import json
import os
from pathlib import Path

STATE = Path(os.environ.get("E2E_STATE") or Path(__file__).resolve().parent.parent / ".e2e" / "state.json")

try:
    _state = json.loads(STATE.read_text())
except FileNotFoundError:
    raise SystemExit(f"{STATE} not found: start the end-to-end server first (scripts/e2e infra)") from None

# a disposable server: its host key is new each time, so don't record or check it
_ssh = {
    "ssh_user": "root",
    "ssh_port": 22,
    "ssh_key": _state["ssh_key"],
    "ssh_known_hosts_file": "/dev/null",
    "ssh_strict_host_key_checking": "no",
}

_host = (
    _state["server_ip"],
    {
        **_ssh,
        "backup_secrets_dir": _state["backup_secrets_dir"],
        "domain": _state["domain"],
        "admin_email": _state["admin_email"],
        "acme_directory": _state["acme_directory"],
        "acme_ca_bundle": _state.get("acme_ca_bundle"),
        "dns_plugin": _state["dns_plugin"],
        "dns_credentials": _state["dns_credentials"],
        "dns_propagation_seconds": int(_state.get("dns_propagation_seconds", 0)),
        "base_image_archive": _state.get("base_image_archive"),
        # the harness gives the fake API's key and address in the environment
        "app_settings": {"ASSISTANT_ENABLED": "true"},
    },
)

web = [_host]
db = [_host]
backup = [(_state["backup_ip"], {**_ssh, "backup_secrets_dir": _state["backup_secrets_dir"]})]
