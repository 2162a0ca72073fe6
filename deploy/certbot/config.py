"""The certificate (pure): certbot's command, files and the test of an existing lineage."""

from __future__ import annotations

from collections.abc import Mapping

LETSENCRYPT = "/etc/letsencrypt"
ACME_CA_BUNDLE = "/etc/rsm/acme-ca.pem"
SERVICE_DROPIN = "/etc/systemd/system/certbot.service.d/rsm.conf"
RENEWAL_HOOK = f"{LETSENCRYPT}/renewal-hooks/deploy/rsm-reload-nginx"


def credentials_path(plugin: str) -> str:
    return f"{LETSENCRYPT}/rsm-dns-{plugin}.ini"


def certificate_paths(domain: str) -> tuple[str, str]:
    """(full chain, private key) of the domain's lineage, as nginx serves them."""
    live = f"{LETSENCRYPT}/live/{domain}"
    return f"{live}/fullchain.pem", f"{live}/privkey.pem"


def credentials_context(credentials: Mapping[str, object]) -> dict:
    """For templates/certbot/dns-credentials.ini.j2; rfc2136's algorithm upper-cased (certbot
    ignores lower case and falls back to HMAC-MD5)."""
    return {
        "credentials": {
            key: str(value).upper() if key.endswith("_algorithm") else str(value)
            for key, value in credentials.items()
        }
    }


def service_dropin_context(ca_bundle: str | None) -> dict:
    """For templates/certbot/certbot-service.conf.j2: certbot.timer's renewals trust the ACME CA bundle."""
    return {"ca_bundle": ca_bundle}


def certbot_command(
    domain: str, email: str, acme_directory: str, plugin: str, propagation_seconds: int, force: bool = False
) -> list[str]:
    """certbot certonly for DOMAIN and *.DOMAIN by DNS-01, non-interactive."""
    command = [
        "certbot",
        "certonly",
        "--non-interactive",
        "--agree-tos",
        "-m",
        email,
        "--server",
        acme_directory,
        "--cert-name",
        domain,
        "--authenticator",
        f"dns-{plugin}",
        f"--dns-{plugin}-credentials",
        credentials_path(plugin),
        f"--dns-{plugin}-propagation-seconds",
        str(propagation_seconds),
        "-d",
        domain,
        "-d",
        f"*.{domain}",
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
