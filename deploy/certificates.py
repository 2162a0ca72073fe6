"""Step 7 (web): one certificate for DOMAIN and *.DOMAIN by DNS-01, renewed by certbot.timer."""

from __future__ import annotations

from io import StringIO

from pyinfra import host
from pyinfra.api import HiddenValue, deploy
from pyinfra.operations import apt, files, systemd

from deploy import configs, hostdata, ops, plan


def _credentials(plugin: str) -> str:
    path = host.data.get("dns_credentials_file")
    if path:
        return hostdata.local_path(path).read_text()
    return plan.dns_credentials_ini(plugin, host.data.dns_credentials)


@deploy("Obtain the certificate")
def obtain_certificate():
    domain, plugin = host.data.domain, host.data.dns_plugin
    bundle = host.data.get("acme_ca_bundle")

    apt.packages(name=f"Install certbot and its {plugin} DNS plugin",
                 packages=["certbot", plan.plugin_package(plugin)], no_recommends=True)
    ops.private_file(name=f"Install the {plugin} DNS credentials (root-only, never shown)",
                     dest=plan.credentials_path(plugin), content=HiddenValue(_credentials(plugin)))
    if bundle:
        files.put(name="Trust the ACME server's CA bundle", src=str(hostdata.local_path(bundle)),
                  dest=plan.ACME_CA_BUNDLE, mode="644")
    dropin = files.put(
        name="Give certbot renewals the ACME CA bundle",
        src=StringIO(configs.certbot_service_dropin(plan.ACME_CA_BUNDLE if bundle else None)),
        dest="/etc/systemd/system/certbot.service.d/rsm.conf",
        create_remote_dir=True,
    )
    systemd.daemon_reload(name="Reload systemd units", _if=dropin.did_change)
    files.put(
        name="Reload nginx after each renewal (only if nginx -t passes)",
        src=StringIO(configs.renewal_hook()),
        dest="/etc/letsencrypt/renewal-hooks/deploy/rsm-reload-nginx",
        mode="755",
        create_remote_dir=True,
    )
    ops.certificate(
        name=f"Obtain the certificate for {domain} and *.{domain} by DNS-01",
        domain=domain,
        email=host.data.admin_email,
        acme_directory=host.data.acme_directory,
        plugin=plugin,
        propagation_seconds=int(host.data.get("dns_propagation_seconds", plan.DEFAULT_PROPAGATION_SECONDS)),
        ca_bundle=plan.ACME_CA_BUNDLE if bundle else None,
    )
    systemd.service(name="Enable and start certbot's renewal timer", service="certbot.timer",
                    running=True, enabled=True)
