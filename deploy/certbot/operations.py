"""Obtaining the certificate, only when no lineage for these names from this ACME server exists."""

from __future__ import annotations

from pyinfra import host
from pyinfra.api import StringCommand, operation

from deploy.certbot.config import certbot_command, certificate_is_current
from deploy.certbot.facts import CertificateLineage
from deploy.common.shell import q


@operation()
def certificate(
    domain: str,
    email: str,
    acme_directory: str,
    plugin: str,
    propagation_seconds: int,
    ca_bundle: str | None = None,
):
    """Obtain the certificate unless a lineage for these names from this ACME server exists."""
    lineage = host.get_fact(CertificateLineage, domain=domain)
    if certificate_is_current(lineage, domain, acme_directory):
        return
    command = certbot_command(domain, email, acme_directory, plugin, propagation_seconds, force=bool(lineage))
    env = f"REQUESTS_CA_BUNDLE={q(ca_bundle)} " if ca_bundle else ""
    yield StringCommand(env + " ".join(q(part) for part in command))
