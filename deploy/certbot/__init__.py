"""The certificate (web): one certificate for DOMAIN and *.DOMAIN by DNS-01, renewed by certbot.timer."""

from __future__ import annotations

from io import StringIO

from pyinfra.api import HiddenValue, deploy
from pyinfra.operations import apt, systemd

from deploy.certbot import config
from deploy.certbot.operations import certificate
from deploy.common import hostdata
from deploy.common.controller import local_path
from deploy.common.operations import private_file, put, systemd_service
from deploy.common.render import render

GROUPS = ("web",)
# {dns_plugin}: host data; Debian packages certbot's DNS plugins as python3-certbot-dns-<name>.
PACKAGES = ("certbot", "python3-certbot-dns-{dns_plugin}")


def _credentials(data: hostdata.HostData) -> str:
    if data.dns_credentials_file:
        return local_path(data.dns_credentials_file).read_text()
    return render("certbot/dns-credentials.ini.j2", config.credentials_context(data.dns_credentials or {}))


@deploy("Obtain the certificate")
def obtain_certificate():
    data = hostdata.of()
    domain, plugin = data.domain, data.dns_plugin
    ca_bundle = config.ACME_CA_BUNDLE if data.acme_ca_bundle else None

    apt.packages(
        name=f"Install certbot and its {plugin} DNS plugin",
        packages=hostdata.package_names(PACKAGES, data),
        no_recommends=True,
    )
    private_file(
        name=f"Install the {plugin} DNS credentials (root-only, never shown)",
        dest=config.credentials_path(plugin),
        content=HiddenValue(_credentials(data)),
    )
    if data.acme_ca_bundle:
        put(
            name="Trust the ACME server's CA bundle",
            src=str(local_path(data.acme_ca_bundle)),
            dest=config.ACME_CA_BUNDLE,
            mode="644",
        )
    dropin = put(
        name="Give certbot renewals the ACME CA bundle",
        src=StringIO(render("certbot/certbot-service.conf.j2", config.service_dropin_context(ca_bundle))),
        dest=config.SERVICE_DROPIN,
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    put(
        name="Reload nginx after each renewal (only if nginx -t passes)",
        src=StringIO(render("certbot/reload-nginx.j2", {})),
        dest=config.RENEWAL_HOOK,
        mode="755",
        create_remote_dir=True,
    )
    certificate(
        name=f"Obtain the certificate for {domain} and *.{domain} by DNS-01",
        domain=domain,
        email=data.admin_email,
        acme_directory=data.acme_directory,
        plugin=plugin,
        propagation_seconds=data.dns_propagation_seconds,
        ca_bundle=ca_bundle,
    )
    systemd_service(
        name="Enable and start certbot's renewal timer", service="certbot.timer", running=True, enabled=True
    )
