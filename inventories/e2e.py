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
    alert_webhook_url       the harness's webhook receiver (e2e/alert_webhook.py), where Alertmanager posts

Other keys the harness writes (its own bookkeeping) are ignored. App settings come from the
environment the harness runs pyinfra with (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ...).
The server is `web`, `db` and `monitoring`; a second server is the `backup` host.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from e2e.inventory import backup_data, read_state, site_data  # noqa: E402

_state = read_state(Path(__file__).resolve().parent.parent / ".e2e" / "state.json")
_host = (_state["server_ip"], site_data(_state))

web = [_host]
db = [_host]
backup = [(_state["backup_ip"], backup_data(_state))]
monitoring = [_host]
